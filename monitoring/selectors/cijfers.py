"""The one figure selector: "indicator I for area A in period P, as this viewer may see it".

Every channel (the entry grid, both dashboards, reports and their PDFs, the risk profile, the
API in JSON and CSV) reads figures through `cijfers()` / `cijfer()` with the viewer policy
(`regioaanpak.inzage.Inzage`) of the request, so the same question from the same viewer always
gets the same number. Rules (DESIGN.md, "Rules of the domain"):

- Only figures the policy releases count: of a delivery in a state the policy shows for that
  region (approved, unless the viewer enters or reviews the region's figures).
- A stored figure for exactly (indicator, area, period) wins.
- Otherwise periods roll up: quarters -> half-year -> year ('som' adds, 'gemiddelde' averages,
  'laatste' takes the last part). A municipality's figure only counts the parts of the period in
  which it existed.
- Otherwise, for 'som' indicators, a region adds up the municipalities that were its members in
  that period, and a municipality formed by a merger adds up its predecessors for the periods
  before it existed.
- Own figures go before CBS's (Bronkeuze.VOORRANG): a figure imported from CBS StatLine
  (public, not bound to a delivery) answers only where the region's own delivered figures and
  their roll-ups give none, such as the country or a half-year without own quarters. The
  answer's sources name it, so a channel shows which one it is.
- Derived indicators (percentages, rates per 1.000 / 100.000 inwoners) are computed from the
  rolled-up counts and the population on 1 January; they are never averaged.
- Missing is None, never 0: a roll-up with a missing part is missing as a whole. A part that is
  secret (status geheim) makes the result secret; a provisional part makes it provisional.
- Where the viewer holds no internal role, disclosure control applies (`geheimhouding.py`):
  counts rounded, small counts and the aggregates that would reveal them suppressed, rates
  recomputed from the protected counts.
- An area outside the viewer's reach is refused (`BuitenBereik`); the country is a comparison
  every viewer may see.

All data needed for one call is read in a fixed number of queries, whatever the number of
areas and periods asked for; the arithmetic happens in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from monitoring.choices import Bronkeuze, WaarnemingStatus
from monitoring.models import Indicator
from monitoring.selectors.geheimhouding import AFGEROND, ONDERDRUKT, Afscherming
from monitoring.selectors.rekenaar import VIER_DECIMALEN, BuitenBereik, Rekenaar
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeente, Regio
from regioaanpak.perioden import PeriodeCode

__all__ = [
    "AFGEROND",
    "ONDERDRUKT",
    "VIER_DECIMALEN",
    "BuitenBereik",
    "Cijfer",
    "Cijfers",
    "cijfer",
    "cijfers",
    "cijfers_voor_sleutels",
    "inwoners",
]


@dataclass(frozen=True, slots=True)
class Cijfer:
    """The answer to one question. `waarde` is None when missing, secret or suppressed.

    `geheimhouding` says what disclosure control did: None (raw), 'afgerond' (rounded, or
    computed from rounded counts) or 'onderdrukt' (suppressed: shown as '.')."""

    indicator: str
    gebied: str
    periode: str
    waarde: Decimal | None
    status: str | None = None
    samengesteld: bool = False
    bronnen: tuple[str, ...] = ()
    ontbreekt: tuple[str, ...] = ()
    geheimhouding: str | None = None

    @property
    def is_geheim(self) -> bool:
        """Not published: secret at the source or suppressed ('.' in CBS notation)."""
        return self.status == WaarnemingStatus.GEHEIM

    @property
    def is_onderdrukt(self) -> bool:
        """Suppressed by disclosure control (as opposed to secret at the source)."""
        return self.geheimhouding == ONDERDRUKT

    @property
    def is_afgerond(self) -> bool:
        return self.geheimhouding == AFGEROND

    @property
    def is_voorlopig(self) -> bool:
        return self.status == WaarnemingStatus.VOORLOPIG

    @property
    def ontbreekt_geheel(self) -> bool:
        """No figure at all (as opposed to a secret or suppressed one)."""
        return self.waarde is None and not self.is_geheim


@dataclass
class Cijfers:
    """Answers keyed by (indicator code, area code, period code), for one viewer."""

    inzage: Inzage
    antwoorden: dict[tuple[str, str, str], Cijfer] = field(default_factory=dict)

    def get(self, indicator: str, gebied: str, periode: str | PeriodeCode) -> Cijfer:
        return self.antwoorden[(indicator, gebied, str(periode))]

    def __iter__(self):
        return iter(self.antwoorden.values())

    def __len__(self) -> int:
        return len(self.antwoorden)

    @property
    def afgeschermd(self) -> bool:
        """Some answers are disclosure-controlled (for the legend under a table or chart)."""
        return any(c.geheimhouding is not None for c in self.antwoorden.values())


def _code(item) -> str:
    if isinstance(item, str):
        return item
    return str(item.pk)


def cijfers(
    *,
    inzage: Inzage,
    indicatoren: Iterable[str | Indicator],
    gebieden: Iterable[str | Gemeente | Regio],
    perioden: Iterable[str | PeriodeCode],
    bronkeuze: str = Bronkeuze.VOORRANG,
) -> Cijfers:
    """Answer every combination of the given indicators, areas and periods for this viewer.

    Areas are CBS municipality codes (GM0505) or region codes (VT24); periods CBS period codes.
    Raises BuitenBereik (a Dutch message naming them) for areas outside the viewer's reach.
    `bronkeuze`: the source precedence (own figures, else CBS), or one source alone to
    compare them (`monitoring.choices.Bronkeuze`).
    """
    if not isinstance(inzage, Inzage):
        raise TypeError("cijfers() leest alleen met een inzagebeleid (regioaanpak.inzage).")
    indicator_codes = list(dict.fromkeys(_code(i) for i in indicatoren))
    gebied_codes = list(dict.fromkeys(_code(g) for g in gebieden))
    periode_codes = list(dict.fromkeys(PeriodeCode.parse(p) for p in perioden))
    resultaat = Cijfers(inzage)
    if not (indicator_codes and gebied_codes and periode_codes):
        return resultaat
    afscherming = Afscherming(
        Rekenaar(indicator_codes, gebied_codes, periode_codes, inzage, bronkeuze=bronkeuze)
    )
    for code in indicator_codes:
        for gebied in gebied_codes:
            for periode in periode_codes:
                resultaat.antwoorden[(code, gebied, periode.code)] = _antwoord(
                    afscherming, code, gebied, periode
                )
    return resultaat


def _antwoord(afscherming: Afscherming, code: str, gebied: str, periode: PeriodeCode) -> Cijfer:
    deel = afscherming.antwoord(afscherming.r.indicatoren[code], gebied, periode)
    return Cijfer(
        indicator=code,
        gebied=gebied,
        periode=periode.code,
        waarde=deel.waarde,
        status=deel.status,
        samengesteld=deel.samengesteld,
        bronnen=tuple(sorted(deel.bronnen)),
        ontbreekt=deel.ontbreekt,
        geheimhouding=deel.geheimhouding,
    )


def cijfers_voor_sleutels(
    *, inzage: Inzage, sleutels: Iterable[tuple[str, str, str]]
) -> dict[tuple[str, str, str], Cijfer]:
    """The answers to the listed (indicator, area, period) questions only, in one call: for
    publishing stored figures (the API's list) without answering every combination."""
    sleutels = list(dict.fromkeys(sleutels))
    if not sleutels:
        return {}
    perioden = {p: PeriodeCode.parse(p) for p in {s[2] for s in sleutels}}
    afscherming = Afscherming(
        Rekenaar(
            list(dict.fromkeys(s[0] for s in sleutels)),
            list(dict.fromkeys(s[1] for s in sleutels)),
            list(perioden.values()),
            inzage,
        )
    )
    return {
        (code, gebied, periode): _antwoord(afscherming, code, gebied, perioden[periode])
        for code, gebied, periode in sleutels
    }


def cijfer(
    indicator: str | Indicator,
    gebied: str | Gemeente | Regio,
    periode: str | PeriodeCode,
    *,
    inzage: Inzage,
) -> Cijfer:
    """One answer; see `cijfers` for the rules."""
    return cijfers(
        inzage=inzage, indicatoren=[indicator], gebieden=[gebied], perioden=[periode]
    ).get(_code(indicator), _code(gebied), str(PeriodeCode.parse(periode)))


def inwoners(gebied: str | Gemeente | Regio, periode: str | PeriodeCode) -> Decimal | None:
    """The population on 1 January of the period's year, summed over the members then.

    Public data (CBS): no viewer policy needed."""
    code = _code(gebied)
    periode = PeriodeCode.parse(periode)
    rekenaar = Rekenaar([], [code], [periode], Inzage.alles())
    return rekenaar.inwoners(code, periode).waarde
