"""Scheduled jobs of the progress workflow (celery beat)."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command


@shared_task(ignore_result=True)
def herinneringen_taak() -> None:
    """Reminders about missing progress updates of the quarter that just ended."""
    call_command("stuur_herinneringen")
