"""The arithmetic behind the figure selector: raw roll-ups over periods, areas and mergers.

One `Rekenaar` holds everything one call of `cijfers()` needs, read in a fixed number of
queries, and computes answers with memoisation (see `cijfers.py` for the rules). It only ever
sees the figures the viewer policy releases: of a delivery in a state the policy shows for that
region. Disclosure control works on top of it (`geheimhouding.Afscherming`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from monitoring.choices import (
    STATUS_ERNST,
    Aggregatie,
    Bronkeuze,
    WaarnemingStatus,
    is_cbs_bron,
)
from monitoring.models import Indicator
from monitoring.selectors import opslag, sommentabel
from monitoring.selectors.optelling import INWONERS, Gebiedssom, gebiedssommen
from monitoring.selectors.organisaties import Vrijgave, aanleververdeling
from monitoring.selectors.referentie import referentie
from regioaanpak.choices import RegioSoort
from regioaanpak.inzage import GOEDGEKEURD, Inzage
from regioaanpak.models import Lidmaatschap
from regioaanpak.perioden import KWARTAAL, PeriodeCode
from regioaanpak.selectors import Ledenregister

VIER_DECIMALEN = Decimal("0.0001")
MAX_ONTBREKEND = 5


class BuitenBereik(Exception):
    """The question names a region or municipality outside the viewer's reach."""


@dataclass(frozen=True, slots=True)
class Deel:
    """A (partial) answer: the value, its status, whether it is rolled up, its sources."""

    waarde: Decimal | None
    status: str | None
    samengesteld: bool = False
    bronnen: frozenset[str] = frozenset()
    ontbreekt: tuple[str, ...] = ()
    geheimhouding: str | None = None

    @property
    def bekend(self) -> bool:
        return self.waarde is not None or self.status == WaarnemingStatus.GEHEIM


def van_cbs(deel: Deel) -> bool:
    """A figure CBS StatLine published, as it published it (not rolled up here)."""
    return bool(deel.bronnen) and not deel.samengesteld and all(map(is_cbs_bron, deel.bronnen))


def ontbrekend(*omschrijving: str) -> Deel:
    return Deel(None, None, ontbreekt=tuple(omschrijving)[:MAX_ONTBREKEND])


def ergste_status(statussen: Iterable[str | None]) -> str:
    return max(
        (s or WaarnemingStatus.DEFINITIEF for s in statussen),
        key=lambda s: STATUS_ERNST[s],
        default=WaarnemingStatus.DEFINITIEF,
    )


def _combineer(delen: list[Deel], aggregatie: str) -> Deel:
    """Combine known parts; a secret part makes the whole secret."""
    status = ergste_status(d.status for d in delen)
    bronnen = frozenset().union(*(d.bronnen for d in delen))
    if status == WaarnemingStatus.GEHEIM:
        return Deel(None, status, True, bronnen)
    waarden = [d.waarde for d in delen]
    if aggregatie == Aggregatie.SOM:
        totaal = sum(waarden, Decimal(0))
    elif aggregatie == Aggregatie.GEMIDDELDE:
        totaal = (sum(waarden, Decimal(0)) / len(waarden)).quantize(VIER_DECIMALEN, ROUND_HALF_UP)
    else:  # laatste: the parts come in period order
        totaal = waarden[-1]
    return Deel(totaal, status, True, bronnen)


def rol_op(delen: list[Deel], aggregatie: str) -> Deel:
    if aggregatie == Aggregatie.LAATSTE:
        delen = delen[-1:]
    ontbrekende = [d for d in delen if not d.bekend]
    if ontbrekende:
        return ontbrekend(*(r for d in ontbrekende for r in d.ontbreekt))
    return _combineer(delen, aggregatie)


def quotient(teller: Deel, noemer: Deel, factor: Decimal, waar: str) -> Deel:
    """A derived value from its teller and noemer: missing, secret or the exact quotient."""
    ontbrekende = [d for d in (teller, noemer) if not d.bekend]
    if ontbrekende:
        return ontbrekend(*(r for d in ontbrekende for r in d.ontbreekt))
    status = ergste_status((teller.status, noemer.status))
    bronnen = teller.bronnen | noemer.bronnen
    if status == WaarnemingStatus.GEHEIM:
        return Deel(None, status, True, bronnen)
    if noemer.waarde == 0:
        return ontbrekend(f"noemer is nul voor {waar}")
    waarde = (teller.waarde / noemer.waarde * factor).quantize(VIER_DECIMALEN, ROUND_HALF_UP)
    return Deel(waarde, status, True, bronnen)


class Rekenaar:
    """The prefetched data of one call under one viewer policy, and the raw roll-ups."""

    def __init__(
        self,
        indicatoren: list[str],
        gebieden: list[str],
        perioden: list[PeriodeCode],
        inzage: Inzage,
        *,
        in_database: bool | None = None,
        bronkeuze: str = Bronkeuze.VOORRANG,
    ) -> None:
        self.inzage = inzage
        self.bronkeuze = bronkeuze
        # CBS's published figures per (indicator, area, period): public statistics, so not
        # bound to a delivery; they answer only where the own figures give none (`basis`).
        self.cbs: dict[tuple[str, str, str], Deel] = {}
        # Regions add up their members in the database (optelling.py); False: in Python, member
        # by member (the reference the tests compare with).
        if in_database is None:
            in_database = settings.CIJFERS_OPTELLEN_IN_DATABASE
        self.in_database = in_database
        # Indicators, areas, memberships and population: the process's snapshot (referentie.py).
        ref = referentie()
        self.ref = ref
        self.indicatoren = ref.indicatoren
        onbekend = [code for code in indicatoren if code not in self.indicatoren]
        if onbekend:
            raise ValueError(f"Onbekende indicator: {', '.join(onbekend)}")

        self.gemeenten = ref.gemeenten
        self.voorgangers = ref.voorgangers

        gevraagde_regios = [g for g in gebieden if g not in self.gemeenten]
        self.regios = {c: ref.regios[c] for c in gevraagde_regios if c in ref.regios}
        onbekend = [g for g in gevraagde_regios if g not in self.regios]
        if onbekend:
            raise ValueError(f"Onbekend gebied: {', '.join(onbekend)}")
        # The members over time of every region the person reaches (on any channel): what this
        # request may answer (`lees`), what the person can know (`bekend`), raw values.
        self.bereik = (
            None
            if inzage.bekend is None
            else Ledenregister(inzage.bekend, lidmaatschappen=ref.leden)
        )
        self._bereik_gemeenten = None if self.bereik is None else self.bereik.gemeenten()
        self._controleer_bereik(gebieden)

        self.leden: dict[str, list[Lidmaatschap]] = {r: ref.leden.get(r, []) for r in self.regios}

        basis = set()
        for code in indicatoren:
            indicator = self.indicatoren[code]
            if indicator.is_afgeleid:
                basis.add(indicator.teller_id)
                if indicator.noemer_id:
                    basis.add(indicator.noemer_id)
            else:
                basis.add(code)
        alle_perioden = set(perioden) | {n for p in perioden for n in p.nakomelingen()}
        periode_codes = {p.code for p in alle_perioden}

        # Every municipality whose stored figures are read: asked for and their predecessors;
        # in Python also every member of the regions asked for, in the database only the members
        # within the person's reach of regions whose values are disclosure-controlled (the
        # secondary suppression looks at them one by one). The other members are read only
        # when a region's sum needs them (`_leden_lezen`).
        self._basis = basis
        # Rates CBS publishes itself: read for the fallback only (never delivered by a region).
        self._cbs_afgeleid = {c for c in indicatoren if self.indicatoren[c].is_afgeleid}
        self._periode_codes = periode_codes
        # Approved figures only, regions added up in PostgreSQL: the stored sums may answer
        # (sommentabel.py), at the state of their log read with the deliveries and checked
        # again with the figures (`_standen`; None: add up live).
        self._standen: dict[str, str] | None = None
        self._somrijen: list[tuple] | None = None
        self._opslag = bool(
            self.in_database
            and self.regios
            and bronkeuze != Bronkeuze.CBS
            and inzage.staten == GOEDGEKEURD
            and sommentabel.actief()
        )
        self._leveringen = self._vrije_leveringen(periode_codes, self._leverende_regios(gebieden))
        self._gelezen: set[str] = set()
        self._leden_gelezen = False
        self.waarnemingen: dict[tuple[str, str, str], Deel] = {}
        gemeente_codes = {g for g in gebieden if g in self.gemeenten}
        if self.in_database:
            gemeente_codes |= {
                lid.gemeente_id
                for regio, leden in self.leden.items()
                if not self.inzage.is_ruw(regio)
                for lid in leden
                if self.in_bereik(lid.gemeente_id)
            }
        else:
            gemeente_codes |= {lid.gemeente_id for leden in self.leden.values() for lid in leden}
            self._leden_gelezen = True
        self._lees(gemeente_codes, list(self.regios), met_stand=self._standen is not None)

        self.inwonertallen = self.ref.inwonertallen
        self.sommen: dict[tuple[str, str, str], Gebiedssom] = {}
        if self.in_database and self.regios and self.bronkeuze != Bronkeuze.CBS:
            self.sommen = gebiedssommen(
                indicatoren=[c for c in basis if self.indicatoren[c].aggregatie == Aggregatie.SOM],
                regios=list(self.regios),
                perioden=alle_perioden,
                vrij=self._leveringen,
                bereik=self._bereik_gemeenten,
                ref=ref,
                # Approved figures only: the stored sums, the reach from the members read above.
                standen=self._standen,
                gelezen_rijen=self._somrijen,
                binnen=lambda i, g, p: self.waarnemingen.get((i, g, p)),
                gelezen=[r for r in self.regios if not inzage.is_ruw(r)],
            )
        self._geheugen: dict[tuple, Deel | list[str] | bool] = {}

    def _lees(
        self, gemeente_codes: set[str], regios: list[str], *, met_stand: bool = False
    ) -> set[str]:
        """Read the released stored figures of these municipalities (and their predecessors,
        not read before) and regions; `met_stand`: with the stored sums' log state, which must
        be the one read with the deliveries (else a write came in between: add up live)."""
        gemeente_codes = self._met_voorgangers(gemeente_codes) - self._gelezen
        if not gemeente_codes and not regios:
            return gemeente_codes
        self._gelezen |= gemeente_codes
        alle_gemeenten = gemeente_codes >= self.gemeenten.keys()
        vrijgegeven = (
            None
            if self._leveringen is None
            else self._leveringen.per_gebied(gemeente_codes, self.ref, alle=alle_gemeenten)
        )
        vraag = {
            "indicatoren": self._basis | self._cbs_afgeleid,
            "gemeenten": None if alle_gemeenten else gemeente_codes,
            "regios": regios,
            "perioden": self._periode_codes,
        }
        if met_stand:
            # With the stored sums of the regions (`gebiedssommen`), in the same statement.
            som = [c for c in self._basis if self.indicatoren[c].aggregatie == Aggregatie.SOM]
            rijen, standen, self._somrijen = opslag.basiswaarden_en_stand(
                **vraag, sommen=(som, regios)
            )
            if standen != self._standen:
                self._standen = None
        else:
            rijen = opslag.basiswaarden(**vraag)
        for indicator_id, gemeente_id, regio_id, periode_id, waarde, status, bron in rijen:
            if status == WaarnemingStatus.GEHEIM:
                waarde = None
            sleutel = (indicator_id, gemeente_id or regio_id, periode_id)
            if is_cbs_bron(bron):
                if self.bronkeuze != Bronkeuze.EIGEN:
                    self.cbs[sleutel] = Deel(waarde, status, False, frozenset({bron}))
                continue
            if self.bronkeuze == Bronkeuze.CBS or indicator_id not in self._basis:
                continue
            if vrijgegeven is not None and not vrijgegeven.toont(
                gemeente_id or regio_id, periode_id, indicator_id
            ):
                continue
            self.waarnemingen[sleutel] = Deel(
                waarde, status, False, frozenset({bron}) if bron else frozenset()
            )
        return gemeente_codes

    def _leden_lezen(self) -> None:
        """Read the figures of every member of the regions asked for, once: a region's sum in
        the database was incomplete, and the members' own roll-ups decide."""
        if not self._leden_gelezen:
            self._leden_gelezen = True
            self._lees({lid.gemeente_id for leden in self.leden.values() for lid in leden}, [])

    # -- the viewer policy ----------------------------------------------------------------------
    def _controleer_bereik(self, gebieden: list[str]) -> None:
        """Every area asked for lies within this request's reach (the country always does): a
        region it reads, or a municipality that was ever a member of one."""
        if self.inzage.lees is None:
            return
        lees = self.inzage.lees
        buiten = [
            g
            for g in gebieden
            if (g in self.gemeenten and not (self.bereik.regios_ooit(g) & lees))
            or (
                g in self.regios
                and self.regios[g].soort != RegioSoort.LAND
                and not self.inzage.mag_lezen(g)
            )
        ]
        if buiten:
            raise BuitenBereik(
                _("U heeft geen toegang tot de cijfers van %(gebieden)s.")
                % {"gebieden": ", ".join(buiten[:10])}
            )

    def in_bereik(self, gemeente: str) -> bool:
        """The person can obtain this municipality's figures on some channel: it was ever a
        member of one of the regions of their roles."""
        return self._bereik_gemeenten is None or gemeente in self._bereik_gemeenten

    def splits_bereik(self, gemeenten: Sequence[str]) -> tuple[list[str], list[str]]:
        """(those within the person's reach, those outside it), each in the given order."""
        bereik = self._bereik_gemeenten
        if bereik is None:
            return list(gemeenten), []
        return [g for g in gemeenten if g in bereik], [g for g in gemeenten if g not in bereik]

    def is_ruw(self, gebied: str, periode: PeriodeCode) -> bool:
        """Values of this area and period are raw for the viewer (an internal role there)."""
        ruw = self.inzage.ruw
        if ruw is None:
            return True
        if gebied not in self.gemeenten:
            return gebied in ruw
        if not ruw or self.bereik is None:
            return False
        sleutel = ("ruw", gebied, periode.code)
        if sleutel not in self._geheugen:
            # Before a merger the municipality is the sum of its predecessors: raw when they are.
            voorgangers = self.voorgangers_in(gebied, periode)
            if voorgangers:
                uitkomst = all(self.is_ruw(v, periode) for v in voorgangers)
            else:
                uitkomst = any(r in ruw for r in self.bereik.regios_van(gebied, periode))
            self._geheugen[sleutel] = uitkomst
        return self._geheugen[sleutel]

    def _met_voorgangers(self, gemeente_codes: Iterable[str]) -> set[str]:
        """These municipalities and their predecessors, over every merger back."""
        gemeenten = set(gemeente_codes)
        nog = list(gemeenten)
        while nog:
            for voorganger in self.voorgangers.get(nog.pop(), ()):
                if voorganger not in gemeenten:
                    gemeenten.add(voorganger)
                    nog.append(voorganger)
        return gemeenten

    def _leverende_regios(self, gebieden: list[str]) -> set[str] | None:
        """The regions whose deliveries can release a figure this call reads: the regions
        asked for and every region of a municipality whose figure it may read (asked for, a
        member of a region asked for, and their predecessors). None: every region."""
        gemeenten = self._met_voorgangers(
            {g for g in gebieden if g in self.gemeenten}
            | {lid.gemeente_id for leden in self.leden.values() for lid in leden}
        )
        if len(gemeenten) >= len(self.gemeenten):
            return None
        return set(self.regios).union(*(self.ref.regios_van(g) for g in gemeenten))

    def _vrije_leveringen(
        self, periode_codes: set[str], regios: set[str] | None = None
    ) -> Vrijgave | None:
        """What the deliveries this viewer may see release (`Vrijgave`); None: every stored
        figure. A delivery counts in a state the policy shows for its region; a region where
        every stored figure is shown (the entry grid) counts for every period. `regios`: the
        regions whose deliveries matter (None: all)."""
        inzage = self.inzage
        if inzage.staten is None and inzage.onvoltooid is None:
            return None
        getoond, self._standen = opslag.getoonde_leveringen(
            inzage, periode_codes, regios, met_stand=self._opslag
        )
        overal = []
        if inzage.staten is None:
            overal = [(r, p) for r in inzage.onvoltooid for p in periode_codes]
        return aanleververdeling().vrijgave(getoond, overal)

    # -- areas ----------------------------------------------------------------------------------
    def bestaat(self, gemeente: str, begin: dt.date, eind: dt.date) -> bool:
        return self.gemeenten[gemeente].bestaat_in(begin, eind)

    def leden_in(self, regio: str, periode: PeriodeCode) -> tuple[str, ...]:
        """The members valid in the period that existed then (memoised in the snapshot)."""
        return self.ref.leden_in(regio, periode)

    def voorgangers_in(self, gemeente: str, periode: PeriodeCode) -> list[str] | None:
        """Predecessors to add up when the municipality did not exist yet in the period."""
        begin = self.gemeenten[gemeente].geldig_van
        if begin is None or begin <= periode.einddatum or not self.voorgangers.get(gemeente):
            return None
        return [
            v
            for v in sorted(self.voorgangers[gemeente])
            if self.bestaat(v, periode.begindatum, periode.einddatum) or self.voorgangers.get(v)
        ]

    def tijdsdelen(self, gebied: str, periode: PeriodeCode) -> list[PeriodeCode]:
        """The parts of the period one level down in which the area existed."""
        onderdelen = list(periode.onderdelen())
        if onderdelen and gebied in self.gemeenten:
            onderdelen = [p for p in onderdelen if self.bestaat(gebied, p.begindatum, p.einddatum)]
        return onderdelen

    # -- measured indicators --------------------------------------------------------------------
    def basis(self, indicator: Indicator, gebied: str, periode: PeriodeCode) -> Deel:
        sleutel = (indicator.code, gebied, periode.code)
        if sleutel not in self._geheugen:
            eigen = self._bereken_basis(indicator, gebied, periode)
            self._geheugen[sleutel] = self.met_cbs(eigen, indicator, gebied, periode)
        return self._geheugen[sleutel]

    def met_cbs(
        self,
        eigen: Deel,
        indicator: Indicator,
        gebied: str,
        periode: PeriodeCode,
        *,
        teller: Deel | None = None,
    ) -> Deel:
        """The source precedence (Bronkeuze.VOORRANG): CBS's published figure only where the own
        figures and their roll-ups give no answer; the answer's sources say which one it is. A
        rate whose count is CBS's is CBS's rate too, never CBS's count over our population."""
        cbs = self.cbs.get((indicator.code, gebied, periode.code))
        if cbs is None:
            return eigen
        if not eigen.bekend or (teller is not None and van_cbs(teller)):
            return cbs
        return eigen

    def _bereken_basis(self, indicator: Indicator, gebied: str, periode: PeriodeCode) -> Deel:
        direct = self.waarnemingen.get((indicator.code, gebied, periode.code))
        if direct is not None:
            return direct
        is_gemeente = gebied in self.gemeenten
        pogingen: list[Deel] = []

        onderdelen = self.tijdsdelen(gebied, periode)
        if onderdelen:
            pogingen.append(
                rol_op([self.basis(indicator, gebied, p) for p in onderdelen], indicator.aggregatie)
            )
            if pogingen[-1].bekend:
                return pogingen[-1]

        if indicator.aggregatie == Aggregatie.SOM:
            if not is_gemeente:
                som = self._gebiedssom(indicator, gebied, periode)
                if som is None:
                    return ontbrekend(f"{gebied} had geen gemeenten in {periode.code}")
                pogingen.append(som)
            else:
                voorgangers = self.voorgangers_in(gebied, periode)
                if voorgangers:
                    pogingen.append(
                        rol_op(
                            [self.basis(indicator, v, periode) for v in voorgangers],
                            Aggregatie.SOM,
                        )
                    )
            if pogingen and pogingen[-1].bekend:
                return pogingen[-1]

        if pogingen:
            return pogingen[0]
        return ontbrekend(f"{gebied} {periode.code}")

    def _gebiedssom(self, indicator: Indicator, regio: str, periode: PeriodeCode) -> Deel | None:
        """The region as the sum of its members in the period; None when it had none (and
        always with CBS's figures alone: CBS publishes regions and the country itself)."""
        if self.bronkeuze == Bronkeuze.CBS:
            return None
        if self.in_database:
            som = self.sommen.get((indicator.code, regio, periode.code))
            if som is None:
                return None
            if som.volledig:
                return Deel(som.waarde, som.status, True, som.bronnen)
            if not som.bekend and periode.soort == KWARTAAL:
                # No member has the quarter: each is missing by name, in code order.
                return ontbrekend(*(f"{g} {periode.code}" for g in self.leden_in(regio, periode)))
            kwartalen = self._alleen_kwartalen(indicator, regio, periode)
            if kwartalen is not None and any(not k.volledig for k in kwartalen):
                # A member without a quarter and nothing stored above quarters: its own
                # roll-up is missing too, and so is the sum.
                return ontbrekend(f"{regio} {periode.code}")
            self._leden_lezen()  # a member without a figure: its own roll-up decides
        leden = self.leden_in(regio, periode)
        if not leden:
            return None
        return rol_op([self.basis(indicator, g, periode) for g in leden], Aggregatie.SOM)

    def _alleen_kwartalen(
        self, indicator: Indicator, regio: str, periode: PeriodeCode
    ) -> list[Gebiedssom] | None:
        """The region's quarter sums within a half-year or year when no member has a figure
        stored at any level above quarters within it (so every member's own value is the roll-up
        of its quarters); None otherwise."""
        if periode.soort == KWARTAAL:
            return None
        kwartalen = []
        for deel in [periode, *periode.nakomelingen()]:
            som = self.sommen.get((indicator.code, regio, deel.code))
            if som is None:
                return None
            if deel.soort == KWARTAAL:
                kwartalen.append(som)
            elif som.bekend:
                return None
        return kwartalen

    def buiten_bereik_som(self, indicator: Indicator, regio: str, periode: PeriodeCode) -> Decimal:
        """The raw sum of the region's members outside the person's reach (missing counts 0):
        what disclosure control must know of the parts the person cannot see."""
        if self.in_database:
            som = self.sommen.get((indicator.code, regio, periode.code))
            if som is None:
                return Decimal(0)
            if som.buiten_volledig:
                return som.buiten
            kwartalen = self._alleen_kwartalen(indicator, regio, periode)
            if kwartalen is not None and all(
                k.leden == som.leden and k.buiten_volledig and not k.geheim_buiten
                for k in kwartalen
            ):
                # The same members in every quarter, each with every quarter stored and none
                # secret: their own roll-ups are the sums of their quarters.
                return sum((k.buiten for k in kwartalen), Decimal(0))
            self._leden_lezen()
        totaal = Decimal(0)
        for gemeente in self.leden_in(regio, periode):
            if not self.in_bereik(gemeente):
                waarde = self.basis(indicator, gemeente, periode).waarde
                if waarde is not None:
                    totaal += waarde
        return totaal

    # -- population -----------------------------------------------------------------------------
    def inwoners(self, gebied: str, periode: PeriodeCode) -> Deel:
        sleutel = ("inwoners", gebied, periode.code)
        if sleutel not in self._geheugen:
            self._geheugen[sleutel] = self._bereken_inwoners(gebied, periode)
        return self._geheugen[sleutel]

    def _bereken_inwoners(self, gebied: str, periode: PeriodeCode) -> Deel:
        jaar = periode.jaar
        if gebied in self.gemeenten:
            aantal = self.inwonertallen.get((gebied, jaar))
            if aantal is not None:
                return Deel(Decimal(aantal), WaarnemingStatus.DEFINITIEF)
            voorgangers = self.voorgangers_in(gebied, periode)
            if voorgangers:
                return rol_op([self.inwoners(v, periode) for v in voorgangers], Aggregatie.SOM)
            return ontbrekend(f"inwonertal {gebied} {jaar}")
        if self.in_database:
            som = self.sommen.get((INWONERS, gebied, periode.code))
            if som is None:
                return ontbrekend(f"{gebied} had geen gemeenten in {periode.code}")
            if som.volledig:
                return Deel(som.waarde, WaarnemingStatus.DEFINITIEF)
            jaar = periode.jaar
            return ontbrekend(*(f"inwonertal {g} {jaar}" for g in som.ontbrekend))
        leden = self.leden_in(gebied, periode)
        if not leden:
            return ontbrekend(f"{gebied} had geen gemeenten in {periode.code}")
        return rol_op([self.inwoners(g, periode) for g in leden], Aggregatie.SOM)

    # -- any indicator, raw ---------------------------------------------------------------------
    def ruw(self, indicator: Indicator, gebied: str, periode: PeriodeCode) -> Deel:
        if not indicator.is_afgeleid:
            return self.basis(indicator, gebied, periode)
        teller = self.basis(indicator.teller, gebied, periode)
        if indicator.per_inwoners:
            noemer = self.inwoners(gebied, periode)
        else:
            noemer = self.basis(indicator.noemer, gebied, periode)
        deel = quotient(teller, noemer, indicator.factor, f"{gebied} {periode.code}")
        return self.met_cbs(deel, indicator, gebied, periode, teller=teller)
