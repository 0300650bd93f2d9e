"""Stored member sums (PostgreSQL): the roll-up of `optelling` under the approved release, kept.

Most readers see approved figures only (aldermen, partners, the public reports, the API), and
for them a region's member sum in a period is the same number until a figure, a delivery or
the reference data of that period changes. Adding up the country's 351 municipalities for 40
quarters took 30-50 ms on every uncached page; here it is computed once per change and read
back (`monitoring.ledensommen`).

- **Valid while its inputs are.** PostgreSQL's triggers log every write statement per period,
  as '*' for the reference data of all periods and as 'org' for the organisations
  (`monitoring.ledensommen`). The selector reads the log's state in the same statement as the
  deliveries (`stand_sql`), and again with the figures of the members within reach and the
  stored sums themselves (`som_sql`); if the two states differ, a write came in between and
  the request adds up live. A stored (region, period)
  answers only when its version is that state: then the sum, the release and the members'
  figures all rest on the same data. A pair computed now is stored under that state only if
  the log is still in it when the rows are written (one statement), so what is stored under a
  state is exactly that state's data. The snapshots the computation uses (memberships in
  `referentie`, the organisations' division in `organisaties`) carry the state of '*' and
  'org' they were read at; when they are older than the log, nothing is stored or read here.
- **Only the approved release.** A viewer who also sees submitted figures, or every stored
  figure (the entry grid), adds up live, as before.
- **Reach from the parts.** What disclosure control needs of the members outside a person's
  reach is the stored sum minus the members within it, whose figures the selector reads anyway
  (`Rekenaar`) at the same state: the stored row counts, sums and counts the secret ones over
  all members. A pair computed in the request takes them from its own statement.
- **Computed in the request that needs it**, like a cache: writing the rows fails quietly (the
  request answers from what it computed). Nothing here decides what anybody sees.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models.expressions import RawSQL

from monitoring.choices import Aggregatie
from monitoring.ledensommen import ALLE_PERIODEN, ORGANISATIES

if TYPE_CHECKING:
    from monitoring.selectors.organisaties import Vrijgave
    from monitoring.selectors.referentie import Referentie
    from regioaanpak.perioden import PeriodeCode

logger = logging.getLogger(__name__)
# One fill at a time (pg_try_advisory_xact_lock, held until its transaction ends): two requests
# after the same approval would otherwise delete and insert the same rows at once. A request
# that does not get it answers from what it computed and stores nothing: it never waits, also
# not for a fill inside a long write transaction elsewhere.
SLOT = 7_215_001

# (known, sum without the secret ones, secret, worst status 0-2, sources) per stored cell
Opgeteld = tuple[int, Decimal, int, int, frozenset[str]]


def actief() -> bool:
    return connection.vendor == "postgresql" and settings.CIJFERS_SOMMEN_OPSLAAN


def stand_kolom(sleutel: str = ALLE_PERIODEN) -> RawSQL:
    """The log's state for '*' (or 'org') as a column of the first query of a snapshot of the
    reference data (or of the organisations' division): read in the same statement as that
    data, so the tag is never newer than what it tags (and no query of its own)."""
    return RawSQL(
        "SELECT COALESCE(count(*) || ':' || sum(id), '0:0') FROM monitoring_sommenversie "
        "WHERE periode = %s",
        [sleutel],
    )


def stand_sql(codes: list[str]) -> tuple[str, list]:
    """A SELECT of the log's state per period code ('*' and 'org' included), to read in the
    same statement as the data it belongs to (UNION ALL, padded to that statement's columns
    by the caller): (periode, stand)."""
    return (
        "SELECT periode, count(*) || ':' || sum(id) AS stand FROM monitoring_sommenversie "
        "WHERE periode = ANY(%s) GROUP BY periode",
        [[*codes, ALLE_PERIODEN, ORGANISATIES]],
    )


def som_sql(indicatoren: Iterable[str], regios: list[str], codes: list[str]) -> tuple[str, list]:
    """A SELECT of the stored sums of these regions and periods, in the columns of the
    figures' statement it is read with (`opslag.basiswaarden_en_stand`, UNION ALL): soort 2,
    indicator (NULL for a pair stored without this indicator's row), sources, region,
    period, sum, version, NULL, known, secret, worst status. `sommen` reads these rows."""
    return (
        """SELECT 2, s.indicator, s.bronnen::text, st.regio, st.periode, s.som, st.versie,
                  NULL, s.bekend, s.geheim, s.ernst::int
           FROM monitoring_somstand st
           LEFT JOIN monitoring_ledensom s ON s.regio = st.regio AND s.periode = st.periode
               AND s.indicator = ANY(%s)
           WHERE st.regio = ANY(%s) AND st.periode = ANY(%s)""",
        [sorted(indicatoren), list(regios), list(codes)],
    )


# The live rows of `optelling._sommen` for the pairs computed now: (known, known outside reach,
# sum, worst status, sum outside reach, secret outside reach, sources, secret).
Vers = tuple


def sommen(
    *,
    indicatoren: Iterable[str],
    regios: list[str],
    perioden: Iterable[PeriodeCode],
    vrij: Vrijgave,
    ref: Referentie,
    standen: dict[str, str],
    bereik: set[str] | None,
    gelezen_rijen: list[tuple] | None = None,
) -> tuple[dict[tuple[str, str, str], Opgeteld], dict[tuple[str, str, str], Vers]] | None:
    """The member sums of these 'som' indicators for these regions and periods under the
    approved release `vrij`, keyed (indicator, region, period): (the stored ones, the ones
    computed now with their exact reach columns for `bereik`); None when nothing may be
    stored or read (a snapshot older than the log): the caller adds up live.

    `standen`: the log's state read in the same statement as the deliveries `vrij` comes from
    and as the figures of the members within reach, so a stored sum that matches it rests on
    the same data as they do. `gelezen_rijen`: the rows of `som_sql` for these indicators,
    regions and periods, read in that statement too (else they are read here)."""
    if not actief():
        return None
    alles = standen.get(ALLE_PERIODEN, "0:0")
    organisaties = standen.get(ORGANISATIES, "0:0")
    if ref.stand != alles or vrij.stand != organisaties:
        return None
    perioden = list(perioden)
    codes = sorted({p.code for p in perioden})
    versie = {c: f"{standen.get(c, '0:0')}|{alles}|{organisaties}" for c in codes}
    uitkomst: dict[tuple[str, str, str], Opgeteld] = {}
    geldig: set[tuple[str, str]] = set()
    gelezen: dict[str, frozenset[str]] = {}  # the same few lists of sources, parsed once
    if gelezen_rijen is None:
        with connection.cursor() as cursor:
            cursor.execute(*som_sql(indicatoren, regios, codes))
            gelezen_rijen = cursor.fetchall()
    for (
        _soort,
        indicator,
        bronnen,
        regio,
        periode,
        som,
        stand,
        _,
        bekend,
        geheim,
        ernst,
    ) in gelezen_rijen:
        if stand != versie.get(periode):
            continue
        geldig.add((regio, periode))
        if indicator is not None:
            if bronnen not in gelezen:
                gelezen[bronnen] = frozenset(json.loads(bronnen))
            uitkomst[(indicator, regio, periode)] = (bekend, som, geheim, ernst, gelezen[bronnen])
    oud: dict[str, set[str]] = defaultdict(set)
    for regio in regios:
        for code in codes:
            if (regio, code) not in geldig:
                oud[regio].add(code)
    vers: dict[tuple[str, str, str], Vers] = {}
    if oud:
        gevraagd = set(indicatoren)
        for sleutel, rij in _bereken(oud, perioden, vrij, ref, standen, bereik).items():
            if sleutel[0] in gevraagd:
                vers[sleutel] = rij
    return uitkomst, vers


def _bereken(
    oud: dict[str, set[str]],
    perioden: list[PeriodeCode],
    vrij: Vrijgave,
    ref: Referentie,
    standen: dict[str, str],
    bereik: set[str] | None,
) -> dict[tuple[str, str, str], Vers]:
    """Add up the stale (region, period) pairs for every 'som' indicator, store them and
    return the live rows (their reach columns exact, from the same statement).

    They are stored under `standen` only if the log is still in that state when they are
    written: the sums were then added up from exactly that data. A write committed after the
    state was read would otherwise be in sums stored as the older state, and another request
    that read that state (with a member's figure from before the write) would take them."""
    from monitoring.selectors.optelling import _sommen

    indicatoren = sorted(
        code
        for code, i in ref.indicatoren.items()
        if not i.is_afgeleid and i.aggregatie == Aggregatie.SOM
    )
    regios = sorted(oud)
    codes = set().union(*oud.values())
    nodig = [p for p in perioden if p.code in codes]
    rijen = {
        sleutel: rij
        for sleutel, rij in _sommen(indicatoren, regios, nodig, vrij, bereik, ref).items()
        if sleutel[2] in oud[sleutel[1]]
    }
    # Stored over every member: known, the sum without the secret ones, secret, worst status.
    uitkomst = {
        sleutel: (int(rij[0]), rij[2], int(rij[7] or 0), int(rij[3]), rij[6])
        for sleutel, rij in rijen.items()
    }
    alles, organisaties = standen.get(ALLE_PERIODEN, "0:0"), standen.get(ORGANISATIES, "0:0")
    versie = {c: f"{standen.get(c, '0:0')}|{alles}|{organisaties}" for c in codes}
    verwacht = sorted({*codes, ALLE_PERIODEN, ORGANISATIES})
    nu_sql, nu_params = stand_sql(sorted(codes))
    paren = [(regio, p) for regio in regios for p in sorted(oud[regio])]
    sleutels = list(uitkomst)
    waarden = [uitkomst[k] for k in sleutels]
    try:
        # One statement: replace the pairs' rows and their versions, only when the log is
        # unchanged and this request holds the lock (`SLOT`). Upserts and a delete of the rows
        # not computed again, so the parts of the statement never touch the same row.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""WITH nu AS ({nu_sql}),
                   ongewijzigd AS (
                       SELECT NOT EXISTS (
                           SELECT 1 FROM unnest(%s::text[], %s::text[]) AS e(periode, stand)
                           WHERE e.stand <> COALESCE(
                               (SELECT nu.stand FROM nu WHERE nu.periode = e.periode), '0:0')
                       ) AS ja),
                   slot AS (
                       SELECT (SELECT ja FROM ongewijzigd) AND pg_try_advisory_xact_lock(%s)
                           AS vrij),
                   nieuw AS (
                       SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::int[],
                                            %s::numeric[], %s::int[], %s::smallint[],
                                            %s::jsonb[])
                           AS n(indicator, regio, periode, bekend, som, geheim, ernst, bronnen)
                       WHERE (SELECT vrij FROM slot)),
                   paren AS (
                       SELECT * FROM unnest(%s::text[], %s::text[], %s::text[])
                           AS p(regio, periode, versie)
                       WHERE (SELECT vrij FROM slot)),
                   weg AS (
                       DELETE FROM monitoring_ledensom s USING paren p
                       WHERE s.regio = p.regio AND s.periode = p.periode
                         AND NOT EXISTS (
                             SELECT 1 FROM nieuw n WHERE n.regio = s.regio
                               AND n.periode = s.periode AND n.indicator = s.indicator)),
                   stand AS (
                       INSERT INTO monitoring_somstand (regio, periode, versie)
                       SELECT regio, periode, versie FROM paren
                       ON CONFLICT (regio, periode) DO UPDATE SET versie = EXCLUDED.versie)
                   INSERT INTO monitoring_ledensom
                       (indicator, regio, periode, bekend, som, geheim, ernst, bronnen)
                   SELECT * FROM nieuw
                   ON CONFLICT (regio, periode, indicator) DO UPDATE SET
                       bekend = EXCLUDED.bekend, som = EXCLUDED.som, geheim = EXCLUDED.geheim,
                       ernst = EXCLUDED.ernst, bronnen = EXCLUDED.bronnen""",
                [
                    *nu_params,
                    verwacht,
                    [standen.get(c, "0:0") for c in verwacht],
                    SLOT,
                    *([k[n] for k in sleutels] for n in range(3)),
                    *([w[n] for w in waarden] for n in range(4)),
                    [json.dumps(sorted(w[4])) for w in waarden],
                    [r for r, _p in paren],
                    [p for _r, p in paren],
                    [versie[p] for _r, p in paren],
                ],
            )
    except DatabaseError:
        logger.warning("opgeslagen sommen niet bewaard", exc_info=True)
    return rijen


__all__ = ["Opgeteld", "Vers", "actief", "som_sql", "sommen", "stand_kolom", "stand_sql"]
