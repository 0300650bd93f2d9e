"""Reads of figures for dashboards, reports, the API and the entry grid.

`cijfers` holds the one figure selector every number goes through; `grid` the reads of the
entry grid (previous values, warnings, history); `dashboard` the reads of the aldermen's
dashboards of a region and a municipality."""

from monitoring.selectors.cijfers import Cijfer, Cijfers, cijfer, cijfers, inwoners
from monitoring.selectors.dashboard import (
    Gemeentedashboard,
    Regiodashboard,
    gemeente_lidmaatschappen,
    gemeentedashboard,
    regiodashboard,
)
from monitoring.selectors.grid import (
    Gegevensgrid,
    GridContext,
    gegevensgrid,
    gegevensgrid_afwijkingen,
    gegevensgrid_context,
    gegevenslevering_laatste_opslag,
)

__all__ = [
    "Cijfer",
    "Cijfers",
    "Gegevensgrid",
    "Gemeentedashboard",
    "GridContext",
    "Regiodashboard",
    "cijfer",
    "cijfers",
    "gegevensgrid",
    "gegevensgrid_afwijkingen",
    "gegevensgrid_context",
    "gegevenslevering_laatste_opslag",
    "gemeente_lidmaatschappen",
    "gemeentedashboard",
    "inwoners",
    "regiodashboard",
]
