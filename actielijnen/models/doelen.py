"""The goal tree of a regional approach: impacts -> strategic goals -> action lines (existing) ->
projects (existing), with effect indicators (baseline, target, the threshold from which the
effect counts as "voldoende bereikt", direction) and yearly judgements of qualitative effects.

Rotterdam-Rijnmond's Regiovisie (seed 004) names three impacts and four strategic goals above its
action lines, and asks to define "wanneer een beoogd effect als voldoende bereikt beschouwd kan
worden" and "de actuele nulsituatie"; the models hold exactly those.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actielijnen.choices import Oordeel
from actielijnen.models.aanpak import Actielijn, Regioaanpak
from regioaanpak.models import Periode
from regioaanpak.validators import begrensde_tekst
from regioaanpak.workflow import OVERGANGEN_OORDEEL, WorkflowModel

HOGER = "hoger_beter"
LAGER = "lager_beter"
RICHTINGEN = [(HOGER, _("hoger is beter")), (LAGER, _("lager is beter"))]


class Impact(models.Model):
    """What the approach wants to achieve in society (Rotterdam-Rijnmond: "IMPACT 1")."""

    regioaanpak = models.ForeignKey(
        Regioaanpak, verbose_name=_("regioaanpak"), on_delete=models.CASCADE, related_name="impacts"
    )
    nummer = models.PositiveSmallIntegerField(_("nummer"))
    titel = models.CharField(_("titel"), max_length=300)
    omschrijving = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("beoogde impact")
        verbose_name_plural = _("beoogde impacts")
        ordering = ["regioaanpak", "nummer"]
        constraints = [
            models.UniqueConstraint(
                fields=["regioaanpak", "nummer"],
                name="impact_nummer_uniek",
                violation_error_message=_("Deze regioaanpak heeft al een impact met dit nummer."),
            )
        ]

    def __str__(self) -> str:
        return f"Impact {self.nummer}: {self.titel}"


class StrategischDoel(models.Model):
    """An outcome under an impact, reached through action lines ("STRATEGISCH DOEL 2")."""

    impact = models.ForeignKey(
        Impact, verbose_name=_("impact"), on_delete=models.CASCADE, related_name="doelen"
    )
    nummer = models.PositiveSmallIntegerField(
        _("nummer"), help_text=_("Zoals in het beleidsdocument (doorlopend over de impacts).")
    )
    titel = models.CharField(_("titel"), max_length=300)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    actielijnen = models.ManyToManyField(
        Actielijn,
        verbose_name=_("actielijnen"),
        blank=True,
        related_name="doelen",
        help_text=_("De actielijnen van dezelfde regioaanpak die aan dit doel bijdragen."),
    )

    class Meta:
        verbose_name = _("strategisch doel")
        verbose_name_plural = _("strategische doelen")
        ordering = ["impact__regioaanpak", "nummer"]
        constraints = [
            models.UniqueConstraint(
                fields=["impact", "nummer"],
                name="strategisch_doel_nummer_uniek",
                violation_error_message=_("Deze impact heeft al een doel met dit nummer."),
            )
        ]

    def __str__(self) -> str:
        return f"Strategisch doel {self.nummer}: {self.titel}"

    @property
    def regioaanpak(self) -> Regioaanpak:
        return self.impact.regioaanpak


def _een_van_beide(naam: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(doel__isnull=False) & Q(actielijn__isnull=True))
        | (Q(doel__isnull=True) & Q(actielijn__isnull=False)),
        name=naam,
        violation_error_message=_("Kies een strategisch doel of een actielijn (één van beide)."),
    )


class Effectindicator(models.Model):
    """A measured effect of a goal or action line: which indicator, from which baseline, to
    which target, and from which value the effect counts as "voldoende bereikt"."""

    doel = models.ForeignKey(
        StrategischDoel,
        verbose_name=_("strategisch doel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="effectindicatoren",
    )
    actielijn = models.ForeignKey(
        Actielijn,
        verbose_name=_("actielijn"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="effectindicatoren",
    )
    beoogd_effect = models.CharField(_("beoogd effect"), max_length=300)
    indicator = models.ForeignKey(
        "monitoring.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="effectindicatoren",
    )
    richting = models.CharField(_("richting"), max_length=20, choices=RICHTINGEN)
    nulmeting_periode = models.ForeignKey(
        Periode,
        verbose_name=_("periode van de nulmeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leeg: de nulmeting is nog te bepalen."),
    )
    nulmeting_waarde = models.DecimalField(
        _("waarde van de nulmeting"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Leeg: de monitor leest de nulmeting uit de cijfers van die periode. Alleen invullen "
            "voor een meting buiten de monitor (zoals een onderzoek)."
        ),
    )
    streefwaarde = models.DecimalField(
        _("streefwaarde"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    streef_periode = models.ForeignKey(
        Periode,
        verbose_name=_("periode van de streefwaarde"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drempel = models.DecimalField(
        _("voldoende bereikt vanaf"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "De waarde vanaf waar het effect als voldoende bereikt geldt (bij 'lager is beter': "
            "tot en met). Leeg: nog niet vastgesteld."
        ),
    )
    toelichting = models.TextField(_("toelichting"), blank=True)
    bron = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("effectindicator")
        verbose_name_plural = _("effectindicatoren")
        ordering = ["doel", "actielijn", "pk"]
        constraints = [
            _een_van_beide("effectindicator_doel_of_actielijn"),
            models.CheckConstraint(
                condition=Q(nulmeting_waarde__isnull=True) | Q(nulmeting_periode__isnull=False),
                name="effectindicator_nulmeting_met_periode",
                violation_error_message=_("Een nulmeting heeft een periode."),
            ),
            models.CheckConstraint(
                condition=Q(streefwaarde__isnull=True, streef_periode__isnull=True)
                | Q(streefwaarde__isnull=False, streef_periode__isnull=False),
                name="effectindicator_streefwaarde_met_periode",
                violation_error_message=_("Een streefwaarde heeft een periode, en omgekeerd."),
            ),
        ]

    def __str__(self) -> str:
        return self.beoogd_effect

    @property
    def regioaanpak(self) -> Regioaanpak:
        return self.doel.regioaanpak if self.doel_id else self.actielijn.regioaanpak

    def clean(self) -> None:
        super().clean()
        if (
            self.nulmeting_periode_id
            and self.streef_periode_id
            and self.streef_periode.einddatum < self.nulmeting_periode.begindatum
        ):
            raise ValidationError({"streef_periode": _("De streefwaarde ligt vóór de nulmeting.")})


class Effectoordeel(WorkflowModel):
    """A yearly judgement of a qualitative effect, with its motivation: written and submitted by
    a beleidsmedewerker, approved by another (or a beheerder)."""

    doel = models.ForeignKey(
        StrategischDoel,
        verbose_name=_("strategisch doel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="oordelen",
    )
    actielijn = models.ForeignKey(
        Actielijn,
        verbose_name=_("actielijn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="oordelen",
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    oordeel = models.CharField(_("oordeel"), max_length=20, choices=Oordeel.choices)
    motivering = models.TextField(_("motivering"), validators=[begrensde_tekst])

    OVERGANGEN = OVERGANGEN_OORDEEL

    class Meta:
        verbose_name = _("oordeel over een effect")
        verbose_name_plural = _("oordelen over effecten")
        # No ordering over the nullable goal or action line: a row lock (select_for_update, the
        # workflow) cannot take the outer join that would need on PostgreSQL.
        ordering = ["-jaar", "id"]
        constraints = [
            _een_van_beide("effectoordeel_doel_of_actielijn"),
            models.UniqueConstraint(
                fields=["doel", "jaar"],
                condition=Q(doel__isnull=False),
                name="effectoordeel_doel_jaar_uniek",
                violation_error_message=_("Voor dit doel is er al een oordeel over dit jaar."),
            ),
            models.UniqueConstraint(
                fields=["actielijn", "jaar"],
                condition=Q(actielijn__isnull=False),
                name="effectoordeel_actielijn_jaar_uniek",
                violation_error_message=_(
                    "Voor deze actielijn is er al een oordeel over dit jaar."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(motivering=""),
                name="effectoordeel_motivering_verplicht",
                violation_error_message=_("Een oordeel heeft een motivering."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jaar}: {self.get_oordeel_display()}"

    @property
    def regioaanpak(self) -> Regioaanpak:
        return self.doel.regioaanpak if self.doel_id else self.actielijn.regioaanpak

    @property
    def regio_voor_toegang(self):
        return self.regioaanpak.regio
