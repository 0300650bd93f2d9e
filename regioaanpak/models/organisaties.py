"""Organisations that deliver figures: Veilig Thuis, the shelters and other partners."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regioaanpak.models.gebieden import Regio

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
