"""People: roles per region and the audit log of every change."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regioaanpak.choices import AuditActie, RolSoort
from regioaanpak.models.gebieden import Gemeente, Lidmaatschap, Regio
from regioaanpak.querysets import RolQuerySet


class Rol(models.Model):
    """A user's role in a region, optionally narrowed to one municipality."""

    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="rollen",
    )
    regio = models.ForeignKey(
        Regio, verbose_name=_("regio"), on_delete=models.CASCADE, related_name="rollen"
    )
    gemeente = models.ForeignKey(
        Gemeente,
        verbose_name=_("gemeente"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rollen",
        help_text=_("Alleen invullen als de rol voor één gemeente van de regio geldt."),
    )
    rol = models.CharField(_("rol"), max_length=30, choices=RolSoort.choices)

    objects = RolQuerySet.as_manager()

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        ordering = ["gebruiker__username", "regio", "rol"]
        constraints = [
            models.UniqueConstraint(
                fields=["gebruiker", "regio", "rol"],
                condition=Q(gemeente__isnull=True),
                name="rol_uniek_per_regio",
                violation_error_message=_("Deze gebruiker heeft deze rol al in deze regio."),
            ),
            models.UniqueConstraint(
                fields=["gebruiker", "regio", "gemeente", "rol"],
                condition=Q(gemeente__isnull=False),
                name="rol_uniek_per_gemeente",
                violation_error_message=_(
                    "Deze gebruiker heeft deze rol al voor deze gemeente in deze regio."
                ),
            ),
        ]

    def __str__(self) -> str:
        waar = f"{self.regio}" + (f" / {self.gemeente.naam}" if self.gemeente_id else "")
        return f"{self.gebruiker} — {self.get_rol_display()} — {waar}"

    def clean(self) -> None:
        if (
            self.gemeente_id
            and self.regio_id
            and not Lidmaatschap.objects.filter(
                regio_id=self.regio_id, gemeente_id=self.gemeente_id
            ).exists()
        ):
            raise ValidationError(
                {
                    "gemeente": _("%(gemeente)s hoort niet bij de regio %(regio)s.")
                    % {"gemeente": self.gemeente.naam, "regio": self.regio.naam}
                }
            )


class AuditRegel(models.Model):
    """One change: who, when, what before and after. Written by services, never edited."""

    tijdstip = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="auditregels",
    )
    gebruikersnaam = models.CharField(
        _("gebruikersnaam"),
        max_length=150,
        blank=True,
        help_text=_("Bewaard zodat de geschiedenis leesbaar blijft als een account verdwijnt."),
    )
    # No index of its own: audit_regio_tijd (regio, tijdstip) serves every lookup by region, and
    # each index costs time on every audit row (an import writes 100.000 of them).
    regio = models.ForeignKey(
        Regio,
        verbose_name=_("regio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="auditregels",
        db_index=False,
    )
    object_type = models.CharField(_("soort object"), max_length=100)
    object_id = models.CharField(_("object-id"), max_length=100)
    omschrijving = models.CharField(_("omschrijving"), max_length=300, blank=True)
    actie = models.CharField(_("actie"), max_length=20, choices=AuditActie.choices)
    voor = models.JSONField(_("voor"), null=True, blank=True)
    na = models.JSONField(_("na"), null=True, blank=True)
    reden = models.TextField(_("reden"), blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-tijdstip", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["regio", "tijdstip"], name="audit_regio_tijd"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.tijdstip:%Y-%m-%d %H:%M} {self.gebruikersnaam} {self.actie} {self.object_type}"
        )


class VierOgenUitzondering(models.Model):
    """A region where one person may approve what they submitted themselves.

    The four-eyes rule (the submitter cannot approve) holds everywhere unless a beheerder of
    the region records an exception with a reason, for a region with a single official; both
    the exception and every approval under it are in the audit log."""

    regio = models.OneToOneField(
        Regio,
        verbose_name=_("regio"),
        on_delete=models.CASCADE,
        related_name="vier_ogen_uitzondering",
    )
    reden = models.TextField(_("reden"))
    toegestaan_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toegestaan door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    toegestaan_op = models.DateTimeField(_("toegestaan op"), auto_now_add=True)

    class Meta:
        verbose_name = _("uitzondering op het vier-ogenprincipe")
        verbose_name_plural = _("uitzonderingen op het vier-ogenprincipe")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reden=""),
                name="vier_ogen_uitzondering_reden",
                violation_error_message=_(
                    "Een uitzondering op het vier-ogenprincipe vraagt een reden."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regio}: {self.reden}"
