"""The regional approach: action lines, projects, milestones, quarterly planning, budget."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actielijnen.choices import (
    BegrotingSoort,
    Fase,
    Financieringsbron,
    MijlpaalStandKeuze,
    ProjectStatus,
)
from regioaanpak.choices import PeriodeSoort
from regioaanpak.models import Gemeente, Periode, Regio
from regioaanpak.validators import begrensde_tekst
from regioaanpak.workflow import WorkflowModel


def _volgorde_constraint(naam: str, van: str, tot: str, bericht) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{van}__isnull": True})
        | Q(**{f"{tot}__isnull": True})
        | Q(**{f"{tot}__gte": models.F(van)}),
        name=naam,
        violation_error_message=bericht,
    )


class Regioaanpak(models.Model):
    regio = models.ForeignKey(
        Regio, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="regioaanpakken"
    )
    titel = models.CharField(_("titel"), max_length=200)
    looptijd_van = models.DateField(_("looptijd van"))
    looptijd_tot = models.DateField(_("looptijd tot en met"))
    vastgesteld_op = models.DateField(
        _("vastgesteld op"),
        null=True,
        blank=True,
        help_text=_("Datum van vaststelling door college of raad; leeg als die onbekend is."),
    )
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    bron = models.CharField(
        _("bron"), max_length=300, blank=True, help_text=_("Het beleidsdocument.")
    )

    class Meta:
        verbose_name = _("regioaanpak")
        verbose_name_plural = _("regioaanpakken")
        ordering = ["regio__naam", "-looptijd_van"]
        constraints = [
            _volgorde_constraint(
                "regioaanpak_looptijd_volgorde",
                "looptijd_van",
                "looptijd_tot",
                _("Het einde van de looptijd ligt vóór het begin."),
            ),
        ]

    def __str__(self) -> str:
        return self.titel


class Actielijn(models.Model):
    regioaanpak = models.ForeignKey(
        Regioaanpak,
        verbose_name=_("regioaanpak"),
        on_delete=models.CASCADE,
        related_name="actielijnen",
    )
    nummer = models.PositiveSmallIntegerField(_("nummer"))
    titel = models.CharField(_("titel"), max_length=200)
    beoogd_effect = models.TextField(_("beoogd effect"), blank=True)
    omschrijving = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("actielijn")
        verbose_name_plural = _("actielijnen")
        ordering = ["regioaanpak", "nummer"]
        constraints = [
            models.UniqueConstraint(
                fields=["regioaanpak", "nummer"],
                name="actielijn_nummer_uniek",
                violation_error_message=_(
                    "Deze regioaanpak heeft al een actielijn met dit nummer."
                ),
            ),
            models.CheckConstraint(
                condition=Q(nummer__gte=1),
                name="actielijn_nummer_positief",
                violation_error_message=_("Het nummer van een actielijn begint bij 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"Actielijn {self.nummer}: {self.titel}"


class Project(models.Model):
    actielijn = models.ForeignKey(
        Actielijn, verbose_name=_("actielijn"), on_delete=models.CASCADE, related_name="projecten"
    )
    titel = models.CharField(_("titel"), max_length=200)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    trekker = models.CharField(
        _("trekker"),
        max_length=200,
        blank=True,
        help_text=_("De organisatie of het team dat het project trekt."),
    )
    projectleider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("projectleider"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projecten",
        help_text=_("De gebruiker die de voortgang van dit project invult."),
    )
    gemeenten = models.ManyToManyField(
        Gemeente,
        verbose_name=_("gemeenten"),
        blank=True,
        related_name="projecten",
        help_text=_("Leeg: het project geldt voor de hele regio."),
    )
    startdatum = models.DateField(_("startdatum"), null=True, blank=True)
    einddatum = models.DateField(_("einddatum"), null=True, blank=True)
    begroting = models.DecimalField(
        _("begroting (euro)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leeg als er geen apart projectbudget is vastgesteld."),
    )
    financieringsbron = models.CharField(
        _("financieringsbron"), max_length=30, choices=Financieringsbron.choices, blank=True
    )
    bron = models.CharField(
        _("bron"), max_length=300, blank=True, help_text=_("Waar het project is beschreven.")
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projecten")
        ordering = ["actielijn", "titel"]
        constraints = [
            _volgorde_constraint(
                "project_looptijd_volgorde",
                "startdatum",
                "einddatum",
                _("De einddatum van het project ligt vóór de startdatum."),
            ),
            models.CheckConstraint(
                condition=Q(begroting__isnull=True) | Q(begroting__gte=0),
                name="project_begroting_niet_negatief",
                violation_error_message=_("Een begroting kan niet negatief zijn."),
            ),
            models.UniqueConstraint(
                fields=["actielijn", "titel"],
                name="project_titel_uniek",
                violation_error_message=_("Deze actielijn heeft al een project met deze titel."),
            ),
        ]

    def __str__(self) -> str:
        return self.titel

    @property
    def regioaanpak(self) -> Regioaanpak:
        return self.actielijn.regioaanpak


class Mijlpaal(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="mijlpalen"
    )
    titel = models.CharField(_("titel"), max_length=200)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    geplande_datum = models.DateField(_("geplande datum"))
    behaald_op = models.DateField(_("behaald op"), null=True, blank=True)

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["project", "geplande_datum"]

    def __str__(self) -> str:
        return self.titel


class PlanningFase(models.Model):
    """The phase a project is planned to be in during one quarter."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="planning"
    )
    periode = models.ForeignKey(
        Periode,
        verbose_name=_("kwartaal"),
        on_delete=models.PROTECT,
        related_name="planning",
        limit_choices_to={"soort": PeriodeSoort.KWARTAAL},
    )
    fase = models.CharField(_("fase"), max_length=30, choices=Fase.choices)
    omschrijving = models.CharField(
        _("omschrijving"),
        max_length=200,
        blank=True,
        help_text=_("De formulering uit het actieplan, zoals 'Inventariseren; plan'."),
    )

    class Meta:
        verbose_name = _("planning per kwartaal")
        verbose_name_plural = _("planning per kwartaal")
        ordering = ["project", "periode"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "periode"],
                name="planning_uniek_per_kwartaal",
                violation_error_message=_("Dit project heeft voor dit kwartaal al een fase."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.periode_id}: {self.get_fase_display()}"

    def clean(self) -> None:
        if self.periode_id and not self.periode_id[4:6] == PeriodeSoort.KWARTAAL:
            raise ValidationError(
                {
                    "periode": _("De planning is per kwartaal; %(periode)s is geen kwartaal.")
                    % {"periode": self.periode_id}
                }
            )


class Begrotingspost(models.Model):
    """A line of a region's budget table: a planned expense or the money that covers it."""

    regioaanpak = models.ForeignKey(
        Regioaanpak,
        verbose_name=_("regioaanpak"),
        on_delete=models.CASCADE,
        related_name="begrotingsposten",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="begrotingsposten",
    )
    soort = models.CharField(_("soort"), max_length=20, choices=BegrotingSoort.choices)
    omschrijving = models.CharField(_("omschrijving"), max_length=300)
    bedrag = models.DecimalField(_("bedrag (euro)"), max_digits=14, decimal_places=2)
    financieringsbron = models.CharField(
        _("financieringsbron"), max_length=30, choices=Financieringsbron.choices
    )
    van_jaar = models.PositiveSmallIntegerField(_("van jaar"))
    tot_jaar = models.PositiveSmallIntegerField(
        _("tot en met jaar"), help_text=_("Gelijk aan 'van jaar' voor een bedrag per jaar.")
    )
    toelichting = models.TextField(_("toelichting"), blank=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("begrotingspost")
        verbose_name_plural = _("begrotingsposten")
        ordering = ["regioaanpak", "soort", "volgorde"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bedrag__gte=0),
                name="begrotingspost_bedrag_niet_negatief",
                violation_error_message=_("Een bedrag in de begroting kan niet negatief zijn."),
            ),
            models.CheckConstraint(
                condition=Q(tot_jaar__gte=models.F("van_jaar")),
                name="begrotingspost_jaren_volgorde",
                violation_error_message=_("Het laatste jaar ligt vóór het eerste jaar."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.omschrijving}: € {self.bedrag}"


class Voortgangsupdate(WorkflowModel):
    """The project leader's report on one project for one quarter."""

    # PROTECT: a project with reported progress is never deleted (in the admin neither), so
    # no approved update disappears without an audit entry.
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="voortgang"
    )
    periode = models.ForeignKey(
        Periode,
        verbose_name=_("kwartaal"),
        on_delete=models.PROTECT,
        related_name="voortgangsupdates",
        limit_choices_to={"soort": PeriodeSoort.KWARTAAL},
    )
    status = models.CharField(
        _("status van het project"), max_length=20, choices=ProjectStatus.choices
    )
    toelichting = models.TextField(_("toelichting"), blank=True, validators=[begrensde_tekst])
    resultaten = models.TextField(
        _("behaalde resultaten"), blank=True, validators=[begrensde_tekst]
    )
    knelpunten = models.TextField(
        _("knelpunten en risico's"), blank=True, validators=[begrensde_tekst]
    )
    volgende_stappen = models.TextField(
        _("volgende stappen"), blank=True, validators=[begrensde_tekst]
    )
    uitgaven_tm_kwartaal = models.DecimalField(
        _("uitgaven tot en met dit kwartaal (euro)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Totaal uitgegeven sinds de start van het project, tot en met dit kwartaal."),
    )
    fase = models.CharField(
        _("fase in dit kwartaal"),
        max_length=30,
        choices=Fase.choices,
        blank=True,
        help_text=_("De fase waarin het project werkelijk is; de planning staat ernaast."),
    )
    fase_toelichting = models.CharField(_("toelichting op de fase"), max_length=300, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("voortgangsupdate")
        verbose_name_plural = _("voortgangsupdates")
        ordering = ["project", "-periode_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "periode"],
                name="voortgang_uniek_per_kwartaal",
                violation_error_message=_(
                    "Voor dit project is er in dit kwartaal al een voortgangsupdate."
                ),
            ),
            models.CheckConstraint(
                condition=Q(uitgaven_tm_kwartaal__isnull=True) | Q(uitgaven_tm_kwartaal__gte=0),
                name="voortgang_uitgaven_niet_negatief",
                violation_error_message=_("Uitgaven kunnen niet negatief zijn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.periode_id}"

    @property
    def regio_voor_toegang(self) -> Regio:
        return self.project.actielijn.regioaanpak.regio

    def audit_gegevens(self) -> dict:
        return {
            "status": self.status,
            "toelichting": self.toelichting,
            "resultaten": self.resultaten,
            "knelpunten": self.knelpunten,
            "volgende_stappen": self.volgende_stappen,
            "uitgaven_tm_kwartaal": (
                None if self.uitgaven_tm_kwartaal is None else str(self.uitgaven_tm_kwartaal)
            ),
            "fase": self.fase,
            "fase_toelichting": self.fase_toelichting,
        }

    def clean(self) -> None:
        if self.periode_id and self.periode_id[4:6] != PeriodeSoort.KWARTAAL:
            raise ValidationError(
                {
                    "periode": _("Een voortgangsupdate is per kwartaal; %(periode)s is dat niet.")
                    % {"periode": self.periode_id}
                }
            )


class MijlpaalStand(models.Model):
    """The state of one milestone as reported in one progress update."""

    update = models.ForeignKey(
        Voortgangsupdate,
        verbose_name=_("voortgangsupdate"),
        on_delete=models.CASCADE,
        related_name="mijlpaalstanden",
    )
    mijlpaal = models.ForeignKey(
        Mijlpaal, verbose_name=_("mijlpaal"), on_delete=models.PROTECT, related_name="standen"
    )
    stand = models.CharField(_("stand"), max_length=20, choices=MijlpaalStandKeuze.choices)
    toelichting = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stand van een mijlpaal")
        verbose_name_plural = _("standen van mijlpalen")
        ordering = ["update", "mijlpaal__geplande_datum"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "mijlpaal"],
                name="mijlpaalstand_uniek",
                violation_error_message=_("Deze mijlpaal heeft in deze update al een stand."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mijlpaal}: {self.get_stand_display()}"
