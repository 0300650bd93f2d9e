"""Dutch number texts, tables and the shared look of every dashboard chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from monitoring.choices import Eenheid
from monitoring.models import Indicator
from monitoring.selectors.cijfers import Cijfer
from monitoring.selectors.dashboard import Reeks, streefwaarde_perioden
from regioaanpak import opmaak
from regioaanpak.perioden import PeriodeCode

GEHEIM = opmaak.GEHEIM
VOORLOPIG = opmaak.VOORLOPIG
GEEN_GEGEVENS = opmaak.GEEN_GEGEVENS
ONBEKEND = opmaak.ONBEKEND
DECIMALEN = opmaak.DECIMALEN
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
    return met_eenheid(cijfer, indicator, eenheid=False)


def met_eenheid(cijfer: Cijfer | None, indicator: Indicator, *, eenheid: bool = True) -> str:
    """The figure with a short unit for running text: '92,2%', '2,05 per 1.000 inwoners'."""
    if cijfer is None or cijfer.ontbreekt_geheel:
        return GEEN_GEGEVENS
    return opmaak.cijfer(
        cijfer.waarde,
        eenheid=indicator.eenheid,
        geheim=cijfer.is_geheim,
        voorlopig=cijfer.is_voorlopig,
        met_eenheid=eenheid,
    )


def euro_tekst(bedrag: Decimal | None) -> str:
    return opmaak.bedrag(bedrag)


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


def nette_as(maximum: float | Decimal | None, *, procent: bool = False) -> list[Decimal]:
    """Round tick values from 0 to just above `maximum`: steps of 1, 2, 2,5 or 5 times a power
    of ten, at most six intervals (0-10 for 9,07; 0-15.000 for 13.580). A percentage axis stops
    at 100 when the values do."""
    hoogste = Decimal(str(maximum or 0))
    if procent and hoogste <= 100:
        return [Decimal(w) for w in (0, 20, 40, 60, 80, 100)]
    if hoogste <= 0:
        return [Decimal(0), Decimal(1)]
    ruw = hoogste / 5
    macht = Decimal(10) ** ruw.adjusted()
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        stap = factor * macht
        if stap * 6 >= hoogste and hoogste / stap <= 6:
            break
    aantal = int((hoogste / stap).to_integral_value(rounding=ROUND_CEILING))
    return [(stap * i).normalize() + 0 for i in range(aantal + 1)]


def omgebroken(tekst: str, breedte: int = 18, regels: int = 3) -> str:
    """A long category label over a few lines (plotly's <br>) instead of cut off; a label that
    is still longer ends with an ellipsis, its full text is in the hover and the table."""
    woorden, uit, regel = tekst.split(), [], ""
    for woord in woorden:
        if regel and len(regel) + 1 + len(woord) > breedte:
            uit.append(regel)
            regel = woord
        else:
            regel = f"{regel} {woord}".strip()
    if regel:
        uit.append(regel)
    if len(uit) > regels:
        uit = [*uit[: regels - 1], uit[regels - 1][: breedte - 1] + "…"]
    return "<br>".join(uit)


def waarde_as(waarden: Sequence[float | None], eenheid: str, **extra) -> dict:
    """A plotly value axis with the round ticks above, written the Dutch way, with the unit
    (% on the ticks of a percentage axis)."""
    bekend = [w for w in waarden if w is not None]
    procent = eenheid == Eenheid.PERCENTAGE
    ticks = nette_as(max(bekend, default=0), procent=procent)
    stap_decimalen = max(0, max(-t.as_tuple().exponent for t in ticks))
    tekst = [
        ("€\u00a0" if eenheid == Eenheid.EURO else "")
        + opmaak.getal(t, min(stap_decimalen, 2))
        + ("%" if procent else "")
        for t in ticks
    ]
    return {
        "tickmode": "array",
        "tickvals": [float(t) for t in ticks],
        "ticktext": tekst,
        "range": [0, float(ticks[-1]) * 1.02],
        **extra,
    }


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
        opmaak.getal(punten[i], decimalen(reeks.indicator)) if i in punten else ""
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
