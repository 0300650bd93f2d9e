"""What the benchmark scripts share: the throw-away test database, p95, the results file.

Imported by bench/*.py after django.setup(); the scripts are run as `python bench/x.py`, so
this directory is on sys.path.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import connection
from django.test.utils import setup_test_environment

T = TypeVar("T")


def p95(waarden: list[float]) -> float:
    gesorteerd = sorted(waarden)
    return gesorteerd[max(0, math.ceil(0.95 * len(gesorteerd)) - 1)]


def database_omschrijving() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            versie = cursor.fetchone()[0].split()[0]
            return f"PostgreSQL {versie} (testdatabase {connection.settings_dict['NAME']})"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]} (tijdelijk bestand)"


def in_testdatabase(naam: str, meet: Callable[[], T]) -> tuple[str, T]:
    """Run `meet` in Django's test database next to DATABASE_URL (a temporary SQLite file for
    SQLite), dropped afterwards, so existing data is never touched. Returns the database's
    description and what `meet` returned."""
    setup_test_environment()
    if connection.vendor == "sqlite":
        map_ = tempfile.mkdtemp(prefix=f"bench-{naam}-")
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(
            Path(map_) / "bench.sqlite3"
        )
    oude_naam = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        return database_omschrijving(), meet()
    finally:
        connection.creation.destroy_test_db(oude_naam, verbosity=0)


def schrijf_resultaten(pad: Path, kop: list[str], vendor: str, regels: list[str]) -> None:
    """Replace this database's block in the results file, keep the other databases' blocks."""
    blokken: dict[str, list[str]] = {}
    if pad.exists():
        huidig = None
        for regel in pad.read_text(encoding="utf-8").splitlines():
            if regel.startswith("[") and regel.endswith("]"):
                huidig = regel[1:-1]
                blokken[huidig] = []
            elif huidig and regel.strip():
                blokken[huidig].append(regel)
    blokken[vendor] = regels
    tekst = "\n".join(kop) + "\n"
    for naam in sorted(blokken):
        tekst += f"\n[{naam}]\n" + "\n".join(blokken[naam]) + "\n"
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_text(tekst, encoding="utf-8")


def leveringen_goedgekeurd() -> list[str]:
    """An approved delivery of every Veilig Thuis region for every period with figures: the
    quarters, and the years of the yearly client survey (delivered on the year, as in the
    demo). Returns the quarters with figures, oldest first."""
    from django.utils import timezone

    from monitoring.models import Gegevenslevering, Waarneming
    from regioaanpak.choices import RegioSoort, WorkflowStatus
    from regioaanpak.models import Regio
    from regioaanpak.perioden import PeriodeCode

    perioden = sorted(
        set(
            Waarneming.objects.ongefilterd("bench: de perioden met cijfers")
            .values_list("periode_id", flat=True)
            .distinct()
        ),
        key=PeriodeCode.parse,
    )
    nu = timezone.now()
    Gegevenslevering.objects.bulk_create(
        [
            Gegevenslevering(
                regio=regio,
                periode_id=periode,
                workflow_status=WorkflowStatus.GOEDGEKEURD,
                ingediend_op=nu,
                beoordeeld_op=nu,
            )
            for regio in Regio.objects.filter(soort=RegioSoort.VEILIG_THUIS_REGIO)
            for periode in perioden
        ],
        batch_size=1000,
    )
    return [p for p in perioden if PeriodeCode.parse(p).soort == "KW"]
