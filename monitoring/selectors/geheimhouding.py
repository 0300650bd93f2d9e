"""Disclosure control, as CBS publishes the figures of Veilig Thuis, for every viewer who is not
internal to the region (partners, the protected edition of a report, the country for everyone
without a role there).

Primary protection. Every count is rounded to the nearest multiple of the indicator's rounding
base (5, half up) and a count below its threshold (10) is suppressed: shown as '.', like a
secret figure. Percentages and rates per 1.000 or 100.000 inhabitants are computed again from
the protected counts, so raw counts cannot be worked back from a rate and the population; a
rate on a suppressed count is suppressed too. Figures that are not counts are not touched.

Secondary protection: suppression of the aggregate (SDC Handbook, Hundepool et al. 2012,
ch. 4: secondary cell suppression in hierarchical tables). A half-year is the sum of its
quarters, a year of its half-years, a region of its members in the period, a merged
municipality (before it existed) of its predecessors, and a viewer can ask for all of them. An
aggregate is therefore suppressed as well when any part within the viewer's reach is
suppressed (or secret), in any of these decompositions, recursively: a published value then
only ever rests on published parts, and no combination of published values says anything about
a suppressed one beyond "below the threshold" (0 to 9: ten candidates). Parts outside the reach
of the person (on any channel: all the regions of their roles, whatever a token leaves out) are
unknown to them; an aggregate with such parts (the country; a merged municipality with a
predecessor in another region) is published only when those parts add up to at least the
threshold, so that neither they nor a suppressed part within reach can be worked out from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from monitoring.choices import Aggregatie, Eenheid, WaarnemingStatus
from monitoring.models import Indicator
from monitoring.selectors.rekenaar import Deel, Rekenaar, quotient, van_cbs
from regioaanpak.perioden import PeriodeCode

AFGEROND = "afgerond"
ONDERDRUKT = "onderdrukt"


@dataclass(frozen=True, slots=True)
class Regel:
    """The disclosure rule of one counted indicator."""

    drempel: int
    afronding: int

    def rond_af(self, waarde: Decimal) -> Decimal:
        if self.afronding <= 1:
            return waarde
        basis = Decimal(self.afronding)
        return (waarde / basis).quantize(Decimal(1), ROUND_HALF_UP) * basis

    def pas_toe(self, waarde: Decimal | None) -> tuple[Decimal | None, str | None]:
        """(value as published, what was done): suppressed gives (None, 'onderdrukt')."""
        if waarde is None:
            return None, None
        if waarde < self.drempel:
            return None, ONDERDRUKT
        return self.rond_af(waarde), AFGEROND


def regel_voor(indicator: Indicator) -> Regel | None:
    """The rule for a measured count; None for other units and for indicators without one."""
    if indicator.eenheid != Eenheid.AANTAL or indicator.is_afgeleid:
        return None
    if indicator.geheimhouding_drempel <= 0 and indicator.geheimhouding_afronding <= 1:
        return None
    return Regel(indicator.geheimhouding_drempel, indicator.geheimhouding_afronding)


def onderdrukt_deel(bronnen: frozenset[str] = frozenset(), samengesteld: bool = True) -> Deel:
    return Deel(None, WaarnemingStatus.GEHEIM, samengesteld, bronnen, (), ONDERDRUKT)


class Afscherming:
    """The published (protected) answers of one call, on top of its raw roll-ups."""

    def __init__(self, rekenaar: Rekenaar) -> None:
        self.r = rekenaar
        self.regels = {
            code: regel
            for code, indicator in rekenaar.indicatoren.items()
            if (regel := regel_voor(indicator)) is not None
        }
        self._onderdrukt: dict[tuple[str, str, str], bool] = {}

    # -- counts ---------------------------------------------------------------------------------
    def basis(self, indicator: Indicator, gebied: str, periode: PeriodeCode) -> Deel:
        """A measured indicator as this viewer sees it."""
        deel = self.r.basis(indicator, gebied, periode)
        regel = self.regels.get(indicator.code)
        if regel is None or self.r.is_ruw(gebied, periode) or not deel.bekend:
            return deel
        if deel.status == WaarnemingStatus.GEHEIM:
            return deel
        if self.onderdrukt(indicator, gebied, periode):
            return onderdrukt_deel(deel.bronnen, deel.samengesteld)
        return Deel(
            regel.rond_af(deel.waarde),
            deel.status,
            deel.samengesteld,
            deel.bronnen,
            deel.ontbreekt,
            AFGEROND,
        )

    def onderdrukt(self, indicator: Indicator, gebied: str, periode: PeriodeCode) -> bool:
        """The count is hidden from this viewer: below the threshold, secret, or an aggregate
        with a hidden part within reach (see the module docstring)."""
        sleutel = (indicator.code, gebied, periode.code)
        uitkomst = self._onderdrukt.get(sleutel)
        if uitkomst is None:
            uitkomst = self._bereken_onderdrukt(indicator, gebied, periode)
            self._onderdrukt[sleutel] = uitkomst
        return uitkomst

    def _bereken_onderdrukt(self, indicator: Indicator, gebied: str, periode: PeriodeCode) -> bool:
        if self.r.is_ruw(gebied, periode):
            return False  # the viewer knows this value exactly: nothing to hide from them
        deel = self.r.basis(indicator, gebied, periode)
        if not deel.bekend:
            return False  # missing: nothing to protect (and no roll-up rests on it)
        if deel.status == WaarnemingStatus.GEHEIM:
            return True
        drempel = self.regels[indicator.code].drempel
        if deel.waarde < drempel:
            return True
        if van_cbs(deel):
            # Published by CBS under its own disclosure control, and not the sum of the cells
            # around it here: nothing to work out from it that CBS did not publish itself.
            return False
        for delen, buiten, daarbuiten in self._ontledingen(indicator, gebied, periode):
            if daarbuiten >= drempel:
                continue  # the unknown rest hides whatever is hidden within reach
            # The aggregate minus what the person knows would give away a small count: the
            # rest outside their reach, or a suppressed part within it.
            if buiten or any(self.onderdrukt(indicator, g, p) for g, p in delen):
                return True
        return False

    def _ontledingen(self, indicator: Indicator, gebied: str, periode: PeriodeCode):
        """Every way the person can add this cell up from other cells: (the parts within their
        reach, whether there are parts outside it, the raw sum of those: missing counts 0)."""
        r = self.r
        delen = r.tijdsdelen(gebied, periode)
        if delen:
            yield [(gebied, p) for p in delen], False, Decimal(0)
        if indicator.aggregatie != Aggregatie.SOM:
            return
        if gebied in r.gemeenten:
            binnen, buiten = r.splits_bereik(r.voorgangers_in(gebied, periode) or [])
            som = Decimal(0)
            for g in buiten:
                waarde = r.basis(indicator, g, periode).waarde
                if waarde is not None:
                    som += waarde
        else:
            binnen, buiten = r.splits_bereik(r.leden_in(gebied, periode))
            som = r.buiten_bereik_som(indicator, gebied, periode) if buiten else Decimal(0)
        if binnen or buiten:
            yield [(g, periode) for g in binnen], bool(buiten), som

    # -- any indicator --------------------------------------------------------------------------
    def antwoord(self, indicator: Indicator, gebied: str, periode: PeriodeCode) -> Deel:
        if not indicator.is_afgeleid:
            return self.basis(indicator, gebied, periode)
        r = self.r
        if r.is_ruw(gebied, periode):
            return r.ruw(indicator, gebied, periode)
        teller = self.basis(indicator.teller, gebied, periode)
        if indicator.per_inwoners:
            noemer = r.inwoners(gebied, periode)
        else:
            noemer = self.basis(indicator.noemer, gebied, periode)
        if ONDERDRUKT in (teller.geheimhouding, noemer.geheimhouding):
            return onderdrukt_deel(teller.bronnen | noemer.bronnen)
        deel = quotient(teller, noemer, indicator.factor, f"{gebied} {periode.code}")
        if deel.waarde is not None and AFGEROND in (teller.geheimhouding, noemer.geheimhouding):
            deel = Deel(deel.waarde, deel.status, True, deel.bronnen, deel.ontbreekt, AFGEROND)
        # A rate CBS published (public) where the own figures give none, such as the country's.
        return r.met_cbs(deel, indicator, gebied, periode, teller=teller)
