"""The OData feed (/odata/): $metadata, paging, filters, refusals, the viewer policy and the
token in the ways Excel, Power BI and cbsodata send it."""

from __future__ import annotations

import base64
import logging
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring.models import Waarneming
from regioaanpak.choices import RolSoort
from regioaanpak.models import ApiToken
from regioaanpak.odata.sets import SETS
from tests.factories import GebruikerFactory, RolFactory

pytestmark = pytest.mark.django_db
EDMX = "{http://docs.oasis-open.org/odata/ns/edmx}"
EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
PRIMITIEF = {
    "Edm.String",
    "Edm.Int32",
    "Edm.Int64",
    "Edm.Decimal",
    "Edm.Date",
    "Edm.DateTimeOffset",
}


@pytest.fixture
def intern(cijferregios, api_token, api):
    return api(api_token(cijferregios["beleid"], ["VT24"]))


@pytest.fixture
def partner(cijferregios, api_token, api):
    return api(api_token(cijferregios["partner"], ["VT24"]))


def _alles(client, adres: str) -> list[dict]:
    """Every row of a set, following the next links."""
    rijen = []
    while adres:
        antwoord = client.get(adres)
        assert antwoord.status_code == 200, antwoord.content
        assert antwoord["OData-Version"] == "4.0"
        data = _json(antwoord)
        rijen += data["value"]
        volgende = data.get("@odata.nextLink")
        adres = None if volgende is None else _pad(volgende)
    return rijen


def _json(antwoord) -> dict:
    import json

    inhoud = b"".join(antwoord.streaming_content) if antwoord.streaming else antwoord.content
    return json.loads(inhoud)


def _pad(url: str) -> str:
    delen = urlsplit(url)
    return f"{delen.path}?{delen.query}" if delen.query else delen.path


def _rest(client, query: str = "") -> dict:
    antwoord = client.get(f"/api/v1/waarnemingen/?page_size=1000&{query}")
    assert antwoord.status_code == 200
    return {r["id"]: r for r in antwoord.json()["results"]}


# -- $metadata ----------------------------------------------------------------------------------
def test_metadata_is_een_csdl_document_met_elke_set(intern):
    antwoord = intern.get("/odata/$metadata", HTTP_ACCEPT="application/xml")
    assert antwoord.status_code == 200
    assert antwoord["Content-Type"].startswith("application/xml")
    wortel = ET.fromstring(antwoord.content)
    assert wortel.tag == f"{EDMX}Edmx" and wortel.get("Version") == "4.0"
    schema = wortel.find(f"{EDMX}DataServices/{EDM}Schema")
    namespace = schema.get("Namespace")
    typen = {t.get("Name"): t for t in schema.findall(f"{EDM}EntityType")}
    sets = schema.findall(f"{EDM}EntityContainer/{EDM}EntitySet")
    assert [s.get("Name") for s in sets] == list(SETS)
    for s in sets:
        type_ = typen[s.get("EntityType").removeprefix(f"{namespace}.")]
        eigenschappen = {p.get("Name"): p for p in type_.findall(f"{EDM}Property")}
        for ref in type_.findall(f"{EDM}Key/{EDM}PropertyRef"):
            assert eigenschappen[ref.get("Name")].get("Nullable") == "false"
        assert {p.get("Type") for p in eigenschappen.values()} <= PRIMITIEF


def test_dienstdocument_noemt_de_sets_met_hun_adres(intern):
    data = _json(intern.get("/odata/"))
    assert data["@odata.context"].endswith("/odata/$metadata")
    assert [s["url"] for s in data["value"]] == list(SETS)


# -- paging, filters, the same numbers as the REST API ------------------------------------------
@pytest.mark.parametrize("volgorde", ["", "&$orderby=Periode desc,Gebied"])
def test_bladeren_bezoekt_elke_rij_precies_eens(intern, monkeypatch, volgorde):
    monkeypatch.setattr(SETS["Waarnemingen"], "pagina", 2)
    rijen = _alles(intern, f"/odata/Waarnemingen?$count=true{volgorde}")
    ids = [r["Id"] for r in rijen]
    binnen_bereik = (
        Waarneming.objects.ongefilterd("test").exclude(gemeente_id="GM0268").count()
    )  # VT24's own
    assert len(ids) == len(set(ids)) == binnen_bereik == 8
    assert set(ids) == set(_rest(intern))
    if volgorde:
        assert [r["Periode"] for r in rijen] == sorted((r["Periode"] for r in rijen), reverse=True)


def test_top_en_skip_met_kleinere_paginas(intern, monkeypatch):
    monkeypatch.setattr(SETS["Waarnemingen"], "pagina", 2)
    alle = [r["Id"] for r in _alles(intern, "/odata/Waarnemingen")]
    deel = [r["Id"] for r in _alles(intern, "/odata/Waarnemingen?$skip=2&$top=5")]
    assert deel == alle[2:7]


def test_telling_en_count_adres(intern):
    data = _json(intern.get("/odata/Waarnemingen?$count=true&$top=1"))
    assert data["@odata.count"] == 8  # VT24's figures; Nijmegen (VT06) is outside the token
    assert len(data["value"]) == 1
    antwoord = intern.get("/odata/Waarnemingen/$count?$filter=Gebied eq 'GM0642'")
    assert antwoord.content == b"2"


@pytest.mark.parametrize(
    ("filter_", "verwacht"),
    [
        (
            "Indicator eq 'vt_meldingen'",
            {
                ("GM0505", "2021KW01"),
                ("GM0505", "2021KW02"),
                ("GM0642", "2021KW01"),
                ("GM0642", "2021KW02"),
            },
        ),
        ("Gebied in ('GM0642','GM0268') and Periode eq '2021KW02'", {("GM0642", "2021KW02")}),
        ("startswith(Periode,'2021KW02') and not (Gebied eq 'GM0642')", {("GM0505", "2021KW02")}),
        ("contains(Indicator,'eergerelateerd')", {("GM0505", "2021KW01")}),
    ],
)
def test_filteren_op_indicator_gebied_en_periode(intern, filter_, verwacht):
    rijen = _alles(intern, f"/odata/Waarnemingen?$filter={filter_}")
    assert {(r["Gebied"], r["Periode"]) for r in rijen} == verwacht


def test_select_geeft_alleen_de_gevraagde_eigenschappen(intern):
    data = _json(intern.get("/odata/Waarnemingen?$select=Gebied,Waarde&$top=1"))
    assert data["@odata.context"].endswith("#Waarnemingen(Gebied,Waarde)")
    assert list(data["value"][0]) == ["Gebied", "Waarde"]


def test_een_rij_op_sleutel_en_referentiegegevens(intern):
    id_ = (
        Waarneming.objects.ongefilterd("test")
        .get(gemeente_id="GM0505", indicator_id="vt_meldingen", periode_id="2021KW01")
        .pk
    )
    data = _json(intern.get(f"/odata/Waarnemingen({id_})"))
    assert data["Waarde"] == 412 and data["Gebied"] == "GM0505"
    indicator = _json(intern.get("/odata/Indicatoren('vt_meldingen')"))
    assert indicator["Code"] == "vt_meldingen" and indicator["Naam"]
    assert intern.get("/odata/Waarnemingen(999999)").status_code == 404
    gemeenten = _alles(intern, "/odata/Gemeenten?$filter=Naam eq 'Dordrecht'")
    assert [g["Code"] for g in gemeenten] == ["GM0505"]
    assert _alles(intern, "/odata/Perioden?$filter=Code eq '2021KW01'")[0]["Begindatum"] == (
        "2021-01-01"
    )


# -- the viewer policy ----------------------------------------------------------------------------
def test_partner_krijgt_beschermde_waarden_zoals_in_de_rest_api(partner):
    rijen = {
        (r["Indicator"], r["Gebied"], r["Periode"]): r
        for r in _alles(partner, "/odata/Waarnemingen")
    }
    assert rijen[("vt_meldingen", "GM0505", "2021KW01")]["Waarde"] == 410  # 412
    zeven = rijen[("vt_meldingen_eergerelateerd", "GM0505", "2021KW01")]
    assert zeven["Waarde"] is None and zeven["Status"] == "geheim"
    assert zeven["Geheimhouding"] == "onderdrukt"
    rest = _rest(partner)
    for rij in rijen.values():
        assert rij["Waarde"] == rest[rij["Id"]]["waarde"]
        assert rij["Status"] == rest[rij["Id"]]["status"]


@pytest.mark.parametrize(
    "optie", ["$filter=Waarde lt 10", "$orderby=Waarde", "$filter=Status eq 'geheim'"]
)
def test_partner_kan_niet_filteren_of_sorteren_op_beschermde_waarden(partner, intern, optie):
    antwoord = partner.get(f"/odata/Waarnemingen?{optie}")
    assert antwoord.status_code == 403
    assert "onafgerond" in _json(antwoord)["error"]["message"]
    assert intern.get(f"/odata/Waarnemingen?{optie}").status_code == 200


def test_intern_filtert_op_ruwe_waarde(intern):
    rijen = _alles(intern, "/odata/Waarnemingen?$filter=Waarde lt 10")
    assert [r["Waarde"] for r in rijen] == [7]


def test_token_van_een_andere_regio_krijgt_niets_van_deze(cijferregios, api_token, api):
    nijmegen = GebruikerFactory(username="gz-beleid")
    RolFactory(gebruiker=nijmegen, regio_id="VT06", rol=RolSoort.BELEIDSMEDEWERKER)
    client = api(api_token(nijmegen, ["VT06"]))
    rijen = _alles(client, "/odata/Waarnemingen")
    assert {r["Gebied"] for r in rijen} == {"GM0268"}
    assert _alles(client, "/odata/Waarnemingen?$filter=Gebied eq 'GM0505'") == []
    assert client.get("/odata/statline/ODataFeed/odata/VT24/TypedDataSet").status_code == 404


def test_aantal_queries_hangt_niet_af_van_de_paginagrootte(partner):
    partner.get("/odata/Waarnemingen?$top=1")  # records the token's use (once a minute)
    aantallen = []
    for top in (2, 8):
        with CaptureQueriesContext(connection) as queries:
            assert len(_json(partner.get(f"/odata/Waarnemingen?$top={top}"))["value"]) == top
        aantallen.append(len(queries))
    assert aantallen[0] == aantallen[1]


# -- refusals -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("adres", "status", "woord"),
    [
        ("/odata/Waarnemingen?$expand=Indicator", 501, "$expand"),
        ("/odata/Waarnemingen?$search=meldingen", 501, "$search"),
        ("/odata/Waarnemingen?$format=xml", 406, "JSON"),
        ("/odata/Waarnemingen?$bestaatniet=1", 400, "$bestaatniet"),
        ("/odata/Waarnemingen?$top=-1", 400, "$top"),
        ("/odata/Waarnemingen?$top=abc", 400, "$top"),
        ("/odata/Waarnemingen?$count=misschien", 400, "$count"),
        ("/odata/Waarnemingen?$filter=Gebied eq", 400, "geen geldige"),
        ("/odata/Waarnemingen?$filter=Onbekend eq 'x'", 400, "Onbekend"),
        ("/odata/Waarnemingen?$filter=length(Bron) gt 3", 400, "length"),
        ("/odata/Waarnemingen?$filter=Id add 1 eq 2", 400, "eq, ne"),
        ("/odata/Waarnemingen?$filter=Id eq 'tekst'", 400, "geheel getal"),
        ("/odata/Waarnemingen?$filter=Geheimhouding eq 'x'", 400, "Geheimhouding"),
        ("/odata/Waarnemingen?$filter=Gebied eq 'a'&$filter=Gebied eq 'b'", 400, "meer dan eens"),
        ("/odata/Waarnemingen?$orderby=Gebied sideways", 400, "$orderby"),
        ("/odata/Waarnemingen?$select=Geheim", 400, "Geheim"),
        ("/odata/Waarnemingen?$skiptoken=abc", 400, "geheel getal"),
        ("/odata/Bestaatniet", 404, "Waarnemingen"),
    ],
)
def test_niet_ondersteund_wordt_in_het_nederlands_geweigerd(intern, adres, status, woord):
    antwoord = intern.get(adres)
    assert antwoord.status_code == status, antwoord.content
    fout = _json(antwoord)["error"]
    assert woord in fout["message"] and fout["code"]


def test_vijandige_filters_worden_voor_het_werk_geweigerd(intern):
    diep = "(" * 500 + "Id eq 1" + ")" * 500
    assert "te diep" in _json(intern.get(f"/odata/Waarnemingen?$filter={diep}"))["error"]["message"]
    lang = " or ".join(["Id eq 1"] * 400)
    assert (
        "tekens lang"
        in _json(intern.get(f"/odata/Waarnemingen?$filter={lang}"))["error"]["message"]
    )
    assert intern.get("/odata/Waarnemingen?$filter=Bron eq '%00'").status_code == 400
    lijst = ",".join(["1"] * 1200)
    assert intern.get(f"/odata/Waarnemingen?$filter=Id in ({lijst})").status_code == 400


def test_alleen_lezen(intern):
    assert intern.post("/odata/Waarnemingen", {}, format="json").status_code == 405


# -- the token, as each tool sends it -------------------------------------------------------------
def test_zonder_token_401_met_basic_uitnodiging(cijferregios, api):
    antwoord = api().get("/odata/Waarnemingen")
    assert antwoord.status_code == 401
    assert antwoord["WWW-Authenticate"].startswith("Basic")
    assert "API-token" in _json(antwoord)["error"]["message"]


def test_token_als_basic_wachtwoord_als_sleutel_en_in_het_pad(cijferregios, api_token, api):
    token = api_token(cijferregios["beleid"], ["VT24"])
    basic = base64.b64encode(f"excel:{token}".encode()).decode()
    client = api()
    assert client.get("/odata/Waarnemingen", HTTP_AUTHORIZATION=f"Basic {basic}").status_code == 200
    assert client.get(f"/odata/Waarnemingen?sleutel={token}").status_code == 200
    tabel = client.get(f"/odata/statline/{token}/ODataFeed/odata/VT24/TypedDataSet")
    assert tabel.status_code == 200
    fout = base64.b64encode(b"excel:verkeerd").decode()
    antwoord = client.get("/odata/Waarnemingen", HTTP_AUTHORIZATION=f"Basic {fout}")
    assert antwoord.status_code == 401 and "Onbekend" in _json(antwoord)["error"]["message"]


def test_ingetrokken_token_geweigerd_met_de_datum(cijferregios, api_token, api):
    token = api_token(cijferregios["beleid"], ["VT24"])
    ApiToken.objects.update(ingetrokken_op=timezone.now())
    antwoord = api().get(f"/odata/Waarnemingen?sleutel={token}")
    assert antwoord.status_code == 401 and "ingetrokken" in _json(antwoord)["error"]["message"]


def test_sleutel_in_het_pad_komt_niet_in_het_log(cijferregios, api_token, api, caplog):
    token = api_token(cijferregios["beleid"], ["VT24"])
    with caplog.at_level(logging.INFO):
        api().get(f"/odata/statline/{token}/ODataFeed/odata/VT99/TypedDataSet")  # 404
        api().get(f"/odata/Waarnemingen?sleutel={token}")
    assert caplog.records
    assert not [r for r in caplog.records if token in r.getMessage()]


# -- found in a hostile review ------------------------------------------------------------------
@pytest.mark.parametrize(
    "adres",
    [
        "/odata/Perioden?$filter=Jaar eq 1e300000",  # as an int this took the worker minutes
        "/odata/Waarnemingen?$filter=Id eq 1e999999999",
        "/odata/Waarnemingen?$filter=Id eq 17488.9",  # no silent rounding of an id
        "/odata/Waarnemingen?$filter=Waarde gt 1e400",
        "/odata/Waarnemingen?$top=%C2%B2",  # '²' passes str.isdigit() but not int()
        "/odata/Waarnemingen?$skiptoken=%C2%B2",
        "/odata/Waarnemingen(%C2%B2)",
        "/odata/Waarnemingen?$filter=GewijzigdOp gt 2024-02-30T00:00:00Z",
        "/odata/Waarnemingen?$filter=GewijzigdOp gt 9999-12-31T23:00:00-14:00",
        "/odata/Perioden?$filter=Begindatum eq 2024-02-30",
    ],
)
def test_onmogelijke_getallen_en_datums_zijn_een_nette_400(intern, adres):
    antwoord = intern.get(adres)
    assert antwoord.status_code == 400, antwoord.content
    assert _json(antwoord)["error"]["message"]


def test_haakjes_in_een_tekst_tellen_niet_als_nesting(intern):
    tekst = "(" * 60
    assert intern.get(f"/odata/Waarnemingen?$filter=Bron eq '{tekst}'").status_code == 200


def test_sleutel_van_een_entiteit_is_geen_token(cijferregios, api_token, api, client):
    token = api_token(cijferregios["beleid"], ["VT24"])
    assert api().get(f"/odata/Indicatoren('{token}')").status_code == 401
    client.force_login(cijferregios["beleid"])  # a browser session reads one entity too
    assert client.get("/odata/Indicatoren('vt_meldingen')").status_code == 200


def test_volgende_link_draagt_de_sleutel_niet(cijferregios, api_token, api, monkeypatch):
    monkeypatch.setattr(SETS["Waarnemingen"], "pagina", 2)
    token = api_token(cijferregios["beleid"], ["VT24"])
    data = _json(api().get(f"/odata/Waarnemingen?sleutel={token}"))
    assert data["@odata.nextLink"] and token not in data["@odata.nextLink"]
    assert "sleutel" not in data["@odata.nextLink"]


def test_sleutel_in_een_onbekend_pad_komt_niet_in_het_log(cijferregios, api_token, api, caplog):
    from regioaanpak.logboek import sentry_zonder_persoon

    token = api_token(cijferregios["beleid"], ["VT24"])
    with caplog.at_level(logging.INFO):
        api().get(f"/odata/statline/{token}/ODataFeed/odata/VT24/Typed_DataSet")  # no route
        api().get(f"/odata/statline/{token}/ODataFeed/odata/VT24/$metadata")
    assert caplog.records
    assert not [r for r in caplog.records if token in r.getMessage()]
    melding = sentry_zonder_persoon(
        {
            "request": {
                "url": f"http://h/odata/statline/{token}/x?sleutel={token}",
                "query_string": f"sleutel={token}",
            }
        },
        {},
    )
    assert token not in str(melding)


def test_statline_tabel_wordt_eens_gebouwd_en_volgt_de_gegevens(intern, monkeypatch):
    from monitoring.services import waarnemingen_importeer
    from regioaanpak.odata import statline

    monkeypatch.setattr(statline, "PAGINA", 2)
    adres = "/odata/statline/ODataFeed/odata/VT24/TypedDataSet"
    eerste = _json(intern.get(adres))
    assert len(eerste["value"]) == 2 and eerste["odata.nextLink"]
    with CaptureQueriesContext(connection) as queries:
        tweede = _json(intern.get(_pad(eerste["odata.nextLink"])))
    assert tweede["value"] and tweede["value"][0]["ID"] == 2
    assert not [q for q in queries.captured_queries if "monitoring_waarneming" in q["sql"]]
    # A new approved quarter changes the data stamp: the next read shows it.
    from django.utils import timezone

    from monitoring.models import Gegevenslevering
    from regioaanpak.choices import WorkflowStatus
    from tests.factories import periode

    resultaat = waarnemingen_importeer(
        rijen=[
            {
                "indicator": "vt_adviezen",
                "gebied": "GM0642",
                "periode": "2021KW03",
                "waarde": "333",
                "__regel__": "1",
            }
        ]
    )
    assert resultaat.opgeslagen, resultaat.fouten
    Gegevenslevering.objects.create(
        regio_id="VT24",
        periode=periode("2021KW03"),
        workflow_status=WorkflowStatus.GOEDGEKEURD,
        beoordeeld_op=timezone.now(),
    )
    rijen = []
    volgende = adres
    while volgende:
        pagina = _json(intern.get(volgende))
        rijen += pagina["value"]
        volgende = pagina.get("odata.nextLink") and _pad(pagina["odata.nextLink"])
    zwijndrecht = next(r for r in rijen if (r["RegioS"], r["Perioden"]) == ("GM0642", "2021KW03"))
    assert zwijndrecht["vt_adviezen"] == 333
