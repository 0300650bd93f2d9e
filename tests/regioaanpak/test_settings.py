"""Production mode: a missing SECRET_KEY stops start-up; check --deploy has nothing to report."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

STERKE_SLEUTEL = "k3R9-x7QpV2mZs8LwT4nYb6HcJ1dFgA5eUoIyRtEwQaSdFgHjKlZxCvBnM0plokij"


def _manage(*args: str, **omgeving: str) -> subprocess.CompletedProcess:
    weg = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in weg}
    env.update(omgeving)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_productie_zonder_secret_key_start_niet():
    resultaat = _manage(
        "check", REGIOAANPAK_OMGEVING="productie", ALLOWED_HOSTS="monitor.example.nl"
    )
    assert resultaat.returncode != 0
    assert "SECRET_KEY ontbreekt" in resultaat.stderr


def test_productie_zonder_allowed_hosts_start_niet():
    resultaat = _manage("check", REGIOAANPAK_OMGEVING="productie", SECRET_KEY=STERKE_SLEUTEL)
    assert resultaat.returncode != 0
    assert "ALLOWED_HOSTS ontbreekt" in resultaat.stderr


def test_check_deploy_geeft_geen_waarschuwingen_in_productie():
    resultaat = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        REGIOAANPAK_OMGEVING="productie",
        SECRET_KEY=STERKE_SLEUTEL,
        ALLOWED_HOSTS="monitor.example.nl",
    )
    assert resultaat.returncode == 0, resultaat.stdout + resultaat.stderr
    assert "System check identified no issues" in resultaat.stdout


def test_onbekende_omgeving_wordt_geweigerd():
    resultaat = _manage("check", REGIOAANPAK_OMGEVING="test")
    assert resultaat.returncode != 0
    assert "REGIOAANPAK_OMGEVING='test' is onbekend" in resultaat.stderr


def test_nederlands_en_amsterdamse_tijd():
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.USE_TZ is True


@pytest.mark.parametrize(
    ("sleutel", "reden"),
    [
        ("abc", "SECRET_KEY is te zwak (3 tekens, 3 verschillende"),
        ("a" * 60, "SECRET_KEY is te zwak (60 tekens, 1 verschillende"),
        (
            "ontwikkeling-alleen-lokaal-niet-voor-productie-gebruiken-0123456789",
            "SECRET_KEY is de sleutel voor ontwikkeling",
        ),
        ("django-insecure-" + "x1y2z3" * 10, "SECRET_KEY is de sleutel voor ontwikkeling"),
    ],
)
def test_productie_start_niet_met_een_zwakke_sleutel(sleutel, reden):
    resultaat = _manage(
        "check",
        REGIOAANPAK_OMGEVING="productie",
        SECRET_KEY=sleutel,
        ALLOWED_HOSTS="monitor.example.nl",
    )
    assert resultaat.returncode != 0
    assert reden in resultaat.stderr
    assert "secrets.token_urlsafe(50)" in resultaat.stderr
