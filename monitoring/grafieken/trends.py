"""Trend charts over periods (with norms and targets) and melders by type."""

from __future__ import annotations

import math

from monitoring.grafieken.basis import (
    MELDER_KLEUREN,
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
    lijn_trace,
    periode_tekst,
    scatter_trace,
    streefwaarde_traces,
    waarde_as,
)
from monitoring.models import Indicator
from monitoring.selectors.dashboard import Reeks, streefwaarde_perioden
from regioaanpak import opmaak
from regioaanpak.perioden import SOORT_NAMEN, PeriodeCode

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
            lijn_trace(
                reeks,
                x,
                naam,
                kleur,
                symbool=symbolen.get(reeks.indicator.code, "circle"),
                streep=strepen[gebieden.index(reeks.gebied) % len(strepen)],
            )
        )
        traces += streefwaarde_traces(reeks, perioden, x, kleur)

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
            tekst = "" if waarde is None else opmaak.getal(waarde, decimalen(reeks.indicator))
            rij.append(Cel(tekst, getal=True))
        rijen.append(rij)
    return Grafiek(
        id=id,
        titel=titel,
        beschrijving=f"Lijngrafiek: {titel.lower()} per {_soort(perioden)}.",
        figuur=figuur_dict(
            traces,
            basislayout(
                360,
                xaxis=tijdas(perioden),
                yaxis=waarde_as(
                    [w for t in traces for w in t["y"]],
                    "per_1000",
                    title={"text": "per 1.000 inwoners"},
                ),
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
        traces.append(
            lijn_trace(reeks, x, reeks.indicator.naam, kleur, symbool=symbolen[nummer % 2])
        )
        if reeks.indicator.norm_waarde is not None and x:
            norm = float(reeks.indicator.norm_waarde)
            naam = f"Norm {reeks.indicator.naam.lower()}: {_norm_tekst(reeks.indicator)}"
            traces.append(
                scatter_trace(
                    x=x,
                    y=[norm] * len(x),
                    # Short in the legend (the colour says which line; a phone has no room for
                    # more), the whole norm in the hover and the note above the chart.
                    name=f"Norm {_norm_tekst(reeks.indicator)}",
                    mode="lines",
                    line={"color": kleur, "width": 1.5, "dash": "dash"},
                    hovertemplate=naam + "<extra></extra>",
                )
            )
        traces += streefwaarde_traces(reeks, perioden, x, kleur)
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
        figuur=figuur_dict(
            traces,
            basislayout(
                360,
                xaxis=tijdas(perioden),
                yaxis={
                    **waarde_as([w for t in traces for w in t["y"]], "percentage"),
                    "range": _procentbereik(reeksen),
                },
            ),
        ),
        tabel=Tabel(kolommen, rijen, bijschrift="Tijdigheid, nieuwste periode bovenaan"),
        toelichting=f"Normen: {normen}." if normen else "",
    )


def _norm_tekst(indicator: Indicator) -> str:
    if indicator.norm_waarde is None:
        return ""
    return f"{indicator.get_norm_operator_display()} {opmaak.getal(indicator.norm_waarde, 0)}%"


def _procentbereik(reeksen: list[Reeks]) -> list[float]:
    waarden = [float(c.waarde) for r in reeksen for c in r.cijfers if c.waarde is not None]
    normen = [float(r.indicator.norm_waarde) for r in reeksen if r.indicator.norm_waarde]
    laagste = min([*waarden, *normen], default=0.0)
    # From the round ten below the lowest value (or norm) up to 100: the ticks of waarde_as that
    # fall outside are simply not drawn.
    return [max(0.0, math.floor((laagste - 5) / 10) * 10), 101.0]


# -- melders ------------------------------------------------------------------------------------


def melders(reeksen: list[Reeks], perioden: list[PeriodeCode], *, ingediend: set[str]) -> Grafiek:
    x = [p.kort_label for p in perioden]
    traces = []
    for nummer, reeks in enumerate(reeksen):
        naam = _kort(reeks.indicator.naam)
        traces.append(
            bar_trace(
                x=x,
                y=[grafiekgetal(c, reeks.indicator) for c in reeks.cijfers],
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
        figuur=figuur_dict(
            traces,
            basislayout(
                380,
                barmode="stack",
                bargap=0.25,
                xaxis=tijdas(perioden),
                yaxis=waarde_as(_stapels(traces), "aantal", title={"text": "meldingen"}),
            ),
        ),
        tabel=Tabel(kolommen, rijen, bijschrift="Aantal meldingen per soort melder"),
    )


def _stapels(traces: list[dict]) -> list[float]:
    """The height of each stacked bar (the sum of its parts)."""
    return [
        sum(w for w in kolom if w is not None)
        for kolom in zip(*(t["y"] for t in traces), strict=True)
    ]


def _kort(naam: str) -> str:
    """'Meldingen door politie en justitie' -> 'Politie en justitie' for legends."""
    for voorvoegsel in ("Meldingen door ", "Meldingen "):
        if naam.startswith(voorvoegsel):
            rest = naam[len(voorvoegsel) :]
            return rest[:1].upper() + rest[1:]
    return naam
