"""Personal API tokens: scoped to regions and to reading or writing, with an expiry date.

Only the SHA-256 of a token is stored; the token itself is shown once, when it is made. A token
is high-entropy random text, so a plain (fast) hash is enough to make a stolen database useless.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regioaanpak.choices import TokenScope
from regioaanpak.models.gebieden import Regio


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def geldig(self, moment=None) -> ApiTokenQuerySet:
        moment = moment or timezone.now()
        return self.filter(ingetrokken_op__isnull=True, verloopt_op__gt=moment)


class ApiToken(models.Model):
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("De eigenaar: wat het token leest of schrijft staat op diens naam."),
    )
    naam = models.CharField(
        _("omschrijving"),
        max_length=100,
        blank=True,
        help_text=_("Waarvoor het token is, bijvoorbeeld 'Power BI GGD' of 'aanlevering VT'."),
    )
    prefix = models.CharField(
        _("begin van het token"),
        max_length=8,
        db_index=True,
        editable=False,
        help_text=_("De eerste tekens, om het token te herkennen zonder het te kennen."),
    )
    sleutel_hash = models.CharField(_("SHA-256 van het token"), max_length=64, unique=True)
    scope = models.CharField(
        _("bevoegdheid"), max_length=20, choices=TokenScope.choices, default=TokenScope.LEZEN
    )
    regios = models.ManyToManyField(
        Regio,
        verbose_name=_("regio's"),
        related_name="api_tokens",
        help_text=_(
            "Het token geeft alleen toegang tot deze regio's, en alleen voor zover de eigenaar "
            "er een rol heeft."
        ),
    )
    organisatie = models.ForeignKey(
        "regioaanpak.Organisatie",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text=_(
            "Voor wie een schrijftoken aanlevert: het levert alleen de indicatoren van deze "
            "organisatie. Leeg: de standaardorganisatie (Veilig Thuis)."
        ),
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verloopt_op = models.DateTimeField(_("verloopt op"))
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    ingetrokken_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingetrokken door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    laatst_gebruikt_op = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)
    gewaarschuwd_op = models.DateTimeField(
        _("gewaarschuwd op"),
        null=True,
        blank=True,
        help_text=_("Wanneer de eigenaar een e-mail kreeg dat het token binnenkort verloopt."),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")
        ordering = ["-aangemaakt_op"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sleutel_hash__regex=r"^[0-9a-f]{64}$"),
                name="apitoken_hash_formaat",
                violation_error_message=_("Van een token wordt alleen de SHA-256 bewaard."),
            ),
        ]

    def __str__(self) -> str:
        naam = f" ({self.naam})" if self.naam else ""
        return f"{self.prefix}…{naam} van {self.gebruiker}"

    @property
    def is_verlopen(self) -> bool:
        return self.verloopt_op <= timezone.now()

    @property
    def is_ingetrokken(self) -> bool:
        return self.ingetrokken_op is not None

    @property
    def is_geldig(self) -> bool:
        return not (self.is_ingetrokken or self.is_verlopen)

    @property
    def mag_schrijven(self) -> bool:
        return self.scope == TokenScope.SCHRIJVEN

    @property
    def toestand(self) -> str:
        if self.is_ingetrokken:
            return str(_("ingetrokken"))
        if self.is_verlopen:
            return str(_("verlopen"))
        return str(_("geldig"))
