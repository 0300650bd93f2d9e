"""JSON in the API: exact numbers, and ceilings checked before the work.

- numbers stay exact (0.1 is Decimal('0.1'), never a float) and are at most 40 characters
  long: '1E+999999999' and a number of a million digits are refused while parsing, before
  anything computes with them;
- nesting deeper than INVOER_JSON_MAX_DIEPTE is refused (also the thousand '[' that would make
  the parser itself run out of stack);
- a text with a NUL character is refused (no database stores one);
- every refusal is a 400 with a Dutch message.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import BaseParser

MAX_GETAL_TEKENS = 40
MAX_EXPONENT = 30


class _Onleesbaar(ValueError):
    pass


def _decimaal(tekst: str) -> Decimal:
    if len(tekst) > MAX_GETAL_TEKENS:
        raise _Onleesbaar(
            _("het getal %(begin)s… is te lang (meer dan %(max)s tekens).")
            % {"begin": tekst[:12], "max": MAX_GETAL_TEKENS}
        )
    try:
        waarde = Decimal(tekst)
    except InvalidOperation as exc:
        raise _Onleesbaar(_("'%(tekst)s' is geen getal.") % {"tekst": tekst}) from exc
    if waarde and abs(waarde.adjusted()) > MAX_EXPONENT:
        raise _Onleesbaar(_("het getal %(tekst)s is te groot of te klein.") % {"tekst": tekst})
    return waarde


def _geheel(tekst: str) -> int:
    if len(tekst) > MAX_GETAL_TEKENS:
        raise _Onleesbaar(
            _("het getal %(begin)s… is te lang (meer dan %(max)s tekens).")
            % {"begin": tekst[:12], "max": MAX_GETAL_TEKENS}
        )
    return int(tekst)


def _weiger_constante(tekst: str):
    raise _Onleesbaar(_("%(tekst)s is geen getal in JSON.") % {"tekst": tekst})


def controleer_structuur(data, max_diepte: int) -> str | None:
    """Why parsed JSON is refused (too deep, a NUL character), or None. Iterative: a deep
    structure cannot exhaust the stack here. Texts and numbers are checked where they are
    found, only objects and lists go on the stack: an import of 100.000 rows has 400.000
    values, and a stack entry for each took a second."""
    nul_tekst = _("een tekst in de JSON bevat een NUL-teken; dat kan geen waarde zijn.")
    if not isinstance(data, dict | list):
        return nul_tekst if isinstance(data, str) and "\x00" in data else None
    stapel = [(data, 1)]
    while stapel:
        waarde, diepte = stapel.pop()
        if diepte > max_diepte:
            break
        if isinstance(waarde, dict):
            for sleutel in waarde:
                if "\x00" in sleutel:
                    return _("een naam in de JSON bevat een NUL-teken.")
            inhoud = waarde.values()
        else:
            inhoud = waarde
        for kind in inhoud:
            if isinstance(kind, str):
                if "\x00" in kind:
                    return nul_tekst
            elif isinstance(kind, dict | list):
                stapel.append((kind, diepte + 1))
    else:
        return None
    return _("de JSON is dieper genest dan %(max)s niveaus.") % {"max": max_diepte}


def lees_json(inhoud: bytes | str):
    """Parse a JSON body within the ceilings; raises DRF's ParseError with a Dutch message."""
    try:
        tekst = inhoud.decode("utf-8") if isinstance(inhoud, bytes) else inhoud
        data = json.loads(
            tekst,
            parse_float=_decimaal,
            parse_int=_geheel,
            parse_constant=_weiger_constante,
        )
    except RecursionError:
        reden = _("de JSON is dieper genest dan %(max)s niveaus.") % {
            "max": settings.INVOER_JSON_MAX_DIEPTE
        }
    except _Onleesbaar as exc:
        reden = str(exc)
    except UnicodeDecodeError:
        reden = _("de tekst is geen UTF-8.")
    except ValueError as exc:
        reden = str(exc)
    else:
        reden = controleer_structuur(data, settings.INVOER_JSON_MAX_DIEPTE)
        if reden is None:
            return data
    raise exceptions.ParseError(_("De JSON is niet leesbaar: %(fout)s") % {"fout": reden})


class VeiligeJSONParser(BaseParser):
    """The API's JSON parser (every endpoint): exact numbers within the ceilings above."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        return lees_json(stream.read() if stream is not None else b"")
