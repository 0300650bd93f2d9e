"""Upkeep of the stored member sums' log (`monitoring.ledensommen`).

The database's triggers add a row to the log for every statement that writes figures,
deliveries or reference data; nothing else removes them. Once a night the log is brought back
to one row per period (the newest) and the stored versions are dropped, so every stored sum is
computed again at its next read, once, and reading the state stays one short index scan per
period.
"""

from __future__ import annotations

import logging

from django.db import OperationalError, connection, transaction

logger = logging.getLogger(__name__)


def sommenversies_comprimeren() -> int:
    """Keep the newest log row of every period; returns how many went.

    Under a lock that waits for every open transaction that wrote the log and holds off new
    ones until the end: otherwise a row of a transaction still open (an older id) could
    survive next to the newest, and a later state could add up to one seen before. The
    stored versions go too, so nothing stored before is valid afterwards, whatever the
    states."""
    if connection.vendor != "postgresql":
        return 0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Writers queue behind the lock while it waits: give up after a few seconds
            # (a long import is running) and try again the next night.
            cursor.execute("SET LOCAL lock_timeout = '5s'")
            cursor.execute("LOCK TABLE monitoring_sommenversie IN SHARE ROW EXCLUSIVE MODE")
            return _comprimeer(cursor)
    except OperationalError:
        logger.warning("log van de opgeslagen sommen niet ingekort: tabel bezet", exc_info=True)
        return 0


def _comprimeer(cursor) -> int:
    cursor.execute(
        """DELETE FROM monitoring_sommenversie v
           WHERE v.id < (SELECT max(w.id) FROM monitoring_sommenversie w
                         WHERE w.periode = v.periode)"""
    )
    weg = cursor.rowcount
    cursor.execute("DELETE FROM monitoring_somstand")
    return weg


__all__ = ["sommenversies_comprimeren"]
