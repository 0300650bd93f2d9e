"""Stored files (published and concept PDFs) in the database, so every app machine shares them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Bestand(models.Model):
    """One stored file: its name in the storage and its bytes (regioaanpak.opslag)."""

    naam = models.CharField(_("naam"), max_length=255, unique=True)
    inhoud = models.BinaryField(_("inhoud"))
    grootte = models.PositiveIntegerField(_("grootte in bytes"))
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("opgeslagen bestand")
        verbose_name_plural = _("opgeslagen bestanden")

    def __str__(self) -> str:
        return self.naam
