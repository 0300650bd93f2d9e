"""Regional approaches with action lines and projects, and approved progress, in the API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ActielijnFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lezer(cijferregios, regiostukken, api_token, api):
    return api(api_token(cijferregios["partner"], ["VT24"]))


def test_regioaanpak_met_actielijnen_en_projecten(lezer, regiostukken):
    data = lezer.get("/api/v1/regioaanpakken/").json()["results"]
    assert len(data) == 1
    aanpak = data[0]
    assert aanpak["regio"] == "VT24" and aanpak["looptijd_van"] == "2020-01-01"
    assert aanpak["actielijnen"][0]["titel"] == "Eerder en beter in beeld"
    assert aanpak["actielijnen"][0]["projecten"][0]["titel"] == "Ouderenmishandeling"


def test_alleen_goedgekeurde_voortgang(lezer, regiostukken):
    data = lezer.get("/api/v1/voortgang/").json()["results"]
    assert [(u["periode"], u["status"]) for u in data] == [("2021KW01", "op_schema")]
    assert data[0]["project_titel"] == "Ouderenmishandeling" and data[0]["actielijn"] == 1
    concept = lezer.get(f"/api/v1/voortgang/{regiostukken['concept'].pk}/")
    assert concept.status_code == 404


def test_voortgang_filter_op_periode(lezer, regiostukken):
    assert lezer.get("/api/v1/voortgang/?periode=2021KW02").json()["results"] == []
    fout = lezer.get("/api/v1/voortgang/?periode=2021KW9")
    assert fout.status_code == 400 and "periode" in fout.json()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as vastgelegd:
        assert client.get(url).status_code == 200
    return len(vastgelegd.captured_queries)


def test_queries_groeien_niet_met_het_aantal_projecten(lezer, regiostukken):
    lezer.get("/api/v1/regioaanpakken/")
    voor = _queries(lezer, "/api/v1/regioaanpakken/")
    for nummer in (2, 3, 4):
        actielijn = ActielijnFactory(regioaanpak=regiostukken["aanpak"], nummer=nummer)
        for _ in range(3):
            ProjectFactory(actielijn=actielijn)
    assert _queries(lezer, "/api/v1/regioaanpakken/") == voor


@pytest.mark.parametrize(
    ("adres", "parameter"),
    [
        # Found by schemathesis: a huge number reached the database as an id (a 500).
        ("/api/v1/voortgang/?project=-1.5367552549669918e%2B217", "project"),
        ("/api/v1/voortgang/?project=1.5", "project"),
        ("/api/v1/voortgang/?project=0", "project"),
        ("/api/v1/perioden/?jaar=1e300", "jaar"),
        ("/api/v1/perioden/?jaar=3000", "jaar"),
    ],
)
def test_getallen_buiten_het_bereik_zijn_een_nederlandse_400(lezer, regiostukken, adres, parameter):
    antwoord = lezer.get(adres)
    assert antwoord.status_code == 400
    assert parameter in antwoord.json()
