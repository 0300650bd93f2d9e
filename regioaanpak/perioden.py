"""CBS period codes as a value object: 2021KW01..KW04, 2021HJ01/HJ02, 2021JJ00.

Pure Python (no database), so the import, the selectors and the forms share one parser.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache, total_ordering

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PERIODE_PATROON = re.compile(r"^(?P<jaar>\d{4})(?P<soort>KW|HJ|JJ)(?P<nummer>\d{2})$")
PERIODE_REGEX = r"^[0-9]{4}(KW0[1-4]|HJ0[12]|JJ00)$"

# The years a period code from outside (an address, a file, the API, a form) may have
# (PeriodeCode.invoer). A period itself (and parse, for codes the monitor computed) may lie 100
# years further either way, so arithmetic from any code that was read (the previous period, a
# year earlier, a trend of 60 quarters) never leaves the valid range.
JAAR_MIN, JAAR_MAX = 1950, 2099
_JAAR_MARGE = 100

KWARTAAL = "KW"
HALFJAAR = "HJ"
JAAR = "JJ"

# Months per period type: how long one period of that type lasts.
_MAANDEN = {KWARTAAL: 3, HALFJAAR: 6, JAAR: 12}
_AANTAL_PER_JAAR = {KWARTAAL: 4, HALFJAAR: 2, JAAR: 1}
# Sorting within a year: the year first, then half-years, then quarters (coarse to fine).
_SOORT_VOLGORDE = {JAAR: 0, HALFJAAR: 1, KWARTAAL: 2}
SOORT_NAMEN = {KWARTAAL: "kwartaal", HALFJAAR: "halfjaar", JAAR: "jaar"}


class OngeldigePeriode(ValidationError):
    """A period code that is not a CBS period code; the message names the code."""


@total_ordering
# Not slotted: the dates and the code are computed once per instance (cached_property); the
# figure selector asks for them tens of thousands of times per dashboard.
@dataclass(frozen=True)
class PeriodeCode:
    jaar: int
    soort: str
    nummer: int

    def __post_init__(self) -> None:
        if self.soort not in _MAANDEN:
            raise OngeldigePeriode(_("Onbekend soort periode: %(soort)s.") % {"soort": self.soort})
        if self.soort == JAAR:
            geldig = self.nummer == 0
        else:
            geldig = 1 <= self.nummer <= _AANTAL_PER_JAAR[self.soort]
        if not geldig:
            raise OngeldigePeriode(
                _("%(code)s is geen geldige periode.") % {"code": self._ruwe_code()}
            )
        if not JAAR_MIN - _JAAR_MARGE <= self.jaar <= JAAR_MAX + _JAAR_MARGE:
            raise OngeldigePeriode(
                _("%(code)s heeft een onmogelijk jaar.") % {"code": self._ruwe_code()}
            )

    # -- parsing and formatting -------------------------------------------------------------
    @classmethod
    def parse(cls, code: str | PeriodeCode) -> PeriodeCode:
        if isinstance(code, PeriodeCode):
            return code
        if isinstance(code, str):
            return _parse_tekst(code)  # an import of 100.000 rows has a few distinct codes
        return cls._parse(code)

    @classmethod
    def invoer(cls, code: str | PeriodeCode) -> PeriodeCode:
        """A period code from outside (an address, a form, a file, the API): a CBS code whose
        year lies within JAAR_MIN..JAAR_MAX, so that everything computed from it (previous
        periods, a year earlier, a trend) stays a valid period."""
        if isinstance(code, str):
            match = PERIODE_PATROON.match(code.strip().upper())
            jaar = int(match["jaar"]) if match else None
        else:
            jaar = code.jaar
        if jaar is not None and not JAAR_MIN <= jaar <= JAAR_MAX:
            raise OngeldigePeriode(
                _("%(code)s ligt buiten de perioden van de monitor (%(min)s tot en met %(max)s).")
                % {"code": str(code).strip().upper(), "min": JAAR_MIN, "max": JAAR_MAX}
            )
        return cls.parse(code)

    @classmethod
    def _parse(cls, code) -> PeriodeCode:
        tekst = (code or "").strip().upper()
        match = PERIODE_PATROON.match(tekst)
        try:
            if not match:
                raise OngeldigePeriode("")
            return cls(int(match["jaar"]), match["soort"], int(match["nummer"]))
        except OngeldigePeriode:
            raise OngeldigePeriode(
                _(
                    "'%(code)s' is geen geldige periodecode. Gebruik een CBS-code zoals "
                    "2021KW01 (kwartaal KW01 t/m KW04), 2021HJ01 (halfjaar HJ01 of HJ02) of "
                    "2021JJ00 (jaar)."
                )
                % {"code": code}
            ) from None

    @classmethod
    def kwartaal(cls, jaar: int, nummer: int) -> PeriodeCode:
        return cls(jaar, KWARTAAL, nummer)

    @classmethod
    def halfjaar(cls, jaar: int, nummer: int) -> PeriodeCode:
        return cls(jaar, HALFJAAR, nummer)

    @classmethod
    def heel_jaar(cls, jaar: int) -> PeriodeCode:
        return cls(jaar, JAAR, 0)

    @classmethod
    def van_datum(cls, datum: dt.date, soort: str = KWARTAAL) -> PeriodeCode:
        """The period of the given type that contains the date."""
        if soort == JAAR:
            return cls.heel_jaar(datum.year)
        return cls(datum.year, soort, (datum.month - 1) // _MAANDEN[soort] + 1)

    def _ruwe_code(self) -> str:
        return f"{self.jaar:04d}{self.soort}{self.nummer:02d}"

    @cached_property
    def code(self) -> str:
        return self._ruwe_code()

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """Dutch label for people: '2e kwartaal 2021', '1e halfjaar 2021', '2021'."""
        if self.soort == JAAR:
            return str(self.jaar)
        return f"{self.nummer}e {SOORT_NAMEN[self.soort]} {self.jaar}"

    @property
    def kort_label(self) -> str:
        """Short label for chart axes: '2021 K2', '2021 H1', '2021'."""
        if self.soort == JAAR:
            return str(self.jaar)
        return f"{self.jaar} {self.soort[0]}{self.nummer}"

    # -- dates --------------------------------------------------------------------------------
    @cached_property
    def begindatum(self) -> dt.date:
        if self.soort == JAAR:
            return dt.date(self.jaar, 1, 1)
        return dt.date(self.jaar, (self.nummer - 1) * _MAANDEN[self.soort] + 1, 1)

    @cached_property
    def einddatum(self) -> dt.date:
        volgende = self.volgende().begindatum
        return volgende - dt.timedelta(days=1)

    def bevat_datum(self, datum: dt.date) -> bool:
        return self.begindatum <= datum <= self.einddatum

    # -- arithmetic ---------------------------------------------------------------------------
    def _index(self) -> int:
        return self.jaar * _AANTAL_PER_JAAR[self.soort] + max(self.nummer, 1) - 1

    @classmethod
    def _uit_index(cls, soort: str, index: int) -> PeriodeCode:
        per_jaar = _AANTAL_PER_JAAR[soort]
        jaar, rest = divmod(index, per_jaar)
        return cls(jaar, soort, 0 if soort == JAAR else rest + 1)

    def verschuif(self, stappen: int) -> PeriodeCode:
        return self._uit_index(self.soort, self._index() + stappen)

    def vorige(self) -> PeriodeCode:
        """The previous period of the same type (2021KW01 -> 2020KW04)."""
        return self.verschuif(-1)

    def volgende(self) -> PeriodeCode:
        return self.verschuif(1)

    def jaar_eerder(self) -> PeriodeCode:
        """The same period a year earlier (2021KW03 -> 2020KW03)."""
        return PeriodeCode(self.jaar - 1, self.soort, self.nummer)

    def bevat(self, ander: PeriodeCode | str) -> bool:
        """True when `ander` lies within this period (a period contains itself)."""
        ander = PeriodeCode.parse(ander)
        return self.begindatum <= ander.begindatum and ander.einddatum <= self.einddatum

    def onderdelen(self) -> tuple[PeriodeCode, ...]:
        """The periods one level down: a year has two half-years, a half-year two quarters."""
        return _onderdelen(self)

    def _bereken_onderdelen(self) -> tuple[PeriodeCode, ...]:
        if self.soort == JAAR:
            return (PeriodeCode.halfjaar(self.jaar, 1), PeriodeCode.halfjaar(self.jaar, 2))
        if self.soort == HALFJAAR:
            eerste = (self.nummer - 1) * 2 + 1
            return (
                PeriodeCode.kwartaal(self.jaar, eerste),
                PeriodeCode.kwartaal(self.jaar, eerste + 1),
            )
        return ()

    def kwartalen(self) -> tuple[PeriodeCode, ...]:
        if self.soort == KWARTAAL:
            return (self,)
        return tuple(k for deel in self.onderdelen() for k in deel.kwartalen())

    def nakomelingen(self) -> tuple[PeriodeCode, ...]:
        """All periods inside this one (half-years and quarters), without itself."""
        resultaat: list[PeriodeCode] = []
        for deel in self.onderdelen():
            resultaat.append(deel)
            resultaat.extend(deel.nakomelingen())
        return tuple(resultaat)

    def bovenliggende(self) -> tuple[PeriodeCode, ...]:
        """The half-year and year this period lies in (coarser periods only)."""
        resultaat: list[PeriodeCode] = []
        if self.soort == KWARTAAL:
            resultaat.append(PeriodeCode.halfjaar(self.jaar, 1 if self.nummer <= 2 else 2))
        if self.soort in (KWARTAAL, HALFJAAR):
            resultaat.append(PeriodeCode.heel_jaar(self.jaar))
        return tuple(resultaat)

    @classmethod
    def reeks(cls, van: PeriodeCode | str, tot: PeriodeCode | str) -> list[PeriodeCode]:
        """All periods of one type from `van` to `tot`, both included."""
        van, tot = cls.parse(van), cls.parse(tot)
        if van.soort != tot.soort:
            raise OngeldigePeriode(
                _("%(van)s en %(tot)s zijn niet van hetzelfde soort periode.")
                % {"van": van, "tot": tot}
            )
        return [van.verschuif(i) for i in range(tot._index() - van._index() + 1)]

    def __lt__(self, ander: object) -> bool:
        if not isinstance(ander, PeriodeCode):
            return NotImplemented
        return (self.begindatum, _SOORT_VOLGORDE[self.soort]) < (
            ander.begindatum,
            _SOORT_VOLGORDE[ander.soort],
        )


@lru_cache(maxsize=4096)
def _parse_tekst(code: str) -> PeriodeCode:
    return PeriodeCode._parse(code)


@cache
def _onderdelen(periode: PeriodeCode) -> tuple[PeriodeCode, ...]:
    return periode._bereken_onderdelen()


def laatste_volledige_kwartaal(vandaag: dt.date) -> PeriodeCode:
    """The last quarter that has ended before `vandaag`."""
    return PeriodeCode.van_datum(vandaag).vorige()
