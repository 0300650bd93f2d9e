"""The dashboards' charts: plotly figures built in Python, each with the table of its numbers.

A chart and its table are built from the same `Cijfer` objects in one function, so what the
chart draws and what the table says cannot differ. Figures are plain dicts in plotly's JSON
schema (validated by plotly in the tests), rendered into the page with `json_script` and drawn by
static/js/dashboard.js with plotly.js from our own static files. Nothing here draws a map with
plotly's geo traces (they fetch topojson from a CDN): the map is filled lon/lat polygons.

Colours: Okabe–Ito for categories, a light-to-dark blue scale for the map; every colour also
has a text (legend, labels, table), never colour alone.
"""

from monitoring.grafieken.basis import (
    DECIMALEN,
    EENHEID_KORT,
    GEEN_GEGEVENS,
    GEEN_GEGEVENS_KLEUR,
    GEHEIM,
    GEHEIM_KLEUR,
    KAARTKLEUREN,
    LETTERTYPE,
    MAX_KLASSEN,
    MELDER_KLEUREN,
    OKABE_ITO,
    ONBEKEND,
    STATUS_KLEUREN,
    VOORLOPIG,
    Cel,
    Grafiek,
    Tabel,
    bar_trace,
    basislayout,
    cijfer_tekst,
    decimalen,
    euro_tekst,
    figuur_dict,
    grafiekgetal,
    lijn_trace,
    met_eenheid,
    periode_tekst,
    scatter_trace,
    streefwaarde_traces,
)
from monitoring.grafieken.gemeenten import (
    GEEN_GEGEVENS_KLASSE,
    GEHEIM_KLASSE,
    Klasse,
    Vergelijkingsrij,
    kaart,
    kaartklassen,
    klasse_van,
    vergelijking,
)
from monitoring.grafieken.regioaanpak import (
    begroting,
    voortgang,
)
from monitoring.grafieken.trends import (
    melders,
    tijdas,
    trend_normen,
    trend_per_1000,
)

__all__ = [
    "DECIMALEN",
    "EENHEID_KORT",
    "GEEN_GEGEVENS",
    "GEEN_GEGEVENS_KLASSE",
    "GEEN_GEGEVENS_KLEUR",
    "GEHEIM",
    "GEHEIM_KLASSE",
    "GEHEIM_KLEUR",
    "KAARTKLEUREN",
    "LETTERTYPE",
    "MAX_KLASSEN",
    "MELDER_KLEUREN",
    "OKABE_ITO",
    "ONBEKEND",
    "STATUS_KLEUREN",
    "VOORLOPIG",
    "Cel",
    "Grafiek",
    "Klasse",
    "Tabel",
    "Vergelijkingsrij",
    "bar_trace",
    "basislayout",
    "begroting",
    "cijfer_tekst",
    "decimalen",
    "euro_tekst",
    "figuur_dict",
    "grafiekgetal",
    "kaart",
    "kaartklassen",
    "klasse_van",
    "lijn_trace",
    "melders",
    "met_eenheid",
    "periode_tekst",
    "scatter_trace",
    "streefwaarde_traces",
    "tijdas",
    "trend_normen",
    "trend_per_1000",
    "vergelijking",
    "voortgang",
]
