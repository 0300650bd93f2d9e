"""Composite reads of the regional approach for pages, reports and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from actielijnen.choices import Fase, MijlpaalStandKeuze, ProjectStatus
from actielijnen.models import (
    Actielijn,
    Mijlpaal,
    MijlpaalStand,
    PlanningFase,
    Project,
    Regioaanpak,
    Voortgangsupdate,
)
from actielijnen.services import VOORTGANG_VELDEN
from regioaanpak.choices import AuditActie, WorkflowStatus
from regioaanpak.models import AuditRegel, Regio
from regioaanpak.perioden import PeriodeCode


def regioaanpakken_overzicht(*, regios: Iterable[Regio]) -> list[Regioaanpak]:
    """The approaches of the given regions with action lines and projects, in three queries."""
    projecten = Project.objects.prefetch_related("gemeenten").order_by("titel")
    actielijnen = Actielijn.objects.order_by("nummer").prefetch_related(
        Prefetch("projecten", queryset=projecten)
    )
    return list(
        Regioaanpak.objects.filter(regio__in=regios)
        .select_related("regio", "regio__centrumgemeente")
        .prefetch_related(Prefetch("actielijnen", queryset=actielijnen))
        .order_by("regio__naam", "-looptijd_van")
    )


# -- progress per project per quarter ----------------------------------------------------------


def vorige_update(project: Project, periode_code: str) -> Voortgangsupdate | None:
    """The project's update of the quarter before `periode_code`, with its milestone states."""
    vorige = PeriodeCode.parse(periode_code).vorige()
    return (
        Voortgangsupdate.objects.filter(project=project, periode_id=vorige.code)
        .prefetch_related("mijlpaalstanden")
        .first()
    )


def voortgang_per_project(
    regio: Regio | str, periode_code: str
) -> list[tuple[Project, Voortgangsupdate | None, PlanningFase | None]]:
    """Every project of the region running in the quarter, with its update and planned phase.

    A project runs in the quarter when its own term (start and end date; when missing, those of
    its regioaanpak) overlaps the quarter. Three queries, however many projects there are.
    """
    kwartaal = PeriodeCode.parse(periode_code)
    regio_code = regio if isinstance(regio, str) else regio.code
    projecten = (
        Project.objects.filter(actielijn__regioaanpak__regio_id=regio_code)
        .annotate(
            looptijd_begin=Coalesce("startdatum", "actielijn__regioaanpak__looptijd_van"),
            looptijd_eind=Coalesce("einddatum", "actielijn__regioaanpak__looptijd_tot"),
        )
        .filter(looptijd_begin__lte=kwartaal.einddatum, looptijd_eind__gte=kwartaal.begindatum)
        .select_related("actielijn__regioaanpak", "projectleider")
        .prefetch_related(
            Prefetch(
                "voortgang",
                queryset=Voortgangsupdate.objects.filter(periode_id=kwartaal.code),
                to_attr="kwartaal_updates",
            ),
            Prefetch(
                "planning",
                queryset=PlanningFase.objects.filter(periode_id=kwartaal.code),
                to_attr="kwartaal_planning",
            ),
        )
        .order_by("actielijn__nummer", "actielijn_id", "titel", "pk")
    )
    return [
        (
            project,
            project.kwartaal_updates[0] if project.kwartaal_updates else None,
            project.kwartaal_planning[0] if project.kwartaal_planning else None,
        )
        for project in projecten
    ]


@dataclass(frozen=True)
class Wijziging:
    veld: str
    voor: str
    na: str


@dataclass(frozen=True)
class Geschiedenisregel:
    wie: str
    wanneer: dt.datetime
    wat: str
    wijzigingen: list[Wijziging]
    reden: str
    naar_status: str = ""


@dataclass
class VoortgangPagina:
    """Everything the page of one project's update for one quarter shows."""

    project: Project
    kwartaal: PeriodeCode
    update: Voortgangsupdate | None
    vorige: Voortgangsupdate | None
    planning: PlanningFase | None
    mijlpalen: list[Mijlpaal]
    standen: dict[int, MijlpaalStand] = field(default_factory=dict)
    geschiedenis: list[Geschiedenisregel] = field(default_factory=list)

    @property
    def mijlpaalrijen(self) -> list[tuple[Mijlpaal, MijlpaalStand | None]]:
        return [(mijlpaal, self.standen.get(mijlpaal.pk)) for mijlpaal in self.mijlpalen]

    @property
    def terugsturing(self) -> Geschiedenisregel | None:
        """The latest return, while the project leader still has to act on it."""
        if self.update is None or not self.update.is_bewerkbaar:
            return None
        for regel in self.geschiedenis:  # newest first
            if regel.naar_status == WorkflowStatus.INGEDIEND:
                return None
            if regel.naar_status == WorkflowStatus.TERUGGESTUURD:
                return regel
        return None


def _euro(waarde) -> str:
    try:
        bedrag = Decimal(str(waarde))
    except (InvalidOperation, ValueError):
        return str(waarde)
    return f"€\u00a0{number_format(bedrag, 2, force_grouping=True)}"


def _label(keuzes, waarde: str) -> str:
    try:
        return str(keuzes(waarde).label)
    except ValueError:
        return waarde


def _toon(veld: str, waarde, workflow: bool) -> str:
    if waarde in (None, ""):
        return _("(leeg)")
    if veld == "status":
        return _label(WorkflowStatus if workflow else ProjectStatus, waarde)
    if veld == "fase":
        return _label(Fase, waarde)
    if veld == "uitgaven_tm_kwartaal":
        return _euro(waarde)
    return str(waarde)


def _toon_stand(gegevens: dict | None) -> str:
    if not gegevens or not gegevens.get("stand"):
        return _("(niet ingevuld)")
    tekst = _label(MijlpaalStandKeuze, gegevens["stand"])
    if gegevens.get("toelichting"):
        tekst += f" — {gegevens['toelichting']}"
    return tekst


def _veldlabel(veld: str, workflow: bool) -> str:
    if workflow and veld == "status":
        return _("Status van de update")
    try:
        return capfirst(Voortgangsupdate._meta.get_field(veld).verbose_name)
    except FieldDoesNotExist:
        return veld


_VELDVOLGORDE = [*VOORTGANG_VELDEN, "mijlpalen"]


def _veldvolgorde(veld: str) -> tuple[int, str]:
    positie = _VELDVOLGORDE.index(veld) if veld in _VELDVOLGORDE else len(_VELDVOLGORDE)
    return (positie, veld)


def _is_workflow(regel: AuditRegel) -> bool:
    # In these entries "status" is the workflow status, elsewhere the project's status.
    return regel.actie in (AuditActie.STATUS, AuditActie.VERGRENDELD, AuditActie.ONTGRENDELD)


def _wijzigingen(regel: AuditRegel) -> list[Wijziging]:
    workflow = _is_workflow(regel)
    voor, na = regel.voor or {}, regel.na or {}
    resultaat = []
    # PostgreSQL's jsonb does not keep key order: show fields in the form's order.
    for veld in sorted({*voor, *na}, key=_veldvolgorde):
        if veld == "mijlpalen":
            oud, nieuw = voor.get(veld) or {}, na.get(veld) or {}
            for sleutel in sorted({*oud, *nieuw}, key=lambda s: (len(s), s)):
                titel = (nieuw.get(sleutel) or oud.get(sleutel) or {}).get("titel", sleutel)
                resultaat.append(
                    Wijziging(
                        _("Mijlpaal '%(titel)s'") % {"titel": titel},
                        _toon_stand(oud.get(sleutel)) if regel.voor is not None else "",
                        _toon_stand(nieuw.get(sleutel)),
                    )
                )
            continue
        resultaat.append(
            Wijziging(
                _veldlabel(veld, workflow),
                _toon(veld, voor.get(veld), workflow) if regel.voor is not None else "",
                _toon(veld, na.get(veld), workflow),
            )
        )
    return resultaat


def voortgang_geschiedenis(update: Voortgangsupdate) -> list[Geschiedenisregel]:
    """The audit entries of one update, newest first, ready to read."""
    regels = (
        AuditRegel.objects.filter(object_type=update._meta.label_lower, object_id=str(update.pk))
        .select_related("gebruiker")
        .order_by("-tijdstip", "-id")
    )
    resultaat = []
    for regel in regels:
        workflow = _is_workflow(regel)
        wie = (regel.gebruiker.get_full_name() if regel.gebruiker else "") or regel.gebruikersnaam
        wat = capfirst(AuditActie(regel.actie).label)
        if workflow and regel.omschrijving:
            wat = f"{wat} ({regel.omschrijving})"
        resultaat.append(
            Geschiedenisregel(
                wie=wie or _("onbekend"),
                wanneer=regel.tijdstip,
                wat=wat,
                wijzigingen=_wijzigingen(regel),
                reden=regel.reden,
                naar_status=(regel.na or {}).get("status", "") if workflow else "",
            )
        )
    return resultaat


def voortgang_pagina(*, project: Project, periode_code: str) -> VoortgangPagina:
    """The update of `project` for the quarter, its milestones, planning and history."""
    kwartaal = PeriodeCode.parse(periode_code)
    update = (
        Voortgangsupdate.objects.filter(project=project, periode_id=kwartaal.code)
        .select_related("ingediend_door", "beoordeeld_door")
        .prefetch_related("mijlpaalstanden")
        .first()
    )
    planning = PlanningFase.objects.filter(project=project, periode_id=kwartaal.code).first()
    mijlpalen = list(project.mijlpalen.order_by("geplande_datum", "pk"))
    if update is not None:
        standen = {stand.mijlpaal_id: stand for stand in update.mijlpaalstanden.all()}
        geschiedenis = voortgang_geschiedenis(update)
        vorige = None
    else:
        standen, geschiedenis = {}, []
        vorige = vorige_update(project, kwartaal.code)
    return VoortgangPagina(
        project=project,
        kwartaal=kwartaal,
        update=update,
        vorige=vorige,
        planning=planning,
        mijlpalen=mijlpalen,
        standen=standen,
        geschiedenis=geschiedenis,
    )
