"""Completeness per region and period, and what is due for a user: reads across the apps."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from actielijnen.models import Regioaanpak
from actielijnen.selectors import voortgang_per_project
from monitoring.choices import Frequentie
from monitoring.models import Gegevenslevering, Indicator
from monitoring.selectors import opslag
from monitoring.selectors.organisaties import aanleververdeling, leveringen_van
from regioaanpak.choices import WorkflowStatus
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeente, Lidmaatschap, Organisatie, Regio
from regioaanpak.perioden import JAAR, PeriodeCode, laatste_volledige_kwartaal

KLAAR = {WorkflowStatus.INGEDIEND, WorkflowStatus.GOEDGEKEURD}


class _Telling:
    """Filled against expected cells (`ingevuld`, `verwacht` are the dataclass's fields)."""

    ingevuld: int
    verwacht: int

    @property
    def ontbrekend(self) -> int:
        return self.verwacht - self.ingevuld

    @property
    def compleet(self) -> bool:
        return self.ingevuld >= self.verwacht


@dataclass
class GemeenteStand(_Telling):
    gemeente: Gemeente
    ingevuld: int
    verwacht: int


@dataclass
class OrganisatieStand(_Telling):
    """One organisation's delivery of the region and period: its state and how many of its
    cells (its indicators times the member municipalities) hold a figure."""

    organisatie: Organisatie
    levering: Gegevenslevering | None
    ingevuld: int
    verwacht: int

    @property
    def status(self) -> str | None:
        return self.levering.workflow_status if self.levering is not None else None

    @property
    def klaar(self) -> bool:
        return self.status in KLAAR


@dataclass
class Volledigheid:
    regio: Regio
    periode: PeriodeCode
    projecten: list = field(default_factory=list)  # (project, update | None, planning | None)
    gemeenten: list[GemeenteStand] = field(default_factory=list)
    levering: Gegevenslevering | None = None  # the standard organisation's (Veilig Thuis)
    organisaties: list[OrganisatieStand] = field(default_factory=list)

    @property
    def projecten_zonder_ingediende_update(self) -> list:
        return [p for p in self.projecten if p[1] is None or p[1].workflow_status not in KLAAR]

    @property
    def gemeenten_onvolledig(self) -> list[GemeenteStand]:
        return [g for g in self.gemeenten if not g.compleet]

    @property
    def cijfers_goedgekeurd(self) -> bool:
        """Veilig Thuis's delivery (the standard organisation's) is approved."""
        return (
            self.levering is not None
            and self.levering.workflow_status == WorkflowStatus.GOEDGEKEURD
        )

    @property
    def andere_organisaties(self) -> bool:
        return len(self.organisaties) > 1


def standaard_kwartaal(regio: Regio, vandaag: dt.date) -> PeriodeCode:
    """The quarter a region's pages open on: the last complete one, or, when the region's
    approach has already ended, the last quarter of its term (so historic seeds open on data)."""
    kwartaal = laatste_volledige_kwartaal(vandaag)
    einde = (
        Regioaanpak.objects.filter(regio=regio)
        .order_by("-looptijd_tot")
        .values_list("looptijd_tot", flat=True)
        .first()
    )
    if einde is not None and einde < kwartaal.begindatum:
        return PeriodeCode.van_datum(einde)
    return kwartaal


def volledigheid(regio: Regio, periode_code: str, *, inzage: Inzage) -> Volledigheid:
    """Which projects have an update in which state; which municipalities' figures are missing."""
    periode = PeriodeCode.parse(periode_code)
    leden = list(
        Gemeente.objects.filter(
            lidmaatschappen__in=Lidmaatschap.objects.filter(regio=regio).geldig_in(
                periode.begindatum, periode.einddatum
            )
        )
        .distinct()
        .order_by("naam")
    )
    # Of a quarter the quarterly indicators (a yearly survey is counted in its year).
    gemeten = list(
        Indicator.objects.gemeten().exclude(
            frequentie=Frequentie.JAAR if periode.soort != JAAR else ""
        )
    )
    verwacht = len(gemeten)
    codes = [g.cbs_code for g in leden]
    ingevuld: dict[str, int] = defaultdict(int)
    per_indicator: dict[str, int] = defaultdict(int)
    geteld = {i.code for i in gemeten}
    for (gemeente, indicator), n in opslag.ingevuld(codes, periode.code).items():
        if indicator in geteld:
            ingevuld[gemeente] += n
            per_indicator[indicator] += n
    verdeling = aanleververdeling()
    leveringen = leveringen_van(regio.code, periode.code)
    organisaties = []
    for organisatie in verdeling.organisaties_in(regio.code):
        eigen = verdeling.indicatoren_van(organisatie.code, regio.code, gemeten)
        organisaties.append(
            OrganisatieStand(
                organisatie=organisatie,
                levering=leveringen.get(organisatie.code),
                ingevuld=sum(per_indicator.get(i.code, 0) for i in eigen),
                verwacht=len(eigen) * len(leden),
            )
        )
    return Volledigheid(
        regio=regio,
        periode=periode,
        projecten=voortgang_per_project(regio, periode.code, inzage=inzage),
        gemeenten=[GemeenteStand(g, ingevuld.get(g.cbs_code, 0), verwacht) for g in leden],
        levering=leveringen.get(verdeling.standaard),
        organisaties=organisaties,
    )
