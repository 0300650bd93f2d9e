"""Upkeep of the stored member sums' log (`monitoring.ledensommen`).

The database's triggers add a row to the log for every statement that writes figures,
deliveries or reference data; nothing else removes them. Once a night the log is brought back
to one row per period (the newest): its state changes, so every stored sum is computed again at
its next read, once, and reading the state stays one short index scan per period.
"""

from __future__ import annotations

from django.db import connection, transaction


def sommenversies_comprimeren() -> int:
    """Keep the newest log row of every period; returns how many went."""
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """DELETE FROM monitoring_sommenversie v
               WHERE v.id < (SELECT max(w.id) FROM monitoring_sommenversie w
                             WHERE w.periode = v.periode)"""
        )
        return cursor.rowcount


__all__ = ["sommenversies_comprimeren"]
