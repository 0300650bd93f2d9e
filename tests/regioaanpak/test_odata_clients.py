"""Two OData clients from PyPI against a live test server: cbsodata (the analyst's StatLine
client) and python-odata (an independent OData v4 client that reads $metadata). Both must read
the same numbers as the REST API gives the same viewer."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

import cbsodata
import pytest
import requests
from odata import ODataService

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def token(cijferregios, api_token):
    """A partner's token: the values it reads are rounded and suppressed."""
    return api_token(cijferregios["partner"], ["VT24"])


@pytest.fixture
def rest(token, live_server):
    """The REST API's stored figures for this viewer: {(indicator, gebied, periode): waarde}."""
    antwoord = requests.get(
        f"{live_server.url}/api/v1/waarnemingen/?page_size=1000",
        headers={"Authorization": f"Token {token}"},
        timeout=10,
    )
    antwoord.raise_for_status()
    return {
        (r["indicator"], r["gebied"], r["periode"]): r["waarde"] for r in antwoord.json()["results"]
    }


@pytest.fixture
def catalogus(live_server, token, monkeypatch):
    monkeypatch.setattr(cbsodata.options, "use_https", False)
    return f"{urlsplit(live_server.url).netloc}/odata/statline/{token}"


def test_cbsodata_leest_een_regio_als_statline_tabel(catalogus, rest):
    tabellen = cbsodata.get_table_list(catalog_url=catalogus)
    assert [t["Identifier"] for t in tabellen] == ["VT24"]
    # cbsodata 1.3 asks TypedDataSet when typed=False (its flag is inverted).
    data = cbsodata.download_data("VT24", typed=False, catalog_url=catalogus)
    assert {"TypedDataSet", "DataProperties", "RegioS", "Perioden", "TableInfos"} <= set(data)
    onderwerpen = {p["Key"] for p in data["DataProperties"] if p["Type"] == "Topic"}
    assert {"vt_meldingen", "vt_adviezen"} <= onderwerpen
    gelezen = {}
    for rij in data["TypedDataSet"]:
        for onderwerp in onderwerpen:
            if (onderwerp, rij["RegioS"], rij["Perioden"]) in rest:
                gelezen[(onderwerp, rij["RegioS"], rij["Perioden"])] = rij[onderwerp]
    assert gelezen == rest
    assert gelezen[("vt_meldingen", "GM0505", "2021KW01")] == 410  # 412, rounded for a partner
    assert gelezen[("vt_meldingen_eergerelateerd", "GM0505", "2021KW01")] is None  # 7


def test_cbsodata_met_filter_en_selectie(catalogus, rest):
    rijen = cbsodata.get_data(
        "VT24",
        catalog_url=catalogus,
        filters="RegioS eq 'GM0642' and substringof('KW02', Perioden)",
        select=["RegioS", "Perioden", "vt_meldingen"],
    )
    # get_data replaces keys by titles (Zwijndrecht, "2e kwartaal 2021").
    assert rijen == [
        {"RegioS": "Zwijndrecht", "Perioden": "2e kwartaal 2021", "vt_meldingen": 120.0}
    ]
    assert rest[("vt_meldingen", "GM0642", "2021KW02")] == 120  # 121


def test_python_odata_leest_metadata_bladert_en_filtert(live_server, token, rest, monkeypatch):
    from regioaanpak.odata.sets import SETS

    monkeypatch.setattr(SETS["Waarnemingen"], "pagina", 3)  # more than one page
    sessie = requests.Session()
    sessie.headers["Authorization"] = f"Token {token}"
    dienst = ODataService(f"{live_server.url}/odata/", session=sessie, reflect_entities=True)
    assert {"Waarnemingen", "Indicatoren", "Gemeenten", "Regios", "Perioden"} <= set(
        dienst.entities
    )
    Waarneming = dienst.entities["Waarnemingen"]
    alle = list(dienst.query(Waarneming))
    assert len(alle) == len({w.Id for w in alle}) == len(rest)
    assert {(w.Indicator, w.Gebied, w.Periode): _getal(w.Waarde) for w in alle} == rest
    gefilterd = (
        dienst.query(Waarneming)
        .filter(Waarneming.Indicator == "vt_meldingen")
        .filter(Waarneming.Gebied == "GM0505")
        .all()
    )
    assert sorted((w.Periode, _getal(w.Waarde)) for w in gefilterd) == [
        ("2021KW01", 410),
        ("2021KW02", 400),
    ]


def _getal(waarde):
    if waarde is None:
        return None
    waarde = Decimal(str(waarde))
    return int(waarde) if waarde == waarde.to_integral_value() else float(waarde)
