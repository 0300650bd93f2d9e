"""Floors for the benchmarks: what the database itself needs for the same work, measured in the
same run, interleaved with the thing measured, so a result reads as a ratio to the floor and not
as a time that depends on the machine and its load.

- `sql_vloer`: the SELECT statements a request ran, re-run as they were (the page's own SQL).
- `groupby_vloer`: one GROUP BY over figures x valid memberships of a region (the roll-up the
  figure selector answers, without its rules).
- `copy_uit_rijen` / `copy_in`: PostgreSQL's COPY of the same rows, the yardstick of the CSV
  export (read as typed rows: this reproduces the issue's 316.814 rows/s) and the floor of the
  import; `copy_uit`: the same COPY read as raw bytes (2-3x as fast, a stricter measure);
  `copy_uit_opgemaakt`: the same rows with the export's columns and formatting, without a
  viewer policy (what the policy costs shows in the ratio to it).
- `vergelijk`: the measured function and its floor alternately, medians and their ratio.

Imported by bench/*.py after django.setup().
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Verhouding:
    tijd_ms: float
    vloer_ms: float

    @property
    def ratio(self) -> float:
        return self.tijd_ms / self.vloer_ms if self.vloer_ms else float("inf")

    def tekst(self, doel: float | None = None) -> str:
        regel = f"{self.tijd_ms:.1f} ms, vloer {self.vloer_ms:.1f} ms, ratio {self.ratio:.1f}x"
        if doel is not None:
            regel += f" (doel <= {doel:g}x: {'gehaald' if self.ratio <= doel else 'NIET gehaald'})"
        return regel


def _ms(functie: Callable[[], object]) -> float:
    begin = time.perf_counter()
    functie()
    return (time.perf_counter() - begin) * 1000


def vergelijk(functie: Callable[[], object], vloer: Callable[[], object], keer: int = 9):
    """Median times of `functie` and `vloer`, run alternately after one warm-up each."""
    functie()
    vloer()
    tijden, vloeren = [], []
    for _ in range(keer):
        tijden.append(_ms(functie))
        vloeren.append(_ms(vloer))
    return Verhouding(statistics.median(tijden), statistics.median(vloeren))


def vang(functie: Callable[[], object]) -> tuple[object, list[dict]]:
    """Run `functie` and capture its queries. The log is emptied first: it keeps at most 9.000
    entries, and a full one would yield an empty capture."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        uitkomst = functie()
    return uitkomst, list(queries.captured_queries)


def _selects(queries: list[dict]) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].lstrip("( \n").upper().startswith(("SELECT", "WITH"))
    ]


def sql_vloer(queries: list[dict]) -> Callable[[], None]:
    """Re-run the SELECT statements captured from a request (their text holds the parameters),
    fetching every row: the database's share of that request."""
    selects = _selects(queries)

    def vloer() -> None:
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()

    return vloer


def groupby_vloer(regio: str, indicator: str, perioden: list[str]) -> Callable[[], None]:
    """One GROUP BY over the figures of the region's members valid in each period."""
    plaatsen = ", ".join(["%s"] * len(perioden))
    sql = f"""
        SELECT w.periode_id, SUM(w.waarde), COUNT(*)
        FROM monitoring_waarneming w
        JOIN regioaanpak_lidmaatschap l ON l.gemeente_id = w.gemeente_id AND l.regio_id = %s
        JOIN regioaanpak_periode p ON p.code = w.periode_id
        WHERE w.indicator_id = %s AND w.periode_id IN ({plaatsen})
          AND (l.geldig_van IS NULL OR l.geldig_van <= p.einddatum)
          AND (l.geldig_tot IS NULL OR l.geldig_tot >= p.begindatum)
        GROUP BY w.periode_id"""

    def vloer() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [regio, indicator, *perioden])
            cursor.fetchall()

    return vloer


_COPY_RIJEN = (
    "SELECT w.indicator_id, w.gemeente_id, w.regio_id, w.periode_id, w.waarde, w.status, w.bron,"
    " w.gewijzigd_op FROM monitoring_waarneming w ORDER BY w.id"
)
_COPY_TYPEN = ["text", "text", "text", "text", "numeric", "text", "text", "timestamptz"]


def copy_uit_rijen() -> dict:
    """COPY of every figure, read as rows of Python values with psycopg's own types
    (`Copy.rows`), on a connection of its own. The issue's table gives "PostgreSQL COPY of the
    same rows: 316.814 rows/s" and the exports of that time 0,26x and 0,19x of it; of the
    ways to read this COPY only this one reproduces that figure (one run on this machine:
    317.891 rows/s; the same COPY read as raw bytes, `copy_uit`, 2-3x as fast). It is the
    issue's yardstick, not a lower bound: the export streams the CSV PostgreSQL formats and
    parses no row, so it can beat it. Not on Django's connection: Django's loader of
    timestamps (a time zone per value) doubles the time, which is Django's cost, not the
    database's."""
    import psycopg

    parameters = {
        k: v
        for k, v in connection.get_connection_params().items()
        if k not in ("context", "cursor_factory")
    }
    rijen = 0
    with psycopg.connect(**parameters, autocommit=True) as verbinding:
        begin = time.perf_counter()  # after connecting, as the other floors
        with verbinding.cursor() as cursor, cursor.copy(f"COPY ({_COPY_RIJEN}) TO STDOUT") as copy:
            copy.set_types(_COPY_TYPEN)
            for _rij in copy.rows():
                rijen += 1
        seconden = time.perf_counter() - begin
    return {"rijen": rijen, "seconden": seconden}


def copy_uit() -> dict:
    """COPY of every figure to CSV, read to the end as raw bytes (the rows are not parsed): 2-3x
    as fast as the issue's yardstick (`copy_uit_rijen`), so a stricter measure."""
    begin = time.perf_counter()
    rijen = grootte = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({_COPY_RIJEN}) TO STDOUT (FORMAT csv, HEADER)") as copy,
    ):
        for blok in copy:
            grootte += len(blok)
            rijen += bytes(blok).count(b"\n")
    return {"rijen": rijen - 1, "seconden": time.perf_counter() - begin, "bytes": grootte}


def copy_uit_opgemaakt() -> dict:
    """COPY of every figure with the export's own columns, formatted as the export formats them
    (`csv_opmaak.csv_door_database`: ISO timestamps, trimmed numbers, the neutralised source),
    without a viewer policy (no reach, release or disclosure rules): a second floor, so the
    export's ratio to it shows what the policy costs apart from the formatting."""
    from monitoring.models import Waarneming
    from monitoring.selectors import csv_opmaak
    from monitoring.selectors.api import KOLOMMEN, NIVEAU_GEMEENTE, NIVEAU_REGIO

    begin = time.perf_counter()
    rijen = grootte = 0
    for blok in csv_opmaak.csv_door_database(
        Waarneming.objects.ongefilterd("bench: vloer van de CSV-export"),
        KOLOMMEN,
        niveaus=(NIVEAU_GEMEENTE, NIVEAU_REGIO),
    ):
        grootte += len(blok)
        rijen += blok.count(b"\n")
    return {"rijen": rijen, "seconden": time.perf_counter() - begin, "bytes": grootte}


def copy_in(regels: list[dict]) -> float:
    """COPY of the import's rows into monitoring_waarneming with its indexes and (checked at
    once) keys, rolled back: the floor of the import."""
    from django.db import transaction
    from django.utils import timezone

    nu = timezone.now()
    begin = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with cursor.cursor.copy(
                "COPY monitoring_waarneming (indicator_id, gemeente_id, periode_id, waarde,"
                " status, bron, toelichting, aangemaakt_op, gewijzigd_op) FROM STDIN"
            ) as copy:
                for r in regels:
                    copy.write_row(
                        (
                            r["indicator"],
                            r["gebied"],
                            r["periode"],
                            r["waarde"],
                            "definitief",
                            "",
                            "",
                            nu,
                            nu,
                        )
                    )
        seconden = time.perf_counter() - begin
        transaction.set_rollback(True)
    return seconden
