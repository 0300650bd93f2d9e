"""Upkeep of the stored member sums' log (`monitoring.ledensommen`).

The database's triggers add a row to the log for every statement that writes figures,
deliveries or reference data; nothing else removes them. Once a night the log is brought back
to one row per period (the newest) and the stored versions are dropped, so every stored sum is
computed again at its next read, once, and reading the state stays one short index scan per
period.
"""

from __future__ import annotations

from django.db import connection, transaction


def sommenversies_comprimeren() -> int:
    """Keep the newest log row of every period; returns how many went.

    Under a lock that waits for every open transaction that wrote the log and holds off new
    ones until the end: otherwise a row of a transaction still open (an older id) could
    survive next to the newest, and a later state could add up to one seen before. The
    stored versions go too, so nothing stored before is valid afterwards, whatever the
    states."""
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE monitoring_sommenversie IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            """DELETE FROM monitoring_sommenversie v
               WHERE v.id < (SELECT max(w.id) FROM monitoring_sommenversie w
                             WHERE w.periode = v.periode)"""
        )
        weg = cursor.rowcount
        cursor.execute("DELETE FROM monitoring_somstand")
        return weg


__all__ = ["sommenversies_comprimeren"]
