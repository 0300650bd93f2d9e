"""Dutch number texts, tables and the shared look of every dashboard chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from monitoring.choices import Eenheid
from monitoring.models import Indicator
from monitoring.selectors.cijfers import Cijfer
from monitoring.selectors.dashboard import Reeks, streefwaarde_perioden
from monitoring.selectors.grid import getal_nl
from regioaanpak.perioden import PeriodeCode

GEHEIM = "."
VOORLOPIG = "*"
GEEN_GEGEVENS = "geen gegevens"
ONBEKEND = "onbekend"
DECIMALEN = {
    Eenheid.AANTAL: 0,
    Eenheid.PER_1000: 2,
    Eenheid.PER_100000: 1,
    Eenheid.PERCENTAGE: 1,
    Eenheid.DAGEN: 1,
    Eenheid.EURO: 0,
}
EENHEID_KORT = {
    Eenheid.PER_1000: "per 1.000 inwoners",
    Eenheid.PER_100000: "per 100.000 inwoners",
    Eenheid.PERCENTAGE: "%",
    Eenheid.DAGEN: "dagen",
    Eenheid.EURO: "euro",
    Eenheid.AANTAL: "aantal",
}

# Okabe & Ito (2008): distinguishable with every common colour vision deficiency.
OKABE_ITO = {
    "blauw": "#0072B2",
    "oranje": "#E69F00",
    "blauwgroen": "#009E73",
    "roodpaars": "#CC79A7",
    "hemelsblauw": "#56B4E9",
    "vermiljoen": "#D55E00",
    "geel": "#F0E442",
    "zwart": "#000000",
}
MELDER_KLEUREN = ["blauw", "oranje", "blauwgroen", "roodpaars", "hemelsblauw"]
STATUS_KLEUREN = {
    "op_schema": OKABE_ITO["blauwgroen"],
    "aandacht": OKABE_ITO["oranje"],
    "achter": OKABE_ITO["vermiljoen"],
    "afgerond": OKABE_ITO["blauw"],
    "gestopt": OKABE_ITO["roodpaars"],
    "geen_update": "#c8c8c8",
}
# Sequential light-to-dark blues (ColorBrewer Blues): readable for colour-blind people.
KAARTKLEUREN = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
MAX_KLASSEN = 5
GEEN_GEGEVENS_KLEUR = "#e6e6e6"
GEHEIM_KLEUR = "#b3b3b3"
LETTERTYPE = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif'


# -- Dutch number texts -------------------------------------------------------------------------


def decimalen(indicator: Indicator) -> int:
    return DECIMALEN.get(indicator.eenheid, 1)


def cijfer_tekst(cijfer: Cijfer | None, indicator: Indicator) -> str:
    """CBS style: 1.234, 2,05, 412* (voorlopig), . (geheim), 'geen gegevens' (never 0)."""
    if cijfer is None or cijfer.ontbreekt_geheel:
        return GEEN_GEGEVENS
    if cijfer.is_geheim:
        return GEHEIM
    tekst = getal_nl(cijfer.waarde, decimalen(indicator))
    return tekst + VOORLOPIG if cijfer.is_voorlopig else tekst


def met_eenheid(cijfer: Cijfer | None, indicator: Indicator) -> str:
    """The figure with a short unit for running text: '92,2%', '2,05 per 1.000 inwoners'."""
    tekst = cijfer_tekst(cijfer, indicator)
    if cijfer is None or cijfer.waarde is None:
        return tekst
    if indicator.eenheid == Eenheid.PERCENTAGE:
        return f"{tekst}%"
    if indicator.eenheid == Eenheid.EURO:
        return f"€\u00a0{tekst}"
    eenheid = EENHEID_KORT.get(indicator.eenheid, "")
    return f"{tekst} {eenheid}" if eenheid and indicator.eenheid != Eenheid.AANTAL else tekst


def euro_tekst(bedrag: Decimal | None) -> str:
    return ONBEKEND if bedrag is None else f"€\u00a0{getal_nl(bedrag, 0)}"


def grafiekgetal(cijfer: Cijfer | None, indicator: Indicator) -> float | None:
    """The value a chart draws: rounded as the table shows it; None (a gap) if unknown."""
    if cijfer is None or cijfer.waarde is None:
        return None
    return float(round(cijfer.waarde, decimalen(indicator)))


def periode_tekst(periode: PeriodeCode, ingediend: set[str]) -> str:
    """A period's label, marked when (part of) its figures are submitted, not yet approved."""
    gemarkeerd = any(k.code in ingediend for k in periode.kwartalen()) or periode.code in ingediend
    return f"{periode.label} (ingediend)" if gemarkeerd else periode.label


# -- tables -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cel:
    tekst: str
    getal: bool = False
    kop: bool = False


@dataclass
class Tabel:
    kolommen: list[str]
    rijen: list[list[Cel]]
    bijschrift: str = ""
    voetnoot: str = ""

    @property
    def koppen(self) -> list[tuple[str, bool]]:
        """Column titles with whether the column holds numbers (aligned right)."""
        eerste = self.rijen[0] if self.rijen else []
        return [
            (kolom, index < len(eerste) and eerste[index].getal)
            for index, kolom in enumerate(self.kolommen)
        ]


@dataclass
class Grafiek:
    """One chart: its id, title, a text for screen readers, the figure and its table."""

    id: str
    titel: str
    beschrijving: str
    figuur: dict | None
    tabel: Tabel
    toelichting: str = ""
    hoogte: int = 360

    @property
    def script_id(self) -> str:
        return f"{self.id}-data"


def _cellen(*teksten: str, kop: bool = True) -> list[Cel]:
    return [Cel(teksten[0], kop=kop), *(Cel(t, getal=True) for t in teksten[1:])]


# -- figure basics ------------------------------------------------------------------------------


def basislayout(hoogte: int, **extra) -> dict:
    """Shared layout: no plotly template, Dutch separators, no dragging (tablets scroll)."""
    layout = {
        "template": "none",
        "separators": ",.",
        "height": hoogte,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "font": {"family": LETTERTYPE, "size": 13, "color": "#1a1a1a"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "dragmode": False,
        "hovermode": "closest",
        # Legend above the plot: below it, it would compete with slanted period labels.
        "legend": {"orientation": "h", "y": 1.02, "x": 0, "yanchor": "bottom"},
        "xaxis": {
            "fixedrange": True,
            "showgrid": False,
            "linecolor": "#8a939c",
            "automargin": True,
        },
        "yaxis": {
            "fixedrange": True,
            "gridcolor": "#e3e6ea",
            "zeroline": False,
            "automargin": True,
        },
    }
    for sleutel, waarde in extra.items():
        if isinstance(waarde, dict) and isinstance(layout.get(sleutel), dict):
            layout[sleutel] = {**layout[sleutel], **waarde}
        else:
            layout[sleutel] = waarde
    return layout


def figuur_dict(traces: Sequence[dict], layout: dict) -> dict:
    # Plain dicts in plotly's JSON schema: plotly.graph_objects validates every property on
    # construction, which cost 70 ms per dashboard; the tests validate the result instead.
    return {"data": list(traces), "layout": layout}


def scatter_trace(**eigenschappen) -> dict:
    return {"type": "scatter", **eigenschappen}


def bar_trace(**eigenschappen) -> dict:
    return {"type": "bar", **eigenschappen}


def lijn_trace(
    reeks: Reeks,
    x: list[str],
    naam: str,
    kleur: str,
    *,
    symbool: str = "circle",
    streep: str = "solid",
) -> dict:
    return scatter_trace(
        x=x,
        y=[grafiekgetal(c, reeks.indicator) for c in reeks.cijfers],
        customdata=[cijfer_tekst(c, reeks.indicator) for c in reeks.cijfers],
        name=naam,
        mode="lines+markers",
        connectgaps=False,
        line={"color": kleur, "width": 2.5, "dash": streep},
        marker={"symbol": symbool, "size": 7, "color": kleur},
        hovertemplate="%{x}<br>" + naam + ": %{customdata}<extra></extra>",
    )


def streefwaarde_traces(
    reeks: Reeks, perioden: list[PeriodeCode], x: list[str], kleur: str
) -> list[dict]:
    """The region's targets for the indicator, over the trend's periods they apply to."""
    punten: dict[int, Decimal] = {}
    for streefwaarde in reeks.streefwaarden:
        for positie in streefwaarde_perioden(streefwaarde, perioden):
            punten[positie] = streefwaarde.waarde
    if not punten:
        return []
    naam = f"Streefwaarde {reeks.indicator.naam.lower()}"
    y = [float(punten[i]) if i in punten else None for i in range(len(x))]
    tekst = [
        getal_nl(punten[i], decimalen(reeks.indicator)) if i in punten else ""
        for i in range(len(x))
    ]
    return [
        scatter_trace(
            x=x,
            y=y,
            customdata=tekst,
            name=naam,
            mode="lines+markers",
            line={"color": kleur, "width": 1.5, "dash": "dash"},
            marker={"symbol": "diamond-open", "size": 10, "color": kleur},
            hovertemplate="%{x}<br>" + naam + ": %{customdata}<extra></extra>",
        )
    ]
