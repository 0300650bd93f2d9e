"""Writes of the regional approach: progress updates per project per quarter.

Every write is keyword-only, typed and runs in one transaction with a row lock; refusals are
`WorkflowFout` (or its subclass `VersieConflict`) with a Dutch message, bad input is a
`ValidationError` keyed by the form field it belongs to.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from actielijnen.models import MijlpaalStand, Project, Voortgangsupdate
from regioaanpak import opmaak
from regioaanpak.berichten import mail_teruggestuurd
from regioaanpak.choices import AuditActie, PeriodeSoort, RolSoort, WorkflowStatus
from regioaanpak.models import AuditRegel, Periode
from regioaanpak.perioden import PeriodeCode
from regioaanpak.services import audit_schrijf
from regioaanpak.toegang import heeft_rol
from regioaanpak.workflow import WorkflowFout, workflow_overgang

logger = logging.getLogger(__name__)

# The fields a project leader fills in; the workflow fields are only changed by transitions.
VOORTGANG_VELDEN = (
    "status",
    "toelichting",
    "resultaten",
    "knelpunten",
    "volgende_stappen",
    "uitgaven_tm_kwartaal",
    "fase",
    "fase_toelichting",
)
CENT = Decimal("0.01")


class VersieConflict(WorkflowFout):
    """Someone else saved the update after the user's form was loaded; nothing was saved."""

    def __init__(self, bericht: str, *, update: Voortgangsupdate | None):
        super().__init__(bericht)
        self.update = update
        # The version to base the next attempt on, after the user compared both texts.
        self.versie = update.versie if update is not None else None


def mijlpaal_veld(mijlpaal_id: int, deel: str) -> str:
    """Name of a milestone's form field; validation errors of milestones use the same key."""
    return f"mijlpaal_{mijlpaal_id}_{deel}"


def _regio(project: Project):
    return project.actielijn.regioaanpak.regio


def controleer_bewerkbaar(*, project: Project, update: Voortgangsupdate | None, gebruiker) -> None:
    """Raise WorkflowFout unless this user may change this (possibly new) update now."""
    regio = _regio(project)
    if not heeft_rol(gebruiker, regio, RolSoort.PROJECTLEIDER):
        raise WorkflowFout(
            _("Alleen de projectleider van %(regio)s mag de voortgang van %(project)s invullen.")
            % {"regio": regio.naam, "project": project.titel}
        )
    if update is not None and not update.is_bewerkbaar:
        raise WorkflowFout(
            _("Deze update is %(status)s en kan niet meer worden gewijzigd.")
            % {"status": WorkflowStatus(update.workflow_status).label}
        )


def _kwartaal(periode: str) -> Periode:
    code = PeriodeCode.parse(periode)
    if code.soort != PeriodeSoort.KWARTAAL:
        raise ValidationError(
            {
                "periode": _("Een voortgangsupdate is per kwartaal; %(periode)s is dat niet.")
                % {"periode": code.code}
            }
        )
    rij = Periode.objects.filter(code=code.code).first()
    if rij is None:
        raise ValidationError(
            {
                "periode": _("Het kwartaal %(periode)s bestaat niet in de monitor.")
                % {"periode": code.code}
            }
        )
    return rij


def _conflict(update: Voortgangsupdate, werkwoord: str) -> VersieConflict:
    laatste = (
        AuditRegel.objects.filter(object_type=update._meta.label_lower, object_id=str(update.pk))
        .select_related("gebruiker")
        .order_by("-tijdstip", "-id")
        .first()
    )
    if laatste is not None:
        wie = (
            laatste.gebruiker.get_full_name() if laatste.gebruiker else ""
        ) or laatste.gebruikersnaam
        wanneer = laatste.tijdstip
    else:
        wie, wanneer = "", update.gewijzigd_op
    wie = wie or _("een andere gebruiker")
    return VersieConflict(
        _(
            "Deze update is intussen %(werkwoord)s door %(wie)s (%(wanneer)s). Uw invoer is "
            "niet opgeslagen maar staat hieronder nog; vergelijk en sla opnieuw op."
        )
        % {
            "werkwoord": werkwoord,
            "wie": wie,
            "wanneer": opmaak.tijdstip(wanneer),
        },
        update=update,
    )


def _standen(update: Voortgangsupdate | None) -> dict[int, MijlpaalStand]:
    if update is None or update.pk is None:
        return {}
    return {stand.mijlpaal_id: stand for stand in update.mijlpaalstanden.all()}


def _stand_gegevens(mijlpaal, stand: MijlpaalStand | None) -> dict:
    return {
        "titel": mijlpaal.titel,
        "stand": stand.stand if stand else "",
        "toelichting": stand.toelichting if stand else "",
    }


def _mijlpaalstanden_opslaan(
    *,
    update: Voortgangsupdate,
    bestaand: dict[int, MijlpaalStand],
    mijlpaalstanden: dict[int, tuple[str, str]],
) -> tuple[dict, dict]:
    """Write the milestone states; returns (before, after) of the changed milestones."""
    mijlpalen = {m.pk: m for m in update.project.mijlpalen.all()}
    voor: dict[str, dict] = {}
    na: dict[str, dict] = {}
    fouten: dict[str, list[str]] = {}
    te_bewaren: list[MijlpaalStand] = []
    te_verwijderen: list[int] = []
    for mijlpaal_id, (stand, toelichting) in mijlpaalstanden.items():
        mijlpaal = mijlpalen.get(mijlpaal_id)
        if mijlpaal is None:
            fouten.setdefault("mijlpalen", []).append(
                _("Mijlpaal %(id)s hoort niet bij het project %(project)s.")
                % {"id": mijlpaal_id, "project": update.project.titel}
            )
            continue
        stand, toelichting = (stand or "").strip(), (toelichting or "").strip()
        huidig = bestaand.get(mijlpaal_id)
        oud = _stand_gegevens(mijlpaal, huidig)
        if not stand:
            if toelichting:
                fouten[mijlpaal_veld(mijlpaal_id, "stand")] = [
                    _("Kies de stand van '%(mijlpaal)s' bij deze toelichting.")
                    % {"mijlpaal": mijlpaal.titel}
                ]
                continue
            if huidig is not None:
                te_verwijderen.append(huidig.pk)
        else:
            rij = huidig or MijlpaalStand(update=update, mijlpaal=mijlpaal)
            rij.stand, rij.toelichting = stand, toelichting
            try:
                rij.full_clean(exclude=["update", "mijlpaal"], validate_constraints=False)
            except ValidationError as fout:
                for veld, meldingen in fout.message_dict.items():
                    sleutel = mijlpaal_veld(mijlpaal_id, veld)
                    fouten.setdefault(sleutel, []).extend(
                        f"{mijlpaal.titel}: {melding}" for melding in meldingen
                    )
                continue
            te_bewaren.append(rij)
        nieuw = {"titel": mijlpaal.titel, "stand": stand, "toelichting": toelichting}
        if nieuw != oud:
            voor[str(mijlpaal_id)], na[str(mijlpaal_id)] = oud, nieuw
    if fouten:
        raise ValidationError(fouten)
    if te_verwijderen:
        MijlpaalStand.objects.filter(pk__in=te_verwijderen).delete()
    for rij in te_bewaren:
        if rij.pk is None or str(rij.mijlpaal_id) in na:
            rij.update = update
            rij.save()
    return voor, na


@transaction.atomic
def voortgangsupdate_opslaan(
    *,
    project: Project,
    periode: str,
    gegevens: dict,
    mijlpaalstanden: dict[int, tuple[str, str]],
    versie: int | None,
    gebruiker,
) -> Voortgangsupdate:
    """Create or change the update of a project for a quarter, guarding against lost updates.

    `versie` is the version the user's form was based on (None for a new update). A teruggestuurd
    update goes back to concept first, so that step is in the audit log too.
    """
    onbekend = set(gegevens) - set(VOORTGANG_VELDEN)
    if onbekend:
        raise ValueError(f"Onbekende velden voor een voortgangsupdate: {sorted(onbekend)}")
    controleer_bewerkbaar(project=project, update=None, gebruiker=gebruiker)
    regio = _regio(project)
    kwartaal = _kwartaal(periode)

    # get() drops the default ordering, whose joins would otherwise lock the project's and the
    # region's rows too on PostgreSQL.
    try:
        update = Voortgangsupdate.objects.select_for_update().get(project=project, periode=kwartaal)
    except Voortgangsupdate.DoesNotExist:
        update = None
    if update is None and versie is not None:
        raise VersieConflict(
            _(
                "Deze update is intussen verwijderd. Uw invoer is niet opgeslagen maar staat "
                "hieronder nog; sla opnieuw op om de update opnieuw aan te maken."
            ),
            update=None,
        )
    if update is not None:
        controleer_bewerkbaar(project=project, update=update, gebruiker=gebruiker)
        if versie is None:
            raise _conflict(update, _("aangemaakt"))
        if versie != update.versie:
            raise _conflict(update, _("gewijzigd"))
        if update.workflow_status == WorkflowStatus.TERUGGESTUURD:
            update = workflow_overgang(obj=update, naar=WorkflowStatus.CONCEPT, gebruiker=gebruiker)
        voor = update.audit_gegevens()
    else:
        update = Voortgangsupdate(project=project, periode=kwartaal)
        voor = None
    bestaande_standen = _standen(update)

    for veld, waarde in gegevens.items():
        setattr(update, veld, "" if waarde is None and veld != "uitgaven_tm_kwartaal" else waarde)
    # The unique (project, kwartaal) constraint is left to the database: a concurrent insert
    # is a version conflict, not a validation error.
    update.full_clean(exclude=["project", "periode"])
    if update.uitgaven_tm_kwartaal is not None:
        update.uitgaven_tm_kwartaal = Decimal(update.uitgaven_tm_kwartaal).quantize(CENT)
    na = update.audit_gegevens()

    if voor is None:
        try:
            with transaction.atomic():
                update.save()
        except IntegrityError:
            bestaand = Voortgangsupdate.objects.filter(project=project, periode=kwartaal).first()
            if bestaand is None:
                raise
            raise _conflict(bestaand, _("aangemaakt")) from None
        actie = AuditActie.AANGEMAAKT
        audit_voor, audit_na = None, {veld: w for veld, w in na.items() if w not in ("", None)}
    else:
        actie = AuditActie.GEWIJZIGD
        audit_voor = {veld: voor[veld] for veld in na if voor[veld] != na[veld]}
        audit_na = {veld: na[veld] for veld in audit_voor}

    mijlpalen_voor, mijlpalen_na = _mijlpaalstanden_opslaan(
        update=update, bestaand=bestaande_standen, mijlpaalstanden=mijlpaalstanden
    )
    if mijlpalen_na:
        if audit_voor is not None:
            audit_voor["mijlpalen"] = mijlpalen_voor
        audit_na["mijlpalen"] = mijlpalen_na

    if actie == AuditActie.GEWIJZIGD:
        if not audit_na:
            return update  # nothing changed: no new version, no audit noise
        update.versie += 1
        update.save(update_fields=[*VOORTGANG_VELDEN, "versie", "gewijzigd_op"])
    audit_schrijf(
        gebruiker=gebruiker,
        obj=update,
        regio=regio,
        actie=actie,
        voor=audit_voor,
        na=audit_na,
    )
    return update


def _update_link(update: Voortgangsupdate, basis_url: str) -> str:
    pad = reverse(
        "actielijnen:voortgang_update",
        kwargs={"project": update.project_id, "periode": update.periode_id},
    )
    basis = basis_url or getattr(settings, "SITE_URL", "")
    return f"{basis.rstrip('/')}{pad}"


def _mail_beoordelaars(update: Voortgangsupdate, *, basis_url: str) -> None:
    """Tell the region's beleidsmedewerkers that an update waits for their review."""
    update = Voortgangsupdate.objects.select_related(
        "project__actielijn__regioaanpak__regio", "ingediend_door"
    ).get(pk=update.pk)
    regio = update.regio_voor_toegang
    ontvangers = list(
        get_user_model()
        .objects.filter(rollen__regio=regio, rollen__rol=RolSoort.BELEIDSMEDEWERKER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not ontvangers:
        return
    indiener = update.ingediend_door
    wie = (indiener.get_full_name() or indiener.username) if indiener else _("De projectleider")
    kwartaal = PeriodeCode.parse(update.periode_id).label
    onderwerp = _("Voortgangsupdate ingediend: %(project)s, %(kwartaal)s") % {
        "project": update.project.titel,
        "kwartaal": kwartaal,
    }
    tekst = _(
        "Beste beleidsmedewerker,\n\n"
        "%(wie)s heeft de voortgangsupdate van het project '%(project)s' (%(actielijn)s, "
        "%(regio)s) over het %(kwartaal)s ingediend.\n\n"
        "Bekijk de update en keur hem goed of stuur hem terug:\n%(link)s\n\n"
        "Met vriendelijke groet,\nRegioaanpak monitor"
    ) % {
        "wie": wie,
        "project": update.project.titel,
        "actielijn": update.project.actielijn,
        "regio": regio.naam,
        "kwartaal": kwartaal,
        "link": _update_link(update, basis_url),
    }
    berichten = [(onderwerp, tekst, None, [adres]) for adres in ontvangers]
    try:
        send_mass_mail(berichten, fail_silently=False)
    except Exception:
        # The submission is committed; a mail server hiccup must not turn it into an error page.
        logger.exception("E-mail over ingediende voortgangsupdate %s niet verstuurd", update.pk)


def voortgangsupdate_overgang(
    *,
    update: Voortgangsupdate,
    naar: str,
    gebruiker,
    reden: str = "",
    basis_url: str = "",
) -> Voortgangsupdate:
    """Submit, approve or return an update (the table in regioaanpak.workflow decides).

    After a submission is committed the region's beleidsmedewerkers get an e-mail with a link;
    after a return, the person who submitted it gets one with the reason;
    `basis_url` (the request's, e.g. "https://monitor.example.nl") makes that link absolute,
    settings.SITE_URL when it is not given.
    """
    if naar not in WorkflowStatus.values:
        raise WorkflowFout(_("Onbekende status: '%(naar)s'.") % {"naar": naar})
    na_commit = None
    if naar == WorkflowStatus.INGEDIEND:

        def na_commit(ingediend: Voortgangsupdate) -> None:
            _mail_beoordelaars(ingediend, basis_url=basis_url)

    elif naar == WorkflowStatus.TERUGGESTUURD:

        def na_commit(terug: Voortgangsupdate) -> None:
            terug = Voortgangsupdate.objects.select_related(
                "project", "ingediend_door", "beoordeeld_door"
            ).get(pk=terug.pk)
            kwartaal = PeriodeCode.parse(terug.periode_id).label
            mail_teruggestuurd(
                terug,
                wat=_("de voortgangsupdate van %(project)s over het %(kwartaal)s")
                % {"project": terug.project.titel, "kwartaal": kwartaal},
                pad=reverse(
                    "actielijnen:voortgang_update",
                    kwargs={"project": terug.project_id, "periode": terug.periode_id},
                ),
                basis_url=basis_url,
            )

    return workflow_overgang(
        obj=update, naar=naar, gebruiker=gebruiker, reden=reden, na_commit=na_commit
    )
