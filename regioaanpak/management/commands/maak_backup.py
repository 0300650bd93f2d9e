"""A consistent backup of the whole monitor in one file: the database, which holds the figures,
the audit log and the published PDFs (regioaanpak.opslag).

PostgreSQL: `pg_dump --format=custom` (one snapshot, consistent while the app runs).
SQLite: SQLite's own online backup. Restore with `manage.py herstel_backup`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from monitoring.models import Waarneming
from rapportage.models import Rapport
from regioaanpak import opmaak


def pg_omgeving() -> tuple[list[str], dict[str, str]]:
    """Connection arguments of pg_dump/pg_restore for the default database, and the password
    in the environment (never on the command line)."""
    instellingen = connection.settings_dict
    argumenten = []
    if instellingen.get("HOST"):
        argumenten += ["--host", str(instellingen["HOST"])]
    if instellingen.get("PORT"):
        argumenten += ["--port", str(instellingen["PORT"])]
    if instellingen.get("USER"):
        argumenten += ["--username", str(instellingen["USER"])]
    omgeving = dict(os.environ)
    if instellingen.get("PASSWORD"):
        omgeving["PGPASSWORD"] = str(instellingen["PASSWORD"])
    # The connection options of the app (TLS above all) hold for pg_dump and pg_restore too.
    opties = instellingen.get("OPTIONS") or {}
    for optie, variabele in LIBPQ_OMGEVING.items():
        if opties.get(optie) not in (None, ""):
            omgeving[variabele] = str(opties[optie])
    return argumenten, omgeving


LIBPQ_OMGEVING = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class Command(BaseCommand):
    help = (
        "Maak een consistente backup van de hele monitor (cijfers, auditlog, gepubliceerde "
        "PDF's) in één bestand. Terugzetten met herstel_backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand", type=Path, help="Waar de backup komt, bijv. backup.dump.")

    def handle(self, *args, bestand: Path, **opties):
        # Made first, empty and readable for the owner only: the backup holds every figure,
        # the password hashes and the PDFs. O_EXCL: never over an existing file.
        try:
            os.close(os.open(bestand, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            raise CommandError(f"{bestand} bestaat al; kies een nieuwe naam.") from None
        except OSError as fout:
            raise CommandError(f"{bestand} kan niet worden gemaakt: {fout.strerror}.") from None
        try:
            self._maak(bestand)
        except BaseException:
            bestand.unlink(missing_ok=True)
            raise

    def _maak(self, bestand: Path) -> None:
        cijfers = Waarneming.objects.ongefilterd("backup: tellen").count()
        rapporten = Rapport.objects.count()
        if connection.vendor == "postgresql":
            argumenten, omgeving = pg_omgeving()
            if shutil.which("pg_dump") is None:
                raise CommandError("pg_dump is niet gevonden; installeer postgresql-client.")
            uitkomst = subprocess.run(
                [
                    "pg_dump",
                    *argumenten,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(bestand),
                    f"--dbname={connection.settings_dict['NAME']}",
                ],
                env=omgeving,
                capture_output=True,
                text=True,
            )
            if uitkomst.returncode != 0:
                raise CommandError(f"pg_dump mislukte: {uitkomst.stderr.strip()}")
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            doel = sqlite3.connect(bestand)
            try:
                connection.connection.backup(doel)
            finally:
                doel.close()
        else:  # pragma: no cover - the monitor runs on PostgreSQL or SQLite
            raise CommandError(f"Geen backup voor database {connection.vendor}.")
        self.stdout.write(
            f"Backup gemaakt: {bestand} ({opmaak.getal(bestand.stat().st_size)} bytes; "
            f"{opmaak.getal(cijfers)} cijfers, {rapporten} gepubliceerde versies met hun PDF's)."
        )
