"""Composite reads of the regional approach for pages, reports and the API."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from actielijnen.models import Actielijn, Project, Regioaanpak
from regioaanpak.models import Regio


def regioaanpakken_overzicht(*, regios: Iterable[Regio]) -> list[Regioaanpak]:
    """The approaches of the given regions with action lines and projects, in three queries."""
    projecten = Project.objects.prefetch_related("gemeenten").order_by("titel")
    actielijnen = Actielijn.objects.order_by("nummer").prefetch_related(
        Prefetch("projecten", queryset=projecten)
    )
    return list(
        Regioaanpak.objects.filter(regio__in=regios)
        .select_related("regio", "regio__centrumgemeente")
        .prefetch_related(Prefetch("actielijnen", queryset=actielijnen))
        .order_by("regio__naam", "-looptijd_van")
    )
