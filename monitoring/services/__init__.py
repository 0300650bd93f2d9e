"""Writes of figures. The CSV import, the web grid and upload (and later the API push) all go
through here: `bestanden` reads files, `importeren` checks and saves imported rows, `schrijven`
writes figures with their audit entries and keeps the delivery's version, `grid` saves the
entry grid."""

from monitoring.services.aanlevering import Aanlevering
from monitoring.services.bestanden import (
    Actie,
    ImportFout,
    ImportResultaat,
    ImportRij,
    lees_decimaal,
    waarnemingen_lees_bestand,
    waarnemingen_lees_csv,
    waarnemingen_lees_excel,
)
from monitoring.services.grid import GridCel, GridResultaat, gegevensgrid_opslaan
from monitoring.services.importeren import waarnemingen_importeer
from monitoring.services.schrijven import mag_cijfers_bewerken

__all__ = [
    "Aanlevering",
    "Actie",
    "GridCel",
    "GridResultaat",
    "ImportFout",
    "ImportResultaat",
    "ImportRij",
    "gegevensgrid_opslaan",
    "lees_decimaal",
    "mag_cijfers_bewerken",
    "waarnemingen_importeer",
    "waarnemingen_lees_bestand",
    "waarnemingen_lees_csv",
    "waarnemingen_lees_excel",
]
