"""Restore a backup of `maak_backup` into an empty database, then check it: every published
report's PDFs against their SHA-256, and the figures counted. Exits with an error when a PDF
does not match."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from regioaanpak import opmaak
from regioaanpak.management.commands.maak_backup import pg_omgeving


def controleer_herstel() -> tuple[int, int, list[str]]:
    """(figures, PDFs checked, problems) of the database as it is now."""
    from monitoring.models import Waarneming
    from rapportage.choices import Editie
    from rapportage.edities import pdf_inhoud
    from rapportage.models import Rapport

    problemen = []
    gecontroleerd = 0
    for rapport in Rapport.objects.select_related("regio", "periode"):
        for naam in (Editie.INTERN, Editie.AFGESCHERMD):
            editie = rapport.editie(naam)
            if editie is None:
                continue
            try:
                pdf_inhoud(rapport, editie)
            except Exception as fout:  # missing file or a different SHA-256
                problemen.append(f"{rapport} ({naam}): {fout}")
            else:
                gecontroleerd += 1
    return Waarneming.objects.ongefilterd("herstel: tellen").count(), gecontroleerd, problemen


class Command(BaseCommand):
    help = (
        "Zet een backup van maak_backup terug in een lege database en controleer daarna elke "
        "gepubliceerde PDF tegen zijn SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand", type=Path, help="De backup (van maak_backup).")

    def handle(self, *args, bestand: Path, **opties):
        if not bestand.is_file():
            raise CommandError(f"{bestand} bestaat niet.")
        if connection.introspection.table_names():
            raise CommandError(
                "De database is niet leeg. Zet een backup alleen terug in een nieuwe, lege "
                "database (createdb), zodat er niets half wordt overschreven."
            )
        if connection.vendor == "postgresql":
            if shutil.which("pg_restore") is None:
                raise CommandError("pg_restore is niet gevonden; installeer postgresql-client.")
            argumenten, omgeving = pg_omgeving()
            uitkomst = subprocess.run(
                [
                    "pg_restore",
                    *argumenten,
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    connection.settings_dict["NAME"],
                    str(bestand),
                ],
                env=omgeving,
                capture_output=True,
                text=True,
            )
            if uitkomst.returncode != 0:
                raise CommandError(f"pg_restore mislukte: {uitkomst.stderr.strip()}")
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            bron = sqlite3.connect(bestand)
            try:
                bron.backup(connection.connection)
            finally:
                bron.close()
        else:  # pragma: no cover
            raise CommandError(f"Geen herstel voor database {connection.vendor}.")
        # A backup of an older release: bring the schema up to this one.
        call_command("migrate", interactive=False, verbosity=0)
        # Sessions of the moment of the backup are not valid again: everyone logs in anew.
        from django.contrib.sessions.models import Session

        Session.objects.all().delete()
        cijfers, pdfs, problemen = controleer_herstel()
        for probleem in problemen:
            self.stderr.write(probleem)
        if problemen:
            raise CommandError(f"Teruggezet, maar {len(problemen)} PDF's kloppen niet (zie boven).")
        self.stdout.write(
            f"Teruggezet: {opmaak.getal(cijfers)} cijfers; {pdfs} PDF's van gepubliceerde "
            "versies kloppen met hun SHA-256. Iedereen logt opnieuw in."
        )
