"""The comparison of municipalities and the map drawn from our own boundaries."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from monitoring.grafieken.basis import (
    GEEN_GEGEVENS_KLEUR,
    GEHEIM,
    GEHEIM_KLEUR,
    KAARTKLEUREN,
    MAX_KLASSEN,
    OKABE_ITO,
    Cel,
    Grafiek,
    Tabel,
    bar_trace,
    basislayout,
    cijfer_tekst,
    decimalen,
    figuur_dict,
    grafiekgetal,
    met_eenheid,
    scatter_trace,
)
from monitoring.models import Indicator
from monitoring.selectors.cijfers import Cijfer
from monitoring.selectors.dashboard import Kaart
from regioaanpak import opmaak
from regioaanpak.geo import polygonen
from regioaanpak.perioden import PeriodeCode

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
            bar_trace(
                y=namen,
                x=[grafiekgetal(r.cijfers.get(indicator.code), indicator) for r in volgorde],
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
            scatter_trace(
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
        waarde = grafiekgetal(cijfer, sorteer_op)
        naam = f"{referentie.naam}: {cijfer_tekst(cijfer, sorteer_op)}"
        traces.append(
            scatter_trace(
                x=[waarde, waarde],
                y=[namen[0], namen[-1]],
                mode="lines",
                name=naam,
                line={"color": "#444444", "width": 1.2, "dash": streep},
                hovertemplate=naam + "<extra></extra>",
            )
        )
    hoogte = max(260, 90 + 26 * len(namen) * len(indicatoren))
    layout = basislayout(
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
        figuur=figuur_dict(traces, layout),
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
        label = opmaak.getal(van, decimalen(indicator))
        if tot != van:
            label += f" – {opmaak.getal(tot, decimalen(indicator))}"
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
        traces.append(scatter_trace(**trace))
    volgorde = [*klassen, GEHEIM_KLASSE, GEEN_GEGEVENS_KLASSE]
    for klasse in volgorde:
        if klasse in gebruikt or klasse is GEEN_GEGEVENS_KLASSE:
            traces.append(
                scatter_trace(
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
    layout = basislayout(
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
        figuur=figuur_dict(traces, layout) if vlakken else None,
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
