"""Doelbereik: per goal of a regional approach, its effect indicators (baseline, latest value,
target, threshold, a plain verdict and the trend from the baseline) and its approved yearly
judgements. Every number comes from the one figure selector under the viewer's policy; the
verdict is `oordeel_over`, a pure function tested at its edges.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from actielijnen.models import Effectindicator, Effectoordeel, Impact, Regioaanpak, StrategischDoel
from actielijnen.models.doelen import HOGER, LAGER
from monitoring.selectors.cijfers import Cijfer, cijfers
from regioaanpak.choices import WorkflowStatus
from regioaanpak.inzage import Inzage
from regioaanpak.perioden import PeriodeCode, laatste_volledige_kwartaal

# The verdicts, in the order of how well it goes.
BEREIKT = "bereikt"
OP_WEG = "op_weg"
NOG_NIET = "nog_niet"
NIET_OP_KOERS = "niet_op_koers"
GEEN_DREMPEL = "geen_drempel"
GEHEIM = "geheim"
GEEN_GEGEVENS = "geen_gegevens"


@dataclass(frozen=True)
class Verdict:
    code: str
    tekst: str


def oordeel_over(
    *,
    richting: str,
    laatste: Cijfer | None,
    drempel: Decimal | None,
    nulmeting: Decimal | None,
) -> Verdict:
    """A plain verdict on an effect: reached from the threshold on (exactly at the threshold
    counts as reached; 'lager is beter': at or below it), otherwise on the way or not relative
    to the baseline."""
    if laatste is None or laatste.ontbreekt_geheel:
        return Verdict(GEEN_GEGEVENS, "nog geen gegevens")
    if laatste.waarde is None:  # secret at the source, or suppressed for this viewer
        return Verdict(GEHEIM, "niet te beoordelen: het laatste cijfer is geheim (.)")
    waarde = laatste.waarde
    beter = (lambda a, b: a > b) if richting == HOGER else (lambda a, b: a < b)
    if drempel is None:
        if nulmeting is None:
            return Verdict(GEEN_DREMPEL, "geen drempel en nulmeting nog te bepalen")
        if beter(waarde, nulmeting):
            return Verdict(GEEN_DREMPEL, "beter dan de nulmeting; drempel nog niet vastgesteld")
        return Verdict(GEEN_DREMPEL, "niet beter dan de nulmeting; drempel nog niet vastgesteld")
    if waarde == drempel or beter(waarde, drempel):
        return Verdict(BEREIKT, "voldoende bereikt")
    if nulmeting is None:
        return Verdict(NOG_NIET, "nog niet bereikt (nulmeting nog te bepalen)")
    if beter(waarde, nulmeting):
        return Verdict(OP_WEG, "nog niet bereikt, wel beter dan de nulmeting")
    return Verdict(NIET_OP_KOERS, "niet bereikt en niet beter dan de nulmeting")


@dataclass(frozen=True)
class Effectstand:
    effect: Effectindicator
    nulmeting: Decimal | None
    nulmeting_cijfer: Cijfer | None  # read from the figures (None: entered, or to be decided)
    laatste: Cijfer | None
    laatste_periode: PeriodeCode | None
    verloop: list[tuple[PeriodeCode, Cijfer]]
    verdict: Verdict

    @property
    def streef_gehaald(self) -> bool | None:
        e = self.effect
        if e.streefwaarde is None or self.laatste is None or self.laatste.waarde is None:
            return None
        if e.richting == LAGER:
            return self.laatste.waarde <= e.streefwaarde
        return self.laatste.waarde >= e.streefwaarde


@dataclass
class Doelstand:
    doel: StrategischDoel
    effecten: list[Effectstand] = field(default_factory=list)
    oordelen: list[Effectoordeel] = field(default_factory=list)


@dataclass
class Impactstand:
    impact: Impact
    doelen: list[Doelstand] = field(default_factory=list)


@dataclass
class Doelbereik:
    regioaanpak: Regioaanpak
    impacts: list[Impactstand]
    tot: PeriodeCode
    afgeschermd: bool = False

    @property
    def leeg(self) -> bool:
        return not self.impacts


def _perioden(effect: Effectindicator, tot: PeriodeCode) -> list[PeriodeCode]:
    """From the baseline to `tot`, in the baseline's kind of period (years, half-years,
    quarters); without a baseline the last eight of that kind (years by default)."""
    if effect.nulmeting_periode_id:
        begin = PeriodeCode.parse(effect.nulmeting_periode_id)
        laatste = PeriodeCode.van_datum(tot.einddatum, begin.soort)
        if laatste.einddatum > tot.einddatum:
            laatste = laatste.vorige()
        return PeriodeCode.reeks(begin, laatste) if not laatste < begin else [begin]
    laatste = PeriodeCode.van_datum(tot.einddatum, "JJ")
    if laatste.einddatum > tot.einddatum:
        laatste = laatste.vorige()
    return PeriodeCode.reeks(laatste.verschuif(-7), laatste)


def doelbereik(
    regioaanpak: Regioaanpak, *, inzage: Inzage, tot: PeriodeCode | None = None
) -> Doelbereik:
    """The goal tree of the approach with the state of every effect up to `tot` (default: the
    last complete quarter), for this viewer."""
    tot = tot or laatste_volledige_kwartaal(timezone.localdate())
    impacts = list(
        Impact.objects.filter(regioaanpak=regioaanpak).prefetch_related(
            Prefetch(
                "doelen",
                StrategischDoel.objects.order_by("nummer").prefetch_related(
                    "actielijnen",
                    Prefetch(
                        "effectindicatoren",
                        Effectindicator.objects.select_related("indicator").order_by("pk"),
                    ),
                ),
            )
        )
    )
    regio = regioaanpak.regio_id
    effecten = [e for i in impacts for d in i.doelen.all() for e in d.effectindicatoren.all()]
    perioden = {e.pk: _perioden(e, tot) for e in effecten}
    antwoorden = None
    if effecten:
        antwoorden = cijfers(
            inzage=inzage,
            indicatoren=sorted({e.indicator_id for e in effecten}),
            gebieden=[regio],
            perioden=sorted({p for ps in perioden.values() for p in ps}),
        )
    oordelen = _oordelen(impacts, inzage, regio)
    uitkomst = []
    for impact in impacts:
        stand = Impactstand(impact)
        for doel in impact.doelen.all():
            doelstand = Doelstand(doel, oordelen=oordelen.get(doel.pk, []))
            for effect in doel.effectindicatoren.all():
                doelstand.effecten.append(
                    _effectstand(effect, perioden[effect.pk], antwoorden, regio)
                )
            stand.doelen.append(doelstand)
        uitkomst.append(stand)
    return Doelbereik(
        regioaanpak,
        uitkomst,
        tot,
        afgeschermd=bool(antwoorden is not None and antwoorden.afgeschermd),
    )


def _effectstand(effect: Effectindicator, perioden, antwoorden, regio: str) -> Effectstand:
    verloop = [(p, antwoorden.get(effect.indicator_id, regio, p)) for p in perioden]
    metcijfer = [(p, c) for p, c in verloop if not c.ontbreekt_geheel]
    laatste_periode, laatste = metcijfer[-1] if metcijfer else (None, None)
    nulmeting_cijfer = None
    nulmeting = effect.nulmeting_waarde
    if nulmeting is None and effect.nulmeting_periode_id:
        nulmeting_cijfer = verloop[0][1]
        nulmeting = nulmeting_cijfer.waarde
    return Effectstand(
        effect=effect,
        nulmeting=nulmeting,
        nulmeting_cijfer=nulmeting_cijfer,
        laatste=laatste,
        laatste_periode=laatste_periode,
        verloop=metcijfer,
        verdict=oordeel_over(
            richting=effect.richting, laatste=laatste, drempel=effect.drempel, nulmeting=nulmeting
        ),
    )


def _oordelen(impacts, inzage: Inzage, regio: str) -> dict[int, list[Effectoordeel]]:
    """Approved judgements per goal; submitted ones too for who reviews the region."""
    doelen = [d.pk for i in impacts for d in i.doelen.all()]
    statussen = [WorkflowStatus.GOEDGEKEURD]
    if inzage.mag_onvoltooid(regio):
        statussen.append(WorkflowStatus.INGEDIEND)
    uitkomst: dict[int, list[Effectoordeel]] = {}
    for oordeel in Effectoordeel.objects.filter(
        doel_id__in=doelen, workflow_status__in=statussen
    ).order_by("-jaar"):
        uitkomst.setdefault(oordeel.doel_id, []).append(oordeel)
    return uitkomst


def huidige_regioaanpak(regio: str, op: dt.date | None = None) -> Regioaanpak | None:
    """The approach running on the date (default today), else the newest one of the region."""
    op = op or timezone.localdate()
    qs = Regioaanpak.objects.filter(regio_id=regio).select_related("regio")
    return (
        qs.filter(looptijd_van__lte=op, looptijd_tot__gte=op).order_by("-looptijd_van").first()
        or qs.order_by("-looptijd_van").first()
    )


__all__ = [
    "BEREIKT",
    "GEEN_DREMPEL",
    "GEEN_GEGEVENS",
    "GEHEIM",
    "HOGER",
    "LAGER",
    "NIET_OP_KOERS",
    "NOG_NIET",
    "OP_WEG",
    "Doelbereik",
    "doelbereik",
    "huidige_regioaanpak",
    "oordeel_over",
]
