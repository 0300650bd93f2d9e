"""The dashboards' charts: plotly figures built in Python, each with the table of its numbers.

A chart and its table are built from the same `Cijfer` objects in one function, so what the
chart draws and what the table says cannot differ. Figures are plain dicts
(`fig.to_plotly_json()`), rendered into the page with `json_script` and drawn by
static/js/dashboard.js with plotly.js from our own static files. Nothing here draws a map with
plotly's geo traces (they fetch topojson from a CDN): the map is filled lon/lat polygons.

Colours: Okabe–Ito for categories, a light-to-dark blue scale for the map; every colour also
has a text (legend, labels, table), never colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from actielijnen.selectors import STATUS_LABELS, STATUS_VOLGORDE, BegrotingStand, VoortgangStand
from monitoring.choices import Eenheid
from monitoring.models import Indicator
from monitoring.selectors.cijfers import Cijfer
from monitoring.selectors.dashboard import Kaart, Reeks, streefwaarde_perioden
from monitoring.selectors.grid import getal_nl
from regioaanpak.geo import polygonen
from regioaanpak.perioden import SOORT_NAMEN, PeriodeCode

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


def _getal(cijfer: Cijfer | None, indicator: Indicator) -> float | None:
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


def _layout(hoogte: int, **extra) -> dict:
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


def _figuur(traces: Sequence[dict], layout: dict) -> dict:
    # Plain dicts in plotly's JSON schema: plotly.graph_objects validates every property on
    # construction, which cost 70 ms per dashboard; the tests validate the result instead.
    return {"data": list(traces), "layout": layout}


def _scatter(**eigenschappen) -> dict:
    return {"type": "scatter", **eigenschappen}


def _bar(**eigenschappen) -> dict:
    return {"type": "bar", **eigenschappen}


def _lijn(
    reeks: Reeks,
    x: list[str],
    naam: str,
    kleur: str,
    *,
    symbool: str = "circle",
    streep: str = "solid",
) -> dict:
    return _scatter(
        x=x,
        y=[_getal(c, reeks.indicator) for c in reeks.cijfers],
        customdata=[cijfer_tekst(c, reeks.indicator) for c in reeks.cijfers],
        name=naam,
        mode="lines+markers",
        connectgaps=False,
        line={"color": kleur, "width": 2.5, "dash": streep},
        marker={"symbol": symbool, "size": 7, "color": kleur},
        hovertemplate="%{x}<br>" + naam + ": %{customdata}<extra></extra>",
    )


def _streefwaarden(
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
        _scatter(
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


# -- trend charts -------------------------------------------------------------------------------


def tijdas(perioden: list[PeriodeCode]) -> dict:
    """An x-axis that stays readable with 40 quarters: one tick per year (the first period of
    each year, labelled with the year) when there are many periods; hover shows the period."""
    labels = [p.kort_label for p in perioden]
    if len(perioden) <= 12:
        return {"type": "category", "tickangle": -45 if len(perioden) > 6 else 0}
    stap = max(1, math.ceil(len({p.jaar for p in perioden}) / 12))
    # A tick at the first period of each year; a year that starts late in the series (only
    # its last quarter) gets none, or its label would run into the next one.
    posities = [i for i, p in enumerate(perioden) if p.begindatum.month == 1 and p.jaar % stap == 0]
    return {
        "type": "category",
        "tickmode": "array",
        "tickvals": [labels[i] for i in posities],
        "ticktext": [str(perioden[i].jaar) for i in posities],
        "tickangle": 0,
    }


def trend_per_1000(
    reeksen: list[Reeks],
    perioden: list[PeriodeCode],
    *,
    ingediend: set[str],
    id: str = "trend-per-1000",
    titel: str = "Meldingen en adviezen per 1.000 inwoners",
) -> Grafiek:
    """Lines of the rates; with several areas the indicator decides the colour and the area
    the line style (municipality solid, region dashed, country dotted)."""
    x = [p.kort_label for p in perioden]
    kleuren = {"vt_meldingen_per_1000": OKABE_ITO["blauw"], "vt_adviezen_per_1000": "#B07800"}
    symbolen = {"vt_meldingen_per_1000": "circle", "vt_adviezen_per_1000": "square"}
    gebieden = list(dict.fromkeys(r.gebied for r in reeksen))
    strepen = ["solid", "dash", "dot"]
    meerdere = len(gebieden) > 1
    traces: list[dict] = []
    for reeks in reeksen:
        naam = reeks.indicator.naam
        if meerdere:
            naam = f"{naam} — {reeks.naam}"
        kleur = kleuren.get(reeks.indicator.code, OKABE_ITO["zwart"])
        traces.append(
            _lijn(
                reeks,
                x,
                naam,
                kleur,
                symbool=symbolen.get(reeks.indicator.code, "circle"),
                streep=strepen[gebieden.index(reeks.gebied) % len(strepen)],
            )
        )
        traces += _streefwaarden(reeks, perioden, x, kleur)

    kolommen = ["Periode"] + [
        f"{r.indicator.naam} — {r.naam}" if meerdere else r.indicator.naam for r in reeksen
    ]
    doelen = [r for r in reeksen if r.streefwaarden]
    kolommen += [f"Streefwaarde {r.indicator.naam.lower()}" for r in doelen]
    rijen = []
    for index in reversed(range(len(perioden))):
        periode = perioden[index]
        rij = [Cel(periode_tekst(periode, ingediend), kop=True)]
        rij += [Cel(cijfer_tekst(r.cijfers[index], r.indicator), getal=True) for r in reeksen]
        for reeks in doelen:
            waarde = next(
                (
                    s.waarde
                    for s in reeks.streefwaarden
                    if index in streefwaarde_perioden(s, perioden)
                ),
                None,
            )
            tekst = "" if waarde is None else getal_nl(waarde, decimalen(reeks.indicator))
            rij.append(Cel(tekst, getal=True))
        rijen.append(rij)
    return Grafiek(
        id=id,
        titel=titel,
        beschrijving=f"Lijngrafiek: {titel.lower()} per {_soort(perioden)}.",
        figuur=_figuur(
            traces,
            _layout(
                360,
                xaxis=tijdas(perioden),
                yaxis={"rangemode": "tozero", "title": {"text": "per 1.000 inwoners"}},
            ),
        ),
        tabel=Tabel(kolommen, rijen, bijschrift=f"{titel}, nieuwste periode bovenaan"),
    )


def _soort(perioden: list[PeriodeCode]) -> str:
    return SOORT_NAMEN.get(perioden[-1].soort, "periode") if perioden else "periode"


def trend_normen(
    reeksen: list[Reeks],
    perioden: list[PeriodeCode],
    *,
    ingediend: set[str],
    id: str = "trend-normen",
) -> Grafiek:
    """The two Veilig Thuis percentages with their sector norm drawn as a line."""
    x = [p.kort_label for p in perioden]
    kleuren = [OKABE_ITO["blauwgroen"], OKABE_ITO["roodpaars"]]
    symbolen = ["circle", "square"]
    traces: list[dict] = []
    for nummer, reeks in enumerate(reeksen):
        kleur = kleuren[nummer % 2]
        traces.append(_lijn(reeks, x, reeks.indicator.naam, kleur, symbool=symbolen[nummer % 2]))
        if reeks.indicator.norm_waarde is not None and x:
            norm = float(reeks.indicator.norm_waarde)
            naam = f"Norm {reeks.indicator.naam.lower()}: {_norm_tekst(reeks.indicator)}"
            traces.append(
                _scatter(
                    x=x,
                    y=[norm] * len(x),
                    name=naam,
                    mode="lines",
                    line={"color": kleur, "width": 1.5, "dash": "dash"},
                    hovertemplate=naam + "<extra></extra>",
                )
            )
        traces += _streefwaarden(reeks, perioden, x, kleur)
    kolommen = ["Periode"] + [f"{r.indicator.naam} (%)" for r in reeksen]
    rijen = [
        [Cel(periode_tekst(perioden[i], ingediend), kop=True)]
        + [Cel(cijfer_tekst(r.cijfers[i], r.indicator), getal=True) for r in reeksen]
        for i in reversed(range(len(perioden)))
    ]
    normen = "; ".join(
        f"{r.indicator.naam}: {_norm_tekst(r.indicator)}"
        for r in reeksen
        if r.indicator.norm_waarde
    )
    return Grafiek(
        id=id,
        titel="Tijdigheid Veilig Thuis",
        beschrijving="Lijngrafiek van de percentages tijdige veiligheidsbeoordelingen en "
        "onderzoeken, met de sectornorm als stippellijn.",
        figuur=_figuur(
            traces,
            _layout(
                360,
                xaxis=tijdas(perioden),
                yaxis={"ticksuffix": "%", "range": _procentbereik(reeksen)},
            ),
        ),
        tabel=Tabel(kolommen, rijen, bijschrift="Tijdigheid, nieuwste periode bovenaan"),
        toelichting=f"Normen: {normen}." if normen else "",
    )


def _norm_tekst(indicator: Indicator) -> str:
    if indicator.norm_waarde is None:
        return ""
    return f"{indicator.get_norm_operator_display()} {getal_nl(indicator.norm_waarde, 0)}%"


def _procentbereik(reeksen: list[Reeks]) -> list[float]:
    waarden = [float(c.waarde) for r in reeksen for c in r.cijfers if c.waarde is not None]
    normen = [float(r.indicator.norm_waarde) for r in reeksen if r.indicator.norm_waarde]
    laagste = min([*waarden, *normen], default=0.0)
    return [max(0.0, math.floor((laagste - 5) / 10) * 10), 100.5]


# -- melders ------------------------------------------------------------------------------------


def melders(reeksen: list[Reeks], perioden: list[PeriodeCode], *, ingediend: set[str]) -> Grafiek:
    x = [p.kort_label for p in perioden]
    traces = []
    for nummer, reeks in enumerate(reeksen):
        naam = _kort(reeks.indicator.naam)
        traces.append(
            _bar(
                x=x,
                y=[_getal(c, reeks.indicator) for c in reeks.cijfers],
                customdata=[cijfer_tekst(c, reeks.indicator) for c in reeks.cijfers],
                name=naam,
                marker={"color": OKABE_ITO[MELDER_KLEUREN[nummer % len(MELDER_KLEUREN)]]},
                hovertemplate="%{x}<br>" + naam + ": %{customdata}<extra></extra>",
            )
        )
    kolommen = ["Periode"] + [_kort(r.indicator.naam) for r in reeksen]
    rijen = [
        [Cel(periode_tekst(perioden[i], ingediend), kop=True)]
        + [Cel(cijfer_tekst(r.cijfers[i], r.indicator), getal=True) for r in reeksen]
        for i in reversed(range(len(perioden)))
    ]
    return Grafiek(
        id="melders",
        titel="Meldingen naar soort melder",
        beschrijving="Gestapelde staafgrafiek van het aantal meldingen per soort melder.",
        figuur=_figuur(
            traces,
            _layout(
                380,
                barmode="stack",
                bargap=0.25,
                xaxis=tijdas(perioden),
                yaxis={"title": {"text": "meldingen"}},
            ),
        ),
        tabel=Tabel(kolommen, rijen, bijschrift="Aantal meldingen per soort melder"),
    )


def _kort(naam: str) -> str:
    """'Meldingen door politie en justitie' -> 'Politie en justitie' for legends."""
    for voorvoegsel in ("Meldingen door ", "Meldingen "):
        if naam.startswith(voorvoegsel):
            rest = naam[len(voorvoegsel) :]
            return rest[:1].upper() + rest[1:]
    return naam


# -- comparison of municipalities ---------------------------------------------------------------


@dataclass
class Vergelijkingsrij:
    naam: str
    cijfers: dict[str, Cijfer]
    soort: str = "gemeente"  # or "regio", "landelijk"


def vergelijking(
    rijen: list[Vergelijkingsrij],
    indicatoren: list[Indicator],
    *,
    sorteer_op: Indicator,
    referenties: list[Vergelijkingsrij],
    voetnoot: str = "",
) -> Grafiek:
    """Horizontal bars per municipality, sorted (highest at the top, unknown at the bottom),
    with the region's and the country's figure as reference lines."""

    def sleutel(rij: Vergelijkingsrij):
        waarde = rij.cijfers[sorteer_op.code].waarde
        return (waarde is not None, waarde or Decimal(0), rij.naam)

    volgorde = sorted(rijen, key=sleutel)  # plotly draws the first category at the bottom
    namen = [r.naam for r in volgorde]
    kleuren = [OKABE_ITO["blauw"], "#B07800", OKABE_ITO["blauwgroen"]]
    traces: list[dict] = []
    # Plotly puts a group's first trace at the bottom: add them in reverse so the indicator
    # sorted on is the top bar of each municipality (the legend is reversed back).
    for nummer, indicator in reversed(list(enumerate(indicatoren))):
        teksten = [cijfer_tekst(r.cijfers.get(indicator.code), indicator) for r in volgorde]
        traces.append(
            _bar(
                y=namen,
                x=[_getal(r.cijfers.get(indicator.code), indicator) for r in volgorde],
                orientation="h",
                name=indicator.naam,
                text=teksten,
                textposition="outside",
                cliponaxis=False,
                customdata=teksten,
                marker={"color": kleuren[nummer % len(kleuren)]},
                hovertemplate="%{y}<br>" + indicator.naam + ": %{customdata}<extra></extra>",
            )
        )
    # Unknown values get a label instead of a bar, so an empty bar never reads as 0.
    onbekend = [
        (r.naam, cijfer_tekst(r.cijfers[sorteer_op.code], sorteer_op))
        for r in volgorde
        if r.cijfers[sorteer_op.code].waarde is None
    ]
    if onbekend:
        traces.append(
            _scatter(
                y=[n for n, _ in onbekend],
                x=[0] * len(onbekend),
                text=[t if t != GEHEIM else "geheim (.)" for _, t in onbekend],
                mode="text",
                textposition="middle right",
                showlegend=False,
                hoverinfo="skip",
            )
        )
    for referentie, streep in zip(referenties, ["dash", "dot"], strict=False):
        cijfer = referentie.cijfers.get(sorteer_op.code)
        if cijfer is None or cijfer.waarde is None or not namen:
            continue
        waarde = _getal(cijfer, sorteer_op)
        naam = f"{referentie.naam}: {cijfer_tekst(cijfer, sorteer_op)}"
        traces.append(
            _scatter(
                x=[waarde, waarde],
                y=[namen[0], namen[-1]],
                mode="lines",
                name=naam,
                line={"color": "#444444", "width": 1.2, "dash": streep},
                hovertemplate=naam + "<extra></extra>",
            )
        )
    hoogte = max(260, 90 + 26 * len(namen) * len(indicatoren))
    layout = _layout(
        min(hoogte, 900),
        barmode="group",
        margin={"l": 170, "r": 48, "t": 16, "b": 48},
        xaxis={"showgrid": True, "gridcolor": "#e3e6ea", "rangemode": "tozero"},
        yaxis={"showgrid": False, "automargin": True},
        legend={"traceorder": "reversed"},
    )
    kolommen = ["Gemeente", *(i.naam for i in indicatoren)]
    tabelrijen = [
        [Cel(r.naam, kop=True)]
        + [Cel(cijfer_tekst(r.cijfers.get(i.code), i), getal=True) for i in indicatoren]
        for r in sorted(rijen, key=lambda r: r.naam)
    ]
    for referentie in referenties:
        tabelrijen.append(
            [Cel(referentie.naam, kop=True)]
            + [
                Cel(
                    cijfer_tekst(referentie.cijfers[i.code], i)
                    if i.code in referentie.cijfers
                    else "",
                    getal=True,
                )
                for i in indicatoren
            ]
        )
    titel = "Gemeenten vergeleken: " + " en ".join(i.naam.lower() for i in indicatoren)
    return Grafiek(
        id="vergelijking",
        titel=titel[:1].upper() + titel[1:],
        beschrijving=f"Liggende staafgrafiek per gemeente, gesorteerd op {sorteer_op.naam}.",
        figuur=_figuur(traces, layout),
        tabel=Tabel(kolommen, tabelrijen, bijschrift="Per gemeente", voetnoot=voetnoot),
        hoogte=min(hoogte, 900),
    )


# -- the map ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Klasse:
    sleutel: str
    label: str
    kleur: str
    van: Decimal | None = None
    tot: Decimal | None = None


def kaartklassen(waarden: Iterable[Decimal], indicator: Indicator) -> list[Klasse]:
    """Up to five classes of about equally many municipalities, bounded by the values as the
    table shows them (rounded), so every municipality's class can be checked in the table."""
    afgerond = sorted({round(w, decimalen(indicator)) for w in waarden})
    aantal = min(MAX_KLASSEN, len(afgerond))
    klassen = []
    for nummer in range(aantal):
        begin = nummer * len(afgerond) // aantal
        eind = (nummer + 1) * len(afgerond) // aantal
        groep = afgerond[begin:eind]
        van, tot = groep[0], groep[-1]
        label = getal_nl(van, decimalen(indicator))
        if tot != van:
            label += f" – {getal_nl(tot, decimalen(indicator))}"
        kleur_index = round(nummer * (len(KAARTKLEUREN) - 1) / max(aantal - 1, 1))
        if aantal == 1:
            kleur_index = 2
        klassen.append(Klasse(f"k{nummer}", label, KAARTKLEUREN[kleur_index], van, tot))
    return klassen


GEEN_GEGEVENS_KLASSE = Klasse("geen", "geen gegevens", GEEN_GEGEVENS_KLEUR)
GEHEIM_KLASSE = Klasse("geheim", "geheim (.)", GEHEIM_KLEUR)


def klasse_van(cijfer: Cijfer, indicator: Indicator, klassen: list[Klasse]) -> Klasse:
    if cijfer.is_geheim:
        return GEHEIM_KLASSE
    if cijfer.waarde is None:
        return GEEN_GEGEVENS_KLASSE
    waarde = round(cijfer.waarde, decimalen(indicator))
    for klasse in klassen:
        if klasse.van <= waarde <= klasse.tot:
            return klasse
    return klassen[-1]


def _ringen(geometrie: dict) -> tuple[list[float | None], list[float | None], float]:
    """Outer rings as one path with gaps (None), and the area for drawing order."""
    x: list[float | None] = []
    y: list[float | None] = []
    oppervlak = 0.0
    for polygoon in polygonen(geometrie):
        ring = polygoon[0]
        if x:
            x.append(None)
            y.append(None)
        x += [p[0] for p in ring]
        y += [p[1] for p in ring]
        oppervlak += abs(
            sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, [*ring[1:], ring[0]], strict=True))
        )
    return x, y, oppervlak


def kaart(kaart_: Kaart, *, periode: PeriodeCode, ingediend: set[str], regio_naam: str) -> Grafiek:
    indicator = kaart_.indicator
    klassen = kaartklassen(
        [v.cijfer.waarde for v in kaart_.vlakken if v.cijfer.waarde is not None], indicator
    )
    vlakken = []
    breedtes = []
    for vlak in kaart_.vlakken:
        x, y, oppervlak = _ringen(vlak.geometrie)
        breedtes += [w for w in y if w is not None]
        vlakken.append((oppervlak, vlak, x, y, klasse_van(vlak.cijfer, indicator, klassen)))
    vlakken.sort(key=lambda v: -v[0])  # large areas first, enclaves stay visible on top

    traces: list[dict] = []
    gebruikt = []
    for _oppervlak, vlak, x, y, klasse in vlakken:
        if klasse not in gebruikt:
            gebruikt.append(klasse)
        naam = f"{vlak.gemeente.naam}: {met_eenheid(vlak.cijfer, indicator)}"
        if vlak.staat_voor:
            naam += f" (som van {_opsomming(g.naam for g in vlak.staat_voor)})"
        trace = {
            "x": x,
            "y": y,
            "mode": "lines",
            "fill": "toself",
            "fillcolor": klasse.kleur,
            "line": {"color": "#ffffff", "width": 1.2},
            "name": naam,
            "hoveron": "fills",
            "hoverinfo": "name",
            "hoverlabel": {"namelength": -1},  # the whole name and value, not 15 characters
            "legendgroup": klasse.sleutel,
            "showlegend": False,
        }
        if klasse is GEHEIM_KLASSE:
            trace["fillpattern"] = {"shape": "/", "fgcolor": "#6b6b6b", "bgcolor": GEHEIM_KLEUR}
        traces.append(_scatter(**trace))
    volgorde = [*klassen, GEHEIM_KLASSE, GEEN_GEGEVENS_KLASSE]
    for klasse in volgorde:
        if klasse in gebruikt or klasse is GEEN_GEGEVENS_KLASSE:
            traces.append(
                _scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=klasse.label,
                    legendgroup=klasse.sleutel,
                    marker={
                        "symbol": "square",
                        "size": 14,
                        "color": klasse.kleur,
                        "line": {"color": "#6b6b6b", "width": 1},
                    },
                    hoverinfo="skip",
                )
            )
    # Equal-area look without a projection: one degree of latitude is 1/cos(latitude) times
    # as long as one of longitude.
    midden = (min(breedtes) + max(breedtes)) / 2 if breedtes else 52.0
    layout = _layout(
        460,
        margin={"l": 8, "r": 8, "t": 8, "b": 90},
        xaxis={"visible": False},
        yaxis={
            "visible": False,
            "scaleanchor": "x",
            "scaleratio": 1 / math.cos(math.radians(midden)),
        },
        legend={
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yanchor": "top",
            "title": {"text": _kort_indicator(indicator) + ":", "side": "top"},
        },
    )
    rijen = []
    for vlak in kaart_.vlakken:
        naam = vlak.gemeente.naam
        if vlak.staat_voor:
            naam += f" (in {periode.label}: som van {_opsomming(g.naam for g in vlak.staat_voor)})"
        rijen.append(
            [
                Cel(naam, kop=True),
                Cel(cijfer_tekst(vlak.cijfer, indicator), getal=True),
                Cel(klasse_van(vlak.cijfer, indicator, klassen).label),
            ]
        )
    jaar = kaart_.jaar
    for gemeente in kaart_.niet_op_kaart:
        rijen.append(
            [
                Cel(gemeente.naam, kop=True),
                Cel("zie vergelijking", getal=True),
                Cel(f"niet op de kaart (geen grens voor {jaar})" if jaar else "niet op de kaart"),
            ]
        )
    ingediend_tekst = (
        " Inclusief ingediende, nog niet goedgekeurde cijfers."
        if any(k.code in ingediend for k in periode.kwartalen())
        else ""
    )
    return Grafiek(
        id="kaart",
        titel=f"Kaart: {indicator.naam.lower()}",
        beschrijving=f"Kaart van de gemeenten van {regio_naam}, ingekleurd naar {indicator.naam}.",
        figuur=_figuur(traces, layout) if vlakken else None,
        tabel=Tabel(
            ["Gemeente", indicator.naam, "Kleurklasse"],
            rijen,
            bijschrift=f"{indicator.naam}, {periode.label}",
            voetnoot=(f"Gemeentegrenzen van {jaar}." if jaar else "Geen gemeentegrenzen geladen.")
            + ingediend_tekst,
        ),
        hoogte=460,
    )


def _kort_indicator(indicator: Indicator) -> str:
    return indicator.naam.replace(" per 1.000 inwoners", " per 1.000")


def _opsomming(namen: Iterable[str]) -> str:
    namen = list(namen)
    if len(namen) <= 1:
        return "".join(namen)
    return ", ".join(namen[:-1]) + " en " + namen[-1]


# -- progress and budget ------------------------------------------------------------------------


def voortgang(stand: VoortgangStand) -> Grafiek | None:
    if not stand.projecten:
        return None
    lijnen = stand.actielijnen
    namen = [f"{lijn.actielijn.nummer}. {_afgekort(lijn.actielijn.titel)}" for lijn in lijnen]
    namen_omgekeerd = list(reversed(namen))
    traces = []
    for status in STATUS_VOLGORDE:
        aantallen = [lijn.aantallen.get(status, 0) for lijn in reversed(lijnen)]
        if not any(aantallen):
            continue
        label = STATUS_LABELS[status]
        bar = {
            "y": namen_omgekeerd,
            "x": aantallen,
            "orientation": "h",
            "name": label,
            "marker": {"color": STATUS_KLEUREN[status]},
            "text": [str(a) if a else "" for a in aantallen],
            "textposition": "inside",
            "hovertemplate": "%{y}<br>" + label + ": %{x} projecten<extra></extra>",
        }
        traces.append(_bar(**bar))
    layout = _layout(
        max(200, 70 + 44 * len(lijnen)),
        barmode="stack",
        margin={"l": 230, "r": 16, "t": 16, "b": 48},
        xaxis={
            "dtick": 1,
            "showgrid": True,
            "gridcolor": "#e3e6ea",
            "title": {"text": "projecten"},
        },
        yaxis={"automargin": True},
        showlegend=True,
    )
    kolommen = ["Actielijn", *(STATUS_LABELS[s] for s in STATUS_VOLGORDE), "Totaal"]
    rijen = [
        [Cel(f"{lijn.actielijn.nummer}. {lijn.actielijn.titel}", kop=True)]
        + [Cel(str(lijn.aantallen[s]), getal=True) for s in STATUS_VOLGORDE]
        + [Cel(str(len(lijn.projecten)), getal=True)]
        for lijn in lijnen
    ]
    return Grafiek(
        id="voortgang",
        titel="Voortgang per actielijn",
        beschrijving="Gestapelde staafgrafiek: per actielijn het aantal projecten per status.",
        figuur=_figuur(traces, layout),
        tabel=Tabel(kolommen, rijen, bijschrift="Aantal projecten per status"),
        toelichting="Status volgens de laatste goedgekeurde voortgangsupdate tot en met "
        f"{stand.periode.label}.",
        hoogte=max(200, 70 + 44 * len(lijnen)),
    )


def _afgekort(tekst: str, lengte: int = 32) -> str:
    return tekst if len(tekst) <= lengte else tekst[: lengte - 1].rstrip() + "…"


def begroting(stand: BegrotingStand) -> Grafiek | None:
    if not stand.regels:
        return None
    bekend = any(r.begroot is not None or r.uitgegeven is not None for r in stand.regels)
    namen = [_afgekort(r.label, 40) for r in stand.regels]
    traces: list[dict] = []
    for soort, kleur, naam in (
        ("begroot", OKABE_ITO["blauw"], "Begroot"),
        ("uitgegeven", OKABE_ITO["oranje"], f"Uitgegeven t/m {stand.periode.label}"),
    ):
        bedragen = [getattr(r, soort) for r in stand.regels]
        teksten = [euro_tekst(b) for b in bedragen]
        traces.append(
            _bar(
                x=namen,
                y=[None if b is None else float(b) for b in bedragen],
                name=naam,
                text=teksten,
                textposition="outside",
                cliponaxis=False,
                customdata=teksten,
                marker={"color": kleur},
                hovertemplate="%{x}<br>" + naam + ": %{customdata}<extra></extra>",
            )
        )
    # One label per source for what is unknown, so a missing bar never reads as € 0.
    onbekend = [
        (namen[i], "<br>".join(f"{s}: {ONBEKEND}" for s in soorten))
        for i, r in enumerate(stand.regels)
        if (soorten := [s for s in ("begroot", "uitgegeven") if getattr(r, s) is None])
    ]
    if onbekend:
        traces.append(
            _scatter(
                x=[n for n, _ in onbekend],
                y=[0] * len(onbekend),
                text=[t for _, t in onbekend],
                mode="text",
                textposition="top center",
                showlegend=False,
                hoverinfo="skip",
            )
        )
    layout = _layout(
        340,
        barmode="group",
        yaxis={"tickprefix": "€ ", "tickformat": ",.0f", "rangemode": "tozero"},
        margin={"l": 90, "r": 16, "t": 24, "b": 64},
    )
    rijen = []
    for regel in stand.regels:
        toelichting = [
            f"begroting bekend van {regel.projecten_met_begroting} van {regel.projecten} "
            f"project{'en' if regel.projecten != 1 else ''}"
        ]
        if regel.posten:
            toelichting.append(
                f"{regel.posten} begrotingspost{'en' if regel.posten != 1 else ''} zonder project"
            )
        toelichting.append(
            f"uitgaven bekend van {regel.projecten_met_uitgaven} van {regel.projecten}"
        )
        rijen.append(
            [
                Cel(regel.label, kop=True),
                Cel(euro_tekst(regel.begroot), getal=True),
                Cel(euro_tekst(regel.uitgegeven), getal=True),
                Cel("; ".join(toelichting)),
            ]
        )
    return Grafiek(
        id="begroting",
        titel="Begroting en uitgaven per financieringsbron",
        beschrijving="Staafgrafiek van begroot en uitgegeven bedrag per financieringsbron.",
        figuur=_figuur(traces, layout) if bekend else None,
        tabel=Tabel(
            ["Financieringsbron", "Begroot", f"Uitgegeven t/m {stand.periode.label}", "Telt mee"],
            rijen,
            bijschrift="Begroot en uitgegeven in euro",
        ),
        hoogte=340,
    )


__all__ = [
    "GEEN_GEGEVENS",
    "GEHEIM",
    "Cel",
    "Grafiek",
    "Klasse",
    "Tabel",
    "Vergelijkingsrij",
    "begroting",
    "cijfer_tekst",
    "euro_tekst",
    "kaart",
    "kaartklassen",
    "klasse_van",
    "melders",
    "met_eenheid",
    "periode_tekst",
    "trend_normen",
    "trend_per_1000",
    "vergelijking",
    "voortgang",
]
