"""Scheduled jobs of the monitoring app (celery beat, regioaanpak/settings.py)."""

from __future__ import annotations

import logging

from celery import shared_task

from monitoring.services.sommen import sommenversies_comprimeren

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def sommenversies_comprimeren_taak() -> None:
    weg = sommenversies_comprimeren()
    logger.info("log van de opgeslagen sommen ingekort: %s regels", weg)
