"""Disclosure control for partner-facing output, as CBS publishes the figures of Veilig Thuis.

For a partner (a token or user without an internal role in the region) every count is rounded
to the nearest multiple of the indicator's rounding base (5) and a count below its threshold
(10) is suppressed: shown as '.', like a secret figure. Percentages and rates per 1.000 or
100.000 inhabitants are computed again from the rounded counts, so the raw counts cannot be
worked back from a rate and the population; a rate on a suppressed count is suppressed too.
Internal roles see the raw values. Figures that are not counts (days, euros) are not touched.

Pure functions on answers of the figure selector and on stored values: the API applies them,
the numbers themselves always come from `cijfers()` or the stored figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from monitoring.choices import Eenheid, WaarnemingStatus
from monitoring.models import Indicator
from monitoring.selectors.cijfers import VIER_DECIMALEN, Cijfer

AFGEROND = "afgerond"
ONDERDRUKT = "onderdrukt"


@dataclass(frozen=True, slots=True)
class Regel:
    """The disclosure rule of one counted indicator."""

    drempel: int
    afronding: int

    def pas_toe(self, waarde: Decimal | None) -> tuple[Decimal | None, str | None]:
        """(value as published, what was done): suppressed gives (None, 'onderdrukt')."""
        if waarde is None:
            return None, None
        if waarde < self.drempel:
            return None, ONDERDRUKT
        if self.afronding > 1:
            basis = Decimal(self.afronding)
            waarde = (waarde / basis).quantize(Decimal(1), ROUND_HALF_UP) * basis
        return waarde, AFGEROND


def regel_voor(indicator: Indicator) -> Regel | None:
    """The rule for a measured count; None for other units and for indicators without one."""
    if indicator.eenheid != Eenheid.AANTAL or indicator.is_afgeleid:
        return None
    if indicator.geheimhouding_drempel <= 0 and indicator.geheimhouding_afronding <= 1:
        return None
    return Regel(indicator.geheimhouding_drempel, indicator.geheimhouding_afronding)


def regels(indicatoren: dict[str, Indicator]) -> dict[str, Regel]:
    return {code: r for code, i in indicatoren.items() if (r := regel_voor(i)) is not None}


@dataclass(frozen=True, slots=True)
class Afgeschermd:
    """A published answer: the value, its status and what disclosure control did to it."""

    waarde: Decimal | None
    status: str | None
    geheimhouding: str | None


def _onderdrukt() -> Afgeschermd:
    return Afgeschermd(None, WaarnemingStatus.GEHEIM, ONDERDRUKT)


def scherm_waarde(waarde: Decimal | None, status: str | None, regel: Regel | None) -> Afgeschermd:
    """A stored or rolled-up value of a measured indicator as a partner sees it."""
    if regel is None or status == WaarnemingStatus.GEHEIM or waarde is None:
        return Afgeschermd(waarde, status, None)
    gepubliceerd, wat = regel.pas_toe(waarde)
    if wat == ONDERDRUKT:
        return _onderdrukt()
    return Afgeschermd(gepubliceerd, status, wat)


def scherm_cijfer(
    antwoord: Cijfer,
    indicator: Indicator,
    onderdelen: dict[str, Cijfer],
    inwoners: Decimal | None,
    alle_regels: dict[str, Regel],
) -> Afgeschermd:
    """An answer of the figure selector as a partner sees it.

    `onderdelen` holds the raw answers of the derived indicator's teller and noemer for the same
    area and period; `inwoners` the population used for rates per 1.000 / 100.000.
    """
    if not indicator.is_afgeleid:
        return scherm_waarde(antwoord.waarde, antwoord.status, alle_regels.get(indicator.code))
    if antwoord.waarde is None:  # missing or secret as a whole: nothing to protect
        return Afgeschermd(None, antwoord.status, None)
    teller_regel = alle_regels.get(indicator.teller_id)
    noemer_regel = None if indicator.per_inwoners else alle_regels.get(indicator.noemer_id)
    if teller_regel is None and noemer_regel is None:
        return Afgeschermd(antwoord.waarde, antwoord.status, None)

    teller = scherm_waarde(
        onderdelen[indicator.teller_id].waarde, onderdelen[indicator.teller_id].status, teller_regel
    )
    if indicator.per_inwoners:
        noemer = Afgeschermd(inwoners, WaarnemingStatus.DEFINITIEF, None)
    else:
        deel = onderdelen[indicator.noemer_id]
        noemer = scherm_waarde(deel.waarde, deel.status, noemer_regel)
    if ONDERDRUKT in (teller.geheimhouding, noemer.geheimhouding):
        return _onderdrukt()
    if teller.waarde is None or not noemer.waarde:
        return Afgeschermd(None, antwoord.status, None)
    waarde = (teller.waarde / noemer.waarde * indicator.factor).quantize(
        VIER_DECIMALEN, ROUND_HALF_UP
    )
    return Afgeschermd(waarde, antwoord.status, AFGEROND)


def onderdelen_van(indicatoren: list[Indicator]) -> set[str]:
    """The measured indicators a derived one is computed from (asked along for partners)."""
    codes: set[str] = set()
    for indicator in indicatoren:
        if indicator.is_afgeleid:
            codes.add(indicator.teller_id)
            if indicator.noemer_id:
                codes.add(indicator.noemer_id)
    return codes


__all__ = [
    "AFGEROND",
    "ONDERDRUKT",
    "Afgeschermd",
    "Regel",
    "onderdelen_van",
    "regel_voor",
    "regels",
    "scherm_cijfer",
    "scherm_waarde",
]
