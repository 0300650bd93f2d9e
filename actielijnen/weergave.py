"""How an effect's numbers read, on the doelbereik page, the dashboard and in reports: one face
per number (the monitor's own formatting in regioaanpak.opmaak)."""

from __future__ import annotations

from actielijnen.models.doelen import LAGER
from monitoring.grafieken.basis import met_eenheid
from regioaanpak import opmaak
from regioaanpak.perioden import PeriodeCode


def _waarde(waarde, indicator) -> str:
    return opmaak.cijfer(waarde, eenheid=indicator.eenheid, met_eenheid=True)


def effectregel(stand) -> dict:
    """One effect as the page, the dashboard and the report show it (one face per number)."""
    e = stand.effect
    indicator = e.indicator
    periode = PeriodeCode.parse(e.nulmeting_periode_id) if e.nulmeting_periode_id else None
    cijfer = stand.nulmeting_cijfer
    if e.nulmeting_waarde is not None:
        nulmeting = f"{_waarde(e.nulmeting_waarde, indicator)} ({periode.label})"
    elif periode is not None and cijfer is not None and not cijfer.ontbreekt_geheel:
        nulmeting = f"{met_eenheid(cijfer, indicator)} ({periode.label})"
    elif periode is not None:
        nulmeting = f"geen gegevens ({periode.label})"
    else:
        nulmeting = "nog te bepalen"
    teken = "≤" if e.richting == LAGER else "≥"
    return {
        "effect": e,
        "indicator": indicator,
        "nulmeting": nulmeting,
        "laatste": (
            f"{met_eenheid(stand.laatste, indicator)} ({stand.laatste_periode.label})"
            if stand.laatste is not None
            else "nog geen gegevens"
        ),
        "streef": (
            f"{_waarde(e.streefwaarde, indicator)} in {e.streef_periode_id}"
            if e.streefwaarde is not None
            else "niet vastgesteld"
        ),
        "drempel": (
            f"{teken} {_waarde(e.drempel, indicator)}"
            if e.drempel is not None
            else "nog vast te stellen"
        ),
        "verdict": stand.verdict,
        "verloop": " · ".join(
            f"{p.kort_label}: {met_eenheid(c, indicator, eenheid=False)}" for p, c in stand.verloop
        ),
    }
