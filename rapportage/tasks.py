"""The concept-PDF batch as a Celery task: progress and outcome are kept on a RapportTaak."""

from __future__ import annotations

import importlib
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from rapportage.models import RapportTaak, TaakStatus

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def rapporten_genereren_taak(taak_pk: int) -> None:
    """Run the batch for the task's period (and region, or all regions), recording progress."""
    taak = RapportTaak.objects.get(pk=taak_pk)
    taak.status = TaakStatus.BEZIG
    taak.gestart_op = timezone.now()
    taak.save(update_fields=["status", "gestart_op"])

    def bij_voortgang(klaar: int, totaal: int, regio_code: str) -> None:
        taak.klaar, taak.totaal, taak.huidige_regio = klaar, totaal, regio_code or ""
        taak.save(update_fields=["klaar", "totaal", "huidige_regio"])

    try:
        # Imported at run time: the batch module (and WeasyPrint behind it) loads only here.
        batch = importlib.import_module("rapportage.batch")
        resultaat = batch.rapporten_genereren(
            periode=taak.periode_id,
            regio_codes=[taak.regio_id] if taak.regio_id else None,
            bij_voortgang=bij_voortgang,
        )
    except SoftTimeLimitExceeded:
        logger.error("Rapporttaak %s duurde te lang", taak_pk)
        minuten = round(settings.CELERY_TASK_SOFT_TIME_LIMIT / 60)
        taak.status = TaakStatus.MISLUKT
        taak.mislukt = {
            **taak.mislukt,
            taak.regio_id or "alle regio's": f"De batch duurde langer dan {minuten} minuten en "
            "is gestopt; start hem opnieuw voor minder regio's tegelijk.",
        }
    except Exception as fout:
        # Recorded on the task, not re-raised: the progress page is where the user looks.
        logger.exception("Rapporttaak %s is mislukt", taak_pk)
        taak.status = TaakStatus.MISLUKT
        taak.mislukt = {**taak.mislukt, taak.regio_id or "alle regio's": str(fout) or repr(fout)}
    else:
        taak.gelukt = list(resultaat.gelukt)
        taak.mislukt = dict(resultaat.mislukt)
        verwerkt = len(taak.gelukt) + len(taak.mislukt)
        taak.klaar = verwerkt
        taak.totaal = max(taak.totaal, verwerkt)
        alles_mislukt = bool(taak.mislukt) and not taak.gelukt
        taak.status = TaakStatus.MISLUKT if alles_mislukt else TaakStatus.KLAAR
    taak.huidige_regio = ""
    taak.klaar_op = timezone.now()
    taak.save(
        update_fields=[
            "status",
            "gelukt",
            "mislukt",
            "klaar",
            "totaal",
            "huidige_regio",
            "klaar_op",
        ]
    )
