"""Who gets what from the API: a permission matrix per endpoint.

Anonymous, expired token, revoked token, token of another region, read token writing, right
token. Reference data (regions, municipalities, periods, indicators) is for every valid token;
figures, approaches, progress and reports only for the token's own regions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from regioaanpak.models import ApiToken, token_hash
from regioaanpak.services import api_token_intrekken
from tests.factories import opgeslagen

pytestmark = pytest.mark.django_db

REFERENTIE = ["/api/v1/regios/", "/api/v1/gemeenten/", "/api/v1/perioden/", "/api/v1/indicatoren/"]
# Scoped lists and what of Zuid-Holland Zuid each shows to its own token.
EIGEN = {
    "/api/v1/waarnemingen/": lambda r: r["gebied"] == "GM0505",
    "/api/v1/regioaanpakken/": lambda r: r["regio"] == "VT24",
    "/api/v1/voortgang/": lambda r: r["regio"] == "VT24",
    "/api/v1/rapporten/": lambda r: r["regio"] == "VT24",
}
ALLE_LIJSTEN = [*REFERENTIE, *EIGEN]
IMPORT = "/api/v1/waarnemingen/import/"
RIJ = [{"indicator": "vt_meldingen", "gebied": "GM0505", "periode": "2021KW03", "waarde": 405}]


def _token_object(tekst: str) -> ApiToken:
    return ApiToken.objects.get(sleutel_hash=token_hash(tekst))


@pytest.fixture
def tokens(regiostukken, cijferregios, api_token):
    verlopen = api_token(cijferregios["partner"], ["VT24"])
    ApiToken.objects.filter(pk=_token_object(verlopen).pk).update(
        verloopt_op=timezone.now() - dt.timedelta(minutes=1)
    )
    ingetrokken = api_token(cijferregios["partner"], ["VT24"])
    api_token_intrekken(token=_token_object(ingetrokken))
    return {
        "verlopen": verlopen,
        "ingetrokken": ingetrokken,
        "andere_regio": api_token(cijferregios["partner_gz"], ["VT06"], scope="schrijven"),
        "lezen": api_token(cijferregios["partner"], ["VT24"]),
        "schrijven": api_token(cijferregios["partner"], ["VT24"], scope="schrijven"),
    }


@pytest.mark.parametrize("pad", [*ALLE_LIJSTEN, "/api/v1/", "/api/v1/schema/"])
def test_anoniem_krijgt_niets(api, pad, tokens):
    antwoord = api().get(pad)
    assert antwoord.status_code == 401
    assert "Authorization: Token" in antwoord.json()["detail"]


def test_anoniem_schrijft_niet(api, tokens):
    antwoord = api().post(IMPORT, RIJ, format="json")
    assert antwoord.status_code == 401


@pytest.mark.parametrize("pad", ALLE_LIJSTEN)
@pytest.mark.parametrize(
    ("soort", "reden"), [("verlopen", "verlopen op"), ("ingetrokken", "ingetrokken op")]
)
def test_verlopen_of_ingetrokken_token_geweigerd_met_reden(api, tokens, pad, soort, reden):
    antwoord = api(tokens[soort]).get(pad)
    assert antwoord.status_code == 401
    assert reden in antwoord.json()["detail"]
    assert antwoord["WWW-Authenticate"] == "Token"


def test_onbekend_token(api, tokens):
    antwoord = api("dit-is-geen-token").get("/api/v1/regios/")
    assert antwoord.status_code == 401
    assert antwoord.json()["detail"] == "Onbekend API-token."


@pytest.mark.parametrize("pad", REFERENTIE)
def test_referentiegegevens_voor_elk_geldig_token(api, tokens, pad):
    for soort in ("andere_regio", "lezen"):
        antwoord = api(tokens[soort]).get(pad)
        assert antwoord.status_code == 200
        assert antwoord.json()["results"]


@pytest.mark.parametrize(("pad", "van_zhz"), EIGEN.items())
def test_eigen_regio_ziet_haar_gegevens_andere_regio_niet(api, tokens, pad, van_zhz):
    eigen = api(tokens["lezen"]).get(pad)
    assert eigen.status_code == 200
    assert any(van_zhz(r) for r in eigen.json()["results"]), eigen.json()

    ander = api(tokens["andere_regio"]).get(pad)
    assert ander.status_code == 200
    assert not any(van_zhz(r) for r in ander.json()["results"]), ander.json()


def test_details_van_een_andere_regio_zijn_niet_gevonden(api, tokens, regiostukken):
    paden = [
        f"/api/v1/regioaanpakken/{regiostukken['aanpak'].pk}/",
        f"/api/v1/voortgang/{regiostukken['goedgekeurd'].pk}/",
        f"/api/v1/rapporten/{regiostukken['rapport'].pk}/",
        f"/api/v1/rapporten/{regiostukken['rapport'].pk}/pdf/",
    ]
    for pad in paden:
        assert api(tokens["lezen"]).get(pad).status_code == 200, pad
        assert api(tokens["andere_regio"]).get(pad).status_code == 404, pad


def test_filter_op_een_andere_regio_geweigerd_met_naam(api, tokens):
    antwoord = api(tokens["andere_regio"]).get("/api/v1/waarnemingen/?regio=VT24")
    assert antwoord.status_code == 403
    assert "VT24" in antwoord.json()["detail"]
    antwoord = api(tokens["andere_regio"]).get(
        "/api/v1/waarnemingen/?niveau=regio&regio=VT24&periode=2021KW01"
    )
    assert antwoord.status_code == 403
    for niveau in ("", "&niveau=gemeente&periode=2021KW01"):
        antwoord = api(tokens["andere_regio"]).get(f"/api/v1/waarnemingen/?gemeente=GM0505{niveau}")
        assert antwoord.status_code == 403
        assert "GM0505" in antwoord.json()["detail"]


def test_leestoken_mag_niet_schrijven(api, tokens):
    antwoord = api(tokens["lezen"]).post(IMPORT, RIJ, format="json")
    assert antwoord.status_code == 403
    assert "alleen lezen" in antwoord.json()["detail"]


def test_schrijftoken_van_een_andere_regio_schrijft_niets_van_zhz(api, tokens):

    antwoord = api(tokens["andere_regio"]).post(IMPORT, RIJ, format="json")
    assert antwoord.status_code == 400
    fout = antwoord.json()["fouten"][0]
    assert fout["regel"] == 1 and fout["veld"] == "gebied"
    assert "Dordrecht (GM0505)" in fout["reden"] and "Gelderland-Zuid" in fout["reden"]
    assert not opgeslagen().filter(periode_id="2021KW03").exists()


def test_juist_token_schrijft(api, tokens):
    antwoord = api(tokens["schrijven"]).post(IMPORT, RIJ, format="json")
    assert antwoord.status_code == 200, antwoord.json()
    # A partner's token: saved, but the answer does not say new or changed (that would tell
    # the stored value).
    assert antwoord.json()["opgeslagen"] is True and antwoord.json()["regels"] == 1
    assert antwoord.json()["nieuw"] is None
    assert opgeslagen().filter(periode_id="2021KW03").count() == 1


def test_token_reikt_niet_verder_dan_de_rollen_van_de_eigenaar(api, tokens, cijferregios):
    """A role taken away later also closes the token for that region."""
    from regioaanpak.models import Rol

    Rol.objects.filter(gebruiker=cijferregios["partner"]).delete()
    antwoord = api(tokens["lezen"]).get("/api/v1/waarnemingen/")
    assert antwoord.status_code == 200
    assert antwoord.json()["results"] == []
    assert api(tokens["schrijven"]).post(IMPORT, RIJ, format="json").status_code == 403


def test_ingelogde_gebruiker_ziet_de_bladerbare_api(client, tokens, cijferregios):
    client.force_login(cijferregios["beleid"])
    antwoord = client.get("/api/v1/waarnemingen/", HTTP_ACCEPT="text/html")
    assert antwoord.status_code == 200
    assert "text/html" in antwoord["Content-Type"]
    assert b"GM0505" in antwoord.content


def test_limiet_per_token(api, tokens, settings):
    from django.core.cache import cache
    from rest_framework.settings import api_settings

    from regioaanpak.api.throttling import TokenThrottle

    cache.clear()
    oud = TokenThrottle.THROTTLE_RATES
    TokenThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "api": "3/minute"}
    try:
        eerste = api(tokens["lezen"])
        for _ in range(3):
            assert eerste.get("/api/v1/perioden/").status_code == 200
        te_veel = eerste.get("/api/v1/perioden/")
        assert te_veel.status_code == 429
        assert "Te veel verzoeken" in te_veel.json()["detail"]
        # Another token has its own count.
        assert api(tokens["schrijven"]).get("/api/v1/perioden/").status_code == 200
    finally:
        TokenThrottle.THROTTLE_RATES = oud
        cache.clear()
