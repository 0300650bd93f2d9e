"""JSON with exact decimals, and CSV (header row, dot as decimal separator, '.' suppressed)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

import simplejson
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from regioaanpak.getallen import exact_getal

ONDERDRUKT_TEKEN = "."
# A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV Injection);
# Excel in a Dutch locale also starts a new cell after ';' (and ',' elsewhere), so a formula
# may hide after a separator inside one field.
# The separator is looked behind, not consumed, so "\r=" protects both (a consumed CR would
# leave the '=' after it bare); PostgreSQL's COPY route uses the same pattern.
FORMULE_BEGIN = re.compile(r"(^|(?<=[;,\n\r]))([ \"]*)([=+\-@\t\r])")
GEWOON_GETAL = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def csv_veilig(tekst: str) -> str:
    """Text for a CSV cell that no spreadsheet program executes: every place where a formula
    could start gets a leading quote (OWASP's rule), numbers such as -5 stay as they are."""
    if not tekst or GEWOON_GETAL.match(tekst) or not FORMULE_BEGIN.search(tekst):
        return tekst
    return FORMULE_BEGIN.sub(r"\1\2'\3", tekst)


class ExacteJSONRenderer(JSONRenderer):
    """DRF's JSON renderer, but decimals are written as exact JSON numbers (412, 62.5).

    The standard library would convert a Decimal to a float first; simplejson writes its digits.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        indent = self.get_indent(accepted_media_type, renderer_context)
        encoder = JSONEncoder()
        tekst = simplejson.dumps(
            data,
            use_decimal=True,
            default=encoder.default,
            ensure_ascii=self.ensure_ascii,
            indent=indent,
            separators=None if indent else (",", ":"),
            allow_nan=not self.strict,
        )
        return tekst.encode("utf-8")


class _Regel:
    """A file-like object whose write returns the row's text, for csv.writer in a generator.

    The writer ends rows with CRLF, so that it quotes every cell holding a CR as well as a LF
    (it quotes the characters of its line terminator; a bare CR in an unquoted cell breaks the
    row in Excel and other readers, and PostgreSQL's COPY quotes it too); here the row ends
    with LF again."""

    def write(self, tekst: str) -> str:
        return tekst[:-2] + "\n"


def _schrijver():
    return csv.writer(_Regel(), lineterminator="\r\n")


def csv_tekst(waarde) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, Decimal):
        return f"{exact_getal(waarde):f}"
    if isinstance(waarde, bool):
        return "true" if waarde else "false"
    if isinstance(waarde, list | tuple):
        if all(not isinstance(w, dict) for w in waarde):
            return csv_veilig("; ".join(csv_tekst(w) for w in waarde))
        return csv_veilig(json.dumps(waarde, ensure_ascii=False, default=str))
    if isinstance(waarde, dict):
        return csv_veilig(json.dumps(waarde, ensure_ascii=False, default=str))
    if isinstance(waarde, str):
        return csv_veilig(waarde)
    return str(waarde)


def csv_stroom(
    kolommen: list[str], rijen: Iterable[Iterable], per_keer: int = 2000
) -> Iterator[str]:
    """The CSV text in pieces of `per_keer` rows: header first, memory independent of length."""
    schrijver = _schrijver()
    yield schrijver.writerow(kolommen)
    stuk: list[str] = []
    for rij in rijen:
        stuk.append(schrijver.writerow(rij))
        if len(stuk) >= per_keer:
            yield "".join(stuk)
            stuk.clear()
    if stuk:
        yield "".join(stuk)


def plat(data: dict, voorvoegsel: str = "") -> dict:
    """Nested objects become 'a.b' columns; lists stay one cell."""
    uitkomst: dict = {}
    for sleutel, waarde in data.items():
        naam = f"{voorvoegsel}{sleutel}"
        if isinstance(waarde, dict):
            uitkomst.update(plat(waarde, f"{naam}."))
        else:
            uitkomst[naam] = waarde
    return uitkomst


class CSVRenderer(BaseRenderer):
    """CSV for an object or a list of objects (lists are streamed by the views themselves)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rijen = [plat(r) for r in (data if isinstance(data, list) else [data])]
        kolommen: list[str] = []
        for rij in rijen:
            kolommen.extend(k for k in rij if k not in kolommen)
        schrijver = _schrijver()
        regels = [schrijver.writerow(kolommen)]
        regels += [schrijver.writerow([csv_tekst(rij.get(k)) for k in kolommen]) for rij in rijen]
        return "".join(regels).encode("utf-8")
