"""Completeness per region and period, and what is due for a user: reads across the apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from actielijnen.models import Regioaanpak
from actielijnen.selectors import voortgang_per_project
from monitoring.models import Gegevenslevering, Indicator
from monitoring.selectors import opslag
from regioaanpak.choices import WorkflowStatus
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeente, Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode, laatste_volledige_kwartaal

KLAAR = {WorkflowStatus.INGEDIEND, WorkflowStatus.GOEDGEKEURD}


@dataclass
class GemeenteStand:
    gemeente: Gemeente
    ingevuld: int
    verwacht: int

    @property
    def ontbrekend(self) -> int:
        return self.verwacht - self.ingevuld

    @property
    def compleet(self) -> bool:
        return self.ingevuld >= self.verwacht


@dataclass
class Volledigheid:
    regio: Regio
    periode: PeriodeCode
    projecten: list = field(default_factory=list)  # (project, update | None, planning | None)
    gemeenten: list[GemeenteStand] = field(default_factory=list)
    levering: Gegevenslevering | None = None

    @property
    def projecten_zonder_ingediende_update(self) -> list:
        return [p for p in self.projecten if p[1] is None or p[1].workflow_status not in KLAAR]

    @property
    def gemeenten_onvolledig(self) -> list[GemeenteStand]:
        return [g for g in self.gemeenten if not g.compleet]

    @property
    def cijfers_goedgekeurd(self) -> bool:
        return (
            self.levering is not None
            and self.levering.workflow_status == WorkflowStatus.GOEDGEKEURD
        )


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
    verwacht = Indicator.objects.gemeten().count()
    ingevuld = opslag.ingevuld_per_gemeente([g.cbs_code for g in leden], periode.code)
    return Volledigheid(
        regio=regio,
        periode=periode,
        projecten=voortgang_per_project(regio, periode.code, inzage=inzage),
        gemeenten=[GemeenteStand(g, ingevuld.get(g.cbs_code, 0), verwacht) for g in leden],
        levering=Gegevenslevering.objects.filter(regio=regio, periode_id=periode.code)
        .select_related("beoordeeld_door", "ingediend_door")
        .first(),
    )
