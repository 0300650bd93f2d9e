"""Organisations that deliver figures (Veilig Thuis, the shelters and other partners), and the
organisation of each municipality's local field."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regioaanpak.models.gebieden import Gemeente, Regio

VEILIG_THUIS = "veilig-thuis"

organisatiecode_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{0,39}$",
    _("Een organisatiecode bestaat uit kleine letters, cijfers en streepjes."),
)


class Organisatie(models.Model):
    """A partner that delivers its own indicators per quarter for the regions it works in.

    The standard organisation (Veilig Thuis) delivers every measured indicator that no other
    organisation of the region delivers; the others deliver the indicators assigned to them
    (`Indicator.organisaties`) for the regions of their werkgebied. Each organisation's figures
    of a region and period form one delivery, submitted and approved on its own."""

    code = models.CharField(
        _("code"), max_length=40, primary_key=True, validators=[organisatiecode_validator]
    )
    naam = models.CharField(_("naam"), max_length=200)
    standaard = models.BooleanField(
        _("standaardorganisatie"),
        default=False,
        help_text=_(
            "Levert elke indicator die geen andere organisatie in de regio levert "
            "(Veilig Thuis). Er is precies één standaardorganisatie."
        ),
    )
    werkgebied = models.ManyToManyField(
        Regio,
        verbose_name=_("werkgebied"),
        related_name="organisaties",
        blank=True,
        help_text=_("De regio's waarvoor de organisatie haar indicatoren aanlevert."),
    )
    contact_email = models.EmailField(
        _("e-mailadres voor herinneringen"),
        blank=True,
        help_text=_("Krijgt de herinnering als de cijfers van een kwartaal nog ontbreken."),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["-standaard", "naam"]
        constraints = [
            models.UniqueConstraint(
                fields=["standaard"],
                condition=Q(standaard=True),
                name="organisatie_een_standaard",
                violation_error_message=_("Er is al een standaardorganisatie."),
            ),
        ]

    def __str__(self) -> str:
        return self.naam


def standaard_organisatie() -> str:
    """The code of the standard organisation, created when missing (a fresh or flushed
    database): the default of a delivery whose organisation is not named."""
    code = Organisatie.objects.filter(standaard=True).values_list("code", flat=True).first()
    if code is None:
        Organisatie.objects.get_or_create(
            code=VEILIG_THUIS, defaults={"naam": "Veilig Thuis", "standaard": True}
        )
        code = VEILIG_THUIS
    return code


class LokaalVeldVorm(models.TextChoices):
    """How a municipality organises its local field (seed 004, 3: "vaak georganiseerd rondom
    integrale gebiedsteams, maar dat is niet overal het geval")."""

    INTEGRAAL_GEBIEDSTEAM = "integraal_gebiedsteam", _("integraal gebiedsteam")
    WIJKTEAMS = "wijkteams", _("wijkteams (sociaal team)")
    JEUGD_EN_WMO_APART = "jeugd_wmo_apart", _("aparte toegang voor jeugd en Wmo")
    ANDERS = "anders", _("anders")


class LokaalVeld(models.Model):
    """The organisation of a municipality's local field in a year, recorded as context for
    comparing municipalities: its form, and where the coordination of HGKM cases lies ("voor
    elke gemeente moet apart bekeken worden waar binnen het lokale veld de coördinatie op
    casuïstiek HGKM ligt", seed 004)."""

    gemeente = models.ForeignKey(
        Gemeente,
        verbose_name=_("gemeente"),
        on_delete=models.CASCADE,
        related_name="lokale_velden",
    )
    jaar = models.PositiveSmallIntegerField(_("vanaf jaar"))
    vorm = models.CharField(_("vorm"), max_length=30, choices=LokaalVeldVorm.choices)
    coordinatie = models.CharField(
        _("coördinatie casuïstiek HGKM"),
        max_length=200,
        help_text=_("Waar binnen het lokale veld de coördinatie op casuïstiek HGKM ligt."),
    )
    bron = models.CharField(_("bron"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lokaal veld")
        verbose_name_plural = _("lokale velden")
        ordering = ["gemeente", "-jaar"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "jaar"],
                name="lokaal_veld_uniek_per_gemeente_jaar",
                violation_error_message=_("Voor deze gemeente en dit jaar is het al vastgelegd."),
            ),
            models.CheckConstraint(
                condition=Q(jaar__gte=1900) & Q(jaar__lte=2999),
                name="lokaal_veld_jaar_bereik",
                violation_error_message=_("Een jaar tussen 1900 en 2999."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gemeente} {self.jaar}: {self.get_vorm_display()}"
