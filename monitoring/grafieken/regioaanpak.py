"""Progress of the regioaanpak per action line and budget against spending."""

from __future__ import annotations

from actielijnen.selectors import STATUS_LABELS, STATUS_VOLGORDE, BegrotingStand, VoortgangStand
from monitoring.grafieken.basis import (
    OKABE_ITO,
    ONBEKEND,
    STATUS_KLEUREN,
    Cel,
    Grafiek,
    Tabel,
    bar_trace,
    basislayout,
    euro_tekst,
    figuur_dict,
    omgebroken,
    scatter_trace,
    waarde_as,
)

# -- progress and budget ------------------------------------------------------------------------


def voortgang(stand: VoortgangStand) -> Grafiek | None:
    if not stand.projecten:
        return None
    lijnen = stand.actielijnen
    namen = [
        f"{lijn.actielijn.nummer}. {omgebroken(lijn.actielijn.titel, 28, 2)}" for lijn in lijnen
    ]
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
        traces.append(bar_trace(**bar))
    layout = basislayout(
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
        figuur=figuur_dict(traces, layout),
        tabel=Tabel(kolommen, rijen, bijschrift="Aantal projecten per status"),
        toelichting="Status volgens de laatste goedgekeurde voortgangsupdate tot en met "
        f"{stand.periode.label}.",
        hoogte=max(200, 70 + 44 * len(lijnen)),
    )


def begroting(stand: BegrotingStand) -> Grafiek | None:
    if not stand.regels:
        return None
    bekend = any(r.begroot is not None or r.uitgegeven is not None for r in stand.regels)
    namen = [omgebroken(r.label, 16) for r in stand.regels]
    traces: list[dict] = []
    for soort, kleur, naam in (
        ("begroot", OKABE_ITO["blauw"], "Begroot"),
        ("uitgegeven", OKABE_ITO["oranje"], f"Uitgegeven t/m {stand.periode.label}"),
    ):
        bedragen = [getattr(r, soort) for r in stand.regels]
        teksten = [euro_tekst(b) for b in bedragen]
        traces.append(
            bar_trace(
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
            scatter_trace(
                x=[n for n, _ in onbekend],
                y=[0] * len(onbekend),
                text=[t for _, t in onbekend],
                mode="text",
                textposition="top center",
                showlegend=False,
                hoverinfo="skip",
            )
        )
    layout = basislayout(
        340,
        barmode="group",
        yaxis=waarde_as(
            [float(b) for r in stand.regels for b in (r.begroot, r.uitgegeven) if b is not None],
            "euro",
        ),
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
        figuur=figuur_dict(traces, layout) if bekend else None,
        tabel=Tabel(
            ["Financieringsbron", "Begroot", f"Uitgegeven t/m {stand.periode.label}", "Telt mee"],
            rijen,
            bijschrift="Begroot en uitgegeven in euro",
        ),
        hoogte=340,
    )
