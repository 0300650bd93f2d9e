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
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from monitoring.choices import STATUS_ERNST, Aggregatie, WaarnemingStatus
from monitoring.models import Gegevenslevering, Indicator, Waarneming
from regioaanpak.models import Gemeente, Inwonertal, Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode

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
        self,
        indicatoren: list[str],
        gebieden: list[str],
        perioden: list[PeriodeCode],
        leveringstatussen: frozenset[str] | None = None,
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
        # Two halves joined with UNION ALL rather than one OR: each half can use its own
        # (indicator, area, period) unique index, which the OR prevents on PostgreSQL.
        velden = (
            "indicator_id",
            "gemeente_id",
            "regio_id",
            "periode_id",
            "waarde",
            "status",
            "bron",
        )
        basis_qs = Waarneming.objects.filter(indicator__in=basis, periode__in=periode_codes)
        rijen = (
            basis_qs.filter(self._gemeente_filter(gemeente_codes))
            .order_by()
            .values_list(*velden)
            .union(
                basis_qs.filter(regio__in=list(self.regios)).order_by().values_list(*velden),
                all=True,
            )
        )
        vrijgegeven = (
            None
            if leveringstatussen is None
            else self._vrijgegeven(leveringstatussen, periode_codes, gemeente_codes)
        )
        for indicator_id, gemeente_id, regio_id, periode_id, waarde, status, bron in rijen:
            if vrijgegeven is not None and (gemeente_id or regio_id, periode_id) not in vrijgegeven:
                continue
            if status == WaarnemingStatus.GEHEIM:
                waarde = None
            self.waarnemingen[(indicator_id, gemeente_id or regio_id, periode_id)] = _Deel(
                waarde, status, False, frozenset({bron}) if bron else frozenset()
            )

        jaren = {p.jaar for p in perioden}
        self.inwonertallen = {
            (gemeente_id, jaar): aantal
            for gemeente_id, jaar, aantal in Inwonertal.objects.filter(
                self._gemeente_filter(gemeente_codes), jaar__in=jaren
            ).values_list("gemeente_id", "jaar", "aantal")
        }
        self._geheugen: dict[tuple, _Deel | list[str]] = {}

    @staticmethod
    def _vrijgegeven(
        statussen: frozenset[str], periode_codes: set[str], gemeente_codes: set[str]
    ) -> set[tuple[str, str]]:
        """(area, period) pairs whose figures belong to a delivery in one of the statuses.

        A municipality's figure counts when a region it was a member of in that period has such
        a delivery for that period; a region's own figure when that region has one. Only the
        memberships of the municipalities this call needs are read."""
        leveringen = list(
            Gegevenslevering.objects.filter(
                workflow_status__in=statussen, periode__in=periode_codes
            ).values_list("regio_id", "periode_id")
        )
        vrij = set(leveringen)
        perioden_per_regio: dict[str, list[PeriodeCode]] = defaultdict(list)
        for regio_id, periode_id in leveringen:
            perioden_per_regio[regio_id].append(PeriodeCode.parse(periode_id))
        if perioden_per_regio:
            leden = Lidmaatschap.objects.filter(
                regio__in=list(perioden_per_regio), gemeente__in=gemeente_codes
            )
            for lid in leden:
                for periode in perioden_per_regio[lid.regio_id]:
                    if lid.geldig_in(periode.begindatum, periode.einddatum):
                        vrij.add((lid.gemeente_id, periode.code))
        return vrij

    def _gemeente_filter(self, gemeente_codes: set[str]) -> Q:
        """Filter on the municipalities needed; for the whole country (every municipality) a
        NOT NULL test is the same set and spares compiling an IN list of 351 codes."""
        if gemeente_codes >= self.gemeenten.keys():
            return Q(gemeente__isnull=False)
        return Q(gemeente__in=gemeente_codes)

    # -- areas ----------------------------------------------------------------------------------
    def _bestaat(self, gemeente: str, begin: dt.date, eind: dt.date) -> bool:
        return self.gemeenten[gemeente].bestaat_in(begin, eind)

    def _leden_in(self, regio: str, periode: PeriodeCode) -> list[str]:
        sleutel = ("leden", regio, periode.code)
        if sleutel not in self._geheugen:
            begin, eind = periode.begindatum, periode.einddatum
            self._geheugen[sleutel] = sorted(
                {
                    lid.gemeente_id
                    for lid in self.leden[regio]
                    if lid.geldig_in(begin, eind) and self._bestaat(lid.gemeente_id, begin, eind)
                }
            )
        return self._geheugen[sleutel]

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
    # Population on 1 January per (area, period), only when asked for (`met_inwoners`).
    inwoners: dict[tuple[str, str], Decimal | None] = field(default_factory=dict)

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
    leveringstatussen: Iterable[str] | None = None,
    met_inwoners: bool = False,
) -> Cijfers:
    """Answer every combination of the given indicators, areas and periods.

    Areas are CBS municipality codes (GM0505) or region codes (VT24); periods CBS period codes.
    `leveringstatussen` limits the figures used to those of deliveries in these workflow states
    (e.g. only goedgekeurd for aldermen); None uses every stored figure. With `met_inwoners`
    the answer also holds the population of every area and period (for disclosure control).
    """
    indicator_codes = list(dict.fromkeys(_code(i) for i in indicatoren))
    gebied_codes = list(dict.fromkeys(_code(g) for g in gebieden))
    periode_codes = list(dict.fromkeys(PeriodeCode.parse(p) for p in perioden))
    resultaat = Cijfers()
    if not (indicator_codes and gebied_codes and periode_codes):
        return resultaat
    rekenaar = _Rekenaar(
        indicator_codes,
        gebied_codes,
        periode_codes,
        None if leveringstatussen is None else frozenset(leveringstatussen),
    )
    for indicator in indicator_codes:
        for gebied in gebied_codes:
            for periode in periode_codes:
                resultaat.antwoorden[(indicator, gebied, periode.code)] = rekenaar.cijfer(
                    indicator, gebied, periode
                )
    if met_inwoners:
        for gebied in gebied_codes:
            for periode in periode_codes:
                resultaat.inwoners[(gebied, periode.code)] = rekenaar.inwoners(
                    gebied, periode
                ).waarde
    return resultaat


def cijfer(
    indicator: str | Indicator,
    gebied: str | Gemeente | Regio,
    periode: str | PeriodeCode,
    leveringstatussen: Iterable[str] | None = None,
) -> Cijfer:
    """One answer; see `cijfers` for the rules."""
    return cijfers(
        indicatoren=[indicator],
        gebieden=[gebied],
        perioden=[periode],
        leveringstatussen=leveringstatussen,
    ).get(_code(indicator), _code(gebied), str(PeriodeCode.parse(periode)))


def inwoners(gebied: str | Gemeente | Regio, periode: str | PeriodeCode) -> Decimal | None:
    """The population on 1 January of the period's year, summed over the members then."""
    code = _code(gebied)
    periode = PeriodeCode.parse(periode)
    rekenaar = _Rekenaar([], [code], [periode])
    return rekenaar.inwoners(code, periode).waarde
