"""One face per number: how the monitor writes numbers, money, percentages, dates and figures.

Pages, charts, PDFs, messages and exports for people call this module (templates through the
filters in `regioaanpak.templatetags.opmaak`). Numbers and dates go through Django's own
localisation under the Dutch locale (`number_format`, `date_format`), also where no request
activated a language (commands, PDFs in a worker). What is ours is the CBS notation:

- `.`  secret at the source (geheim) or suppressed by disclosure control (onderdrukt);
- `*`  provisional (voorlopig), always at the very end: `93,2%*`, `412*`;
- "geen gegevens" where a figure is missing (never 0); "–" in a compact table with a legend.

API answers and CSV files are for machines and keep exact decimals with a point; they do not
use this module.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, numberformat, timezone, translation

GEHEIM = "."
VOORLOPIG = "*"
GEEN_GEGEVENS = "geen gegevens"
GEEN_GEGEVENS_KORT = "–"  # in compact tables whose legend explains it (the entry grid)
ONBEKEND = "onbekend"
TAAL = "nl"

# Decimal places per unit when a figure is shown (the stored value keeps its own precision).
DECIMALEN = {
    "aantal": 0,
    "euro": 0,
    "dagen": 1,
    "percentage": 1,
    "per_1000": 2,
    "per_100000": 1,
}
# Units written after a value in running text and on chart axes.
EENHEDEN = {
    "percentage": "%",
    "per_1000": "per 1.000 inwoners",
    "per_100000": "per 100.000 inwoners",
    "dagen": "dagen",
}


def _afgerond(waarde: Decimal, decimalen: int | None) -> Decimal:
    if decimalen is None:
        genormaliseerd = waarde.normalize()
        if genormaliseerd.as_tuple().exponent > 0:  # 4E+2 -> 400
            genormaliseerd = genormaliseerd.quantize(Decimal(1))
        return genormaliseerd
    return waarde.quantize(Decimal(1).scaleb(-decimalen), ROUND_HALF_UP)


def getal(waarde: Decimal | int | float | None, decimalen: int | None = None) -> str:
    """1.234 / 62,5 / -1.234,57: Dutch separators; exactly as stored unless `decimalen` rounds.
    None is "geen gegevens"."""
    if waarde is None:
        return GEEN_GEGEVENS
    if not isinstance(waarde, Decimal):
        waarde = Decimal(str(waarde))
    afgerond = _afgerond(waarde, decimalen)
    if afgerond == 0:
        afgerond = abs(afgerond)  # no "-0"
    # What formats.number_format does under translation.override(TAAL), with the Dutch
    # separators asked for by language: switching the active language for each number cost
    # 80 microseconds, a quarter of a dashboard's own work (about 950 numbers).
    return numberformat.format(
        afgerond,
        formats.get_format("DECIMAL_SEPARATOR", TAAL, use_l10n=True),
        decimalen,
        formats.get_format("NUMBER_GROUPING", TAAL, use_l10n=True),
        formats.get_format("THOUSAND_SEPARATOR", TAAL, use_l10n=True),
        force_grouping=True,
        use_l10n=True,
    )


def bedrag(waarde: Decimal | int | None, decimalen: int = 0) -> str:
    """€ 12.500 (or € 12.500,00 with decimalen=2), with a non-breaking space."""
    if waarde is None:
        return ONBEKEND
    return f"€\u00a0{getal(waarde, decimalen)}"


def procent(waarde: Decimal | float | None, decimalen: int = 1) -> str:
    """93,2%."""
    if waarde is None:
        return GEEN_GEGEVENS
    return f"{getal(waarde, decimalen)}%"


def verandering(waarde: Decimal | None, decimalen: int = 1) -> str:
    """A change in percent with its sign: +4,3% / -2,0% / 0,0%."""
    if waarde is None:
        return "geen vergelijking mogelijk"
    tekst = getal(waarde, decimalen)
    return f"+{tekst}%" if waarde > 0 and not tekst.startswith("-") else f"{tekst}%"


def cijfer(
    waarde: Decimal | None,
    *,
    eenheid: str = "aantal",
    geheim: bool = False,
    voorlopig: bool = False,
    met_eenheid: bool = False,
    decimalen: int | None = None,
    kort: bool = False,
) -> str:
    """A figure in CBS notation: 1.234, 2,05, 412*, 93,2%*, . (geheim or onderdrukt),
    "geen gegevens" (missing, never 0). With `met_eenheid` the unit follows the number
    (93,2%, 2,05 per 1.000 inwoners, € 12.500)."""
    if geheim:
        return GEHEIM
    if waarde is None:
        return GEEN_GEGEVENS_KORT if kort else GEEN_GEGEVENS
    plaatsen = DECIMALEN.get(eenheid, 1) if decimalen is None else decimalen
    tekst = getal(waarde, plaatsen)
    if met_eenheid:
        if eenheid == "euro":
            tekst = f"€\u00a0{tekst}"
        elif eenheid == "percentage":
            tekst = f"{tekst}%"
        elif eenheid in EENHEDEN:
            tekst = f"{tekst} {EENHEDEN[eenheid]}"
    return f"{tekst}{VOORLOPIG}" if voorlopig else tekst


def datum(waarde: dt.date | None) -> str:
    """1 december 2026."""
    if waarde is None:
        return ""
    if isinstance(waarde, dt.datetime):
        waarde = timezone.localtime(waarde).date() if timezone.is_aware(waarde) else waarde.date()
    with translation.override(TAAL):
        return formats.date_format(waarde, "j F Y")


def tijdstip(waarde: dt.datetime | None) -> str:
    """1 december 2026 om 22:20, in the site's time zone: the one way a moment is written."""
    if waarde is None:
        return ""
    lokaal = timezone.localtime(waarde) if timezone.is_aware(waarde) else waarde
    return f"{datum(lokaal.date())} om {lokaal:%H:%M}"


def sha_kort(sha256: str) -> str:
    """The first 12 characters of a SHA-256, enough to tell versions apart on a page."""
    return f"{sha256[:12]}…" if sha256 and len(sha256) > 12 else sha256 or ""
