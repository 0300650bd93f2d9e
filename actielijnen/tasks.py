"""Scheduled jobs of the progress workflow (celery beat)."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command


@shared_task(ignore_result=True)
def herinneringen_taak() -> None:
    """Reminders about missing progress updates of the quarter that just ended."""
    call_command("stuur_herinneringen")


@shared_task(ignore_result=True)
def leverherinneringen_taak() -> None:
    """Reminders to each organisation whose figures of the quarter that just ended are
    missing (monitoring's command; scheduled with the progress reminders)."""
    call_command("stuur_leverherinneringen")
