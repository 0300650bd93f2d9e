"""Building the concept PDFs of many regions at once (command line and background task).

One region at a time: its figures are read in their own transaction, rendered with the same
functions as the concept download (`rapport_pdf` with `concept_meta`) and written to the shared
storage as rapporten/concept/<regio>_<periode>.pdf (regioaanpak.opslag: in the database, so every
app machine serves what a worker made), replacing an earlier file. A failure of one
region is recorded with its reason and the batch goes on with the next region. Nothing is
written to the report models: a concept is not a version.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from rapportage.choices import RapportSoort
from rapportage.pdf import concept_pdf
from rapportage.selectors import OngeldigRapport, rapportgegevens
from rapportage.weergave import concept_meta, rapport_pdf
from regioaanpak.choices import RegioSoort
from regioaanpak.inzage import Inzage
from regioaanpak.models import Regio
from regioaanpak.opslag import bewaar
from regioaanpak.perioden import HALFJAAR, JAAR, KWARTAAL, OngeldigePeriode, PeriodeCode

logger = logging.getLogger(__name__)

SOORT_PER_PERIODE = {
    KWARTAAL: RapportSoort.KWARTAAL,
    HALFJAAR: RapportSoort.HALFJAAR,
    JAAR: RapportSoort.JAAR,
}
CONCEPTMAP = "rapporten/concept"


@dataclass
class BatchResultaat:
    gelukt: list[str]  # region codes
    mislukt: dict[str, str]  # region code -> Dutch reason
    duur: float  # seconds


def batch_soort(periode: str) -> tuple[PeriodeCode, str]:
    """The period and the kind of report it belongs to (KW: kwartaal, HJ: halfjaar).

    Raises OngeldigRapport with a Dutch message that names the code.
    """
    try:
        code = PeriodeCode.invoer(periode)
    except OngeldigePeriode as fout:
        raise OngeldigRapport(" ".join(fout.messages)) from fout
    if code.soort not in SOORT_PER_PERIODE:
        raise OngeldigRapport(
            f"Voor periode {code.code} ({code.label}) bestaat geen rapportage: kies een kwartaal "
            f"(zoals {code.jaar}KW01), een halfjaar (zoals {code.jaar}HJ01) of een jaar (zoals "
            f"{code.jaar}JJ00)."
        )
    return code, SOORT_PER_PERIODE[code.soort]


def batch_regios(regio_codes: list[str] | None) -> list[Regio]:
    """The given regions (in the given order), or all regions by code: every Veilig Thuis
    region (the regions Veilig Thuis delivers figures for) and every region with a regioaanpak.

    Raises OngeldigRapport naming the unknown codes.
    """
    regios = Regio.objects.select_related("centrumgemeente")
    if regio_codes is None:
        return list(
            regios.filter(Q(soort=RegioSoort.VEILIG_THUIS_REGIO) | Q(regioaanpakken__isnull=False))
            .distinct()
            .order_by("code")
        )
    codes = list(dict.fromkeys(c.strip().upper() for c in regio_codes if c.strip()))
    gevonden = {r.code: r for r in regios.filter(code__in=codes)}
    onbekend = [c for c in codes if c not in gevonden]
    if onbekend:
        woord = "Onbekende regio" if len(onbekend) == 1 else "Onbekende regio's"
        raise OngeldigRapport(f"{woord}: {', '.join(onbekend)}.")
    return [gevonden[c] for c in codes]


def conceptpad(regio_code: str, periode: str) -> str:
    """The concept PDF's name in the default storage."""
    return f"{CONCEPTMAP}/{regio_code}_{periode}.pdf"


def concept_lezen(regio_code: str, periode: str) -> bytes | None:
    """The concept PDF the batch made for the region and period, or None."""
    naam = conceptpad(regio_code, periode)
    if not default_storage.exists(naam):
        return None
    with default_storage.open(naam, "rb") as bestand:
        return bestand.read()


def _concept_pdf(regio: Regio, code: PeriodeCode, soort: str) -> bytes:
    # The concept as the region's own staff see it: submitted data included and marked as
    # concept (as the concept download for a projectleider or beleidsmedewerker); only they
    # may download it (rapportage.views._taak_pdfs).
    with transaction.atomic():
        gegevens = rapportgegevens(
            regio, code, soort, inzage=Inzage.intern(regio.code, met_ingediend=True)
        )
    meta = concept_meta(gegevens)
    return concept_pdf(gegevens, meta, lambda: rapport_pdf(gegevens, meta))


def _reden(fout: Exception) -> str:
    tekst = str(fout).strip() or type(fout).__name__
    return f"Rapport kon niet worden gemaakt: {tekst}"


def rapporten_genereren(
    *,
    periode: str,
    regio_codes: list[str] | None = None,
    bij_voortgang: Callable[[int, int, str], None] | None = None,
) -> BatchResultaat:
    """Build the concept PDF of every region with a regioaanpak (or of `regio_codes`).

    A bad period code, a year period or an unknown region raises OngeldigRapport (a ValueError
    with a Dutch message) before anything is built. `bij_voortgang(klaar, totaal, regio_code)`
    is called after each region, whether it succeeded or failed.
    """
    begin = time.perf_counter()
    code, soort = batch_soort(periode)
    regios = batch_regios(regio_codes)
    resultaat = BatchResultaat(gelukt=[], mislukt={}, duur=0.0)
    totaal = len(regios)
    for klaar, regio in enumerate(regios, start=1):
        try:
            pdf = _concept_pdf(regio, code, soort)
            bewaar(conceptpad(regio.code, code.code), pdf)
        except SoftTimeLimitExceeded:
            raise  # the task's time is up: stop the batch, not just this region
        except Exception as fout:
            logger.exception("Conceptrapport %s %s mislukt", regio.code, code.code)
            resultaat.mislukt[regio.code] = _reden(fout)
        else:
            resultaat.gelukt.append(regio.code)
        if bij_voortgang is not None:
            bij_voortgang(klaar, totaal, regio.code)
    resultaat.duur = time.perf_counter() - begin
    return resultaat
