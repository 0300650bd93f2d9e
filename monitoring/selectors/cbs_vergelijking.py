"""The region's own figures next to CBS's: where both answer the same question (a half-year or
year of the region or a member municipality), each from its own source through the figure
selector (`Bronkeuze.EIGEN` and `Bronkeuze.CBS`), with the difference.

CBS rounds its counts to fives and publishes later (provisional first); the region's own sum of
Veilig Thuis's quarters is exact and earlier. A large difference is a question for Veilig Thuis
or CBS, not a rounding matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from monitoring.choices import Bronkeuze
from monitoring.models import CbsKoppeling, Indicator
from monitoring.selectors import opslag
from monitoring.selectors.cijfers import Cijfer, cijfers
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeente, Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode

MAX_PERIODEN = 12  # the newest CBS periods shown
AFRONDING_CBS = Decimal("2.5")  # CBS rounds counts to fives: a difference up to this is rounding


@dataclass(frozen=True)
class Vergelijkingsrij:
    gebied: str
    naam: str
    periode: PeriodeCode
    indicator: Indicator
    eigen: Cijfer
    cbs: Cijfer

    @property
    def verschil(self) -> Decimal | None:
        """Own minus CBS, when both have a value."""
        if self.eigen.waarde is None or self.cbs.waarde is None:
            return None
        return self.eigen.waarde - self.cbs.waarde

    @property
    def opvallend(self) -> bool:
        """More than CBS's rounding to fives explains, and 5% or more."""
        return (
            self.verschil is not None
            and abs(self.verschil) > AFRONDING_CBS
            and self.verschil_procent is not None
            and abs(self.verschil_procent) >= 5
        )

    @property
    def verschil_procent(self) -> Decimal | None:
        if self.verschil is None or not self.cbs.waarde:
            return None
        return self.verschil / self.cbs.waarde * 100


@dataclass(frozen=True)
class Vergelijking:
    regio: Regio
    indicatoren: list[Indicator]
    perioden: list[PeriodeCode]
    rijen: list[Vergelijkingsrij]
    tabellen: list[str]  # the CBS sources, such as "CBS StatLine 84847NED"


def cbs_vergelijking(regio: Regio, *, inzage: Inzage) -> Vergelijking:
    """Own and CBS figures of the region and its members, for the newest CBS periods."""
    codes = sorted(
        set(CbsKoppeling.objects.exclude(indicator=None).values_list("indicator_id", flat=True))
    )
    # The counts: CBS's rates are its counts per its own population, not a second measurement.
    indicatoren = [
        i
        for i in Indicator.objects.filter(code__in=codes).order_by("volgorde", "code")
        if not i.is_afgeleid
    ]
    codes = [i.code for i in indicatoren]
    leden = dict(
        Gemeente.objects.filter(
            cbs_code__in=Lidmaatschap.objects.filter(regio=regio).values("gemeente_id")
        ).values_list("cbs_code", "naam")
    )
    gebieden = {regio.code: regio.naam, **dict(sorted(leden.items()))}
    # Which periods CBS answers for these areas (codes only; the values come from the selector).
    periode_codes, tabellen = opslag.cbs_perioden_en_bronnen(
        indicatoren=codes, gemeenten=list(leden), regio=regio.code
    )
    perioden = sorted(map(PeriodeCode.parse, periode_codes), reverse=True)[:MAX_PERIODEN]
    if not (perioden and indicatoren):
        return Vergelijking(regio, indicatoren, perioden, [], tabellen)
    vraag = {
        "inzage": inzage,
        "indicatoren": codes,
        "gebieden": list(gebieden),
        "perioden": perioden,
    }
    eigen = cijfers(**vraag, bronkeuze=Bronkeuze.EIGEN)
    cbs = cijfers(**vraag, bronkeuze=Bronkeuze.CBS)
    rijen = [
        Vergelijkingsrij(
            gebied,
            naam,
            periode,
            indicator,
            eigen.get(indicator.code, gebied, periode),
            cbs.get(indicator.code, gebied, periode),
        )
        for periode in perioden
        for gebied, naam in gebieden.items()
        for indicator in indicatoren
    ]
    rijen = [r for r in rijen if not r.cbs.ontbreekt_geheel]
    return Vergelijking(regio, indicatoren, perioden, rijen, tabellen)
