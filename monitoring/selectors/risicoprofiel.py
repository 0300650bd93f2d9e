"""The risk profile of a region and its signalling analysis (seed 004, chapter 1, appendix 2).

Risk profile: for every factor the z-score of each municipality against the region's
municipalities that have a value for it, z = (x - mean) / population standard deviation,
multiplied by the direction (+1: higher is more risk, -1: lower is, as the WOZ-waarde). The
risicoscore of a municipality is the sum of its available z-scores; fewer than half of the
factors gives "onvoldoende gegevens". Rank 1 is the highest risk; the top third (rounded) is
hoog, the bottom third laag, the rest gemiddeld.

Signalling: meldingen per 1.000 inwoners against the risicoscore, a straight-line fit (least
squares), per municipality the expected value, the difference and the standardised residual
(difference / standard error of the fit); |residual| >= 1.5 is flagged.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from monitoring.models import Risicofactorwaarde
from monitoring.selectors.cijfers import cijfers
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeente, Regio
from regioaanpak.perioden import PeriodeCode

HOOG, GEMIDDELD, LAAG = "hoog", "gemiddeld", "laag"
ONVOLDOENDE = "onvoldoende gegevens"
# A value whose z-score (direction applied) is at least this far from 0 is marked: as more risk
# (z >= 1) or less risk (z <= -1). In standard deviations, so the same for every unit (a WOZ-value
# in thousands of euros, a rate per 1.000).
MARKEERGRENS = 1.0
RESIDUGRENS = 1.5
MINDER = "minder meldingen dan verwacht"
MEER = "meer meldingen dan verwacht"


@dataclass
class Cel:
    waarde: Decimal | None
    z: float | None = None
    boven_gemiddelde: bool = False
    # "hoog" (more risk: z >= 1 with the direction applied), "laag" (less risk: z <= -1) or "".
    markering: str = ""


@dataclass
class Factor:
    naam: str
    richting: int
    bron: str
    peiljaar: int
    cellen: dict[str, Cel]
    gemiddelde: Decimal | None
    standaarddeviatie: float | None


@dataclass
class Score:
    gemeente: str
    naam: str
    score: float
    aantal_factoren: int
    rang: int | None = None
    klasse: str = ONVOLDOENDE

    @property
    def onvoldoende(self) -> bool:
        return self.klasse == ONVOLDOENDE


@dataclass
class Risicoprofiel:
    regio: Regio
    gemeenten: list[tuple[str, str]]
    factoren: list[Factor]
    scores: list[Score]  # by rank; municipalities with too little data last

    @property
    def aantal_factoren(self) -> int:
        return len(self.factoren)

    def score(self, gemeente: str) -> Score:
        return next(s for s in self.scores if s.gemeente == gemeente)


def _klassen(scores: list[Score]) -> None:
    """Rank the municipalities with enough data (1 = highest risk) and put them in thirds."""
    gerangschikt = sorted(
        (s for s in scores if not s.onvoldoende),
        key=lambda s: (-s.score, s.naam),
    )
    derde = round(len(gerangschikt) / 3)
    for index, score in enumerate(gerangschikt):
        score.rang = index + 1
        if index < derde:
            score.klasse = HOOG
        elif index >= len(gerangschikt) - derde:
            score.klasse = LAAG
        else:
            score.klasse = GEMIDDELD


def risicoprofiel(regio: Regio) -> Risicoprofiel:
    """The region's profile from its stored factors (per municipality and factor the latest
    reference year). Two queries."""
    laatste: dict[tuple[str, str], Risicofactorwaarde] = {}
    for waarde in Risicofactorwaarde.objects.filter(regio=regio).order_by("peiljaar"):
        laatste[(waarde.factor, waarde.gemeente_id)] = waarde
    codes = sorted({g for _f, g in laatste})
    namen = dict(Gemeente.objects.filter(cbs_code__in=codes).values_list("cbs_code", "naam"))
    gemeenten = sorted(((c, namen.get(c, c)) for c in codes), key=lambda g: g[1])

    per_factor: dict[str, list[Risicofactorwaarde]] = defaultdict(list)
    for (factor, _g), waarde in laatste.items():
        per_factor[factor].append(waarde)
    factoren = [_factor(naam, waarden) for naam, waarden in per_factor.items()]
    factoren.sort(key=lambda f: f.naam.lower())

    totaal = len(factoren)
    scores = []
    for code, naam in gemeenten:
        zs = [
            f.cellen[code].z for f in factoren if code in f.cellen and f.cellen[code].z is not None
        ]
        score = Score(code, naam, round(math.fsum(zs), 4), len(zs))
        if len(zs) * 2 >= totaal and zs:
            score.klasse = ""
        scores.append(score)
    _klassen(scores)
    scores.sort(key=lambda s: (s.rang is None, s.rang or 0, s.naam))
    return Risicoprofiel(regio, gemeenten, factoren, scores)


def _factor(naam: str, waarden: list[Risicofactorwaarde]) -> Factor:
    bekend = [w for w in waarden if w.waarde is not None]
    cellen = {w.gemeente_id: Cel(w.waarde) for w in waarden}
    gemiddelde = sd = None
    richting = waarden[0].richting
    if bekend:
        getallen = [float(w.waarde) for w in bekend]
        gem = math.fsum(getallen) / len(getallen)
        sd = math.sqrt(math.fsum((x - gem) ** 2 for x in getallen) / len(getallen))
        gemiddelde = (sum((w.waarde for w in bekend), Decimal(0)) / len(bekend)).quantize(
            Decimal("0.01")
        )
        exact_gemiddelde = sum((v.waarde for v in bekend), Decimal(0)) / len(bekend)
        for w in bekend:
            cel = cellen[w.gemeente_id]
            cel.z = 0.0 if sd == 0 else round((float(w.waarde) - gem) / sd * richting, 4)
            cel.boven_gemiddelde = w.waarde > exact_gemiddelde
            if cel.z >= MARKEERGRENS:
                cel.markering = HOOG
            elif cel.z <= -MARKEERGRENS:
                cel.markering = LAAG
    return Factor(
        naam=naam,
        richting=richting,
        bron=next((w.bron for w in waarden if w.bron), ""),
        peiljaar=max(w.peiljaar for w in waarden),
        cellen=cellen,
        gemiddelde=gemiddelde,
        standaarddeviatie=sd,
    )


# -- signalling ------------------------------------------------------------------------------
@dataclass
class Signaal:
    gemeente: str
    naam: str
    score: float
    meldingen_per_1000: Decimal
    verwacht: float
    verschil: float
    residu: float
    oordeel: str  # MINDER, MEER or ""


@dataclass
class Signalering:
    signalen: list[Signaal] = field(default_factory=list)
    helling: float | None = None
    snijpunt: float | None = None
    zonder_meldingen: list[str] = field(default_factory=list)
    melding: str = ""  # why there is no fit, in Dutch

    def signaal(self, gemeente: str) -> Signaal | None:
        return next((s for s in self.signalen if s.gemeente == gemeente), None)


def signalering(profiel: Risicoprofiel, meldingen: dict[str, Decimal | None]) -> Signalering:
    """Fit meldingen per 1.000 on the risicoscore over the municipalities with both."""
    uitkomst = Signalering()
    punten = []
    for score in profiel.scores:
        waarde = meldingen.get(score.gemeente)
        if score.onvoldoende:
            continue
        if waarde is None:
            uitkomst.zonder_meldingen.append(score.naam)
            continue
        punten.append((score, waarde))
    if len(punten) < 3:
        uitkomst.melding = _(
            "Te weinig gemeenten met een risicoscore en meldingen (%(n)s) voor een trendlijn; "
            "er zijn er ten minste 3 nodig."
        ) % {"n": len(punten)}
        return uitkomst
    xs = [s.score for s, _w in punten]
    ys = [float(w) for _s, w in punten]
    n = len(punten)
    gem_x, gem_y = math.fsum(xs) / n, math.fsum(ys) / n
    sxx = math.fsum((x - gem_x) ** 2 for x in xs)
    if sxx == 0:
        uitkomst.melding = _("Alle gemeenten hebben dezelfde risicoscore; er is geen trendlijn.")
        return uitkomst
    helling = math.fsum((x - gem_x) * (y - gem_y) for x, y in zip(xs, ys, strict=True)) / sxx
    snijpunt = gem_y - helling * gem_x
    verschillen = [y - (snijpunt + helling * x) for x, y in zip(xs, ys, strict=True)]
    fout = math.sqrt(math.fsum(v * v for v in verschillen) / (n - 2)) if n > 2 else 0.0
    uitkomst.helling, uitkomst.snijpunt = round(helling, 4), round(snijpunt, 4)
    for (score, waarde), x, verschil in zip(punten, xs, verschillen, strict=True):
        residu = 0.0 if fout == 0 else verschil / fout
        oordeel = MINDER if residu <= -RESIDUGRENS else MEER if residu >= RESIDUGRENS else ""
        uitkomst.signalen.append(
            Signaal(
                gemeente=score.gemeente,
                naam=score.naam,
                score=score.score,
                meldingen_per_1000=waarde,
                verwacht=round(snijpunt + helling * x, 4),
                verschil=round(verschil, 4),
                residu=round(residu, 4),
                oordeel=oordeel,
            )
        )
    return uitkomst


def meldingen_uit_cijfers(
    profiel: Risicoprofiel, periode: str | PeriodeCode, inzage: Inzage
) -> dict[str, Decimal | None]:
    """Meldingen per 1.000 inwoners of the profile's municipalities, from the figure selector
    under the viewer's policy (approved figures only, as on the dashboards; a partner gets the
    disclosure-controlled rate, and a suppressed rate is left out of the fit)."""
    codes = [code for code, _naam in profiel.gemeenten]
    antwoorden = cijfers(
        inzage=inzage.met_ingediend(False),
        indicatoren=["vt_meldingen_per_1000"],
        gebieden=codes,
        perioden=[periode],
    )
    return {code: antwoorden.get("vt_meldingen_per_1000", code, periode).waarde for code in codes}
