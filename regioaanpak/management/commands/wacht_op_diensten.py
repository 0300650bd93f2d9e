"""Wait until the database (and Redis and the broker, when set) answer: for the entrypoint,
where the app may start before PostgreSQL in a compose file or after a machine's reboot."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import OperationalError


def _database() -> None:
    try:
        connection.ensure_connection()
    finally:
        connection.close()


def _redis() -> None:
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()


def _broker() -> None:
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as verbinding:
        verbinding.ensure_connection(max_retries=1, timeout=2)


class Command(BaseCommand):
    help = "Wacht tot de database (en Redis en de broker, als ingesteld) antwoorden."

    def add_arguments(self, parser):
        parser.add_argument("--seconden", type=int, default=60, help="Hoe lang ten hoogste.")

    def handle(self, *args, seconden: int, **opties):
        diensten = [("de database", _database)]
        if settings.REDIS_URL:
            diensten.append(("Redis (REDIS_URL)", _redis))
        if settings.CELERY_BROKER_URL:
            diensten.append(("de broker (CELERY_BROKER_URL)", _broker))
        einde = time.monotonic() + seconden
        for naam, probeer in diensten:
            while True:
                try:
                    probeer()
                    break
                except Exception as fout:
                    if time.monotonic() >= einde:
                        raise CommandError(
                            f"{naam} antwoordt na {seconden} s nog niet: {_uitleg(fout)}"
                        ) from fout
                    time.sleep(1)
            self.stdout.write(f"{naam[0].upper()}{naam[1:]} antwoordt.")


def _uitleg(fout: Exception) -> str:
    tekst = str(fout).strip().splitlines()[0] if str(fout).strip() else type(fout).__name__
    if isinstance(fout, OperationalError) and "does not exist" in tekst:
        naam = settings.DATABASES["default"].get("NAME")
        return f"database {naam} bestaat niet; maak haar eerst, bijvoorbeeld met createdb {naam}."
    return tekst
