"""The one figure selector: "indicator I for area A in period P".

Dashboards, reports and the API read every figure through `cijfers()` / `cijfer()`, so the
same question always gets the same number. Rules (DESIGN.md, "Rules of the domain"):

- A stored figure for exactly (indicator, area, period) wins.
- Otherwise periods roll up: quarters -> half-year -> year ('som' adds, 'gemiddelde' averages,
  'laatste' takes the last part). A municipality's figure only counts the parts of the period in
  which it existed.
- Otherwise, for 'som' indicators, a region adds up the municipalities that were its members in
  that period, and a municipality formed by a merger adds up its predecessors for the periods
  before it existed.
- Derived indicators (percentages, rates per 1.000 / 100.000 inwoners) are computed from the
  rolled-up counts and the population on 1 January; they are never averaged.
- Missing is None, never 0: a roll-up with a missing part is missing as a whole. A part that is
  secret (status geheim) makes the result secret; a provisional part makes it provisional.

All data needed for one call is read in a fixed number of queries, whatever the number of
areas and periods asked for; the arithmetic happens in Python.

Below the figure selector: the reads of the entry grid per region and period (`gegevensgrid*`),
which take the previous periods through `cijfers()` too, and its soft checks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from monitoring.choices import STATUS_ERNST, Aggregatie, Eenheid, WaarnemingStatus
from monitoring.models import Gegevenslevering, Indicator, Waarneming
from regioaanpak.models import AuditRegel, Gemeente, Inwonertal, Lidmaatschap, Regio
from regioaanpak.perioden import HALFJAAR, JAAR, KWARTAAL, PeriodeCode

VIER_DECIMALEN = Decimal("0.0001")
MAX_ONTBREKEND = 5


@dataclass(frozen=True, slots=True)
class Cijfer:
    """The answer to one question. `waarde` is None when missing or secret."""

    indicator: str
    gebied: str
    periode: str
    waarde: Decimal | None
    status: str | None = None
    samengesteld: bool = False
    bronnen: tuple[str, ...] = ()
    ontbreekt: tuple[str, ...] = ()

    @property
    def is_geheim(self) -> bool:
        return self.status == WaarnemingStatus.GEHEIM

    @property
    def is_voorlopig(self) -> bool:
        return self.status == WaarnemingStatus.VOORLOPIG

    @property
    def ontbreekt_geheel(self) -> bool:
        """No figure at all (as opposed to a secret one)."""
        return self.waarde is None and not self.is_geheim


@dataclass(frozen=True, slots=True)
class _Deel:
    waarde: Decimal | None
    status: str | None
    samengesteld: bool = False
    bronnen: frozenset[str] = frozenset()
    ontbreekt: tuple[str, ...] = ()

    @property
    def bekend(self) -> bool:
        return self.waarde is not None or self.status == WaarnemingStatus.GEHEIM


def _ontbrekend(*omschrijving: str) -> _Deel:
    return _Deel(None, None, ontbreekt=tuple(omschrijving)[:MAX_ONTBREKEND])


def _ergste_status(statussen: Iterable[str | None]) -> str:
    return max(
        (s or WaarnemingStatus.DEFINITIEF for s in statussen),
        key=lambda s: STATUS_ERNST[s],
        default=WaarnemingStatus.DEFINITIEF,
    )


def _combineer(delen: list[_Deel], aggregatie: str) -> _Deel:
    """Combine known parts; a secret part makes the whole secret."""
    status = _ergste_status(d.status for d in delen)
    bronnen = frozenset().union(*(d.bronnen for d in delen))
    if status == WaarnemingStatus.GEHEIM:
        return _Deel(None, status, True, bronnen)
    waarden = [d.waarde for d in delen]
    if aggregatie == Aggregatie.SOM:
        totaal = sum(waarden, Decimal(0))
    elif aggregatie == Aggregatie.GEMIDDELDE:
        totaal = (sum(waarden, Decimal(0)) / len(waarden)).quantize(VIER_DECIMALEN, ROUND_HALF_UP)
    else:  # laatste: the parts come in period order
        totaal = waarden[-1]
    return _Deel(totaal, status, True, bronnen)


class _Rekenaar:
    """Holds the prefetched data of one call and computes answers with memoisation."""

    def __init__(
        self, indicatoren: list[str], gebieden: list[str], perioden: list[PeriodeCode]
    ) -> None:
        self.indicatoren = {i.code: i for i in Indicator.objects.select_related("teller", "noemer")}
        onbekend = [code for code in indicatoren if code not in self.indicatoren]
        if onbekend:
            raise ValueError(f"Onbekende indicator: {', '.join(onbekend)}")

        self.gemeenten = {g.cbs_code: g for g in Gemeente.objects.all()}
        self.voorgangers: dict[str, list[str]] = defaultdict(list)
        for gemeente in self.gemeenten.values():
            if gemeente.opgevolgd_door_id:
                self.voorgangers[gemeente.opgevolgd_door_id].append(gemeente.cbs_code)

        gevraagde_regios = [g for g in gebieden if g not in self.gemeenten]
        self.regios = {r.code: r for r in Regio.objects.filter(code__in=gevraagde_regios)}
        onbekend = [g for g in gevraagde_regios if g not in self.regios]
        if onbekend:
            raise ValueError(f"Onbekend gebied: {', '.join(onbekend)}")

        self.leden: dict[str, list[Lidmaatschap]] = defaultdict(list)
        for lid in Lidmaatschap.objects.filter(regio__in=self.regios).order_by("gemeente_id"):
            self.leden[lid.regio_id].append(lid)

        # Every municipality whose figures may be needed: asked for, members, predecessors.
        gemeente_codes = {g for g in gebieden if g in self.gemeenten}
        gemeente_codes |= {lid.gemeente_id for leden in self.leden.values() for lid in leden}
        nog = list(gemeente_codes)
        while nog:
            for voorganger in self.voorgangers.get(nog.pop(), ()):
                if voorganger not in gemeente_codes:
                    gemeente_codes.add(voorganger)
                    nog.append(voorganger)

        basis = set()
        for code in indicatoren:
            indicator = self.indicatoren[code]
            if indicator.is_afgeleid:
                basis.add(indicator.teller_id)
                if indicator.noemer_id:
                    basis.add(indicator.noemer_id)
            else:
                basis.add(code)
        periode_codes = {p.code for p in perioden} | {
            n.code for p in perioden for n in p.nakomelingen()
        }

        self.waarnemingen: dict[tuple[str, str, str], _Deel] = {}
        rijen = (
            Waarneming.objects.filter(
                Q(gemeente__in=gemeente_codes) | Q(regio__in=self.regios),
                indicator__in=basis,
                periode__in=periode_codes,
            )
            .order_by()
            .values_list(
                "indicator_id", "gemeente_id", "regio_id", "periode_id", "waarde", "status", "bron"
            )
        )
        for indicator_id, gemeente_id, regio_id, periode_id, waarde, status, bron in rijen:
            if status == WaarnemingStatus.GEHEIM:
                waarde = None
            self.waarnemingen[(indicator_id, gemeente_id or regio_id, periode_id)] = _Deel(
                waarde, status, False, frozenset({bron}) if bron else frozenset()
            )

        jaren = {p.jaar for p in perioden}
        self.inwonertallen = {
            (gemeente_id, jaar): aantal
            for gemeente_id, jaar, aantal in Inwonertal.objects.filter(
                gemeente__in=gemeente_codes, jaar__in=jaren
            ).values_list("gemeente_id", "jaar", "aantal")
        }
        self._geheugen: dict[tuple, _Deel] = {}

    # -- areas ----------------------------------------------------------------------------------
    def _bestaat(self, gemeente: str, begin: dt.date, eind: dt.date) -> bool:
        return self.gemeenten[gemeente].bestaat_in(begin, eind)

    def _leden_in(self, regio: str, periode: PeriodeCode) -> list[str]:
        begin, eind = periode.begindatum, periode.einddatum
        return sorted(
            {
                lid.gemeente_id
                for lid in self.leden[regio]
                if lid.geldig_in(begin, eind) and self._bestaat(lid.gemeente_id, begin, eind)
            }
        )

    def _voorgangers_in(self, gemeente: str, periode: PeriodeCode) -> list[str] | None:
        """Predecessors to add up when the municipality did not exist yet in the period."""
        begin = self.gemeenten[gemeente].geldig_van
        if begin is None or begin <= periode.einddatum or not self.voorgangers.get(gemeente):
            return None
        return [
            v
            for v in sorted(self.voorgangers[gemeente])
            if self._bestaat(v, periode.begindatum, periode.einddatum) or self.voorgangers.get(v)
        ]

    # -- measured indicators --------------------------------------------------------------------
    def basis(self, indicator: Indicator, gebied: str, periode: PeriodeCode) -> _Deel:
        sleutel = (indicator.code, gebied, periode.code)
        if sleutel not in self._geheugen:
            self._geheugen[sleutel] = self._bereken_basis(indicator, gebied, periode)
        return self._geheugen[sleutel]

    def _bereken_basis(self, indicator: Indicator, gebied: str, periode: PeriodeCode) -> _Deel:
        direct = self.waarnemingen.get((indicator.code, gebied, periode.code))
        if direct is not None:
            return direct
        is_gemeente = gebied in self.gemeenten
        pogingen: list[_Deel] = []

        onderdelen = list(periode.onderdelen())
        if onderdelen:
            if is_gemeente:
                onderdelen = [
                    p for p in onderdelen if self._bestaat(gebied, p.begindatum, p.einddatum)
                ]
            if onderdelen:
                pogingen.append(
                    self._rol_op(
                        [self.basis(indicator, gebied, p) for p in onderdelen],
                        indicator.aggregatie,
                    )
                )
                if pogingen[-1].bekend:
                    return pogingen[-1]

        if indicator.aggregatie == Aggregatie.SOM:
            if not is_gemeente:
                leden = self._leden_in(gebied, periode)
                if not leden:
                    return _ontbrekend(f"{gebied} had geen gemeenten in {periode.code}")
                pogingen.append(
                    self._rol_op([self.basis(indicator, g, periode) for g in leden], Aggregatie.SOM)
                )
            else:
                voorgangers = self._voorgangers_in(gebied, periode)
                if voorgangers:
                    pogingen.append(
                        self._rol_op(
                            [self.basis(indicator, v, periode) for v in voorgangers],
                            Aggregatie.SOM,
                        )
                    )
            if pogingen and pogingen[-1].bekend:
                return pogingen[-1]

        if pogingen:
            return pogingen[0]
        return _ontbrekend(f"{gebied} {periode.code}")

    @staticmethod
    def _rol_op(delen: list[_Deel], aggregatie: str) -> _Deel:
        if aggregatie == Aggregatie.LAATSTE:
            delen = delen[-1:]
        ontbrekend = [d for d in delen if not d.bekend]
        if ontbrekend:
            redenen = tuple(r for d in ontbrekend for r in d.ontbreekt)
            return _ontbrekend(*redenen)
        return _combineer(delen, aggregatie)

    # -- population -----------------------------------------------------------------------------
    def inwoners(self, gebied: str, periode: PeriodeCode) -> _Deel:
        sleutel = ("inwoners", gebied, periode.code)
        if sleutel not in self._geheugen:
            self._geheugen[sleutel] = self._bereken_inwoners(gebied, periode)
        return self._geheugen[sleutel]

    def _bereken_inwoners(self, gebied: str, periode: PeriodeCode) -> _Deel:
        jaar = periode.jaar
        if gebied in self.gemeenten:
            aantal = self.inwonertallen.get((gebied, jaar))
            if aantal is not None:
                return _Deel(Decimal(aantal), WaarnemingStatus.DEFINITIEF)
            voorgangers = self._voorgangers_in(gebied, periode)
            if voorgangers:
                return self._rol_op([self.inwoners(v, periode) for v in voorgangers], "som")
            return _ontbrekend(f"inwonertal {gebied} {jaar}")
        leden = self._leden_in(gebied, periode)
        if not leden:
            return _ontbrekend(f"{gebied} had geen gemeenten in {periode.code}")
        return self._rol_op([self.inwoners(g, periode) for g in leden], Aggregatie.SOM)

    # -- any indicator --------------------------------------------------------------------------
    def cijfer(self, code: str, gebied: str, periode: PeriodeCode) -> Cijfer:
        indicator = self.indicatoren[code]
        if indicator.is_afgeleid:
            deel = self._afgeleid(indicator, gebied, periode)
        else:
            deel = self.basis(indicator, gebied, periode)
        return Cijfer(
            indicator=code,
            gebied=gebied,
            periode=periode.code,
            waarde=deel.waarde,
            status=deel.status,
            samengesteld=deel.samengesteld,
            bronnen=tuple(sorted(deel.bronnen)),
            ontbreekt=deel.ontbreekt,
        )

    def _afgeleid(self, indicator: Indicator, gebied: str, periode: PeriodeCode) -> _Deel:
        teller = self.basis(indicator.teller, gebied, periode)
        if indicator.per_inwoners:
            noemer = self.inwoners(gebied, periode)
        else:
            noemer = self.basis(indicator.noemer, gebied, periode)
        ontbrekend = [d for d in (teller, noemer) if not d.bekend]
        if ontbrekend:
            return _ontbrekend(*(r for d in ontbrekend for r in d.ontbreekt))
        status = _ergste_status((teller.status, noemer.status))
        bronnen = teller.bronnen | noemer.bronnen
        if status == WaarnemingStatus.GEHEIM:
            return _Deel(None, status, True, bronnen)
        if noemer.waarde == 0:
            return _ontbrekend(f"noemer is nul voor {gebied} {periode.code}")
        waarde = (teller.waarde / noemer.waarde * indicator.factor).quantize(
            VIER_DECIMALEN, ROUND_HALF_UP
        )
        return _Deel(waarde, status, True, bronnen)


@dataclass
class Cijfers:
    """Answers keyed by (indicator code, area code, period code)."""

    antwoorden: dict[tuple[str, str, str], Cijfer] = field(default_factory=dict)

    def get(self, indicator: str, gebied: str, periode: str | PeriodeCode) -> Cijfer:
        return self.antwoorden[(indicator, gebied, str(periode))]

    def __iter__(self):
        return iter(self.antwoorden.values())

    def __len__(self) -> int:
        return len(self.antwoorden)


def _code(item) -> str:
    if isinstance(item, str):
        return item
    return str(item.pk)


def cijfers(
    *,
    indicatoren: Iterable[str | Indicator],
    gebieden: Iterable[str | Gemeente | Regio],
    perioden: Iterable[str | PeriodeCode],
) -> Cijfers:
    """Answer every combination of the given indicators, areas and periods.

    Areas are CBS municipality codes (GM0505) or region codes (VT24); periods CBS period codes.
    """
    indicator_codes = list(dict.fromkeys(_code(i) for i in indicatoren))
    gebied_codes = list(dict.fromkeys(_code(g) for g in gebieden))
    periode_codes = list(dict.fromkeys(PeriodeCode.parse(p) for p in perioden))
    resultaat = Cijfers()
    if not (indicator_codes and gebied_codes and periode_codes):
        return resultaat
    rekenaar = _Rekenaar(indicator_codes, gebied_codes, periode_codes)
    for indicator in indicator_codes:
        for gebied in gebied_codes:
            for periode in periode_codes:
                resultaat.antwoorden[(indicator, gebied, periode.code)] = rekenaar.cijfer(
                    indicator, gebied, periode
                )
    return resultaat


def cijfer(
    indicator: str | Indicator, gebied: str | Gemeente | Regio, periode: str | PeriodeCode
) -> Cijfer:
    """One answer; see `cijfers` for the rules."""
    return cijfers(indicatoren=[indicator], gebieden=[gebied], perioden=[periode]).get(
        _code(indicator), _code(gebied), str(PeriodeCode.parse(periode))
    )


def inwoners(gebied: str | Gemeente | Regio, periode: str | PeriodeCode) -> Decimal | None:
    """The population on 1 January of the period's year, summed over the members then."""
    code = _code(gebied)
    periode = PeriodeCode.parse(periode)
    rekenaar = _Rekenaar([], [code], [periode])
    return rekenaar.inwoners(code, periode).waarde


# -- the entry grid of figures per region and period --------------------------------------------
# Soft checks of a value against history and against the region (the grid asks for a comment).
HISTORIE_PERIODEN = 8
MIN_HISTORIE = 4
AANTAL_SD = Decimal(3)
FACTOR_REGIO = Decimal(3)
MIN_AANTAL_REGIOVERGELIJKING = Decimal(10)
PERIODEN_MEERVOUD = {KWARTAAL: "kwartalen", HALFJAAR: "halfjaren", JAAR: "jaren"}
MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def getal_nl(waarde: Decimal, decimalen: int | None = None) -> str:
    """A number the Dutch way for reading: 6.453 / 41,3 (never rounded unless asked)."""
    if decimalen is not None:
        waarde = waarde.quantize(Decimal(1).scaleb(-decimalen), ROUND_HALF_UP)
    else:
        waarde = waarde.normalize()
    tekst = f"{waarde:,f}"
    return tekst.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def datum_nl(datum: dt.date) -> str:
    """'1 januari 2020', independent of the active translation (management commands)."""
    return f"{datum.day} {MAANDEN[datum.month - 1]} {datum.year}"


def tijdstip_nl(tijdstip: dt.datetime) -> str:
    """'3 mei 2022 om 14:05' in the site's time zone."""
    lokaal = timezone.localtime(tijdstip)
    return f"{datum_nl(lokaal.date())} om {lokaal:%H:%M}"


@dataclass
class GridContext:
    """What the grid of one region and period shows and checks, read in a fixed number of queries.

    Rows are the municipalities that were members in the period, plus the region itself (for
    figures not known per municipality); columns the measured indicators.
    """

    regio: Regio
    periode: PeriodeCode
    leden: list[Gemeente]
    indicatoren: list[Indicator]
    bestaand: dict[tuple[str, str], Waarneming]  # (gebied, indicator) -> stored figure
    antwoorden: Cijfers  # this period and the 8 before, through the figure selector
    inwoners: dict[str, int]  # population on 1 January of the period's year
    looptijden: list[tuple[dt.date, dt.date]]

    @property
    def gebieden(self) -> list[str]:
        return [g.cbs_code for g in self.leden] + [self.regio.code]

    @property
    def indicator_per_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicatoren}

    def _antwoord(self, gebied: str, indicator: str, periode: str) -> Cijfer | None:
        return self.antwoorden.antwoorden.get((indicator, gebied, periode))

    @cached_property
    def _eerdere_perioden(self) -> list[str]:
        return [self.periode.verschuif(-stap).code for stap in range(1, HISTORIE_PERIODEN + 1)]

    def huidig(self, gebied: str, indicator: str) -> Cijfer | None:
        """The figure of this period as dashboards show it (stored or rolled up)."""
        return self._antwoord(gebied, indicator, self.periode.code)

    def vorige(self, gebied: str, indicator: str) -> Cijfer | None:
        """The previous period's figure, as dashboards show it."""
        return self._antwoord(gebied, indicator, self._eerdere_perioden[0])

    def historie(self, gebied: str, indicator: str) -> list[Decimal]:
        """Known values of the previous periods of the same type (newest first)."""
        waarden = []
        for periode in self._eerdere_perioden:
            antwoord = self._antwoord(gebied, indicator, periode)
            if antwoord is not None and antwoord.waarde is not None:
                waarden.append(antwoord.waarde)
        return waarden

    def looptijd_fout(self) -> str | None:
        return buiten_looptijd(self.periode, self.looptijden)


def regioaanpak_looptijden(regio: Regio) -> list[tuple[dt.date, dt.date]]:
    """The terms (looptijd van, tot en met) of the region's regioaanpakken, oldest first."""
    from actielijnen.models import Regioaanpak

    return list(
        Regioaanpak.objects.filter(regio=regio)
        .order_by("looptijd_van")
        .values_list("looptijd_van", "looptijd_tot")
    )


def buiten_looptijd(periode: PeriodeCode, looptijden: list[tuple[dt.date, dt.date]]) -> str | None:
    """Why figures cannot be entered for this period: it lies outside every term.

    A region without a registered regioaanpak has no term to check against.
    """
    if not looptijden:
        return None
    begin, eind = periode.begindatum, periode.einddatum
    if any(van <= eind and begin <= tot for van, tot in looptijden):
        return None
    termijnen = "; ".join(f"{datum_nl(van)} tot en met {datum_nl(tot)}" for van, tot in looptijden)
    wat = "de regioaanpak" if len(looptijden) == 1 else "de regioaanpakken"
    return f"{periode.code} valt buiten de looptijd van {wat} ({termijnen})."


def gegevensgrid_context(*, regio: Regio, periode: str | PeriodeCode) -> GridContext:
    """Members, measured indicators, stored figures, history and populations of one grid."""
    periode = PeriodeCode.parse(periode)
    lidmaatschappen = (
        Lidmaatschap.objects.filter(regio=regio)
        .geldig_in(periode.begindatum, periode.einddatum)
        .select_related("gemeente")
        .order_by("gemeente__naam", "gemeente_id")
    )
    leden = list(dict.fromkeys(lid.gemeente for lid in lidmaatschappen))
    codes = [g.cbs_code for g in leden]
    indicatoren = list(Indicator.objects.gemeten().order_by("volgorde", "code"))
    bestaand = {
        (w.gemeente_id or w.regio_id, w.indicator_id): w
        for w in Waarneming.objects.filter(
            Q(gemeente__in=codes) | Q(regio=regio), periode_id=periode.code
        ).order_by()
    }
    perioden = [periode] + [periode.verschuif(-stap) for stap in range(1, HISTORIE_PERIODEN + 1)]
    antwoorden = cijfers(
        indicatoren=[i.code for i in indicatoren],
        gebieden=[*codes, regio.code],
        perioden=perioden,
    )
    inwoners_per_gemeente = dict(
        Inwonertal.objects.filter(gemeente__in=codes, jaar=periode.jaar).values_list(
            "gemeente_id", "aantal"
        )
    )
    return GridContext(
        regio=regio,
        periode=periode,
        leden=leden,
        indicatoren=indicatoren,
        bestaand=bestaand,
        antwoorden=antwoorden,
        inwoners=inwoners_per_gemeente,
        looptijden=regioaanpak_looptijden(regio),
    )


def afwijking_van_historie(
    waarde: Decimal, historie: list[Decimal], soort: str = KWARTAAL
) -> str | None:
    """A warning when the value lies more than 3 standard deviations from its own history."""
    if len(historie) < MIN_HISTORIE:
        return None
    # Sample standard deviation in Decimal arithmetic (the statistics module is slow on Decimals).
    gemiddeld = sum(historie, Decimal(0)) / len(historie)
    variantie = sum(((x - gemiddeld) ** 2 for x in historie), Decimal(0)) / (len(historie) - 1)
    sd = variantie.sqrt()
    if sd == 0 or abs(waarde - gemiddeld) <= AANTAL_SD * sd:
        return None
    return (
        f"Wijkt sterk af van de vorige {HISTORIE_PERIODEN} {PERIODEN_MEERVOUD[soort]} "
        f"(gemiddeld {getal_nl(gemiddeld, 1)})"
    )


def afwijking_van_regio(
    aantal: Decimal, inwoners: int, regio_aantal: Decimal, regio_inwoners: int
) -> str | None:
    """A warning when a count per 1.000 inwoners is over 3 times above or below the region's."""
    if aantal < MIN_AANTAL_REGIOVERGELIJKING or not inwoners or not regio_inwoners:
        return None
    eigen = aantal / inwoners * 1000
    regio = regio_aantal / regio_inwoners * 1000
    if regio <= 0:
        return None
    if eigen > FACTOR_REGIO * regio:
        hoe = "meer dan 3 keer zo hoog als"
    elif eigen * FACTOR_REGIO < regio:
        hoe = "minder dan een derde van"
    else:
        return None
    return f"Per 1.000 inwoners {getal_nl(eigen, 1)}: {hoe} in de hele regio ({getal_nl(regio, 1)})"


def gegevensgrid_afwijkingen(
    *, context: GridContext, waarden: Mapping[tuple[str, str], Decimal | None]
) -> dict[tuple[str, str], str]:
    """Warnings per cell for the given values (gebied, indicator) -> value.

    (a) more than 3 standard deviations from the area's own last 8 periods of the same type
    (with at least 4 of them known and a spread above 0); (b) for counts of a municipality: its
    rate per 1.000 inwoners more than a factor 3 above or below the region's rate in the same
    grid (count at least 10, populations known).
    """
    indicatoren = context.indicator_per_code
    leden = {g.cbs_code for g in context.leden}
    # The region's rate per count indicator, from the municipalities in this very grid.
    regio_totaal: dict[str, tuple[Decimal, int]] = {}
    for (gebied, code), waarde in waarden.items():
        if waarde is None or gebied not in leden or gebied not in context.inwoners:
            continue
        if indicatoren.get(code) is None or indicatoren[code].eenheid != Eenheid.AANTAL:
            continue
        aantal, inwoners_totaal = regio_totaal.get(code, (Decimal(0), 0))
        regio_totaal[code] = (aantal + waarde, inwoners_totaal + context.inwoners[gebied])

    meldingen: dict[tuple[str, str], str] = {}
    for (gebied, code), waarde in waarden.items():
        indicator = indicatoren.get(code)
        if waarde is None or indicator is None:
            continue
        teksten = []
        historisch = afwijking_van_historie(
            waarde, context.historie(gebied, code), context.periode.soort
        )
        if historisch:
            teksten.append(historisch)
        if (
            indicator.eenheid == Eenheid.AANTAL
            and gebied in leden
            and gebied in context.inwoners
            and code in regio_totaal
        ):
            regionaal = afwijking_van_regio(waarde, context.inwoners[gebied], *regio_totaal[code])
            if regionaal:
                teksten.append(regionaal)
        if teksten:
            meldingen[(gebied, code)] = ". ".join(teksten)
    return meldingen


def gegevenslevering_laatste_opslag(levering: Gegevenslevering | None) -> AuditRegel | None:
    """The newest audit entry of the delivery: who saved (or moved) it last, and when."""
    if levering is None or levering.pk is None:
        return None
    return (
        AuditRegel.objects.filter(
            object_type=Gegevenslevering._meta.label_lower, object_id=str(levering.pk)
        )
        .select_related("gebruiker")
        .order_by("-tijdstip", "-id")
        .first()
    )


MAX_GESCHIEDENIS = 200


def gegevenslevering_geschiedenis(
    *, levering: Gegevenslevering | None, waarneming_ids: Iterable[int]
) -> list[AuditRegel]:
    """Audit entries of the delivery and of its figures, newest first (at most 200)."""
    voorwaarde = Q(
        object_type=Waarneming._meta.label_lower,
        object_id__in=[str(pk) for pk in waarneming_ids],
    )
    if levering is not None and levering.pk is not None:
        voorwaarde |= Q(object_type=Gegevenslevering._meta.label_lower, object_id=str(levering.pk))
    return list(
        AuditRegel.objects.filter(voorwaarde)
        .select_related("gebruiker")
        .order_by("-tijdstip", "-id")[:MAX_GESCHIEDENIS]
    )


@dataclass
class Gegevensgrid:
    """Everything the grid page shows."""

    context: GridContext
    levering: Gegevenslevering | None
    laatste_opslag: AuditRegel | None
    geschiedenis: list[AuditRegel]
    afwijkingen: dict[tuple[str, str], str]

    @property
    def versie(self) -> int:
        """The version the form is based on; 0 while the delivery does not exist yet."""
        return self.levering.versie if self.levering is not None else 0


def gegevensgrid(*, regio: Regio, periode: str | PeriodeCode) -> Gegevensgrid:
    """The grid of one region and period with its delivery, warnings and history."""
    context = gegevensgrid_context(regio=regio, periode=periode)
    levering = (
        Gegevenslevering.objects.select_related("regio", "ingediend_door", "beoordeeld_door")
        .filter(regio=regio, periode_id=context.periode.code)
        .first()
    )
    waarden = {
        sleutel: w.waarde
        for sleutel, w in context.bestaand.items()
        if w.waarde is not None and w.status != WaarnemingStatus.GEHEIM
    }
    geschiedenis = gegevenslevering_geschiedenis(
        levering=levering, waarneming_ids=[w.pk for w in context.bestaand.values()]
    )
    laatste = next(
        (r for r in geschiedenis if r.object_type == Gegevenslevering._meta.label_lower), None
    )
    if laatste is None and levering is not None and len(geschiedenis) == MAX_GESCHIEDENIS:
        laatste = gegevenslevering_laatste_opslag(levering)
    return Gegevensgrid(
        context=context,
        levering=levering,
        laatste_opslag=laatste,
        geschiedenis=geschiedenis,
        afwijkingen=gegevensgrid_afwijkingen(context=context, waarden=waarden),
    )


def gegevenslevering_versie(*, regio: Regio, periode: str | PeriodeCode) -> int:
    """The delivery's current version (0 when there is none yet)."""
    periode = PeriodeCode.parse(periode)
    versie = (
        Gegevenslevering.objects.filter(regio=regio, periode_id=periode.code)
        .values_list("versie", flat=True)
        .first()
    )
    return versie or 0
