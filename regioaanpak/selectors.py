"""Reads of the core domain: which regions a user may see, members of a region in a period."""

from __future__ import annotations

from django.db.models import QuerySet

from regioaanpak.models import Regio
from regioaanpak.toegang import zichtbare_regios


def regios_van_gebruiker(gebruiker) -> QuerySet[Regio]:
    """The regions a user may see: those of their roles; a superuser sees all."""
    return zichtbare_regios(gebruiker)
