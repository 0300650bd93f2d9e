"""Roll-up in the database: a region's sum over its member municipalities, by one GROUP BY.

The figure selector (`rekenaar.Rekenaar`) adds a region up from its members for 'som'
indicators: the members valid in the period that existed then, each with its own value. Doing
that in Python meant reading every member's stored figure: for the country 351 municipalities x
every period, 150.000 rows and more for one page. Here the database adds up the members' stored
figures of exactly that period, per (indicator, region, period), and says how many had a
figure; how many members there were (and the region's population) comes from the process's
reference data (`referentie.py`, no query), so the selector knows whether the sum is the answer:

- every member has a stored figure: the sum is the answer (a secret part makes it secret, a
  provisional part provisional), whatever the number of members;
- some member has none: the answer depends on that member's own roll-up (its quarters for a
  half-year) or names it as missing, so the selector reads those members' figures and adds up
  in Python, the reference rules. With quarterly data the region's half-years and years come
  from its quarters first, so this is the exception: a gap in the data.

The same holds for the raw sum of the members outside the person's reach, which disclosure
control compares with the threshold.

Only figures the viewer policy releases count: a municipality's figure when a region it was a
member of in that period has a delivery the policy shows (the selector's rule). PostgreSQL and
SQLite run the same SQL (values are summed as integers of 1/10.000 on SQLite, whose SUM would
otherwise go through floating point). The tests compare the answers with the Python roll-up
(`Rekenaar(..., in_database=False)`) on random data.

For a viewer who sees approved figures only, PostgreSQL keeps these sums (`sommentabel.py`)
until a figure, delivery or reference datum they rest on changes; the columns about the members
outside the person's reach then follow from the stored sum minus the members within it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection

from monitoring.choices import CBS_BRON_BEGIN, WaarnemingStatus
from monitoring.selectors import sommentabel
from regioaanpak.perioden import PeriodeCode

if TYPE_CHECKING:
    from monitoring.selectors.organisaties import Vrijgave
    from monitoring.selectors.referentie import Referentie
    from monitoring.selectors.rekenaar import Deel

INWONERS = "~inwoners"  # the key of a region's population (no indicator code has a '~')
STATUS_NA_ERNST = {
    0: WaarnemingStatus.DEFINITIEF,
    1: WaarnemingStatus.VOORLOPIG,
    2: WaarnemingStatus.GEHEIM,
}


@dataclass(frozen=True, slots=True)
class Gebiedssom:
    """The stored figures of a region's members in one period, for one indicator."""

    leden: int  # members valid in the period that existed then
    bekend: int  # of which a figure of exactly this period is stored (and released)
    waarde: Decimal | None  # their sum; None when one is secret
    status: str  # the worst status of the stored figures
    bronnen: frozenset[str]
    leden_buiten: int  # members outside the person's reach
    bekend_buiten: int  # of which a figure is stored
    buiten: Decimal  # the sum of those (secret counts 0)
    geheim_buiten: int = 0  # of which secret
    ontbrekend: tuple[str, ...] = ()  # the first members without a value (population only)

    @property
    def volledig(self) -> bool:
        return self.bekend == self.leden

    @property
    def buiten_volledig(self) -> bool:
        return self.bekend_buiten == self.leden_buiten


def gebiedssommen(
    *,
    indicatoren: Iterable[str],
    regios: Iterable[str],
    perioden: Iterable[PeriodeCode],
    vrij: Vrijgave | None,
    bereik: set[str] | None,
    ref: Referentie,
    standen: dict[str, str] | None = None,
    binnen: Callable[[str, str, str], Deel | None] | None = None,
    gelezen: Iterable[str] = (),
    gelezen_rijen: list[tuple] | None = None,
) -> dict[tuple[str, str, str], Gebiedssom]:
    """The member sums of every (indicator, region, period) asked for, keyed that way, and
    the region's population per period under (INWONERS, region, period).

    `vrij`: what the deliveries the policy shows release (per indicator's organisation), None
    for every stored figure.
    `bereik`: the municipalities within the person's reach, None for all. Cells of a region
    without members in the period are left out.
    `standen`: `vrij` is the approved release, read with this state of the stored sums' log
    (sommentabel.py), so the stored sums apply; then `binnen(indicator, municipality,
    period)` gives the released figure of a member within reach, read for the regions in
    `gelezen` with that same state, whose columns "outside reach" are the stored sum minus
    those (for the other regions they are left incomplete: the selector reads the members
    should it ever need them). `gelezen_rijen`: the stored sums of these indicators, regions
    and periods, read with those figures (`sommentabel.som_sql`)."""
    indicatoren = sorted(set(indicatoren))
    perioden = sorted(set(perioden))
    regios = sorted(r for r in set(regios) if ref.leden.get(r))
    if not (regios and perioden):
        return {}
    uitkomst: dict[tuple[str, str, str], Gebiedssom] = {}
    leden: dict[tuple[str, str], tuple[int, int]] = {}
    for regio in regios:
        for periode in perioden:
            gemeenten = ref.leden_in(regio, periode)
            if not gemeenten:
                continue
            buiten = 0 if bereik is None else len(gemeenten) - len(bereik.intersection(gemeenten))
            leden[(regio, periode.code)] = (len(gemeenten), buiten)
            bekend, totaal, zonder = ref.inwoners_van(regio, periode)
            uitkomst[(INWONERS, regio, periode.code)] = Gebiedssom(
                leden=len(gemeenten),
                bekend=bekend,
                waarde=Decimal(totaal) if bekend == len(gemeenten) else None,
                status=WaarnemingStatus.DEFINITIEF,
                bronnen=frozenset(),
                ontbrekend=zonder,
                leden_buiten=0,
                bekend_buiten=0,
                buiten=Decimal(0),
            )
    if not indicatoren or not leden:
        return uitkomst
    sommen = None
    if standen is not None and vrij is not None:
        sommen = _opgeslagen(
            indicatoren,
            regios,
            perioden,
            vrij,
            bereik,
            ref,
            standen,
            binnen,
            gelezen,
            gelezen_rijen,
        )
    if sommen is None:
        sommen = _sommen(indicatoren, regios, perioden, vrij, bereik, ref)
    for (regio, p), (aantal, aantal_buiten) in leden.items():
        for i in indicatoren:
            som = sommen.get((i, regio, p))
            if som is None:
                uitkomst[(i, regio, p)] = Gebiedssom(
                    aantal,
                    0,
                    None,
                    WaarnemingStatus.DEFINITIEF,
                    frozenset(),
                    aantal_buiten,
                    0,
                    Decimal(0),
                )
                continue
            bekend, bekend_buiten, waarde_som, ernst, buiten_som, geheim_buiten, bronnen = som[:7]
            uitkomst[(i, regio, p)] = Gebiedssom(
                leden=aantal,
                bekend=int(bekend),
                waarde=None if ernst == 2 else waarde_som,
                status=STATUS_NA_ERNST[int(ernst)],
                bronnen=bronnen,
                leden_buiten=aantal_buiten,
                bekend_buiten=int(bekend_buiten or 0),
                buiten=buiten_som,
                geheim_buiten=int(geheim_buiten or 0),
            )
    return uitkomst


def _opgeslagen(
    indicatoren: list[str],
    regios: list[str],
    perioden: list[PeriodeCode],
    vrij: Vrijgave,
    bereik: set[str] | None,
    ref: Referentie,
    standen: dict[str, str],
    binnen: Callable[[str, str, str], Deel | None] | None,
    gelezen: Iterable[str],
    gelezen_rijen: list[tuple] | None = None,
) -> dict[tuple[str, str, str], tuple] | None:
    """`_sommen`'s rows from the stored sums, the reach columns from the members within reach;
    None where nothing is stored (the caller adds up live)."""
    uitkomst = sommentabel.sommen(
        indicatoren=indicatoren,
        regios=regios,
        perioden=perioden,
        vrij=vrij,
        ref=ref,
        standen=standen,
        bereik=bereik,
        gelezen_rijen=gelezen_rijen,
    )
    if uitkomst is None:
        return None
    opgeslagen, vers = uitkomst
    gelezen = set(gelezen) if bereik is not None and binnen is not None else set()
    perioden_op_code = {p.code: p for p in perioden}
    rijen: dict[tuple[str, str, str], tuple] = dict(vers)
    for (i, regio, p), (bekend, som, geheim, ernst, bronnen) in opgeslagen.items():
        bekend_buiten, buiten, geheim_buiten = 0, Decimal(0), 0
        if regio in gelezen:
            # The figures within reach were read with the same state of the log as the
            # stored sum rests on (`standen`): the rest is exactly what lies outside.
            bekend_buiten, buiten, geheim_buiten = bekend, som, geheim
            for g in ref.leden_in(regio, perioden_op_code[p]):
                deel = binnen(i, g, p) if g in bereik else None
                if deel is None:
                    continue
                bekend_buiten -= 1
                if deel.status == WaarnemingStatus.GEHEIM:
                    geheim_buiten -= 1
                else:
                    buiten -= deel.waarde
        rijen[(i, regio, p)] = (bekend, bekend_buiten, som, ernst, buiten, geheim_buiten, bronnen)
    return rijen


def _sommen(
    indicatoren: list[str],
    regios: list[str],
    perioden: list[PeriodeCode],
    vrij: Vrijgave | None,
    bereik: set[str] | None,
    ref: Referentie,
) -> dict[tuple[str, str, str], tuple]:
    """One GROUP BY per region over its members' released stored figures, per (indicator,
    period): (known, known outside reach, sum, worst status, sum outside reach, secret outside
    reach, sources, secret)."""
    postgres = connection.vendor == "postgresql"
    params: list = []

    def in_lijst(waarden: list[str]) -> str:
        """'IN (...)' over a list, as one array parameter on PostgreSQL."""
        if postgres:
            return "= ANY(%s)"
        return "IN (" + ", ".join(["%s"] * len(waarden)) + ")"

    def tabel(naam: str, kolommen: list[tuple[str, str]], rijen: list[tuple]) -> str:
        """A CTE over a list of rows: arrays on PostgreSQL (one parameter per column, a plan
        that does not grow with the list), VALUES on SQLite."""
        namen = ", ".join(k for k, _ in kolommen)
        if postgres:
            params.extend([list(kolom) for kolom in zip(*rijen, strict=True)])
            soorten = ", ".join(f"%s::{soort}[]" for _, soort in kolommen)
            return f"{naam}({namen}) AS (SELECT * FROM unnest({soorten}))"
        params.extend(w for rij in rijen for w in rij)
        plaats = "(" + ", ".join(["%s"] * len(kolommen)) + ")"
        return f"{naam}({namen}) AS (VALUES {', '.join([plaats] * len(rijen))})"

    ctes = [
        tabel(
            "per",
            [("code", "text"), ("begin", "date"), ("eind", "date")],
            [(p.code, _datum(p.begindatum), _datum(p.einddatum)) for p in perioden],
        ),
    ]
    buiten = "0"
    if bereik is not None:
        ctes.append(tabel("bereik", [("m", "text")], [(m,) for m in sorted(bereik)] or [("",)]))
        buiten = "CASE WHEN {m} IN (SELECT m FROM bereik) THEN 0 ELSE 1 END"
    vrij_filter = ""
    if vrij is not None:
        # Released: a region the municipality was a member of then shows the delivery of the
        # organisation that delivers the indicator there (the standard one for most).
        ctes.append(
            tabel("vrij", [("regio", "text"), ("p", "text")], sorted(vrij.paren) or [("", "")])
        )
        vrijgave = "(l2.regio_id, w.periode_id) IN (SELECT regio, p FROM vrij)"
        if vrij.bijzonder:
            ctes.append(tabel("bijz", [("i", "text")], [(i,) for i in sorted(vrij.bijzonder)]))
            ctes.append(
                tabel(
                    "vrij3",
                    [("regio", "text"), ("p", "text"), ("i", "text")],
                    sorted(vrij.drietallen) or [("", "", "")],
                )
            )
            vrijgave = f"""CASE WHEN w.indicator_id IN (SELECT i FROM bijz)
                    THEN (l2.regio_id, w.periode_id, w.indicator_id) IN (
                        SELECT regio, p, i FROM vrij3)
                    ELSE {vrijgave} END"""
        vrij_filter = f"""AND EXISTS (
                SELECT 1 FROM regioaanpak_lidmaatschap l2
                WHERE l2.gemeente_id = w.gemeente_id
                  AND {vrijgave}
                  AND {_GELDIG.format(l="l2")}
            )"""
    waarde = "w.waarde" if postgres else "CAST(ROUND(w.waarde * 10000) AS INTEGER)"
    bronnen = "array_agg(bron)" if postgres else "json_group_array(bron)"
    takken = []
    for regio in regios:
        leden_ooit = sorted({lid.gemeente_id for lid in ref.leden.get(regio, ())})
        # The members valid in the period that existed then; EXISTS, so a municipality with
        # two memberships of the region in one period counts once.
        lid = f"""EXISTS (
                SELECT 1 FROM regioaanpak_lidmaatschap l
                JOIN regioaanpak_gemeente g ON g.cbs_code = l.gemeente_id
                WHERE l.regio_id = %s AND l.gemeente_id = w.gemeente_id
                  AND {_GELDIG.format(l="l")} AND {_GELDIG.format(l="g")}
            )"""
        takken.append(
            f"""
            SELECT %s, i, p, SUM(n), SUM(nb), SUM(s), MAX(e), SUM(sb), SUM(gb), {bronnen},
                   SUM(ga) FROM (
                SELECT w.indicator_id AS i, w.periode_id AS p, w.bron AS bron, COUNT(*) AS n,
                       SUM(b) AS nb, SUM(CASE WHEN geheim THEN NULL ELSE {waarde} END) AS s,
                       MAX(CASE WHEN geheim THEN 2 WHEN w.status = 'voorlopig' THEN 1 ELSE 0 END)
                           AS e,
                       SUM(CASE WHEN geheim THEN 0 ELSE {waarde} * b END) AS sb,
                       SUM(CASE WHEN geheim THEN b ELSE 0 END) AS gb,
                       SUM(CASE WHEN geheim THEN 1 ELSE 0 END) AS ga
                FROM (SELECT w.*, {buiten.format(m="w.gemeente_id")} AS b,
                             w.status = 'geheim' AS geheim
                      FROM monitoring_waarneming w) w
                JOIN per ON per.code = w.periode_id
                WHERE w.gemeente_id IS NOT NULL AND w.indicator_id {in_lijst(indicatoren)}
                  AND w.bron NOT LIKE '{CBS_BRON_BEGIN}%%'
                  AND w.gemeente_id {in_lijst(leden_ooit)}
                  AND {lid} {vrij_filter}
                GROUP BY w.indicator_id, w.periode_id, w.bron
            ) x GROUP BY i, p"""
        )
        params.extend([regio, *_lijst(indicatoren, postgres), *_lijst(leden_ooit, postgres)])
        params.append(regio)
    sql = f"WITH {', '.join(ctes)}" + " UNION ALL ".join(takken)
    uitkomst = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for rij in cursor:
            regio, i, p, bekend, bekend_buiten, som, ernst, buiten_som, geheim, bron, alle = rij
            if not postgres:
                bron = json.loads(bron)
            uitkomst[(i, regio, p)] = (
                bekend,
                bekend_buiten,
                _decimaal(som, postgres) or Decimal(0),
                ernst,
                _decimaal(buiten_som, postgres) or Decimal(0),
                geheim,
                frozenset(b for b in bron if b),
                alle,
            )
    return uitkomst


def _lijst(waarden: list, postgres: bool) -> list:
    """The parameters of `in_lijst`: one array on PostgreSQL, one per value on SQLite."""
    return [waarden] if postgres else list(waarden)


def _datum(datum: dt.date):
    return datum if connection.vendor == "postgresql" else datum.isoformat()


# Valid in the period `per`: a membership or a municipality's existence.
_GELDIG = """({l}.geldig_van IS NULL OR {l}.geldig_van <= per.eind)
                  AND ({l}.geldig_tot IS NULL OR {l}.geldig_tot >= per.begin)"""


def _decimaal(waarde, postgres: bool) -> Decimal | None:
    if waarde is None:
        return None
    if postgres:
        return waarde if isinstance(waarde, Decimal) else Decimal(str(waarde))
    return Decimal(int(waarde)).scaleb(-4)


__all__ = ["INWONERS", "Gebiedssom", "gebiedssommen"]
