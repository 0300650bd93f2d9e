"""Rules across figures of one area and period: parts never exceed their whole.

- A teller is never more than its noemer, for every derived percentage (veiligheidsbeoordelingen
  binnen 5 werkdagen <= veiligheidsbeoordelingen; hermeldingen <= meldingen); otherwise the
  percentage would be above 100.
- Parts of a whole (indicators with `deel_van`, such as the meldingen by type of melder) add up
  to no more than the whole.

The four input channels (the grid, the upload on its page, `importeer_waarnemingen` and the API
import) apply these rules through `delen_en_gehelen`, with the values after the save: the new
input over what is stored. A secret or missing value is not compared. A violation is a hard
error at the part that was entered (or at the whole, when only the whole was entered).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from monitoring.choices import Eenheid, WaarnemingStatus
from monitoring.models import Indicator, Waarneming
from regioaanpak import opmaak

# (indicator, area, period): an area is a CBS municipality code or a region code.
Sleutel = tuple[str, str, str]


@dataclass(frozen=True)
class Relatie:
    delen: tuple[str, ...]
    geheel: str
    percentage: Indicator | None = None  # the derived percentage a teller/noemer pair makes

    @property
    def codes(self) -> set[str]:
        return {*self.delen, self.geheel}


def relaties(indicatoren: Iterable[Indicator]) -> list[Relatie]:
    """Every part-whole relation of the catalogue."""
    uit: list[Relatie] = []
    groepen: dict[str, list[str]] = defaultdict(list)
    for indicator in indicatoren:
        if indicator.eenheid == Eenheid.PERCENTAGE and indicator.teller_id and indicator.noemer_id:
            uit.append(Relatie((indicator.teller_id,), indicator.noemer_id, indicator))
        if indicator.deel_van_id:
            groepen[indicator.deel_van_id].append(indicator.code)
    uit.extend(Relatie(tuple(sorted(delen)), geheel) for geheel, delen in groepen.items())
    return uit


def bestaande_waarden(
    sleutels: Iterable[Sleutel], codes: set[str]
) -> dict[Sleutel, Decimal | None]:
    """Stored values of the related indicators in the areas and periods of `sleutels` (secret:
    None), for checking input against what it does not change. One query."""
    paren = {(gebied, periode) for _i, gebied, periode in sleutels}
    if not paren or not codes:
        return {}
    perioden = {periode for _g, periode in paren}
    gebieden = {gebied for gebied, _p in paren}
    rijen = (
        Waarneming.objects.ongefilterd("invoerregels: delen en gehelen")
        .filter(indicator_id__in=codes, periode_id__in=perioden)
        .filter(Q(gemeente_id__in=gebieden) | Q(regio_id__in=gebieden))
        .values_list("indicator_id", "gemeente_id", "regio_id", "periode_id", "waarde", "status")
    )
    uit = {}
    for indicator, gemeente, regio, periode, waarde, status in rijen:
        gebied = gemeente or regio
        if (gebied, periode) in paren:
            uit[(indicator, gebied, periode)] = (
                None if status == WaarnemingStatus.GEHEIM else waarde
            )
    return uit


def delen_en_gehelen(
    nieuw: Mapping[Sleutel, Decimal | None],
    bestaand: Mapping[Sleutel, Decimal | None],
    indicatoren: Mapping[str, Indicator],
) -> dict[Sleutel, str]:
    """The cell (of `nieuw`) each violation is blamed on, with its Dutch message."""
    fouten: dict[Sleutel, str] = {}

    def waarde(code: str, gebied: str, periode: str) -> Decimal | None:
        sleutel = (code, gebied, periode)
        return nieuw[sleutel] if sleutel in nieuw else bestaand.get(sleutel)

    def naam(code: str) -> str:
        indicator = indicatoren.get(code)
        return indicator.naam if indicator is not None else code

    for relatie in relaties(indicatoren.values()):
        codes = relatie.codes  # a new set at every call: once, not once per row
        paren = {(g, p) for i, g, p in nieuw if i in codes}
        for gebied, periode in sorted(paren):
            geheel = waarde(relatie.geheel, gebied, periode)
            delen = {d: waarde(d, gebied, periode) for d in relatie.delen}
            bekend = {d: w for d, w in delen.items() if w is not None}
            if geheel is None or not bekend:
                continue
            som = sum(bekend.values(), Decimal(0))
            if som <= geheel:
                continue
            ingevoerd = [d for d in relatie.delen if (d, gebied, periode) in nieuw]
            schuld = (ingevoerd[0] if ingevoerd else relatie.geheel, gebied, periode)
            if relatie.percentage is not None:
                deel = relatie.delen[0]
                melding = _(
                    "%(deel)s (%(waarde)s) is meer dan %(geheel)s (%(totaal)s): het percentage "
                    "%(percentage)s zou boven de 100 uitkomen."
                ) % {
                    "deel": naam(deel),
                    "waarde": opmaak.getal(bekend[deel]),
                    "geheel": naam(relatie.geheel).lower(),
                    "totaal": opmaak.getal(geheel),
                    "percentage": relatie.percentage.naam.lower(),
                }
            else:
                melding = _(
                    "De delen van %(geheel)s (%(delen)s) tellen op tot %(som)s, meer dan het "
                    "geheel (%(totaal)s)."
                ) % {
                    "geheel": naam(relatie.geheel).lower(),
                    "delen": ", ".join(naam(d).lower() for d in bekend),
                    "som": opmaak.getal(som),
                    "totaal": opmaak.getal(geheel),
                }
            fouten.setdefault(schuld, melding)
    return fouten
