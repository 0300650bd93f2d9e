"""Published report versions: immutable snapshots in two editions, each with its PDF and SHA-256."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rapportage.choices import Editie, RapportSoort, RapportStatus
from regioaanpak.models import Periode, Regio


@dataclass(frozen=True)
class RapportEditie:
    """One edition of a published version: its snapshot, its stored PDF and the PDF's SHA-256."""

    editie: str
    momentopname: dict
    pdf: object  # the FieldFile
    sha256: str

    @property
    def label(self) -> str:
        return str(Editie(self.editie).label)


class Rapport(models.Model):
    regio = models.ForeignKey(
        Regio, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="rapporten"
    )
    periode = models.ForeignKey(
        Periode, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="rapporten"
    )
    soort = models.CharField(_("soort"), max_length=20, choices=RapportSoort.choices)
    versie = models.PositiveSmallIntegerField(_("versie"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=RapportStatus.choices, default=RapportStatus.CONCEPT
    )
    reden = models.TextField(_("reden van deze versie"), blank=True)
    gepubliceerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gepubliceerd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gepubliceerde_rapporten",
    )
    gepubliceerd_op = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    momentopname = models.JSONField(
        _("momentopname"),
        null=True,
        blank=True,
        help_text=_("De bevroren gegevens waarop de gepubliceerde versie berust."),
    )
    pdf = models.FileField(_("PDF"), upload_to="rapporten/", blank=True)
    sha256 = models.CharField(_("SHA-256 van de PDF"), max_length=64, blank=True)
    # The protected edition: the same moment, every count disclosure-controlled. Versions
    # published before there were two editions have only the internal one (the fields above).
    momentopname_afgeschermd = models.JSONField(
        _("momentopname, afgeschermde editie"),
        null=True,
        blank=True,
        help_text=_(
            "Dezelfde bevroren gegevens met geheimhouding (afgeronde en onderdrukte aantallen), "
            "voor partners en openbare publicatie."
        ),
    )
    pdf_afgeschermd = models.FileField(
        _("PDF, afgeschermde editie"), upload_to="rapporten/", blank=True
    )
    sha256_afgeschermd = models.CharField(
        _("SHA-256 van de afgeschermde PDF"), max_length=64, blank=True
    )

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporten")
        ordering = ["regio", "-periode", "soort", "-versie"]
        constraints = [
            models.UniqueConstraint(
                fields=["regio", "periode", "soort", "versie"],
                name="rapport_versie_uniek",
                violation_error_message=_("Van dit rapport bestaat al een versie met dit nummer."),
            ),
            models.CheckConstraint(
                condition=Q(status=RapportStatus.CONCEPT)
                | Q(gepubliceerd_op__isnull=False, gepubliceerd_door__isnull=False),
                name="rapport_publicatie_volledig",
                violation_error_message=_(
                    "Een gepubliceerd rapport heeft een publicatiedatum en een publicist."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} {self.regio} {self.periode_id} v{self.versie}"

    def editie(self, editie: str) -> RapportEditie | None:
        """The edition, or None when this version does not have it (older versions have only
        the internal edition)."""
        if editie == Editie.INTERN:
            if self.momentopname is None:
                return None
            return RapportEditie(Editie.INTERN, self.momentopname, self.pdf, self.sha256)
        if editie == Editie.AFGESCHERMD:
            if self.momentopname_afgeschermd is None:
                return None
            return RapportEditie(
                Editie.AFGESCHERMD,
                self.momentopname_afgeschermd,
                self.pdf_afgeschermd,
                self.sha256_afgeschermd,
            )
        raise ValueError(f"Onbekende editie: {editie}")


class TaakStatus(models.TextChoices):
    WACHTEND = "wachtend", _("wachtend")
    BEZIG = "bezig", _("bezig")
    KLAAR = "klaar", _("klaar")
    MISLUKT = "mislukt", _("mislukt")


class RapportTaak(models.Model):
    """One run of the concept-PDF batch, queued or in-process, with its progress for the web."""

    periode = models.ForeignKey(
        Periode, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="rapporttaken"
    )
    regio = models.ForeignKey(
        Regio,
        verbose_name=_("regio"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rapporttaken",
        help_text=_("Leeg: alle regio's."),
    )
    aangevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rapporttaken",
    )
    aangevraagd_op = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaakStatus.choices, default=TaakStatus.WACHTEND
    )
    klaar = models.PositiveIntegerField(_("regio's klaar"), default=0)
    totaal = models.PositiveIntegerField(_("regio's totaal"), default=0)
    huidige_regio = models.CharField(_("huidige regio"), max_length=20, blank=True)
    gelukt = models.JSONField(_("gelukt"), default=list, blank=True)
    mislukt = models.JSONField(
        _("mislukt"), default=dict, blank=True, help_text=_("Per regiocode de reden.")
    )
    gestart_op = models.DateTimeField(_("gestart op"), null=True, blank=True)
    klaar_op = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapporttaak")
        verbose_name_plural = _("rapporttaken")
        ordering = ["-aangevraagd_op"]

    def __str__(self) -> str:
        regio = self.regio_id or "alle regio's"
        return f"{self.periode_id} {regio} ({self.get_status_display()})"

    @property
    def is_afgerond(self) -> bool:
        return self.status in {TaakStatus.KLAAR, TaakStatus.MISLUKT}
