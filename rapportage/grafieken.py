"""Charts of the report as inline SVG, drawn from the snapshot (no browser, prints sharply).

Hand-written and small on purpose: horizontal bars and a line chart with Dutch labels in the
Okabe-Ito colours. Every chart stands above its table in the report, which holds the exact
figures; the chart only draws the values a table shows (a missing or secret value is a gap).
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from monitoring.grafieken.basis import OKABE_ITO, nette_as, omgebroken
from regioaanpak import opmaak

BREEDTE = 640
LETTER = 'font-family="DejaVu Sans, sans-serif" font-size="11"'
KLEUREN = [OKABE_ITO[k] for k in ("blauw", "oranje", "blauwgroen", "roodpaars", "vermiljoen")]


def _getal(cijfer: dict | None) -> Decimal | None:
    if not cijfer or cijfer.get("waarde") is None:
        return None
    return Decimal(cijfer["waarde"])


def _svg(hoogte: int, titel: str, inhoud: list[str]) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BREEDTE} {hoogte}" '
        f'width="100%" role="img" aria-label="{escape(titel, {chr(34): "&quot;"})}" {LETTER}>'
        f"<title>{escape(titel)}</title>{''.join(inhoud)}</svg>"
    )


def _as(waarden: list[Decimal], procent: bool = False) -> list[Decimal]:
    """Round ticks (0, 2, 4 ... 10) over all values: the top tick is the scale's maximum."""
    return nette_as(max(waarden, default=Decimal(0)), procent=procent)


def _tick(waarde: Decimal, procent: bool) -> str:
    decimalen = max(0, -waarde.as_tuple().exponent)
    return opmaak.getal(waarde, min(decimalen, 2)) + ("%" if procent else "")


def _regels(tekst: str, breedte: int = 26) -> list[str]:
    """A label over at most two lines instead of cut off."""
    return omgebroken(tekst, breedte, 2).split("<br>")


def staafgrafiek(
    titel: str,
    rijen: list[tuple[str, list[dict | None]]],
    reeksen: list[str],
    *,
    decimalen: int = 0,
    procent: bool = False,
) -> SafeString:
    """Horizontal bars: per row (label) one bar per series; a gap shows 'geen gegevens'/'.'.
    Round ticks with gridlines; long labels over two lines, never cut off."""
    label_breedte, rechts, balk, tussen = 170, 70, 12, 8
    legenda = 22 if len(reeksen) > 1 else 0
    rijhoogte = max(balk * len(reeksen) + tussen, 28)
    hoogte = legenda + rijhoogte * len(rijen) + 24
    waarden = [w for _, cijfers in rijen for c in cijfers if (w := _getal(c)) is not None]
    ticks = _as(waarden, procent)
    maximum = ticks[-1] or Decimal(1)
    ruimte = BREEDTE - label_breedte - rechts
    delen = []
    for i, naam in enumerate(reeksen if legenda else []):
        x = label_breedte + i * 160
        delen.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{KLEUREN[i % len(KLEUREN)]}"/>'
            f'<text x="{x + 16}" y="14">{escape(naam)}</text>'
        )
    ruimte_tick = BREEDTE - label_breedte - rechts
    as_y = legenda + rijhoogte * len(rijen)
    for tick in ticks:
        x = label_breedte + float(tick / maximum) * ruimte_tick
        delen.append(
            f'<line x1="{x:.1f}" y1="{legenda}" x2="{x:.1f}" y2="{as_y}" stroke="#e3e6ea"/>'
            f'<text x="{x:.1f}" y="{as_y + 14}" text-anchor="middle">'
            f"{escape(_tick(tick, procent))}</text>"
        )
    for r, (label, cijfers) in enumerate(rijen):
        y0 = legenda + r * rijhoogte
        regels = _regels(label)
        eerste = y0 + rijhoogte / 2 + 2 - 6 * (len(regels) - 1)
        delen.append(
            f'<text x="{label_breedte - 6}" y="{eerste:.1f}" text-anchor="end">'
            + "".join(
                f'<tspan x="{label_breedte - 6}" dy="{0 if i == 0 else 12}">{escape(regel)}</tspan>'
                for i, regel in enumerate(regels)
            )
            + f"<title>{escape(label)}</title></text>"
        )
        for s, cijfer in enumerate(cijfers):
            y = y0 + s * balk
            waarde = _getal(cijfer)
            tekst = cijfer["tekst"] if cijfer else "geen gegevens"
            lengte = 0.0 if waarde is None else float(waarde / maximum) * ruimte
            if lengte:
                delen.append(
                    f'<rect x="{label_breedte}" y="{y}" width="{lengte:.1f}" '
                    f'height="{balk - 2}" fill="{KLEUREN[s % len(KLEUREN)]}"/>'
                )
            delen.append(
                f'<text x="{label_breedte + lengte + 4:.1f}" y="{y + balk - 3}">'
                f"{escape(tekst)}</text>"
            )
    delen.append(
        f'<line x1="{label_breedte}" y1="{legenda}" x2="{label_breedte}" y2="{as_y}" '
        'stroke="#8a939c"/>'
    )
    return _svg(hoogte, titel, delen)


def lijngrafiek(
    titel: str,
    labels: list[str],
    reeksen: list[tuple[str, list[dict | None]]],
    *,
    decimalen: int = 1,
    procent: bool = False,
    norm: tuple[str, Decimal] | None = None,
) -> SafeString:
    """Lines over periods; a target series is drawn dashed, a norm as a dotted line with its
    label. Round ticks with gridlines (% on a percentage axis). Gaps stay gaps (never 0)."""
    links, rechts, boven, onder = 56, 40, 26, 30
    hoogte = 220
    breedte = BREEDTE - links - rechts
    plot_hoogte = hoogte - boven - onder
    waarden = [w for _, punten in reeksen for p in punten if (w := _getal(p)) is not None]
    if norm is not None:
        waarden.append(norm[1])
    ticks = _as(waarden, procent)
    maximum = ticks[-1] or Decimal(1)
    stap = breedte / max(len(labels) - 1, 1)

    def xy(i: int, waarde: Decimal) -> tuple[float, float]:
        return links + i * stap, boven + plot_hoogte * (1 - float(waarde / maximum))

    delen = []
    for tick in ticks:
        y = boven + plot_hoogte * (1 - float(tick / maximum))
        kleur = "#8a939c" if tick == 0 else "#e3e6ea"
        delen.append(
            f'<line x1="{links}" y1="{y:.1f}" x2="{BREEDTE - rechts}" y2="{y:.1f}" '
            f'stroke="{kleur}"/><text x="{links - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_tick(tick, procent))}</text>"
        )
    if norm is not None:
        naam, waarde = norm
        y = boven + plot_hoogte * (1 - float(waarde / maximum))
        delen.append(
            f'<line x1="{links}" y1="{y:.1f}" x2="{BREEDTE - rechts}" y2="{y:.1f}" '
            f'stroke="#444" stroke-width="1.5" stroke-dasharray="2 3"/>'
            f'<text x="{BREEDTE - rechts}" y="{y - 4:.1f}" text-anchor="end">{escape(naam)}</text>'
        )
    for i, label in enumerate(labels):
        delen.append(
            f'<text x="{links + i * stap:.1f}" y="{hoogte - 10}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for s, (naam, punten) in enumerate(reeksen):
        kleur = KLEUREN[s % len(KLEUREN)]
        streep = ' stroke-dasharray="6 4"' if naam.lower().startswith("streefwaarde") else ""
        delen.append(
            f'<rect x="{links + s * 200}" y="4" width="12" height="3" fill="{kleur}"/>'
            f'<text x="{links + s * 200 + 16}" y="10">{escape(naam)}</text>'
        )
        stuk: list[str] = []
        for i, punt in enumerate([*punten, None]):
            waarde = _getal(punt)
            if waarde is None:
                if len(stuk) > 1:
                    delen.append(
                        f'<polyline points="{" ".join(stuk)}" fill="none" stroke="{kleur}" '
                        f'stroke-width="2"{streep}/>'
                    )
                stuk = []
                continue
            x, y = xy(i, waarde)
            stuk.append(f"{x:.1f},{y:.1f}")
            delen.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{kleur}"/>')
    return _svg(hoogte, titel, delen)


# -- the report's charts ------------------------------------------------------------------------


def rapportgrafieken(gegevens: dict) -> dict[str, SafeString]:
    """The charts of one snapshot, by name, for the template."""
    grafieken = {}
    gemeenten = gegevens["gemeenten"]
    rijen = [*gemeenten["rijen"], gemeenten["regio"]]
    if gemeenten.get("landelijk"):
        rijen.append(gemeenten["landelijk"])
    grafieken["gemeenten"] = staafgrafiek(
        "Meldingen en adviezen per 1.000 inwoners per gemeente",
        [(r["naam"], [r["meldingen_per_1000"], r["adviezen_per_1000"]]) for r in rijen],
        ["meldingen per 1.000", "adviezen per 1.000"],
        decimalen=2,
    )
    regels = gegevens["begroting"]["regels"]
    # Without one known amount a chart shows nothing: the table says "onbekend".
    if any(_getal(r[k]) is not None for r in regels for k in ("begroot", "uitgegeven")):
        grafieken["begroting"] = staafgrafiek(
            "Begroot en uitgegeven per financieringsbron",
            [(r["bron"], [r["begroot"], r["uitgegeven"]]) for r in regels],
            ["begroot", "uitgegeven"],
        )
    for reeks in gegevens.get("trend", []):
        punten = reeks["punten"]
        lijnen = [(gegevens["regio"]["naam"], [p["cijfer"] for p in punten])]
        if any(p["streefwaarde"] for p in punten):
            lijnen.append(("Streefwaarde", [p["streefwaarde"] for p in punten]))
        norm = reeks.get("norm")  # snapshots before norms were kept have none
        grafieken[f"trend_{reeks['indicator']['code']}"] = lijngrafiek(
            f"{reeks['indicator']['naam']}: verloop over vier "
            f"{gegevens.get('trend_perioden', 'halfjaren')}",
            [p["kort"] for p in punten],
            lijnen,
            decimalen=2 if reeks["indicator"]["eenheid"] == "per_1000" else 1,
            procent=reeks["indicator"]["eenheid"] == "percentage",
            norm=(f"Norm: {norm['tekst']}", Decimal(norm["waarde"])) if norm else None,
        )
    return grafieken
