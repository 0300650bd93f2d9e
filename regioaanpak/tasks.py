"""Scheduled jobs of the core (celery beat): warnings about API tokens that expire soon."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command


@shared_task(ignore_result=True)
def tokens_waarschuwen_taak() -> None:
    call_command("waarschuw_tokens")
