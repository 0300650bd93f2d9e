"""The risk profile's table (factors by municipalities) and the signalling scatter."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from monitoring.grafieken.basis import (
    OKABE_ITO,
    Cel,
    Grafiek,
    Tabel,
    basislayout,
    figuur_dict,
    scatter_trace,
)
from monitoring.selectors.risicoprofiel import HOOG, LAAG, MEER, MINDER, Risicoprofiel, Signalering
from regioaanpak import opmaak

MARKERING_TEKST = {
    HOOG: "meer risico dan gemiddeld in de regio",
    LAAG: "minder risico dan gemiddeld in de regio",
}


def getal(waarde: float | Decimal | None, decimalen: int = 2) -> str:
    if waarde is None:
        return "geen gegevens"
    return opmaak.getal(Decimal(str(waarde)), decimalen)


@dataclass
class ProfielCel:
    """A value; marked when its z-score is 1 or more from the mean: the arrow says above or
    below the mean, the colour and the hidden text say more or less risk (direction applied)."""

    tekst: str
    vet: bool = False
    markering: str = ""
    z: float | None = None

    @property
    def teken(self) -> str:
        if not self.markering:
            return ""
        return "▲" if self.vet else "▼"

    @property
    def uitleg(self) -> str:
        if not self.markering:
            return ""
        richting = "boven" if self.vet else "onder"
        z = opmaak.getal(Decimal(str(abs(self.z or 0))), 1)
        return f"{z} standaarddeviatie {richting} het gemiddelde: {MARKERING_TEKST[self.markering]}"


@dataclass
class ProfielRij:
    factor: str
    bron: str
    peiljaar: int
    richting: int
    cellen: list[ProfielCel]
    gemiddelde: str


def profieltabel(profiel: Risicoprofiel) -> list[ProfielRij]:
    """Per factor a row with each municipality's value and the regional mean (last column)."""
    rijen = []
    for factor in profiel.factoren:
        cellen = []
        for code, _naam in profiel.gemeenten:
            cel = factor.cellen.get(code)
            if cel is None or cel.waarde is None:
                cellen.append(ProfielCel("–"))
            else:
                cellen.append(
                    ProfielCel(getal(cel.waarde), cel.boven_gemiddelde, cel.markering, cel.z)
                )
        rijen.append(
            ProfielRij(
                factor.naam,
                factor.bron,
                factor.peiljaar,
                factor.richting,
                cellen,
                getal(factor.gemiddelde),
            )
        )
    return rijen


def signaleringsgrafiek(signalering: Signalering, bron: str) -> Grafiek:
    """Meldingen per 1.000 against the risicoscore with the fitted line; flagged municipalities
    in another colour and shape, every point labelled, and the same numbers in the table."""
    signalen = signalering.signalen
    tabel = Tabel(
        kolommen=[
            "Gemeente",
            "Risicoscore",
            "Meldingen per 1.000",
            "Verwacht",
            "Verschil",
            "Residu",
            "Oordeel",
        ],
        rijen=[
            [
                Cel(s.naam, kop=True),
                Cel(getal(s.score), getal=True),
                Cel(getal(s.meldingen_per_1000), getal=True),
                Cel(getal(s.verwacht), getal=True),
                Cel(getal(s.verschil), getal=True),
                Cel(getal(s.residu), getal=True),
                Cel(s.oordeel or "zoals verwacht"),
            ]
            for s in sorted(signalen, key=lambda s: -s.score)
        ],
        bijschrift=f"Meldingen per 1.000 inwoners ({bron}) tegenover de risicoscore",
        voetnoot=(
            "Residu: het verschil gedeeld door de standaardfout van de trendlijn; vanaf 1,5 (of "
            "-1,5) is de afwijking gemarkeerd."
        ),
    )
    figuur = None
    if signalen and signalering.helling is not None:
        gewoon = [s for s in signalen if not s.oordeel]
        punten = [
            scatter_trace(
                name="Gemeente",
                mode="markers+text",
                x=[s.score for s in gewoon],
                y=[float(s.meldingen_per_1000) for s in gewoon],
                text=[s.naam for s in gewoon],
                textposition="top center",
                marker={"color": OKABE_ITO["blauw"], "size": 10, "symbol": "circle"},
                hovertemplate="%{text}: risicoscore %{x:.2f}, %{y:.2f} meldingen per 1.000"
                "<extra></extra>",
            )
        ]
        for oordeel, kleur, symbool in (
            (MINDER, OKABE_ITO["vermiljoen"], "triangle-down"),
            (MEER, OKABE_ITO["oranje"], "triangle-up"),
        ):
            groep = [s for s in signalen if s.oordeel == oordeel]
            if groep:
                punten.append(
                    scatter_trace(
                        name=oordeel.capitalize(),
                        mode="markers+text",
                        x=[s.score for s in groep],
                        y=[float(s.meldingen_per_1000) for s in groep],
                        text=[f"{s.naam} ({oordeel})" for s in groep],
                        textposition="bottom center",
                        marker={"color": kleur, "size": 14, "symbol": symbool},
                        hovertemplate="%{text}<extra></extra>",
                    )
                )
        xs = [s.score for s in signalen]
        laag, hoog = min(xs), max(xs)
        punten.append(
            scatter_trace(
                name="Trendlijn (verwacht)",
                mode="lines",
                x=[laag, hoog],
                y=[
                    signalering.snijpunt + signalering.helling * laag,
                    signalering.snijpunt + signalering.helling * hoog,
                ],
                line={"color": OKABE_ITO["zwart"], "dash": "dash", "width": 2},
                hoverinfo="skip",
            )
        )
        layout = basislayout(440)
        layout["xaxis"] = {**layout.get("xaxis", {}), "title": {"text": "Risicoscore"}}
        layout["yaxis"] = {**layout.get("yaxis", {}), "title": {"text": "Meldingen per 1.000"}}
        figuur = figuur_dict(punten, layout)
    return Grafiek(
        id="signalering",
        titel="Meldingen en risicoscore",
        beschrijving=(
            "Spreidingsdiagram van de meldingen per 1.000 inwoners tegenover de risicoscore per "
            "gemeente, met de trendlijn."
        ),
        figuur=figuur,
        tabel=tabel,
        toelichting=signalering.melding,
        hoogte=440,
    )
