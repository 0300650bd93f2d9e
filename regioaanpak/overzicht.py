"""Completeness per region and period, and what is due for a user: reads across the apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from actielijnen.models import Regioaanpak
from actielijnen.selectors import voortgang_per_project
from monitoring.models import Gegevenslevering, Indicator
from monitoring.selectors import opslag
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.inzage import Inzage, inzage_van
from regioaanpak.models import Gemeente, Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode, laatste_volledige_kwartaal
from regioaanpak.toegang import rollen_in, zichtbare_regios

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


@dataclass
class Taak:
    regio: Regio
    omschrijving: str
    aantal: int
    link: str


def taken_van(gebruiker, vandaag: dt.date | None = None) -> tuple[PeriodeCode, list[Taak]]:
    """What is due for the user: the quarter that just ended, per region and role."""
    from django.urls import reverse

    kwartaal = laatste_volledige_kwartaal(vandaag or dt.date.today())
    beleid = inzage_van(gebruiker)
    taken: list[Taak] = []
    # Only regions with an approach can have anything due (a superuser sees all 32 regions).
    regios = zichtbare_regios(gebruiker).filter(regioaanpakken__isnull=False).distinct()
    for regio in regios.order_by("naam"):
        rollen = rollen_in(gebruiker, regio)
        if not rollen & {RolSoort.PROJECTLEIDER, RolSoort.BELEIDSMEDEWERKER, RolSoort.BEHEERDER}:
            continue
        stand = volledigheid(regio, kwartaal.code, inzage=beleid)
        if not stand.projecten and not stand.gemeenten:
            continue
        link = reverse("volledigheid", args=[regio.code, kwartaal.code])
        if RolSoort.PROJECTLEIDER in rollen:
            open_ = stand.projecten_zonder_ingediende_update
            if open_:
                taken.append(
                    Taak(regio, "projecten zonder ingediende voortgangsupdate", len(open_), link)
                )
            if not stand.cijfers_goedgekeurd and stand.gemeenten_onvolledig:
                taken.append(
                    Taak(
                        regio,
                        "gemeenten met ontbrekende cijfers",
                        len(stand.gemeenten_onvolledig),
                        link,
                    )
                )
        if rollen & {RolSoort.BELEIDSMEDEWERKER, RolSoort.BEHEERDER}:
            te_beoordelen = [
                p
                for p in stand.projecten
                if p[1] and p[1].workflow_status == WorkflowStatus.INGEDIEND
            ]
            if stand.levering and stand.levering.workflow_status == WorkflowStatus.INGEDIEND:
                te_beoordelen.append(stand.levering)
            if te_beoordelen:
                taken.append(
                    Taak(regio, "ingediend en wacht op beoordeling", len(te_beoordelen), link)
                )
    return kwartaal, taken
