"""The arithmetic behind the figure selector: raw roll-ups over periods, areas and mergers.

One `Rekenaar` holds everything one call of `cijfers()` needs, read in a fixed number of
queries, and computes answers with memoisation (see `cijfers.py` for the rules). It only ever
sees the figures the viewer policy releases: of a delivery in a state the policy shows for that
region. Disclosure control works on top of it (`geheimhouding.Afscherming`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from monitoring.choices import STATUS_ERNST, Aggregatie, WaarnemingStatus
from monitoring.models import Gegevenslevering, Indicator
from monitoring.selectors import opslag
from regioaanpak.choices import RegioSoort
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeente, Inwonertal, Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode
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
    ) -> None:
        self.inzage = inzage
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
        # The members over time of every region the person reaches (on any channel): what this
        # request may answer (`lees`), what the person can know (`bekend`), raw values.
        self.bereik = None if inzage.bekend is None else Ledenregister(inzage.bekend)
        self._controleer_bereik(gebieden)

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
        alle_gemeenten = gemeente_codes >= self.gemeenten.keys()
        vrijgegeven = self._vrijgegeven(periode_codes, gemeente_codes)
        self.waarnemingen: dict[tuple[str, str, str], Deel] = {}
        for (
            indicator_id,
            gemeente_id,
            regio_id,
            periode_id,
            waarde,
            status,
            bron,
        ) in opslag.basiswaarden(
            indicatoren=basis,
            gemeenten=None if alle_gemeenten else gemeente_codes,
            regios=list(self.regios),
            perioden=periode_codes,
        ):
            if vrijgegeven is not None and (gemeente_id or regio_id, periode_id) not in vrijgegeven:
                continue
            if status == WaarnemingStatus.GEHEIM:
                waarde = None
            self.waarnemingen[(indicator_id, gemeente_id or regio_id, periode_id)] = Deel(
                waarde, status, False, frozenset({bron}) if bron else frozenset()
            )

        jaren = {p.jaar for p in perioden}
        inwonertallen = Inwonertal.objects.filter(jaar__in=jaren)
        if not alle_gemeenten:
            inwonertallen = inwonertallen.filter(gemeente__in=gemeente_codes)
        self.inwonertallen = {
            (gemeente_id, jaar): aantal
            for gemeente_id, jaar, aantal in inwonertallen.values_list(
                "gemeente_id", "jaar", "aantal"
            )
        }
        self._geheugen: dict[tuple, Deel | list[str] | bool] = {}

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
        return self.bereik is None or gemeente in self.bereik.gemeenten()

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

    def _vrijgegeven(
        self, periode_codes: set[str], gemeente_codes: set[str]
    ) -> set[tuple[str, str]] | None:
        """(area, period) pairs whose figures this viewer may see; None: every stored figure.

        A municipality's figure counts when a region it was a member of in that period shows
        it: a delivery of that region and period in a state the policy shows there, or a
        region where every stored figure is shown (the entry grid). A region's own figure
        counts by the same rule for that region alone."""
        inzage = self.inzage
        if inzage.staten is None and inzage.onvoltooid is None:
            return None
        vrij = {
            (regio_id, periode_id)
            for regio_id, periode_id, status in Gegevenslevering.objects.filter(
                periode__in=periode_codes
            ).values_list("regio_id", "periode_id", "workflow_status")
            if inzage.toont(regio_id, status)
        }
        if inzage.staten is None:
            # Regions whose every stored figure is shown, delivered or not.
            vrij |= {(r, p) for r in inzage.onvoltooid for p in periode_codes}
        perioden_per_regio: dict[str, list[PeriodeCode]] = defaultdict(list)
        for regio_id, periode_id in vrij:
            perioden_per_regio[regio_id].append(PeriodeCode.parse(periode_id))
        if perioden_per_regio:
            leden = Lidmaatschap.objects.filter(regio__in=list(perioden_per_regio))
            if not gemeente_codes >= self.gemeenten.keys():
                leden = leden.filter(gemeente__in=gemeente_codes)
            for lid in leden:
                for periode in perioden_per_regio[lid.regio_id]:
                    if lid.geldig_in(periode.begindatum, periode.einddatum):
                        vrij.add((lid.gemeente_id, periode.code))
        return vrij

    # -- areas ----------------------------------------------------------------------------------
    def bestaat(self, gemeente: str, begin: dt.date, eind: dt.date) -> bool:
        return self.gemeenten[gemeente].bestaat_in(begin, eind)

    def leden_in(self, regio: str, periode: PeriodeCode) -> list[str]:
        sleutel = ("leden", regio, periode.code)
        if sleutel not in self._geheugen:
            begin, eind = periode.begindatum, periode.einddatum
            self._geheugen[sleutel] = sorted(
                {
                    lid.gemeente_id
                    for lid in self.leden[regio]
                    if lid.geldig_in(begin, eind) and self.bestaat(lid.gemeente_id, begin, eind)
                }
            )
        return self._geheugen[sleutel]

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
            self._geheugen[sleutel] = self._bereken_basis(indicator, gebied, periode)
        return self._geheugen[sleutel]

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
                leden = self.leden_in(gebied, periode)
                if not leden:
                    return ontbrekend(f"{gebied} had geen gemeenten in {periode.code}")
                pogingen.append(
                    rol_op([self.basis(indicator, g, periode) for g in leden], Aggregatie.SOM)
                )
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
        return quotient(teller, noemer, indicator.factor, f"{gebied} {periode.code}")
