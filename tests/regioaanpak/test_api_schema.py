"""The committed OpenAPI schema is the one the code produces, and the docs need no CDN."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

SCHEMA = settings.BASE_DIR / "regioaanpak" / "api" / "openapi.yaml"


def test_vastgelegd_schema_is_gelijk_aan_de_code(tmp_path: Path):
    nieuw = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(nieuw), "--validate", "--fail-on-warn")
    assert nieuw.read_text("utf-8") == SCHEMA.read_text("utf-8"), (
        "regioaanpak/api/openapi.yaml wijkt af van de code; draai 'make schema' en commit het."
    )


def test_schema_beschrijft_geheimhouding_en_alle_lijsten():
    tekst = SCHEMA.read_text("utf-8")
    assert "afgerond op vijftallen" in tekst and "onder de 10 worden onderdrukt" in tekst
    for pad in (
        "regios",
        "gemeenten",
        "perioden",
        "indicatoren",
        "waarnemingen",
        "waarnemingen/import",
        "regioaanpakken",
        "voortgang",
        "rapporten",
    ):
        assert f"/api/v1/{pad}/:" in tekst


@pytest.mark.django_db
@pytest.mark.parametrize("pad", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_documentatie_komt_van_de_eigen_statische_bestanden(client, django_user_model, pad):
    gebruiker = django_user_model.objects.create_user("lezer", password="lezer-wachtwoord-1")
    assert client.get(pad).status_code == 302  # anonymous: to the login page
    client.force_login(gebruiker)
    antwoord = client.get(pad)
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    adressen = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert adressen, html
    assert all(not a.startswith(("http://", "https://", "//")) for a in adressen), adressen
    assert "/static/drf_spectacular_sidecar/" in html


@pytest.mark.django_db
def test_schema_alleen_voor_ingelogden(client, django_user_model):
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    client.force_login(django_user_model.objects.create_user("lezer", password="x-y-z-123456"))
    assert client.get("/api/v1/schema/").status_code == 200
