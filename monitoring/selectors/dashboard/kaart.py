"""The map of a region: which boundaries and which municipalities stand for a period."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from monitoring.models import Indicator
from monitoring.selectors.cijfers import Cijfers
from monitoring.selectors.dashboard.bouwstenen import Kaart, Kaartvlak
from regioaanpak.models import Gemeente, Gemeentegrens
from regioaanpak.perioden import PeriodeCode

# -- the map ------------------------------------------------------------------------------------


def grensjaar(jaren: Iterable[int], periode: PeriodeCode) -> int | None:
    """The boundary year for a period: the latest year up to the period's, else the earliest."""
    jaren = sorted(set(jaren))
    if not jaren:
        return None
    eerder = [j for j in jaren if j <= periode.jaar]
    return eerder[-1] if eerder else jaren[0]


def _opvolgers(gemeente: Gemeente) -> list[Gemeente]:
    """The municipality's successors (two levels, as loaded with select_related)."""
    resultaat = []
    opvolger = gemeente.opgevolgd_door if gemeente.opgevolgd_door_id else None
    if opvolger is not None:
        resultaat.append(opvolger)
        if opvolger.opgevolgd_door_id:
            resultaat.append(opvolger.opgevolgd_door)
    return resultaat


@dataclass
class _Kaartplan:
    """Which boundary shows which member (itself, or the successor it merged into)."""

    jaar: int | None
    geometrieen: dict[str, dict]
    vlak_van: dict[str, str]  # member code -> code of the area drawn for it
    opvolgers: dict[str, Gemeente]
    voorgangers: dict[str, list[Gemeente]]

    @property
    def gebieden(self) -> list[str]:
        return list(dict.fromkeys(self.vlak_van.values()))


def maak_kaartplan(leden: list[Gemeente], periode: PeriodeCode) -> _Kaartplan:
    """Three queries at most: the boundary years, the geometries, and the predecessors of a
    successor drawn for members that merged after the period."""
    jaar = grensjaar(
        Gemeentegrens.objects.order_by().values_list("jaar", flat=True).distinct(), periode
    )
    kandidaten: dict[str, Gemeente] = {}
    for lid in leden:
        kandidaten[lid.cbs_code] = lid
        for opvolger in _opvolgers(lid):
            kandidaten.setdefault(opvolger.cbs_code, opvolger)
    geometrieen: dict[str, dict] = {}
    if jaar is not None:
        geometrieen = dict(
            Gemeentegrens.objects.filter(jaar=jaar, gemeente__in=list(kandidaten)).values_list(
                "gemeente_id", "geometrie"
            )
        )
    vlak_van: dict[str, str] = {}
    opvolgers: dict[str, Gemeente] = {}
    for lid in leden:
        if lid.cbs_code in geometrieen:
            vlak_van[lid.cbs_code] = lid.cbs_code
            continue
        for opvolger in _opvolgers(lid):
            if opvolger.cbs_code in geometrieen:
                vlak_van[lid.cbs_code] = opvolger.cbs_code
                opvolgers[opvolger.cbs_code] = opvolger
                break
    voorgangers: dict[str, list[Gemeente]] = {}
    if opvolgers:
        for voorganger in Gemeente.objects.filter(opgevolgd_door__in=list(opvolgers)).order_by(
            "naam"
        ):
            if voorganger.bestaat_in(periode.begindatum, periode.einddatum):
                voorgangers.setdefault(voorganger.opgevolgd_door_id, []).append(voorganger)
    # A later merger with municipalities of another region (Vianen into Vijfheerenlanden, the
    # rest of which lay in another region) cannot stand for this region's members: its figure
    # would add up municipalities of the other region. Those members are left off the map.
    codes = {lid.cbs_code for lid in leden}
    for opvolger in list(opvolgers):
        if any(v.cbs_code not in codes for v in voorgangers.get(opvolger, ())):
            del opvolgers[opvolger]
            voorgangers.pop(opvolger, None)
            vlak_van = {lid: vlak for lid, vlak in vlak_van.items() if vlak != opvolger}
    return _Kaartplan(jaar, geometrieen, vlak_van, opvolgers, voorgangers)


def maak_kaart(
    plan: _Kaartplan,
    leden: list[Gemeente],
    indicator: Indicator,
    antwoorden: Cijfers,
    periode: PeriodeCode,
) -> Kaart:
    vlakken = []
    per_code = {g.cbs_code: g for g in leden} | plan.opvolgers
    for code in plan.gebieden:
        gemeente = per_code[code]
        staat_voor = tuple(plan.voorgangers.get(code, ())) if code in plan.opvolgers else ()
        vlakken.append(
            Kaartvlak(
                gemeente=gemeente,
                geometrie=plan.geometrieen[code],
                cijfer=antwoorden.get(indicator.code, code, periode),
                staat_voor=staat_voor,
            )
        )
    vlakken.sort(key=lambda v: v.gemeente.naam or v.gemeente.cbs_code)
    return Kaart(
        indicator=indicator,
        jaar=plan.jaar,
        vlakken=vlakken,
        niet_op_kaart=[g for g in leden if g.cbs_code not in plan.vlak_van],
    )
