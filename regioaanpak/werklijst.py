"""The to-do list on the home page: what each role does next, with a direct link per item.

- projectleider: the updates still to write for the quarter that just ended (per project), the
  figures still missing, and everything returned, any quarter, with the reason;
- beleidsmedewerker and beheerder: everything submitted for any quarter, oldest first (what
  they submitted themselves is marked: a colleague approves it, the four-eyes rule);
- bestuurder (wethouder): what is new since the previous visit: quarters whose figures were
  approved and reports that were published;
- partner: the API, their own tokens with scope, regions and expiry.

Reads only workflow states and metadata, never figures; unapproved work is listed only for the
roles that enter or review it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from actielijnen.models import Voortgangsupdate
from monitoring.models import Gegevenslevering
from rapportage.choices import RapportStatus
from rapportage.models import Rapport
from regioaanpak import opmaak
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.inzage import inzage_van
from regioaanpak.models import ApiToken, Regio
from regioaanpak.overzicht import volledigheid
from regioaanpak.perioden import PeriodeCode, laatste_volledige_kwartaal
from regioaanpak.toegang import rollen_per_regio

VORIG_BEZOEK = "regioaanpak_vorig_bezoek"
KLAAR = {WorkflowStatus.INGEDIEND, WorkflowStatus.GOEDGEKEURD}
MAX_PER_SOORT = 50


@dataclass(frozen=True)
class Werk:
    titel: str
    link: str
    regio: str
    toelichting: str = ""
    label: str = ""  # the state as a label (teruggestuurd, ingediend, nieuw)


@dataclass
class Werklijst:
    kwartaal: PeriodeCode
    schrijven: list[Werk] = field(default_factory=list)
    teruggestuurd: list[Werk] = field(default_factory=list)
    beoordelen: list[Werk] = field(default_factory=list)
    nieuw: list[Werk] = field(default_factory=list)
    tokens: list[ApiToken] = field(default_factory=list)
    is_partner: bool = False
    is_wethouder: bool = False
    laatst_goedgekeurd: Werk | None = None  # for a wethouder with nothing new
    sinds: dt.datetime | None = None

    @property
    def leeg(self) -> bool:
        return not (self.schrijven or self.teruggestuurd or self.beoordelen or self.nieuw)


def onthoud_vorig_bezoek(sender, request, user, **kwargs) -> None:
    """At login (before Django stamps last_login): keep the previous login in the session, so
    'new since your last visit' stays the same during this visit."""
    if request is not None and hasattr(request, "session"):
        vorige = user.last_login
        request.session[VORIG_BEZOEK] = vorige.isoformat() if vorige else None


def _vorig_bezoek(request) -> dt.datetime | None:
    tekst = request.session.get(VORIG_BEZOEK) if hasattr(request, "session") else None
    try:
        return dt.datetime.fromisoformat(tekst) if tekst else None
    except ValueError:
        return None


def _regios(rollen: dict[str, frozenset[str]], *soorten: str) -> list[str]:
    return sorted(code for code, eigen in rollen.items() if eigen & set(soorten))


def werklijst(request, vandaag: dt.date | None = None) -> Werklijst:
    gebruiker = request.user
    kwartaal = laatste_volledige_kwartaal(vandaag or timezone.localdate())
    lijst = Werklijst(kwartaal=kwartaal, sinds=_vorig_bezoek(request))
    if gebruiker.is_superuser:
        rollen = {
            code: frozenset({RolSoort.BEHEERDER})
            for code in Regio.objects.values_list("code", flat=True)
        }
    else:
        rollen = rollen_per_regio(gebruiker)
    namen = dict(Regio.objects.filter(code__in=list(rollen)).values_list("code", "naam"))
    invoerders = _regios(rollen, RolSoort.PROJECTLEIDER)
    beoordelaars = _regios(rollen, RolSoort.BELEIDSMEDEWERKER, RolSoort.BEHEERDER)
    wethouders = _regios(rollen, RolSoort.BESTUURDER)
    if invoerders:
        _voor_projectleider(lijst, gebruiker, invoerders, namen)
    if beoordelaars:
        _voor_beoordelaar(lijst, gebruiker, beoordelaars, namen)
    if wethouders:
        lijst.is_wethouder = True
        _voor_wethouder(lijst, wethouders, namen)
    if _regios(rollen, RolSoort.PARTNER):
        lijst.is_partner = True
        lijst.tokens = list(
            ApiToken.objects.filter(gebruiker=gebruiker, ingetrokken_op__isnull=True)
            .select_related("organisatie")
            .prefetch_related("regios")
            .order_by("verloopt_op")
        )
    return lijst


def _update_link(update_of_project, periode: str) -> str:
    pk = getattr(update_of_project, "project_id", None) or update_of_project.pk
    return reverse("actielijnen:voortgang_update", args=[pk, periode])


def _voor_projectleider(lijst: Werklijst, gebruiker, regios: list[str], namen) -> None:
    beleid = inzage_van(gebruiker)
    kwartaal = lijst.kwartaal.code
    for regio in Regio.objects.filter(code__in=regios).order_by("naam"):
        code = regio.code
        stand = volledigheid(regio, kwartaal, inzage=beleid)
        for project, update, _planning in stand.projecten:
            if update is not None and update.workflow_status in KLAAR | {
                WorkflowStatus.TERUGGESTUURD
            }:
                continue
            lijst.schrijven.append(
                Werk(
                    titel=f"{project.titel}: voortgang {lijst.kwartaal.label}",
                    link=_update_link(project, kwartaal),
                    regio=namen[code],
                    label="concept" if update is not None else "nog niet begonnen",
                )
            )
        levering = stand.levering
        if (levering is None or levering.workflow_status == WorkflowStatus.CONCEPT) and (
            stand.gemeenten_onvolledig
        ):
            lijst.schrijven.append(
                Werk(
                    titel=f"Cijfers {lijst.kwartaal.label}: "
                    f"{len(stand.gemeenten_onvolledig)} gemeenten nog niet compleet",
                    link=reverse("monitoring:gegevensgrid", args=[code, kwartaal]),
                    regio=namen[code],
                    label="aanvullen",
                )
            )
        for org in stand.organisaties[1:]:  # the other organisations' own deliveries
            if org.status in (None, WorkflowStatus.CONCEPT) and org.ontbrekend:
                lijst.schrijven.append(
                    Werk(
                        titel=f"Cijfers {lijst.kwartaal.label} van {org.organisatie.naam}: "
                        f"{org.ontbrekend} van {org.verwacht} cellen ontbreken",
                        link=_grid_link(code, kwartaal, org.organisatie),
                        regio=namen[code],
                        label="aanvullen",
                    )
                )
    updates = (
        Voortgangsupdate.objects.filter(
            project__actielijn__regioaanpak__regio__in=regios,
            workflow_status=WorkflowStatus.TERUGGESTUURD,
        )
        .select_related("project__actielijn__regioaanpak", "beoordeeld_door")
        .order_by("beoordeeld_op")[:MAX_PER_SOORT]
    )
    for update in updates:
        periode = PeriodeCode.parse(update.periode_id)
        lijst.teruggestuurd.append(
            Werk(
                titel=f"{update.project.titel}: voortgang {periode.label}",
                link=_update_link(update, periode.code),
                regio=namen[update.project.actielijn.regioaanpak.regio_id],
                toelichting=_terug(update),
                label="teruggestuurd",
            )
        )
    leveringen = (
        Gegevenslevering.objects.filter(
            regio__in=regios, workflow_status=WorkflowStatus.TERUGGESTUURD
        )
        .select_related("beoordeeld_door", "organisatie")
        .order_by("beoordeeld_op")[:MAX_PER_SOORT]
    )
    for levering in leveringen:
        periode = PeriodeCode.parse(levering.periode_id)
        lijst.teruggestuurd.append(
            Werk(
                titel=f"Cijfers {periode.label}{_van(levering)}",
                link=_grid_link(levering.regio_id, periode.code, levering.organisatie),
                regio=namen[levering.regio_id],
                toelichting=_terug(levering),
                label="teruggestuurd",
            )
        )


def _van(levering: Gegevenslevering) -> str:
    """' van Moviera' for another organisation's delivery; nothing for the standard one."""
    organisatie = levering.organisatie
    return "" if organisatie.standaard else f" van {organisatie.naam}"


def _grid_link(regio: str, periode: str, organisatie) -> str:
    url = reverse("monitoring:gegevensgrid", args=[regio, periode])
    if organisatie.standaard:
        return url
    return url + "?" + urlencode({"organisatie": organisatie.code})


def _persoon(gebruiker) -> str:
    if gebruiker is None:
        return "onbekend"
    return gebruiker.get_full_name() or gebruiker.get_username()


def _terug(obj) -> str:
    wie = _persoon(obj.beoordeeld_door)
    wanneer = opmaak.tijdstip(obj.beoordeeld_op) if obj.beoordeeld_op else ""
    reden = f": “{obj.reden}”" if obj.reden else ""
    return f"Teruggestuurd door {wie}{' op ' + wanneer if wanneer else ''}{reden}"


def _ingediend(obj, gebruiker) -> str:
    wanneer = opmaak.tijdstip(obj.ingediend_op) if obj.ingediend_op else ""
    tekst = f"Ingediend door {_persoon(obj.ingediend_door)}{' op ' + wanneer if wanneer else ''}"
    if obj.ingediend_door_id == gebruiker.pk:
        tekst += " (door uzelf: een collega keurt het goed)"
    return tekst


def _voor_beoordelaar(lijst: Werklijst, gebruiker, regios: list[str], namen) -> None:
    werk: list[tuple[dt.datetime, Werk]] = []
    updates = (
        Voortgangsupdate.objects.filter(
            project__actielijn__regioaanpak__regio__in=regios,
            workflow_status=WorkflowStatus.INGEDIEND,
        )
        .select_related("project__actielijn__regioaanpak", "ingediend_door")
        .order_by("ingediend_op")[:MAX_PER_SOORT]
    )
    for update in updates:
        periode = PeriodeCode.parse(update.periode_id)
        werk.append(
            (
                update.ingediend_op or timezone.now(),
                Werk(
                    titel=f"{update.project.titel}: voortgang {periode.label}",
                    link=_update_link(update, periode.code),
                    regio=namen[update.project.actielijn.regioaanpak.regio_id],
                    toelichting=_ingediend(update, gebruiker),
                    label="ingediend",
                ),
            )
        )
    leveringen = (
        Gegevenslevering.objects.filter(regio__in=regios, workflow_status=WorkflowStatus.INGEDIEND)
        .select_related("ingediend_door", "organisatie")
        .order_by("ingediend_op")[:MAX_PER_SOORT]
    )
    for levering in leveringen:
        periode = PeriodeCode.parse(levering.periode_id)
        werk.append(
            (
                levering.ingediend_op or timezone.now(),
                Werk(
                    titel=f"Cijfers {periode.label}{_van(levering)}",
                    link=_grid_link(levering.regio_id, periode.code, levering.organisatie),
                    regio=namen[levering.regio_id],
                    toelichting=_ingediend(levering, gebruiker),
                    label="ingediend",
                ),
            )
        )
    lijst.beoordelen = [w for _wanneer, w in sorted(werk, key=lambda paar: paar[0])]


def _voor_wethouder(lijst: Werklijst, regios: list[str], namen) -> None:
    sinds = lijst.sinds
    leveringen = (
        Gegevenslevering.objects.filter(
            regio__in=regios, workflow_status=WorkflowStatus.GOEDGEKEURD
        )
        .select_related("organisatie")
        .order_by("-beoordeeld_op", "-periode_id")
    )
    rapporten = Rapport.objects.filter(
        regio__in=regios, status=RapportStatus.GEPUBLICEERD
    ).order_by("-gepubliceerd_op")
    laatste = leveringen.first()
    if laatste is not None:
        periode = PeriodeCode.parse(laatste.periode_id)
        lijst.laatst_goedgekeurd = Werk(
            titel=f"Cijfers {periode.label}",
            link=reverse("monitoring:regiodashboard", args=[laatste.regio_id])
            + f"?periode={periode.code}",
            regio=namen[laatste.regio_id],
        )
    if sinds is not None:
        leveringen = leveringen.filter(beoordeeld_op__gt=sinds)
        rapporten = rapporten.filter(gepubliceerd_op__gt=sinds)
    else:  # a first visit: the latest of each
        leveringen, rapporten = leveringen[:1], rapporten[:1]
    for levering in leveringen[:MAX_PER_SOORT]:
        periode = PeriodeCode.parse(levering.periode_id)
        lijst.nieuw.append(
            Werk(
                titel=f"Cijfers {periode.label}{_van(levering)} goedgekeurd",
                link=reverse("monitoring:regiodashboard", args=[levering.regio_id])
                + f"?periode={periode.code}",
                regio=namen[levering.regio_id],
                toelichting=f"op {opmaak.tijdstip(levering.beoordeeld_op)}"
                if levering.beoordeeld_op
                else "",
                label="nieuw",
            )
        )
    for rapport in rapporten[:MAX_PER_SOORT]:
        periode = PeriodeCode.parse(rapport.periode_id)
        lijst.nieuw.append(
            Werk(
                titel=f"{rapport.get_soort_display().capitalize()} {periode.label}, "
                f"versie {rapport.versie}",
                link=reverse("rapportage:gepubliceerd", args=[rapport.regio_id, rapport.pk]),
                regio=namen[rapport.regio_id],
                toelichting=f"gepubliceerd op {opmaak.tijdstip(rapport.gepubliceerd_op)}",
                label="nieuw",
            )
        )
