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
from regioaanpak.inzage import Inzage
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


def _zichtbare_updates(inzage: Inzage, regio_code: str):
    """The updates this viewer may see: all of them for those who write or review them,
    approved ones for everyone else (a wethouder, a partner)."""
    updates = Voortgangsupdate.objects.all()
    if not inzage.mag_onvoltooid(regio_code):
        updates = updates.filter(workflow_status=WorkflowStatus.GOEDGEKEURD)
    return updates


def voortgang_per_project(
    regio: Regio | str, periode_code: str, *, inzage: Inzage
) -> list[tuple[Project, Voortgangsupdate | None, PlanningFase | None]]:
    """Every project of the region running in the quarter, with its update (as far as the
    viewer may see it) and planned phase.

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
                queryset=_zichtbare_updates(inzage, regio_code).filter(periode_id=kwartaal.code),
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
    ziet_onvoltooid: bool = True  # the viewer may see unapproved updates

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


def voortgang_pagina(*, project: Project, periode_code: str, inzage: Inzage) -> VoortgangPagina:
    """The update of `project` for the quarter, its milestones, planning and history.

    For a viewer who may not see unapproved updates (a wethouder, a partner) only an approved
    update, without its history (which holds the texts before approval) and without the
    previous quarter's text (the starting point for writing)."""
    kwartaal = PeriodeCode.parse(periode_code)
    regio_code = project.actielijn.regioaanpak.regio_id
    onvoltooid = inzage.mag_onvoltooid(regio_code)
    update = (
        _zichtbare_updates(inzage, regio_code)
        .filter(project=project, periode_id=kwartaal.code)
        .select_related("ingediend_door", "beoordeeld_door")
        .prefetch_related("mijlpaalstanden")
        .first()
    )
    planning = PlanningFase.objects.filter(project=project, periode_id=kwartaal.code).first()
    mijlpalen = list(project.mijlpalen.order_by("geplande_datum", "pk"))
    if update is not None:
        standen = {stand.mijlpaal_id: stand for stand in update.mijlpaalstanden.all()}
        geschiedenis = voortgang_geschiedenis(update) if onvoltooid else []
        vorige = None
    else:
        standen, geschiedenis = {}, []
        vorige = vorige_update(project, kwartaal.code) if onvoltooid else None
    return VoortgangPagina(
        project=project,
        kwartaal=kwartaal,
        update=update,
        vorige=vorige,
        planning=planning,
        mijlpalen=mijlpalen,
        standen=standen,
        geschiedenis=geschiedenis,
        ziet_onvoltooid=onvoltooid,
    )


# -- dashboards: progress and budget of a region's approach up to a period ----------------------

GEEN_UPDATE = "geen_update"
# The order in which the dashboards count and show the projects' states.
STATUS_VOLGORDE = (
    ProjectStatus.OP_SCHEMA,
    ProjectStatus.AANDACHT,
    ProjectStatus.ACHTER,
    ProjectStatus.AFGEROND,
    ProjectStatus.GESTOPT,
    GEEN_UPDATE,
)
STATUS_LABELS = {**{s.value: str(s.label) for s in ProjectStatus}, GEEN_UPDATE: "geen update"}
AANDACHT_STATUSSEN = (ProjectStatus.AANDACHT, ProjectStatus.ACHTER)
ZONDER_FINANCIERINGSBRON = "financieringsbron niet opgegeven"


@dataclass(frozen=True)
class ProjectStand:
    """A project with its latest approved progress update up to a period (None: none yet)."""

    project: Project
    update: Voortgangsupdate | None

    @property
    def status(self) -> str:
        return self.update.status if self.update else GEEN_UPDATE

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def kwartaal(self) -> PeriodeCode | None:
        return PeriodeCode.parse(self.update.periode_id) if self.update else None


@dataclass
class ActielijnStand:
    actielijn: Actielijn
    projecten: list[ProjectStand]

    @property
    def aantallen(self) -> dict[str, int]:
        """Number of projects per state, in the dashboards' order (zeros included)."""
        aantallen = dict.fromkeys(STATUS_VOLGORDE, 0)
        for stand in self.projecten:
            aantallen[stand.status] = aantallen.get(stand.status, 0) + 1
        return aantallen


@dataclass
class VoortgangStand:
    """Progress of the approach(es) that ran in (or last before) a period, per action line."""

    periode: PeriodeCode
    regioaanpakken: list[Regioaanpak]
    actielijnen: list[ActielijnStand]

    @property
    def projecten(self) -> list[ProjectStand]:
        return [stand for lijn in self.actielijnen for stand in lijn.projecten]

    @property
    def aandacht(self) -> list[ProjectStand]:
        """Projects whose latest approved update says they need attention or are behind."""
        return [s for s in self.projecten if s.status in AANDACHT_STATUSSEN]

    @property
    def afgelopen(self) -> bool:
        """Every approach shown had ended before the period began."""
        return bool(self.regioaanpakken) and all(
            aanpak.looptijd_tot < self.periode.begindatum for aanpak in self.regioaanpakken
        )


def regioaanpakken_in_periode(regio: Regio | str, periode: PeriodeCode | str) -> list[Regioaanpak]:
    """The region's approaches running in the period; when none runs, the latest one that
    started before the period ended (so a council still sees where the last approach ended)."""
    periode = PeriodeCode.parse(periode)
    regio_code = regio if isinstance(regio, str) else regio.code
    gestart = list(
        Regioaanpak.objects.filter(regio_id=regio_code, looptijd_van__lte=periode.einddatum)
        .select_related("regio")
        .order_by("-looptijd_van", "-pk")
    )
    lopend = [a for a in gestart if a.looptijd_tot >= periode.begindatum]
    return lopend or gestart[:1]


def voortgang_stand(
    *,
    regio: Regio | str,
    periode: PeriodeCode | str,
    gemeente: str | None = None,
    regioaanpakken: list[Regioaanpak] | None = None,
) -> VoortgangStand:
    """Per action line the projects with the status of their latest approved update up to the
    period. Projects that start after the period are left out; with `gemeente`, only the
    projects that municipality takes part in and the region-wide ones (no municipalities).

    A fixed number of queries (approaches, projects, their municipalities, updates)."""
    periode = PeriodeCode.parse(periode)
    if regioaanpakken is None:
        regioaanpakken = regioaanpakken_in_periode(regio, periode)
    projecten = [
        project
        for project in Project.objects.filter(actielijn__regioaanpak__in=regioaanpakken)
        .exclude(startdatum__gt=periode.einddatum)
        .select_related("actielijn")
        .prefetch_related("gemeenten")
        .order_by("actielijn__regioaanpak_id", "actielijn__nummer", "titel", "pk")
        if gemeente is None
        or not project.gemeenten.all()
        or any(g.cbs_code == gemeente for g in project.gemeenten.all())
    ]
    # Progress updates are per quarter, so quarter codes compare as text (2021KW03 < 2021KW04).
    laatste_kwartaal = periode.kwartalen()[-1].code
    laatste: dict[int, Voortgangsupdate] = {}
    for update in (
        Voortgangsupdate.objects.filter(
            project__in=[p.pk for p in projecten],
            workflow_status=WorkflowStatus.GOEDGEKEURD,
            periode_id__lte=laatste_kwartaal,
        )
        .only("pk", "project_id", "periode_id", "status", "toelichting", "uitgaven_tm_kwartaal")
        .order_by("project_id", "-periode_id")
    ):
        laatste.setdefault(update.project_id, update)
    per_lijn: dict[int, ActielijnStand] = {}
    for project in projecten:
        lijn = per_lijn.setdefault(project.actielijn_id, ActielijnStand(project.actielijn, []))
        lijn.projecten.append(ProjectStand(project, laatste.get(project.pk)))
    return VoortgangStand(
        periode=periode, regioaanpakken=regioaanpakken, actielijnen=list(per_lijn.values())
    )


@dataclass(frozen=True)
class BegrotingRegel:
    """Budgeted against spent for one source of funding; None is 'onbekend', never 0."""

    financieringsbron: str
    label: str
    begroot: Decimal | None
    uitgegeven: Decimal | None
    projecten: int
    projecten_met_begroting: int
    projecten_met_uitgaven: int
    posten: int


@dataclass
class BegrotingStand:
    periode: PeriodeCode
    regels: list[BegrotingRegel]


def _som(bedragen: list[Decimal]) -> Decimal | None:
    return sum(bedragen, Decimal(0)) if bedragen else None


def begroting_stand(*, voortgang: VoortgangStand) -> BegrotingStand:
    """Budgeted and spent per source of funding for the projects of a progress overview.

    Begroot: the projects' own budget (Project.begroting) plus the planned expenses of the
    approaches' budget tables that belong to no project (Begrotingspost, soort uitgave), per
    source of funding. Uitgegeven: per project the spending up to and including the quarter of
    its latest approved update (uitgaven_tm_kwartaal), added up per project's source. A source
    without any known amount is None ('onbekend'). One query on top of `voortgang`.
    """
    from actielijnen.choices import BegrotingSoort, Financieringsbron
    from actielijnen.models import Begrotingspost

    posten = list(
        Begrotingspost.objects.filter(
            regioaanpak__in=voortgang.regioaanpakken,
            soort=BegrotingSoort.UITGAVE,
            project__isnull=True,
        ).values_list("financieringsbron", "bedrag")
    )
    bronnen = [b.value for b in Financieringsbron]
    gebruikt = {s.project.financieringsbron for s in voortgang.projecten} | {b for b, _ in posten}
    regels = []
    for bron in [*bronnen, *sorted(gebruikt - set(bronnen))]:
        if bron not in gebruikt:
            continue
        standen = [s for s in voortgang.projecten if s.project.financieringsbron == bron]
        begrotingen = [s.project.begroting for s in standen if s.project.begroting is not None]
        post_bedragen = [bedrag for b, bedrag in posten if b == bron]
        uitgaven = [
            s.update.uitgaven_tm_kwartaal
            for s in standen
            if s.update is not None and s.update.uitgaven_tm_kwartaal is not None
        ]
        regels.append(
            BegrotingRegel(
                financieringsbron=bron,
                label=_label(Financieringsbron, bron) if bron else ZONDER_FINANCIERINGSBRON,
                begroot=_som(begrotingen + post_bedragen),
                uitgegeven=_som(uitgaven),
                projecten=len(standen),
                projecten_met_begroting=len(begrotingen),
                projecten_met_uitgaven=len(uitgaven),
                posten=len(post_bedragen),
            )
        )
    return BegrotingStand(periode=voortgang.periode, regels=regels)
