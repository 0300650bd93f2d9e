"""Input never ends in a 500: NUL bytes, periods outside the monitor's range, overflowing
numbers, deep JSON and malformed cursors get a 400 or 404 (JSON under /api/, a Dutch page in the
site's layout elsewhere). Each case was a server error before (regression tests), also with
DEBUG off as in production."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from regioaanpak.choices import RolSoort

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/waarnemingen/import/"


@pytest.fixture
def beheerder_client(gz, persoon, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    gebruiker = persoon(gz, RolSoort.BEHEERDER, "bea")
    client.force_login(gebruiker)
    project = (
        gz.regioaanpakken.get()
        .actielijnen.create(nummer=1, titel="Lijn")
        .projecten.create(titel="Project")
    )
    client.project = project
    return client


@pytest.fixture
def schrijver(gz, persoon, api_token, api, settings):
    settings.DEBUG = False
    gebruiker = persoon(gz, RolSoort.PROJECTLEIDER, "piet")
    client = api(api_token(gebruiker, ["VT06"], scope="schrijven"))
    client.raise_request_exception = False
    return client


def nederlands(antwoord, status: int) -> str:
    assert antwoord.status_code == status, (antwoord.status_code, antwoord.content[:300])
    html = antwoord.content.decode()
    assert '<html lang="nl">' in html and "Naar het overzicht" in html
    return html


@pytest.mark.parametrize("periode", ["1900KW01", "1900HJ01", "2999KW04", "2999JJ00", "1949KW04"])
@pytest.mark.parametrize(
    "pad",
    [
        "/regio/VT06/volledigheid/{p}/",
        "/regio/VT06/cijfers/{p}/",
        "/regio/VT06/voortgang/{p}/",
        "/projecten/{project}/voortgang/{p}/",
        "/regio/VT06/dashboard/?periode={p}",
        "/gemeente/GM0268/dashboard/?periode={p}",
        "/rapportage/VT06/{p}/kwartaal/",
        "/rapportage/VT06/{p}/halfjaar/",
        "/rapportage/VT06/{p}/kwartaal/pdf/",
    ],
)
def test_periode_buiten_het_bereik(beheerder_client, pad, periode):
    adres = pad.format(p=periode, project=beheerder_client.project.pk)
    antwoord = beheerder_client.get(adres)
    assert antwoord.status_code in (200, 404), (adres, antwoord.status_code)
    html = antwoord.content.decode()
    assert '<html lang="nl">' in html


def test_randen_van_het_bereik_werken(beheerder_client):
    """1950KW01 and 2099KW04 are valid: their previous and next periods stay computable."""
    for periode in ("1950KW01", "2099KW04"):
        assert beheerder_client.get(f"/regio/VT06/volledigheid/{periode}/").status_code == 200
        assert beheerder_client.get(f"/regio/VT06/dashboard/?periode={periode}").status_code == 200


def test_nul_teken_in_het_adres_van_een_pagina(beheerder_client):
    html = nederlands(beheerder_client.get("/regio/VT%0006/"), 400)
    assert "Het adres bevat een NUL-teken" in html
    html = nederlands(beheerder_client.get("/regio/VT06/dashboard/?periode=2021KW01%00"), 400)
    assert "NUL-teken" in html


def test_nul_teken_in_een_formulier(beheerder_client):
    for soort in ("multipart", "urlencoded"):
        gegevens = {"reden": "a\x00b", "actie": "toestaan"}
        if soort == "urlencoded":
            antwoord = beheerder_client.post(
                "/regio/VT06/vier-ogen/",
                "reden=a%00b&actie=toestaan",
                content_type="application/x-www-form-urlencoded",
            )
        else:
            antwoord = beheerder_client.post("/regio/VT06/vier-ogen/", gegevens)
        assert "Het formulier bevat een NUL-teken" in nederlands(antwoord, 400)


def test_nul_teken_in_de_api(schrijver):
    antwoord = schrijver.get("/api/v1/indicatoren/vt%00/")
    assert antwoord.status_code == 404
    assert "NUL-teken" in antwoord.json()["detail"]
    antwoord = schrijver.get("/api/v1/gemeenten/?naam=Nij%00megen")
    assert antwoord.status_code == 400
    assert antwoord.json() == {
        "naam": ["Deze waarde bevat een NUL-teken; dat kan geen waarde zijn."]
    }
    rij = {"indicator": "vt_meldingen", "gebied": "GM02\x0068", "periode": "2021KW01", "waarde": 1}
    antwoord = schrijver.post(IMPORT, [rij], format="json")
    assert antwoord.status_code == 400
    assert "NUL-teken" in antwoord.json()["fouten"][0]["reden"]


def test_diepe_json(schrijver):
    for diepte in (1_000, 100_000):
        antwoord = schrijver.generic(
            "POST", IMPORT, "[" * diepte + "]" * diepte, content_type="application/json"
        )
        assert antwoord.status_code == 400
        assert "dieper genest dan 20 niveaus" in antwoord.json()["fouten"][0]["reden"]


@pytest.mark.parametrize(
    ("waarde", "reden"),
    [
        ('"1E+999999999"', "'1E+999999999' is geen getal."),
        ("1E+999999999", "het getal 1E+999999999 is te groot of te klein."),
        ("1" * 5_000, "is te lang (meer dan 40 tekens)"),
        ("NaN", "NaN is geen getal in JSON."),
        ('"1e-40"', "'1e-40' is geen getal."),
    ],
)
def test_overlopende_getallen(schrijver, waarde, reden):
    body = (
        '[{"indicator": "vt_meldingen", "gebied": "GM0268", "periode": "2021KW01", '
        f'"waarde": {waarde}}}]'
    )
    antwoord = schrijver.generic(
        "POST", f"{IMPORT}?dry_run=true", body, content_type="application/json"
    )
    assert antwoord.status_code == 400
    assert reden in json.dumps(antwoord.json(), ensure_ascii=False)


def test_perioden_buiten_bereik_in_de_api(schrijver):
    antwoord = schrijver.get(
        "/api/v1/waarnemingen/?niveau=regio&regio=VT06&indicator=vt_meldingen"
        "&periode_van=1900KW01&periode_tot=2999KW04"
    )
    assert antwoord.status_code == 400
    assert "ligt buiten de perioden van de monitor (1950 tot en met 2099)" in json.dumps(
        antwoord.json(), ensure_ascii=False
    )


@pytest.mark.parametrize("cursor", ["%00%ff", "bm90LWJhc2U2NA", "cD0%3D%3D", "x" * 5000])
def test_onleesbare_cursor(schrijver, cursor):
    antwoord = schrijver.get(f"/api/v1/waarnemingen/?cursor={cursor}")
    assert antwoord.status_code in (400, 404)
    assert antwoord["Content-Type"].startswith("application/json")
