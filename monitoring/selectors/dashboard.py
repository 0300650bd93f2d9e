"""Reads for the aldermen's dashboards: where a region or a municipality stands, at a glance.

Every number comes from the figure selector `cijfers()`, called a fixed number of times per
page: for the region (or municipality) over all periods of the trend and, on the region
dashboard, for its members in the chosen period, both with the approval filter; and once for
the country (NL01) without it (the approval workflow is per region; the country is the sum of
every municipality's delivered figures). The calls are split by what is shown because the
selector answers every combination of indicators, areas and periods it is given: one call for
15 members x 40 quarters x 14 indicators would compute 8.000 answers to show 50. Everything else
(members, boundaries, deliveries, targets, progress, budget) is read in a fixed number of
queries too, so a page costs the same number of queries for 2 or 15 municipalities and for 4
or 40 quarters. The dataclasses hold the `Cijfer` objects themselves, so tests can compare
what a dashboard shows with `cijfer(...)` for the same question.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Q

from actielijnen.selectors import (
    BegrotingStand,
    VoortgangStand,
    begroting_stand,
    regioaanpakken_in_periode,
    voortgang_stand,
)
from monitoring.models import Gegevenslevering, Indicator, Streefwaarde, Waarneming
from monitoring.selectors.cijfers import Cijfer, Cijfers, cijfers
from regioaanpak.choices import RegioSoort, WorkflowStatus
from regioaanpak.models import Gemeente, Gemeentegrens, Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode, laatste_volledige_kwartaal

LANDELIJK = "NL01"
MELDINGEN = "vt_meldingen"
ADVIEZEN = "vt_adviezen"
PER_1000 = {MELDINGEN: "vt_meldingen_per_1000", ADVIEZEN: "vt_adviezen_per_1000"}
NORMEN = ("vt_veiligheidsbeoordeling_tijdig", "vt_onderzoek_tijdig")
TREND = (*PER_1000.values(), *NORMEN)
MELDERS = (
    "vt_meldingen_politie_justitie",
    "vt_meldingen_beroepsmatig",
    "vt_meldingen_onderwijs",
    "vt_meldingen_gezondheidszorg",
    "vt_meldingen_niet_beroepsmatig",
)
# Indicators that compare municipalities of different sizes: rates and percentages.
VERGELIJKBAAR = (
    "vt_meldingen_per_1000",
    "vt_adviezen_per_1000",
    "vt_hermeldingen_percentage",
    "vt_veiligheidsbeoordeling_tijdig",
    "vt_onderzoek_tijdig",
    "tijdelijke_huisverboden_per_100000",
    "recidive_zonder_nieuw_geweld",
)
STANDAARD_INDICATOR = "vt_meldingen_per_1000"
MAX_PERIODEN = 60  # at most 15 years of quarters in a trend
GOEDGEKEURD = frozenset({WorkflowStatus.GOEDGEKEURD})
MET_INGEDIEND = frozenset({WorkflowStatus.GOEDGEKEURD, WorkflowStatus.INGEDIEND})
HONDERD = Decimal(100)


def leveringstatussen_voor(alleen_goedgekeurd: bool) -> frozenset[str]:
    return GOEDGEKEURD if alleen_goedgekeurd else MET_INGEDIEND


# -- building blocks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Verschil:
    """A figure against an earlier one of the same area."""

    nu: Cijfer
    eerder: Cijfer

    @property
    def periode(self) -> PeriodeCode:
        return PeriodeCode.parse(self.eerder.periode)

    @property
    def absoluut(self) -> Decimal | None:
        if self.nu.waarde is None or self.eerder.waarde is None:
            return None
        return self.nu.waarde - self.eerder.waarde

    @property
    def procent(self) -> Decimal | None:
        """Relative change in percent (one decimal); None when unknown or from zero."""
        if self.absoluut is None or not self.eerder.waarde:
            return None
        return (self.absoluut / self.eerder.waarde * HONDERD).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def is_voorlopig(self) -> bool:
        return self.nu.is_voorlopig or self.eerder.is_voorlopig


@dataclass(frozen=True)
class Kerncijfer:
    """A count (meldingen, adviezen) with its rate, its changes and the comparisons."""

    indicator: Indicator
    per_1000_indicator: Indicator
    aantal: Cijfer
    per_1000: Cijfer
    vorige: Verschil
    jaar_eerder: Verschil
    regio_per_1000: Cijfer | None = None
    landelijk_per_1000: Cijfer | None = None


@dataclass(frozen=True)
class Normcijfer:
    """A Veilig Thuis percentage with a sector norm."""

    indicator: Indicator
    cijfer: Cijfer
    regio: Cijfer | None = None

    @property
    def gehaald(self) -> bool | None:
        """Whether the norm is met; None when the value is missing or secret."""
        return self.indicator.norm_gehaald(self.cijfer.waarde)


@dataclass(frozen=True)
class Reeks:
    """One indicator for one area over the dashboard's periods (oldest first)."""

    indicator: Indicator
    gebied: str
    naam: str
    cijfers: tuple[Cijfer, ...]
    streefwaarden: tuple[Streefwaarde, ...] = ()


@dataclass(frozen=True)
class GemeenteRij:
    """A member municipality in the period with its figures for the comparison."""

    gemeente: Gemeente
    cijfers: dict[str, Cijfer]


@dataclass(frozen=True)
class Kaartvlak:
    """One area on the map: a municipality's boundary and the figure it is coloured by.

    `staat_voor` names the municipalities of the period the area stands for when the boundary
    is of a later merger (its figure is then the selector's sum of those predecessors)."""

    gemeente: Gemeente
    geometrie: dict
    cijfer: Cijfer
    staat_voor: tuple[Gemeente, ...] = ()


@dataclass
class Kaart:
    indicator: Indicator
    jaar: int | None
    vlakken: list[Kaartvlak]
    niet_op_kaart: list[Gemeente]


@dataclass(frozen=True)
class Periodekeuze:
    """The period shown and what the period select offers.

    `standaard`: chosen by default (nothing asked). `zonder_vrijgave`: no delivery in the
    shown statuses exists, so the default is the latest period with any figure."""

    periode: PeriodeCode
    standaard: bool
    zonder_vrijgave: bool
    opties: list[PeriodeCode]
    trend: list[PeriodeCode]
    leveringen: dict[str, str]  # period code -> workflow status of the delivery

    def ingediend(self, statussen: frozenset[str]) -> set[str]:
        """Periods whose figures are shown although not approved yet."""
        if WorkflowStatus.INGEDIEND not in statussen:
            return set()
        return {p for p, s in self.leveringen.items() if s == WorkflowStatus.INGEDIEND}


def _beste_status(huidig: str | None, nieuw: str) -> str:
    volgorde = (WorkflowStatus.GOEDGEKEURD, WorkflowStatus.INGEDIEND)
    for status in volgorde:
        if status in (huidig, nieuw):
            return status
    return huidig or nieuw


def _nieuwste(perioden: Iterable[PeriodeCode]) -> PeriodeCode | None:
    return max(perioden, key=lambda p: (p.einddatum, p.begindatum), default=None)


def kies_periode(
    *,
    gevraagd: PeriodeCode | None,
    leveringen: dict[str, str],
    met_cijfers: set[str],
    statussen: frozenset[str],
    vandaag: dt.date | None = None,
) -> Periodekeuze:
    """The period to show, the options of the select and the periods of the trend.

    Default: the newest period with a delivery in one of the statuses; when there is none,
    the newest period with any figure; when there are no figures at all, the last quarter."""
    vrijgegeven = {PeriodeCode.parse(p) for p, s in leveringen.items() if s in statussen}
    met_cijfers_codes = {PeriodeCode.parse(p) for p in met_cijfers}
    basis = vrijgegeven or met_cijfers_codes
    zonder_vrijgave = not vrijgegeven
    periode = gevraagd
    if periode is None:
        periode = _nieuwste(basis) or laatste_volledige_kwartaal(vandaag or dt.date.today())

    kwartalen = {k for p in basis for k in p.kwartalen()}
    opties = set(basis) | kwartalen | {periode}
    for kwartaal in kwartalen:
        for groter in kwartaal.bovenliggende():
            if all(k in kwartalen for k in groter.kwartalen()):
                opties.add(groter)

    begin = periode
    if kwartalen:
        eerste = min(kwartalen)
        begin = min(PeriodeCode.van_datum(eerste.begindatum, periode.soort), periode)
    trend = PeriodeCode.reeks(begin, periode)[-MAX_PERIODEN:]
    return Periodekeuze(
        periode=periode,
        standaard=gevraagd is None,
        zonder_vrijgave=zonder_vrijgave,
        opties=sorted(opties, key=lambda p: (p.einddatum, p.begindatum), reverse=True),
        trend=trend,
        leveringen=leveringen,
    )


def _leveringen(regio_codes: Iterable[str], gemeenten: Iterable[str]) -> dict[str, str]:
    """Per period the furthest workflow status of the deliveries that release these figures:
    the region's own, and those of every region the municipalities belong to (the figure
    selector counts a municipality's figure when any of its regions delivered it)."""
    per_periode: dict[str, str] = {}
    for periode_id, status in (
        Gegevenslevering.objects.filter(
            Q(regio__in=list(regio_codes)) | Q(regio__lidmaatschappen__gemeente__in=list(gemeenten))
        )
        .order_by()
        .values_list("periode_id", "workflow_status")
        .distinct()
    ):
        per_periode[periode_id] = _beste_status(per_periode.get(periode_id), status)
    return per_periode


def _perioden_met_cijfers(
    leveringen: dict[str, str],
    statussen: frozenset[str],
    gemeenten: Iterable[str],
    regios: Iterable[str],
) -> set[str]:
    """Periods with any stored meldingen or adviezen of these areas (one indexed query), only
    needed when no delivery in the statuses exists to choose the period from."""
    if any(s in statussen for s in leveringen.values()):
        return set()
    return set(
        Waarneming.objects.filter(
            Q(gemeente__in=list(gemeenten)) | Q(regio__in=list(regios)),
            indicator_id__in=[MELDINGEN, ADVIEZEN],
        )
        .order_by()
        .values_list("periode_id", flat=True)
        .distinct()
    )


def _indicatoren(codes: Iterable[str]) -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(code__in=set(codes))}


def _basiscodes(indicatoren: Iterable[Indicator]) -> set[str]:
    """The measured indicators behind the given ones (a derived one's teller and noemer)."""
    codes = set()
    for indicator in indicatoren:
        if indicator.is_afgeleid:
            codes.add(indicator.teller_id)
            if indicator.noemer_id:
                codes.add(indicator.noemer_id)
        else:
            codes.add(indicator.code)
    return codes


def _vraagperioden(keuze: Periodekeuze) -> list[PeriodeCode]:
    """The trend plus the previous period and the same period a year earlier."""
    periode = keuze.periode
    return list(dict.fromkeys([*keuze.trend, periode.vorige(), periode.jaar_eerder()]))


def _bijgewerkt(
    *,
    gemeenten: Iterable[str],
    regios: Iterable[str],
    indicatoren: Iterable[str],
    perioden: Iterable[PeriodeCode],
    keuze: Periodekeuze,
    statussen: frozenset[str],
) -> dt.datetime | None:
    """When the newest of the shown figures last changed (only periods whose figures are
    shown: with a delivery in the statuses, or all when no delivery exists at all)."""
    codes = {p.code for p in perioden} | {d.code for p in perioden for d in p.nakomelingen()}
    # Grouped per period over the (indicator, gemeente, periode) index; the periods are picked
    # in Python (a filter on dozens of period codes makes PostgreSQL pick a worse index).
    per_periode = (
        Waarneming.objects.filter(
            Q(gemeente__in=list(gemeenten)) | Q(regio__in=list(regios)),
            indicator_id__in=sorted(indicatoren),
        )
        .order_by()
        .values("periode_id")
        .annotate(laatst=Max("gewijzigd_op"))
        .values_list("periode_id", "laatst")
    )
    alle_vrij = not any(s in statussen for s in keuze.leveringen.values())
    tijden = [
        laatst
        for periode_id, laatst in per_periode
        if periode_id in codes and (alle_vrij or keuze.leveringen.get(periode_id) in statussen)
    ]
    return max(tijden, default=None)


def _bronnen(antwoorden: Iterable[Cijfer]) -> tuple[str, ...]:
    return tuple(sorted({bron for c in antwoorden for bron in c.bronnen}))


def _streefwaarden(regio_codes: Iterable[str], indicatoren: Iterable[str]) -> list[Streefwaarde]:
    return list(
        Streefwaarde.objects.filter(regio__in=list(regio_codes), indicator__in=list(indicatoren))
        .order_by("indicator_id", "periode_id")
        .only("indicator_id", "regio_id", "periode_id", "waarde", "bron")
    )


def streefwaarde_perioden(streefwaarde: Streefwaarde, perioden: list[PeriodeCode]) -> list[int]:
    """Positions in the trend a target applies to: the trend's periods inside the target's
    period (a year target over its quarters), or the one period containing it."""
    doel = PeriodeCode.parse(streefwaarde.periode_id)
    return [i for i, p in enumerate(perioden) if doel.bevat(p) or p.bevat(doel)]


def _landelijk(
    indicatoren: Iterable[str], perioden: Iterable[PeriodeCode], regio_code: str
) -> Cijfers | None:
    """The country's figures, without the approval filter: every delivered figure counts.
    None on the country's own dashboard, or when the country (NL01) is not registered."""
    if regio_code == LANDELIJK or not Regio.objects.filter(code=LANDELIJK).exists():
        return None
    return cijfers(indicatoren=indicatoren, gebieden=[LANDELIJK], perioden=perioden)


def _kerncijfers(
    indicatoren: dict[str, Indicator],
    antwoorden: Cijfers,
    gebied: str,
    periode: PeriodeCode,
    *,
    regio: str | None = None,
    landelijk: Cijfers | None = None,
) -> list[Kerncijfer]:
    resultaat = []
    for code, rate in PER_1000.items():

        def vraag(indicator: str, p: PeriodeCode = periode, waar: str = gebied) -> Cijfer:
            return antwoorden.get(indicator, waar, p)

        nu = vraag(code)
        resultaat.append(
            Kerncijfer(
                indicator=indicatoren[code],
                per_1000_indicator=indicatoren[rate],
                aantal=nu,
                per_1000=vraag(rate),
                vorige=Verschil(nu, vraag(code, periode.vorige())),
                jaar_eerder=Verschil(nu, vraag(code, periode.jaar_eerder())),
                regio_per_1000=vraag(rate, waar=regio) if regio else None,
                landelijk_per_1000=landelijk.get(rate, LANDELIJK, periode) if landelijk else None,
            )
        )
    return resultaat


def _normcijfers(
    indicatoren: dict[str, Indicator],
    antwoorden: Cijfers,
    gebied: str,
    periode: PeriodeCode,
    *,
    regio: str | None = None,
) -> list[Normcijfer]:
    """The norm percentages (without the country: adding up the timeliness counts of every
    municipality costs more than it tells; the norm itself is the benchmark)."""
    return [
        Normcijfer(
            indicator=indicatoren[code],
            cijfer=antwoorden.get(code, gebied, periode),
            regio=antwoorden.get(code, regio, periode) if regio else None,
        )
        for code in NORMEN
    ]


def _reeks(
    indicator: Indicator,
    antwoorden: Cijfers,
    gebied: str,
    naam: str,
    perioden: list[PeriodeCode],
    streefwaarden: Iterable[Streefwaarde] = (),
) -> Reeks:
    return Reeks(
        indicator=indicator,
        gebied=gebied,
        naam=naam,
        cijfers=tuple(antwoorden.get(indicator.code, gebied, p) for p in perioden),
        streefwaarden=tuple(s for s in streefwaarden if s.indicator_id == indicator.code),
    )


def _zonder_lege_begin(
    perioden: list[PeriodeCode], antwoorden: Cijfers, gebied: str, codes: Iterable[str]
) -> list[PeriodeCode]:
    """Drop leading periods in which none of the indicators has a figure (secret counts)."""
    codes = list(codes)
    for index, periode in enumerate(perioden):
        if any(not antwoorden.get(c, gebied, periode).ontbreekt_geheel for c in codes):
            return perioden[index:]
    return perioden[-1:]


# -- the map ------------------------------------------------------------------------------------


def grensjaar(jaren: Iterable[int], periode: PeriodeCode) -> int | None:
    """The boundary year for a period: the latest year up to the period's, else the earliest."""
    jaren = sorted(set(jaren))
    if not jaren:
        return None
    eerder = [j for j in jaren if j <= periode.jaar]
    return eerder[-1] if eerder else jaren[0]


def _opvolgers(gemeente: Gemeente) -> list[Gemeente]:
    """The municipality's successors (two levels, as loaded with select_related)."""
    resultaat = []
    opvolger = gemeente.opgevolgd_door if gemeente.opgevolgd_door_id else None
    if opvolger is not None:
        resultaat.append(opvolger)
        if opvolger.opgevolgd_door_id:
            resultaat.append(opvolger.opgevolgd_door)
    return resultaat


@dataclass
class _Kaartplan:
    """Which boundary shows which member (itself, or the successor it merged into)."""

    jaar: int | None
    geometrieen: dict[str, dict]
    vlak_van: dict[str, str]  # member code -> code of the area drawn for it
    opvolgers: dict[str, Gemeente]
    voorgangers: dict[str, list[Gemeente]]

    @property
    def gebieden(self) -> list[str]:
        return list(dict.fromkeys(self.vlak_van.values()))


def _kaartplan(leden: list[Gemeente], periode: PeriodeCode) -> _Kaartplan:
    """Three queries at most: the boundary years, the geometries, and the predecessors of a
    successor drawn for members that merged after the period."""
    jaar = grensjaar(
        Gemeentegrens.objects.order_by().values_list("jaar", flat=True).distinct(), periode
    )
    kandidaten: dict[str, Gemeente] = {}
    for lid in leden:
        kandidaten[lid.cbs_code] = lid
        for opvolger in _opvolgers(lid):
            kandidaten.setdefault(opvolger.cbs_code, opvolger)
    geometrieen: dict[str, dict] = {}
    if jaar is not None:
        geometrieen = dict(
            Gemeentegrens.objects.filter(jaar=jaar, gemeente__in=list(kandidaten)).values_list(
                "gemeente_id", "geometrie"
            )
        )
    vlak_van: dict[str, str] = {}
    opvolgers: dict[str, Gemeente] = {}
    for lid in leden:
        if lid.cbs_code in geometrieen:
            vlak_van[lid.cbs_code] = lid.cbs_code
            continue
        for opvolger in _opvolgers(lid):
            if opvolger.cbs_code in geometrieen:
                vlak_van[lid.cbs_code] = opvolger.cbs_code
                opvolgers[opvolger.cbs_code] = opvolger
                break
    voorgangers: dict[str, list[Gemeente]] = {}
    if opvolgers:
        for voorganger in Gemeente.objects.filter(opgevolgd_door__in=list(opvolgers)).order_by(
            "naam"
        ):
            if voorganger.bestaat_in(periode.begindatum, periode.einddatum):
                voorgangers.setdefault(voorganger.opgevolgd_door_id, []).append(voorganger)
    return _Kaartplan(jaar, geometrieen, vlak_van, opvolgers, voorgangers)


def _kaart(
    plan: _Kaartplan,
    leden: list[Gemeente],
    indicator: Indicator,
    antwoorden: Cijfers,
    periode: PeriodeCode,
) -> Kaart:
    vlakken = []
    per_code = {g.cbs_code: g for g in leden} | plan.opvolgers
    for code in plan.gebieden:
        gemeente = per_code[code]
        staat_voor = tuple(plan.voorgangers.get(code, ())) if code in plan.opvolgers else ()
        vlakken.append(
            Kaartvlak(
                gemeente=gemeente,
                geometrie=plan.geometrieen[code],
                cijfer=antwoorden.get(indicator.code, code, periode),
                staat_voor=staat_voor,
            )
        )
    vlakken.sort(key=lambda v: v.gemeente.naam or v.gemeente.cbs_code)
    return Kaart(
        indicator=indicator,
        jaar=plan.jaar,
        vlakken=vlakken,
        niet_op_kaart=[g for g in leden if g.cbs_code not in plan.vlak_van],
    )


# -- the region dashboard -----------------------------------------------------------------------


@dataclass
class Regiodashboard:
    regio: Regio
    keuze: Periodekeuze
    leveringstatussen: frozenset[str]
    indicator: Indicator  # of the comparison and the map
    indicatoren: dict[str, Indicator]
    antwoorden: Cijfers  # the region (all periods) and its members (the period), approved
    landelijk: Cijfers | None  # NL01, without it
    perioden: list[PeriodeCode]  # of the trend, oldest first
    kerncijfers: list[Kerncijfer]
    normen: list[Normcijfer]
    trend: list[Reeks]
    melders: list[Reeks]
    gemeenten: list[GemeenteRij]
    kaart: Kaart
    voortgang: VoortgangStand
    begroting: BegrotingStand
    streefwaarden: list[Streefwaarde]
    bijgewerkt: dt.datetime | None
    bronnen: tuple[str, ...]
    landelijke_bronnen: tuple[str, ...]
    ingediend: set[str] = field(default_factory=set)

    @property
    def periode(self) -> PeriodeCode:
        return self.keuze.periode

    @property
    def alleen_goedgekeurd(self) -> bool:
        return WorkflowStatus.INGEDIEND not in self.leveringstatussen

    def regiocijfer(self, indicator: str, periode: PeriodeCode | str | None = None) -> Cijfer:
        return self.antwoorden.get(indicator, self.regio.code, periode or self.periode)


def _leden_in(lidmaatschappen: Iterable[Lidmaatschap], periode: PeriodeCode) -> list[Gemeente]:
    begin, eind = periode.begindatum, periode.einddatum
    leden = {
        lid.gemeente_id: lid.gemeente
        for lid in lidmaatschappen
        if lid.geldig_in(begin, eind) and lid.gemeente.bestaat_in(begin, eind)
    }
    return sorted(leden.values(), key=lambda g: (g.naam, g.cbs_code))


def regiodashboard(
    regio: Regio,
    periode: PeriodeCode | str | None = None,
    *,
    alleen_goedgekeurd: bool = True,
    indicator: str = STANDAARD_INDICATOR,
    vandaag: dt.date | None = None,
) -> Regiodashboard:
    """Everything the region dashboard shows for the period (default: the newest approved).

    `alleen_goedgekeurd` limits the region's figures to approved deliveries (aldermen and
    partners); otherwise submitted ones count too. The national figure never has that filter.
    """
    if indicator not in VERGELIJKBAAR:
        raise ValueError(f"Indicator {indicator} is niet te vergelijken tussen gemeenten.")
    statussen = leveringstatussen_voor(alleen_goedgekeurd)
    gevraagd = None if periode is None else PeriodeCode.parse(periode)

    lidmaatschappen = list(
        Lidmaatschap.objects.filter(regio=regio).select_related(
            "gemeente", "gemeente__opgevolgd_door__opgevolgd_door"
        )
    )
    alle_leden = {lid.gemeente_id for lid in lidmaatschappen}
    leveringen = _leveringen([regio.code], alle_leden)
    keuze = kies_periode(
        gevraagd=gevraagd,
        leveringen=leveringen,
        met_cijfers=_perioden_met_cijfers(leveringen, statussen, alle_leden, [regio.code]),
        statussen=statussen,
        vandaag=vandaag,
    )
    periode = keuze.periode
    leden = _leden_in(lidmaatschappen, periode)
    plan = _kaartplan(leden, periode)

    regiocodes = {MELDINGEN, ADVIEZEN, *PER_1000.values(), *NORMEN, *MELDERS, indicator}
    vergelijking = list(dict.fromkeys([indicator, *PER_1000.values()]))
    indicatoren = _indicatoren(regiocodes | set(VERGELIJKBAAR))  # the select's options too
    # The region over the whole trend ...
    antwoorden = cijfers(
        indicatoren=sorted(regiocodes),
        gebieden=[regio.code],
        perioden=_vraagperioden(keuze),
        leveringstatussen=statussen,
    )
    # ... its members (and successors of merged members, for the map) in the period only ...
    per_gemeente = cijfers(
        indicatoren=vergelijking,
        gebieden=[*(g.cbs_code for g in leden), *plan.opvolgers],
        perioden=[periode],
        leveringstatussen=statussen,
    )
    antwoorden.antwoorden.update(per_gemeente.antwoorden)
    # ... and the country, for the rates and the compared indicator.
    landelijk = _landelijk(vergelijking, [periode], regio.code)

    perioden = _zonder_lege_begin(keuze.trend, antwoorden, regio.code, [*TREND, *MELDERS])
    streefwaarden = _streefwaarden([regio.code], TREND)
    trend = [
        _reeks(indicatoren[c], antwoorden, regio.code, regio.naam, perioden, streefwaarden)
        for c in TREND
    ]
    gemeenten = [
        GemeenteRij(g, {c: antwoorden.get(c, g.cbs_code, periode) for c in vergelijking})
        for g in leden
    ]
    voortgang = voortgang_stand(regio=regio, periode=periode)
    return Regiodashboard(
        regio=regio,
        keuze=keuze,
        leveringstatussen=statussen,
        indicator=indicatoren[indicator],
        indicatoren=indicatoren,
        antwoorden=antwoorden,
        landelijk=landelijk,
        perioden=perioden,
        kerncijfers=_kerncijfers(indicatoren, antwoorden, regio.code, periode, landelijk=landelijk),
        normen=_normcijfers(indicatoren, antwoorden, regio.code, periode),
        trend=trend,
        melders=[
            _reeks(indicatoren[c], antwoorden, regio.code, regio.naam, perioden) for c in MELDERS
        ],
        gemeenten=gemeenten,
        kaart=_kaart(plan, leden, indicatoren[indicator], antwoorden, periode),
        voortgang=voortgang,
        begroting=begroting_stand(voortgang=voortgang),
        streefwaarden=streefwaarden,
        bijgewerkt=_bijgewerkt(
            gemeenten=alle_leden,
            regios=[regio.code],
            indicatoren=_basiscodes(indicatoren[c] for c in regiocodes),
            perioden=perioden,
            keuze=keuze,
            statussen=statussen,
        ),
        bronnen=_bronnen(antwoorden),
        landelijke_bronnen=_bronnen(landelijk) if landelijk else (),
        ingediend=keuze.ingediend(statussen),
    )


# -- the municipality dashboard -----------------------------------------------------------------


def gemeente_lidmaatschappen(gemeente: Gemeente) -> list[Lidmaatschap]:
    """Every membership of the municipality (any time) with its region, the country left out;
    the view keeps those of regions the user may see."""
    return list(
        Lidmaatschap.objects.filter(gemeente=gemeente)
        .exclude(regio__soort=RegioSoort.LAND)
        .select_related("regio")
        .order_by("regio__naam", "regio_id")
    )


@dataclass
class Gemeentedashboard:
    gemeente: Gemeente
    regio: Regio | None  # the region it is compared with in the period
    regios: list[Regio]  # every visible region it belongs to
    keuze: Periodekeuze
    leveringstatussen: frozenset[str]
    indicatoren: dict[str, Indicator]
    antwoorden: Cijfers  # the municipality and the region, with the approval filter
    landelijk: Cijfers | None
    perioden: list[PeriodeCode]
    kerncijfers: list[Kerncijfer]
    normen: list[Normcijfer]
    trend: list[Reeks]  # per rate: the municipality and its region
    tijdigheid: list[Reeks]  # the norm percentages of the municipality
    voortgang: VoortgangStand | None
    bijgewerkt: dt.datetime | None
    bronnen: tuple[str, ...]
    landelijke_bronnen: tuple[str, ...]
    voorgangers: list[Gemeente] = field(default_factory=list)
    ingediend: set[str] = field(default_factory=set)

    @property
    def periode(self) -> PeriodeCode:
        return self.keuze.periode

    @property
    def alleen_goedgekeurd(self) -> bool:
        return WorkflowStatus.INGEDIEND not in self.leveringstatussen


def vergelijkingsregio(
    lidmaatschappen: list[Lidmaatschap], periode: PeriodeCode, met_aanpak: set[str]
) -> Regio | None:
    """The region to compare with: a member region in the period (else any), one with a
    regioaanpak first, then Veilig Thuis regions, then by name."""
    begin, eind = periode.begindatum, periode.einddatum
    in_periode = [lid.regio for lid in lidmaatschappen if lid.geldig_in(begin, eind)]
    kandidaten = in_periode or [lid.regio for lid in lidmaatschappen]
    if not kandidaten:
        return None
    return min(
        kandidaten,
        key=lambda r: (
            r.code not in met_aanpak,
            r.soort != RegioSoort.VEILIG_THUIS_REGIO,
            r.naam,
            r.code,
        ),
    )


def gemeentedashboard(
    gemeente: Gemeente,
    periode: PeriodeCode | str | None = None,
    *,
    lidmaatschappen: list[Lidmaatschap],
    alleen_goedgekeurd: bool = True,
    vandaag: dt.date | None = None,
) -> Gemeentedashboard:
    """The municipality's own figures against its region and the country, and the projects
    it takes part in. `lidmaatschappen`: its memberships of regions the user may see."""
    from actielijnen.models import Regioaanpak

    statussen = leveringstatussen_voor(alleen_goedgekeurd)
    gevraagd = None if periode is None else PeriodeCode.parse(periode)
    regios = list({lid.regio_id: lid.regio for lid in lidmaatschappen}.values())
    regio_codes = [r.code for r in regios]
    voorgangers = list(Gemeente.objects.filter(opgevolgd_door=gemeente).order_by("naam"))
    eigen_codes = [gemeente.cbs_code, *(v.cbs_code for v in voorgangers)]
    leveringen = _leveringen([], eigen_codes)
    keuze = kies_periode(
        gevraagd=gevraagd,
        leveringen=leveringen,
        met_cijfers=_perioden_met_cijfers(leveringen, statussen, eigen_codes, []),
        statussen=statussen,
        vandaag=vandaag,
    )
    periode = keuze.periode
    met_aanpak = set(
        Regioaanpak.objects.filter(regio__in=regio_codes).values_list("regio_id", flat=True)
    )
    regio = vergelijkingsregio(lidmaatschappen, periode, met_aanpak)

    codes = {MELDINGEN, ADVIEZEN, *PER_1000.values(), *NORMEN}
    indicatoren = _indicatoren(codes)
    gebieden = [gemeente.cbs_code] + ([regio.code] if regio else [])
    antwoorden = cijfers(
        indicatoren=sorted(codes),
        gebieden=gebieden,
        perioden=_vraagperioden(keuze),
        leveringstatussen=statussen,
    )
    perioden = _zonder_lege_begin(keuze.trend, antwoorden, gemeente.cbs_code, TREND)
    # The country only for the period itself: its trend would add up every municipality of
    # the Netherlands for every period (hundreds of milliseconds).
    landelijk = _landelijk(list(PER_1000.values()), [periode], gemeente.cbs_code)

    trend = []
    for code in PER_1000.values():
        trend.append(
            _reeks(indicatoren[code], antwoorden, gemeente.cbs_code, gemeente.naam, perioden)
        )
        if regio:
            trend.append(_reeks(indicatoren[code], antwoorden, regio.code, regio.naam, perioden))
    voortgang = None
    if regio is not None:
        voortgang = voortgang_stand(
            regio=regio,
            periode=periode,
            gemeente=gemeente.cbs_code,
            regioaanpakken=regioaanpakken_in_periode(regio, periode),
        )
    regio_code = regio.code if regio else None
    return Gemeentedashboard(
        gemeente=gemeente,
        regio=regio,
        regios=regios,
        keuze=keuze,
        leveringstatussen=statussen,
        indicatoren=indicatoren,
        antwoorden=antwoorden,
        landelijk=landelijk,
        perioden=perioden,
        kerncijfers=_kerncijfers(
            indicatoren,
            antwoorden,
            gemeente.cbs_code,
            periode,
            regio=regio_code,
            landelijk=landelijk,
        ),
        normen=_normcijfers(indicatoren, antwoorden, gemeente.cbs_code, periode, regio=regio_code),
        trend=trend,
        tijdigheid=[
            _reeks(indicatoren[c], antwoorden, gemeente.cbs_code, gemeente.naam, perioden)
            for c in NORMEN
        ],
        voortgang=voortgang,
        bijgewerkt=_bijgewerkt(
            gemeenten=eigen_codes,
            regios=[],
            indicatoren=_basiscodes(indicatoren.values()),
            perioden=perioden,
            keuze=keuze,
            statussen=statussen,
        ),
        bronnen=_bronnen(antwoorden),
        landelijke_bronnen=_bronnen(landelijk) if landelijk else (),
        voorgangers=voorgangers,
        ingediend=keuze.ingediend(statussen),
    )


__all__ = [
    "LANDELIJK",
    "MELDERS",
    "NORMEN",
    "PER_1000",
    "STANDAARD_INDICATOR",
    "TREND",
    "VERGELIJKBAAR",
    "Gemeentedashboard",
    "Kaart",
    "Kaartvlak",
    "Kerncijfer",
    "Normcijfer",
    "Periodekeuze",
    "Reeks",
    "Regiodashboard",
    "Verschil",
    "gemeente_lidmaatschappen",
    "gemeentedashboard",
    "grensjaar",
    "kies_periode",
    "regiodashboard",
    "streefwaarde_perioden",
    "vergelijkingsregio",
]
