"""The submit/approve workflow as an explicit table of allowed transitions.

One function, `workflow_overgang`, applies a transition to any object with the workflow fields
(a progress update, a figures delivery): it locks the row, checks the table and the user's role
in the object's region, records who and when, writes the audit log and fires side effects after
the commit (Signalen's pattern).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regioaanpak.choices import AuditActie, RolSoort, WorkflowStatus
from regioaanpak.toegang import heeft_rol

S = WorkflowStatus
R = RolSoort


@dataclass(frozen=True)
class Overgang:
    actie: str  # the verb shown on the button, e.g. "indienen"
    rollen: frozenset[str]
    reden_verplicht: bool = False
    # "om ... te ..." form of the verb for messages, e.g. "terug te sturen".
    te_infinitief: str = ""


BEOORDELAARS = frozenset({R.BELEIDSMEDEWERKER, R.BEHEERDER})

# Progress updates: approved is final (read-only).
OVERGANGEN_VOORTGANG: dict[tuple[str, str], Overgang] = {
    (S.CONCEPT, S.INGEDIEND): Overgang("indienen", frozenset({R.PROJECTLEIDER})),
    (S.INGEDIEND, S.GOEDGEKEURD): Overgang("goedkeuren", BEOORDELAARS),
    (S.INGEDIEND, S.TERUGGESTUURD): Overgang(
        "terugsturen", BEOORDELAARS, reden_verplicht=True, te_infinitief="terug te sturen"
    ),
    (S.TERUGGESTUURD, S.CONCEPT): Overgang("weer bewerken", frozenset({R.PROJECTLEIDER})),
}

# Figures per region and period: the same, plus lifting the lock of an approved period.
OVERGANGEN_GEGEVENS: dict[tuple[str, str], Overgang] = {
    **OVERGANGEN_VOORTGANG,
    (S.GOEDGEKEURD, S.CONCEPT): Overgang(
        "vergrendeling opheffen",
        frozenset({R.BEHEERDER}),
        reden_verplicht=True,
        te_infinitief="de vergrendeling op te heffen",
    ),
}

# Yearly judgements of a qualitative effect: the beleidsmedewerker writes and submits, another
# beleidsmedewerker or a beheerder approves (the four-eyes rule applies).
OVERGANGEN_OORDEEL: dict[tuple[str, str], Overgang] = {
    (S.CONCEPT, S.INGEDIEND): Overgang("indienen", frozenset({R.BELEIDSMEDEWERKER})),
    (S.INGEDIEND, S.GOEDGEKEURD): Overgang("goedkeuren", BEOORDELAARS),
    (S.INGEDIEND, S.TERUGGESTUURD): Overgang(
        "terugsturen", BEOORDELAARS, reden_verplicht=True, te_infinitief="terug te sturen"
    ),
    (S.TERUGGESTUURD, S.CONCEPT): Overgang("weer bewerken", frozenset({R.BELEIDSMEDEWERKER})),
}

ROL_NAMEN = {
    frozenset({R.PROJECTLEIDER}): gettext_lazy("de projectleider"),
    BEOORDELAARS: gettext_lazy("een beleidsmedewerker of beheerder"),
    frozenset({R.BELEIDSMEDEWERKER}): gettext_lazy("een beleidsmedewerker"),
    frozenset({R.BEHEERDER}): gettext_lazy("een beheerder"),
}


class WorkflowFout(Exception):
    """A refused transition; the message is Dutch and says why."""


def vier_ogen_uitzondering(regio):
    """The region's recorded exception to the four-eyes rule, or None."""
    from regioaanpak.models import VierOgenUitzondering

    return VierOgenUitzondering.objects.filter(regio=regio).first()


def _zelf_ingediend(obj: WorkflowModel, naar: str, gebruiker) -> bool:
    """Approving what one submitted oneself (the four-eyes rule forbids it)."""
    return (
        naar == WorkflowStatus.GOEDGEKEURD
        and obj.ingediend_door_id is not None
        and obj.ingediend_door_id == getattr(gebruiker, "pk", None)
    )


class WorkflowModel(models.Model):
    """Fields every object in the workflow has."""

    workflow_status = models.CharField(
        gettext_lazy("status"),
        max_length=20,
        choices=WorkflowStatus.choices,
        default=WorkflowStatus.CONCEPT,
    )
    versie = models.PositiveIntegerField(
        gettext_lazy("versie"),
        default=1,
        help_text=gettext_lazy(
            "Wordt bij elke wijziging opgehoogd; voorkomt dat iemand "
            "ongemerkt andermans wijziging overschrijft."
        ),
    )
    reden = models.TextField(
        gettext_lazy("reden bij de laatste statuswijziging"),
        blank=True,
        help_text=gettext_lazy("Bijvoorbeeld waarom iets is teruggestuurd."),
    )
    ingediend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("ingediend door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ingediend_op = models.DateTimeField(gettext_lazy("ingediend op"), null=True, blank=True)
    beoordeeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("beoordeeld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    beoordeeld_op = models.DateTimeField(gettext_lazy("beoordeeld op"), null=True, blank=True)

    OVERGANGEN: dict[tuple[str, str], Overgang] = OVERGANGEN_VOORTGANG

    class Meta:
        abstract = True

    @property
    def regio_voor_toegang(self):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    @property
    def is_bewerkbaar(self) -> bool:
        return self.workflow_status in (WorkflowStatus.CONCEPT, WorkflowStatus.TERUGGESTUURD)

    def toegestane_overgangen(self, gebruiker) -> list[tuple[str, Overgang]]:
        """Transitions from the current status that this user may make (for the buttons)."""
        overgangen = [
            (naar, overgang)
            for (van, naar), overgang in self.OVERGANGEN.items()
            if van == self.workflow_status
            and heeft_rol(gebruiker, self.regio_voor_toegang, *overgang.rollen)
        ]
        zelf = [naar for naar, _o in overgangen if _zelf_ingediend(self, naar, gebruiker)]
        if zelf and vier_ogen_uitzondering(self.regio_voor_toegang) is None:
            overgangen = [o for o in overgangen if o[0] not in zelf]
        return overgangen

    def knoppen(self, gebruiker) -> list[tuple[str, Overgang]]:
        """The transitions offered as buttons: without "weer bewerken", which saving a returned
        item does by itself (the button only confused people)."""
        return [
            (naar, overgang)
            for naar, overgang in self.toegestane_overgangen(gebruiker)
            if not (
                self.workflow_status == WorkflowStatus.TERUGGESTUURD
                and naar == WorkflowStatus.CONCEPT
            )
        ]

    def audit_gegevens(self) -> dict:  # pragma: no cover - defined by subclasses
        raise NotImplementedError


def controleer_overgang(obj: WorkflowModel, naar: str, gebruiker, reden: str) -> Overgang:
    """Raise WorkflowFout with a Dutch reason when the transition is not allowed."""
    van = obj.workflow_status
    overgang = obj.OVERGANGEN.get((van, naar))
    if overgang is None:
        raise WorkflowFout(
            _("Van '%(van)s' naar '%(naar)s' is niet toegestaan.")
            % {"van": WorkflowStatus(van).label, "naar": WorkflowStatus(naar).label}
        )
    regio = obj.regio_voor_toegang
    if not heeft_rol(gebruiker, regio, *overgang.rollen):
        raise WorkflowFout(
            _("Alleen %(wie)s van %(regio)s mag %(actie)s.")
            % {
                "wie": ROL_NAMEN.get(overgang.rollen, ", ".join(sorted(overgang.rollen))),
                "regio": regio.naam,
                "actie": overgang.actie,
            }
        )
    if overgang.reden_verplicht and not (reden or "").strip():
        raise WorkflowFout(
            _("Geef een reden op om %(actie)s.")
            % {"actie": overgang.te_infinitief or f"te {overgang.actie}"}
        )
    if _zelf_ingediend(obj, naar, gebruiker) and vier_ogen_uitzondering(regio) is None:
        raise WorkflowFout(
            _(
                "U heeft dit zelf ingediend en kunt het daarom niet goedkeuren "
                "(vier-ogenprincipe): een andere beleidsmedewerker of beheerder van %(regio)s "
                "keurt het goed. Heeft de regio maar één beoordelaar, dan kan een beheerder een "
                "uitzondering vastleggen, met een reden."
            )
            % {"regio": regio.naam}
        )
    return overgang


def workflow_overgang(
    *,
    obj: WorkflowModel,
    naar: str,
    gebruiker,
    reden: str = "",
    na_commit: Callable[[WorkflowModel], None] | None = None,
) -> WorkflowModel:
    """Apply one transition of the table to `obj`, under a row lock, with an audit entry."""
    from regioaanpak.services import audit_schrijf

    with transaction.atomic():
        vergrendeld = type(obj).objects.select_for_update().get(pk=obj.pk)
        overgang = controleer_overgang(vergrendeld, naar, gebruiker, reden)
        van = vergrendeld.workflow_status
        nu = timezone.now()
        vergrendeld.workflow_status = naar
        vergrendeld.reden = (reden or "").strip()
        velden = ["workflow_status", "reden", "versie"]
        if naar == WorkflowStatus.INGEDIEND:
            vergrendeld.ingediend_door, vergrendeld.ingediend_op = gebruiker, nu
            velden += ["ingediend_door", "ingediend_op"]
        elif naar in (WorkflowStatus.GOEDGEKEURD, WorkflowStatus.TERUGGESTUURD):
            vergrendeld.beoordeeld_door, vergrendeld.beoordeeld_op = gebruiker, nu
            velden += ["beoordeeld_door", "beoordeeld_op"]
        vergrendeld.versie += 1
        vergrendeld.save(update_fields=velden)
        if van == WorkflowStatus.GOEDGEKEURD:
            actie = AuditActie.ONTGRENDELD
        elif naar == WorkflowStatus.GOEDGEKEURD:
            actie = AuditActie.VERGRENDELD
        else:
            actie = AuditActie.STATUS
        omschrijving = overgang.actie
        if _zelf_ingediend(vergrendeld, naar, gebruiker):
            uitzondering = vier_ogen_uitzondering(vergrendeld.regio_voor_toegang)
            omschrijving = (
                f"{overgang.actie}, eigen indiening (vier-ogenuitzondering: {uitzondering.reden})"
            )
        audit_schrijf(
            gebruiker=gebruiker,
            obj=vergrendeld,
            regio=vergrendeld.regio_voor_toegang,
            actie=actie,
            voor={"status": van},
            na={"status": naar},
            reden=vergrendeld.reden,
            omschrijving=omschrijving[:300],
        )
        if na_commit is not None:
            transaction.on_commit(lambda: na_commit(vergrendeld))
    return vergrendeld
