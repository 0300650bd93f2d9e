"""Building blocks of the dashboards: the indicators shown, the period choice, tiles, series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from monitoring.models import Gegevenslevering, Indicator, Streefwaarde
from monitoring.selectors import opslag
from monitoring.selectors.cijfers import Cijfer, Cijfers, cijfers
from monitoring.selectors.organisaties import aanleververdeling
from regioaanpak.choices import WorkflowStatus
from regioaanpak.inzage import GOEDGEKEURD, MET_INGEDIEND, Inzage
from regioaanpak.models import Gemeente, Regio
from regioaanpak.perioden import KWARTAAL, PeriodeCode, laatste_volledige_kwartaal

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
HONDERD = Decimal(100)


def getoonde_staten(inzage: Inzage, regio_codes: Iterable[str]) -> frozenset[str]:
    """The delivery states a dashboard shows: approved, plus submitted where the policy shows
    them for one of these regions (for choosing the period and marking it)."""
    if any(inzage.toont_ingediend(r) for r in regio_codes):
        return MET_INGEDIEND
    return GOEDGEKEURD


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
    # Where the country has no figure for the quarter (CBS publishes half-years): the country
    # and this area in the half-year the quarter lies in, compared like with like.
    halfjaar: PeriodeCode | None = None
    # The quarter's own half-year when `halfjaar` is an earlier one (the country has none yet).
    halfjaar_zonder: PeriodeCode | None = None
    landelijk_halfjaar: Cijfer | None = None
    eigen_halfjaar: Cijfer | None = None


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
    shown statuses exists, so the default is the latest period with any figure
    (`uit_cijfers`, for those who may see unapproved data) or the last quarter."""

    periode: PeriodeCode
    standaard: bool
    zonder_vrijgave: bool
    opties: list[PeriodeCode]
    trend: list[PeriodeCode]
    leveringen: dict[str, str]  # period code -> workflow status of the delivery
    uit_cijfers: bool = False

    def ingediend(self, statussen: frozenset[str] | None) -> set[str]:
        """Periods whose figures are shown although not approved yet."""
        if statussen is not None and WorkflowStatus.INGEDIEND not in statussen:
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
        uit_cijfers=zonder_vrijgave and bool(met_cijfers_codes),
    )


def lees_leveringen(regio_codes: Iterable[str], gemeenten: Iterable[str]) -> dict[str, str]:
    """Per period the furthest workflow status of the deliveries that release these figures:
    the region's own, and those of every region the municipalities belong to (the figure
    selector counts a municipality's figure when any of its regions delivered it). Of a region
    and period, Veilig Thuis's delivery counts where it exists."""
    standaard = aanleververdeling().standaard
    per_paar: dict[tuple[str, str], str] = {}
    van_standaard: set[tuple[str, str]] = set()
    for regio_id, periode_id, organisatie_id, status in (
        Gegevenslevering.objects.filter(
            Q(regio__in=list(regio_codes)) | Q(regio__lidmaatschappen__gemeente__in=list(gemeenten))
        )
        .order_by()
        .values_list("regio_id", "periode_id", "organisatie_id", "workflow_status")
        .distinct()
    ):
        paar = (regio_id, periode_id)
        # Veilig Thuis's delivery (the standard organisation's) decides for its region and
        # period: a shelter's approval alone does not make a quarter the dashboard opens on.
        if organisatie_id == standaard:
            per_paar[paar] = status
            van_standaard.add(paar)
        elif paar not in van_standaard:
            per_paar[paar] = _beste_status(per_paar.get(paar), status)
    per_periode: dict[str, str] = {}
    for (_regio, periode_id), status in per_paar.items():
        per_periode[periode_id] = _beste_status(per_periode.get(periode_id), status)
    return per_periode


def perioden_met_cijfers(
    leveringen: dict[str, str],
    statussen: frozenset[str],
    gemeenten: Iterable[str],
    regios: Iterable[str],
    *,
    mag_onvoltooid: bool = False,
) -> set[str]:
    """Periods with any stored meldingen or adviezen of these areas (one indexed query), only
    needed when no delivery in the statuses exists to choose the period from, and only for a
    viewer who may see unapproved data (to anyone else, unreleased figures say nothing, not
    even in which periods they lie)."""
    if not mag_onvoltooid or any(s in statussen for s in leveringen.values()):
        return set()
    return opslag.perioden_met_cijfers(
        gemeenten=gemeenten, regios=regios, indicatoren=[MELDINGEN, ADVIEZEN]
    )


def lees_indicatoren(codes: Iterable[str]) -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(code__in=set(codes))}


def basiscodes_van(indicatoren: Iterable[Indicator]) -> set[str]:
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


# CBS publishes a half-year some months after it ends: for the latest quarter the country's
# newest half-year can be one or two half-years back.
HALFJAREN_TERUG = 2


def landelijke_halfjaren(periode: PeriodeCode) -> list[PeriodeCode]:
    """The half-year a quarter lies in and the HALFJAREN_TERUG before it, newest first: where
    the tile looks for the country when it only has half-years (from CBS)."""
    if periode.soort != KWARTAAL:
        return []
    halfjaren = [periode.bovenliggende()[0]]
    for _ in range(HALFJAREN_TERUG):
        halfjaren.append(halfjaren[-1].vorige())
    return halfjaren


def vraagperioden(keuze: Periodekeuze) -> list[PeriodeCode]:
    """The trend plus the previous period, the same period a year earlier and the half-years
    of `landelijke_halfjaren`."""
    periode = keuze.periode
    return list(
        dict.fromkeys(
            [*keuze.trend, periode.vorige(), periode.jaar_eerder(), *landelijke_halfjaren(periode)]
        )
    )


def laatst_bijgewerkt(
    *,
    gemeenten: Iterable[str],
    regios: Iterable[str],
    indicatoren: Iterable[str],
    perioden: Iterable[PeriodeCode],
    keuze: Periodekeuze,
    statussen: frozenset[str],
    mag_onvoltooid: bool = False,
) -> dt.datetime | None:
    """When the newest of the shown figures last changed (only periods whose figures are
    shown: with a delivery in the statuses, or all when no delivery exists at all)."""
    codes = {p.code for p in perioden} | {d.code for p in perioden for d in p.nakomelingen()}
    per_periode = opslag.laatst_gewijzigd_per_periode(
        gemeenten=gemeenten, regios=regios, indicatoren=indicatoren
    )
    # With no delivery at all, every stored figure counts: only for those who may see them.
    alle_vrij = mag_onvoltooid and not any(s in statussen for s in keuze.leveringen.values())
    tijden = [
        laatst
        for periode_id, laatst in per_periode.items()
        if periode_id in codes and (alle_vrij or keuze.leveringen.get(periode_id) in statussen)
    ]
    return max(tijden, default=None)


def bronnen_van(antwoorden: Iterable[Cijfer]) -> tuple[str, ...]:
    return tuple(sorted({bron for c in antwoorden for bron in c.bronnen}))


def lees_streefwaarden(
    regio_codes: Iterable[str], indicatoren: Iterable[str]
) -> list[Streefwaarde]:
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


def landelijke_cijfers(
    inzage: Inzage, indicatoren: Iterable[str], perioden: Iterable[PeriodeCode], regio_code: str
) -> Cijfers | None:
    """The country's figures under the viewer's policy (approved figures of every region;
    disclosure-controlled unless the viewer holds a role in the country). None on the country's
    own dashboard, or when the country (NL01) is not registered."""
    if regio_code == LANDELIJK or not Regio.objects.filter(code=LANDELIJK).exists():
        return None
    return cijfers(inzage=inzage, indicatoren=indicatoren, gebieden=[LANDELIJK], perioden=perioden)


def maak_kerncijfers(
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
        halfjaar = _landelijk_halfjaar(landelijk, antwoorden, rate, gebied, periode)
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
                **halfjaar,
            )
        )
    return resultaat


def _landelijk_halfjaar(
    landelijk: Cijfers | None, antwoorden: Cijfers, rate: str, gebied: str, periode: PeriodeCode
) -> dict:
    """The country's rate in the half-year of a quarter it has no figure for, with the area's
    own rate in that half-year; when CBS has not published that half-year yet, the newest
    earlier one it has (`landelijke_halfjaren`). {} where the quarter has a figure of its own,
    or none of those half-years has one."""
    if landelijk is None or periode.soort != KWARTAAL:
        return {}
    if not landelijk.get(rate, LANDELIJK, periode).ontbreekt_geheel:
        return {}
    for halfjaar in landelijke_halfjaren(periode):
        antwoord = landelijk.antwoorden.get((rate, LANDELIJK, halfjaar.code))
        if antwoord is not None and not antwoord.ontbreekt_geheel:
            return {
                "halfjaar": halfjaar,
                "halfjaar_zonder": None if halfjaar.bevat(periode) else periode.bovenliggende()[0],
                "landelijk_halfjaar": antwoord,
                "eigen_halfjaar": antwoorden.antwoorden.get((rate, gebied, halfjaar.code)),
            }
    return {}


def maak_normcijfers(
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


def maak_reeks(
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


def heeft_cijfers(reeks: Reeks) -> bool:
    """The series has at least one figure (a secret one counts): worth a line in a chart."""
    return any(not c.ontbreekt_geheel for c in reeks.cijfers)


def zonder_lege_begin(
    perioden: list[PeriodeCode], antwoorden: Cijfers, gebied: str, codes: Iterable[str]
) -> list[PeriodeCode]:
    """Drop leading periods in which none of the indicators has a figure (secret counts)."""
    codes = list(codes)
    for index, periode in enumerate(perioden):
        if any(not antwoorden.get(c, gebied, periode).ontbreekt_geheel for c in codes):
            return perioden[index:]
    return perioden[-1:]
