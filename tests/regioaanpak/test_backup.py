"""A backup of the whole monitor (maak_backup) restored into an empty database (herstel_backup):
every figure is there and every published report still matches its SHA-256."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from monitoring.models import Waarneming

pytestmark = pytest.mark.django_db(transaction=True)


def _manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    omgeving = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    omgeving["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=omgeving,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def lege_database(tmp_path):
    """An empty database of the same kind as the test database, and its URL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'hersteld.sqlite3'}"
        return
    import psycopg

    instellingen = connection.settings_dict
    naam = f"herstel_{uuid.uuid4().hex[:10]}"
    basis = {
        "host": instellingen.get("HOST") or None,
        "port": instellingen.get("PORT") or None,
        "user": instellingen.get("USER") or None,
        "password": instellingen.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **basis) as beheer:
        beheer.execute(f'CREATE DATABASE "{naam}"')
    gebruiker = basis["user"] or ""
    wachtwoord = f":{basis['password']}" if basis["password"] else ""
    yield (
        f"postgres://{gebruiker}{wachtwoord}@{basis['host'] or '127.0.0.1'}:"
        f"{basis['port'] or 5432}/{naam}"
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **basis) as beheer:
        beheer.execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')


def test_backup_terugzetten_in_een_lege_database(regiostukken, tmp_path, lege_database):
    cijfers = Waarneming.objects.ongefilterd("test").count()
    assert cijfers > 0
    bestand = tmp_path / "monitor.backup"
    uit = StringIO()
    call_command("maak_backup", str(bestand), stdout=uit)
    assert f"{cijfers} cijfers, 1 gepubliceerde versies met hun PDF's" in uit.getvalue()
    assert bestand.stat().st_size > 0
    # Every figure, the password hashes and the PDFs: for the owner only.
    assert bestand.stat().st_mode & 0o777 == 0o600

    hersteld = _manage("herstel_backup", str(bestand), database_url=lege_database)
    assert hersteld.returncode == 0, hersteld.stderr
    assert f"Teruggezet: {cijfers} cijfers; 2 PDF's van gepubliceerde versies kloppen" in (
        hersteld.stdout
    )
    # A second restore into the same (now full) database is refused: nothing half overwritten.
    nogmaals = _manage("herstel_backup", str(bestand), database_url=lege_database)
    assert nogmaals.returncode != 0
    assert "De database is niet leeg" in nogmaals.stderr


def test_backup_overschrijft_geen_bestaand_bestand(regiostukken, tmp_path):
    bestand = tmp_path / "bestaat.backup"
    bestand.write_bytes(b"oud")
    with pytest.raises(CommandError, match="bestaat al"):
        call_command("maak_backup", str(bestand), stdout=StringIO())
    assert bestand.read_bytes() == b"oud"
