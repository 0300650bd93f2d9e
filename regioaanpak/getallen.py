"""Exact numbers for output: a Decimal as people typed it, never through a float."""

from __future__ import annotations

from decimal import Decimal


def exact_getal(waarde: Decimal | None) -> Decimal | None:
    """412.0000 -> 412, 62.5000 -> 62.5, 400.0000 -> 400 (not 4E+2)."""
    if waarde is None:
        return None
    genormaliseerd = waarde.normalize()
    if genormaliseerd.as_tuple().exponent > 0:
        genormaliseerd = genormaliseerd.quantize(Decimal(1))
    return genormaliseerd


def exact_tekst(waarde: Decimal) -> str:
    """A Decimal in Dutch for a message, exactly as typed: 12.5 -> '12,5', -1234 -> '-1.234'."""
    from django.utils.formats import number_format

    return number_format(exact_getal(waarde), use_l10n=True, force_grouping=True)
