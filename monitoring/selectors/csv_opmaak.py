"""CSV text of the API's stored figures, formatted by PostgreSQL's COPY.

The rows come from the queryset `opslag.opgeslagen_waarnemingen` made, within the viewer's
reach and release; `selectors.api.opgeslagen_csv_database` decides who gets this route and
hands over the disclosure rules and the sums' published cells. Here they become one COPY
statement: the columns, the rules per row, the neutralised source and the ISO timestamps.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection
from django.db.models import Case, CharField, F, Func, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce

from monitoring.choices import WaarnemingStatus
from monitoring.selectors.geheimhouding import AFGEROND, ONDERDRUKT
from regioaanpak.api.renderers import FORMULE_BEGIN, GEWOON_GETAL


class IsoTijdstip(Func):
    """A timestamp as ISO 8601 text in UTC, made by the database: reading datetimes into Python
    and formatting them again took two fifths of a national CSV export. The format is a query
    parameter, so no '%' ends up in the SQL text."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"to_char({sql} AT TIME ZONE 'UTC', %s)",
            [*params, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'],
        )

    def as_sqlite(self, compiler, connection, **extra):
        # Stored as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC; %f would keep milliseconds only.
        sql, params = compiler.compile(self.source_expressions[0])
        sql = f"strftime(%s, {sql}) || substr({sql} || '.000000', 20, 7) || 'Z'"
        return sql, ["%Y-%m-%dT%H:%M:%S", *params, *params]


def csv_door_database(
    qs: QuerySet,
    kolommen: list[str],
    *,
    niveaus: tuple[str, str],
    regels: dict | None = None,
    vervangen: dict[int, tuple[str | None, str, str | None]] | None = None,
) -> Iterator[bytes]:
    """The CSV rows (no header) of stored figures published raw, formatted and quoted by
    PostgreSQL's COPY and streamed in blocks of about 64 kB: the Python loop ran at an eighth
    of COPY's speed. Only for a viewer who sees every figure in the queryset raw (its release
    and reach are in the queryset). Same cells as the Python route: a secret value is '.', a
    number has no trailing zeros (trim_scale), free text (bron) is neutralised against
    spreadsheet formulas with the regular expressions of the renderer, and an empty text is
    an empty cell (NULL, not "").

    For a viewer who sees no figure raw (a partner): `regels` (indicator -> its disclosure
    rule, `geheimhouding.Regel`) are applied per row as `Regel.pas_toe` does (below the
    threshold suppressed, else rounded half up to the multiple), and `vervangen` gives the
    published cells (value text, status, what was done) of the rows that are sums of other
    cells, which the selector answered (`api.opgeslagen_csv_database`)."""
    gemeente, regio = niveaus
    leeg = Value(None, output_field=CharField())

    cellen = {
        "id": F("id"),
        "indicator": F("indicator_id"),
        "gebied": Coalesce("gemeente_id", "regio_id"),
        "gebied_soort": Case(
            When(gemeente_id__isnull=False, then=Value(gemeente)),
            default=Value(regio),
            output_field=CharField(),
        ),
        "periode": F("periode_id"),
        "waarde": Case(
            When(status=WaarnemingStatus.GEHEIM, then=Value(".")),
            default=Cast(Func(F("waarde"), function="trim_scale"), CharField()),
            output_field=CharField(),
        ),
        "status": F("status"),
        "geheimhouding": leeg,
        "samengesteld": Value("false"),
        "bron": F("bron"),  # neutralised below, once per distinct text
        "ontbreekt": leeg,
        "gewijzigd_op": IsoTijdstip("gewijzigd_op"),
    }
    if regels is not None:
        # The rule columns are computed over the raw value and status (below); the secret
        # marker '.' of the raw route would hide a value the rule needs.
        cellen["waarde"] = F("waarde")
    sql, params = (
        qs.annotate(**{f"c_{k}": cellen[k] for k in kolommen})
        .order_by("id")
        .values_list(*(f"c_{k}" for k in kolommen))
        .query.sql_with_params()
    )
    # The source against spreadsheet formulas, with the renderer's regular expressions (Python's
    # (^|[;,\n\r])([ "]*)([=+\-@\t\r]) reads the same as a PostgreSQL ARE): in a LATERAL
    # subquery, which PostgreSQL memoises per distinct text (a few hundred in a national table)
    # instead of running two or three regular expressions on each of 377.651 rows (0,1-0,25 s).
    # The rows keep their order (a nested loop over the scan in id order).
    lijst = ", ".join(
        "b.veilig AS c_bron" if k == "bron" else f"s.c_{k} AS c_{k}" for k in kolommen
    )
    sql = (
        f"SELECT {lijst} FROM ({sql}) s LEFT JOIN LATERAL (SELECT CASE WHEN x.bron = '' "
        "THEN NULL WHEN x.bron !~ %s THEN x.bron WHEN x.bron ~ %s THEN x.bron "
        "ELSE regexp_replace(x.bron, %s, %s, 'g') END AS veilig "
        "FROM (SELECT s.c_bron AS bron) x OFFSET 0) b ON true ORDER BY s.c_id"
    )
    # Most sources hold no character that can start a formula: one cheap test for those.
    params = (*params, r"[-=+@\t\r]", GEWOON_GETAL.pattern, FORMULE_BEGIN.pattern, "\\1\\2'\\3")
    if regels is not None:
        sql, params = _met_regels(sql, params, kolommen, regels, vervangen or {})
    # COPY hands over one row at a time: the loop does no more per row than keep it (a row
    # is a buffer of its own behind the memoryview) and joins every 500 rows, about 64 kB.
    stuk: list = []
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy,
    ):
        bewaar = stuk.append
        for n, blok in enumerate(copy, 1):
            bewaar(blok)
            if not n % 500:
                yield b"".join(stuk)
                stuk.clear()
    if stuk:
        yield b"".join(stuk)


def _met_regels(
    sql: str,
    params: tuple,
    kolommen: list[str],
    regels: dict,
    vervangen: dict[int, tuple[str | None, str, str | None]],
) -> tuple[str, tuple]:
    """The CSV query of `csv_door_database` with the disclosure rules applied per row and the
    sums' cells (`vervangen`) joined in by id, in id order (a merge join). Indicators are
    grouped by rule; a row finds its group once, by a hashed `= ANY(array)` per group, in a
    subquery (OFFSET 0, else PostgreSQL repeats the lookup in all three cells), and the groups'
    thresholds and bases are integers in the cells: looked up per row in a second subquery
    they cost 0,1 s of 1,0 s on national data, as 30 OR-ed comparisons per cell twice that."""
    geheim = WaarnemingStatus.GEHEIM
    groepen: dict[tuple[int, int], list[str]] = {}
    for code in sorted(regels):
        regel = regels[code]
        groepen.setdefault((int(regel.drempel), int(regel.afronding)), []).append(code)
    # q.c_waarde is the raw value here and q.p the number of the row's group (NULL: no rule).
    # The rounding base as numeric(30, 20): PostgreSQL keeps fewer decimals in a quotient the
    # larger it is, and rounded 9999999999997.4999 / 5 up where Python rounds it down.
    getal = "trim_scale(q.c_waarde)::text"
    rond = "trim_scale(round(q.c_waarde / {a}::numeric(30, 20)) * {a})::text"
    per_groep = list(enumerate(groepen, 1))
    gepubliceerd = " ".join(
        f"WHEN q.p = {n} THEN CASE WHEN q.c_waarde < {d} THEN '.' "
        f"ELSE {rond.format(a=a) if a > 1 else getal} END"
        for n, (d, a) in per_groep
    )
    onder = " OR ".join(f"(q.p = {n} AND q.c_waarde < {d})" for n, (d, _a) in per_groep)
    onder = f"({onder or 'false'})"
    cellen = {
        "waarde": (
            f"CASE WHEN x.id IS NOT NULL THEN x.w WHEN q.c_status = '{geheim}' THEN '.' "
            f"{gepubliceerd} ELSE {getal} END"
        ),
        "status": (
            f"CASE WHEN x.id IS NOT NULL THEN x.st WHEN q.c_status <> '{geheim}' AND {onder} "
            f"THEN '{geheim}' ELSE q.c_status END"
        ),
        "geheimhouding": (
            f"CASE WHEN x.id IS NOT NULL THEN x.g WHEN q.c_status = '{geheim}' "
            f"OR q.c_waarde IS NULL THEN NULL WHEN {onder} THEN '{ONDERDRUKT}' "
            f"WHEN q.p IS NOT NULL THEN '{AFGEROND}' END"
        ),
    }
    lijst = [cellen.get(k, f"q.c_{k}") for k in kolommen]
    ids = sorted(vervangen)
    groep = " ".join(f"WHEN s.c_indicator::text = ANY(%s::text[]) THEN {n}" for n, _ in per_groep)
    groep = f"CASE {groep} END" if groepen else "NULL::int"
    sql = (
        f"SELECT {', '.join(lijst)} FROM (SELECT s.*, {groep} AS p FROM ({sql}) s "
        "ORDER BY s.c_id OFFSET 0) q "
        "LEFT JOIN unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS x(id, w, st, g) "
        "ON x.id = q.c_id ORDER BY q.c_id"
    )
    return sql, (
        *groepen.values(),
        *params,
        ids,
        [vervangen[i][0] for i in ids],
        [vervangen[i][1] for i in ids],
        [vervangen[i][2] for i in ids],
    )


# -- the entry grid (people who enter or review the region's figures) ---------------------------
