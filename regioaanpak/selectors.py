"""Reads of the core domain: which regions a user may see, members of regions in a period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from regioaanpak.models import Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode
from regioaanpak.toegang import zichtbare_regios


def regios_van_gebruiker(gebruiker) -> QuerySet[Regio]:
    """The regions a user may see: those of their roles; a superuser sees all."""
    return zichtbare_regios(gebruiker)


class Ledenregister:
    """The memberships of a set of regions (every region for None), read in one query.

    Answers "which of these regions was municipality G a member of during period P" without
    further queries, for scoping figures to a token's regions and for disclosure control.
    """

    def __init__(
        self,
        regios: Iterable[str] | None,
        *,
        lidmaatschappen: dict[str, list[Lidmaatschap]] | None = None,
    ) -> None:
        """`lidmaatschappen`: every region's memberships already read (the figure selector's
        reference data), so no query is needed."""
        if lidmaatschappen is not None:
            gekozen = lidmaatschappen if regios is None else set(regios)
            rijen = [
                (lid.regio_id, lid.gemeente_id, lid.geldig_van, lid.geldig_tot)
                for regio, leden in lidmaatschappen.items()
                if regio in gekozen
                for lid in leden
            ]
        else:
            leden = Lidmaatschap.objects.all()
            if regios is not None:
                leden = leden.filter(regio_id__in=list(regios))
            rijen = leden.values_list("regio_id", "gemeente_id", "geldig_van", "geldig_tot")
        self._per_gemeente: dict[str, list[tuple[str, dt.date, dt.date]]] = defaultdict(list)
        for regio_id, gemeente_id, van, tot in rijen:
            self._per_gemeente[gemeente_id].append(
                (regio_id, van or dt.date.min, tot or dt.date.max)
            )
        self._geheugen: dict[tuple[str, str], tuple[str, ...]] = {}

    def regios_van(self, gemeente: str, periode: PeriodeCode | str) -> tuple[str, ...]:
        """The regions (of this register) the municipality was a member of during the period."""
        code = periode if isinstance(periode, str) else periode.code
        sleutel = (gemeente, code)
        if sleutel not in self._geheugen:
            p = PeriodeCode.parse(periode)
            begin, eind = p.begindatum, p.einddatum
            self._geheugen[sleutel] = tuple(
                sorted(
                    {
                        regio
                        for regio, van, tot in self._per_gemeente.get(gemeente, ())
                        if van <= eind and tot >= begin
                    }
                )
            )
        return self._geheugen[sleutel]

    def regios_ooit(self, gemeente: str) -> set[str]:
        """Every region (of this register) the municipality was ever a member of."""
        return {regio for regio, _van, _tot in self._per_gemeente.get(gemeente, ())}

    def gemeenten(self) -> set[str]:
        """Every municipality that was ever a member of one of the regions."""
        return set(self._per_gemeente)

    def altijd_lid(self) -> set[str]:
        """Municipalities with an open-ended membership (no dates): a member in every period."""
        return {
            gemeente
            for gemeente, leden in self._per_gemeente.items()
            if any(van == dt.date.min and tot == dt.date.max for _r, van, tot in leden)
        }

    def gedateerd(self) -> list[tuple[str, dt.date, dt.date]]:
        """(municipality, from, to) of the dated memberships of the other municipalities."""
        altijd = self.altijd_lid()
        return [
            (gemeente, van, tot)
            for gemeente, leden in sorted(self._per_gemeente.items())
            if gemeente not in altijd
            for _r, van, tot in leden
        ]


def deelregios_binnen_bereik(inzage, regio: Regio) -> tuple[object, list[Regio], list[Regio]]:
    """The policy widened to a region's subregions (its centrumgemeenteregio's), with the
    subregions compared and those left out.

    A subregion's figure is the sum of its members, so the viewer gets each right on it (read,
    raw, unapproved) only when they hold that right on the region and, through the regions
    they hold it in, on every member the subregion ever had. Otherwise the sum minus the
    members they know would reveal the rest: Hoeksche Waard, in Zuid-Holland Zuid, is in the
    centrumgemeenteregio Nissewaard; a viewer who reads Rotterdam-Rijnmond raw but Zuid-Holland
    Zuid only protected reads Nissewaard protected, and one who does not read Zuid-Holland Zuid
    at all does not get Nissewaard."""
    deelregios = list(Regio.objects.filter(bovenliggende=regio).order_by("naam"))
    leden: dict[str, set[str]] = {r.code: set() for r in deelregios}
    for code, gemeente in Lidmaatschap.objects.filter(regio__in=list(leden)).values_list(
        "regio_id", "gemeente_id"
    ):
        leden[code].add(gemeente)

    def erbij(verzameling: frozenset[str] | None) -> list[str]:
        if verzameling is None:
            return [r.code for r in deelregios]
        if regio.code not in verzameling:
            return []
        bereikt = set(
            Lidmaatschap.objects.filter(regio__in=sorted(verzameling)).values_list(
                "gemeente_id", flat=True
            )
        )
        return [r.code for r in deelregios if leden[r.code] <= bereikt]

    lees = erbij(inzage.lees)
    breder = inzage.met_deelregios(
        lees=lees, ruw=erbij(inzage.ruw), onvoltooid=erbij(inzage.onvoltooid)
    )
    binnen = [r for r in deelregios if r.code in lees]
    return breder, binnen, [r for r in deelregios if r.code not in lees]
