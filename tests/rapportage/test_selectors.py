"""The report snapshot: plain JSON with exact values, the dashboard's numbers, CBS notation."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from monitoring.choices import WaarnemingStatus
from monitoring.grafieken import cijfer_tekst
from monitoring.models import Indicator
from monitoring.selectors import cijfer
from monitoring.selectors.dashboard import regiodashboard
from rapportage.selectors import OngeldigRapport, rapportgegevens
from regioaanpak.inzage import Inzage
from tests.factories import opgeslagen

pytestmark = pytest.mark.django_db
INTERN = Inzage.intern("VT24")
CONCEPT = Inzage.intern("VT24", met_ingediend=True)


def test_momentopname_is_gewone_json_met_exacte_waarden(zuid_holland_zuid):
    gegevens = rapportgegevens(zuid_holland_zuid, "2022KW03", "kwartaal", inzage=INTERN)

    assert json.loads(json.dumps(gegevens)) == gegevens
    assert gegevens["regio"] == {
        "code": "VT24",
        "naam": "Zuid-Holland Zuid",
        "centrumgemeente": "Dordrecht",
    }
    assert gegevens["periode"]["label"] == "3e kwartaal 2022"
    meldingen = gegevens["kerncijfers"][0]
    assert isinstance(meldingen["aantal"]["waarde"], str)  # exact, never a float
    assert Decimal(meldingen["aantal"]["waarde"]) == 416
    per_1000 = meldingen["per_1000"]
    assert isinstance(per_1000["waarde"], str)
    assert (
        Decimal(per_1000["waarde"])
        == cijfer("vt_meldingen_per_1000", "VT24", "2022KW03", inzage=INTERN).waarde
    )


def test_kerncijfers_en_normen_zijn_die_van_het_dashboard(zuid_holland_zuid):
    gegevens = rapportgegevens(zuid_holland_zuid, "2022KW03", "kwartaal", inzage=INTERN)
    dash = regiodashboard(zuid_holland_zuid, "2022KW03", inzage=INTERN)

    for kern, snap in zip(dash.kerncijfers, gegevens["kerncijfers"], strict=True):
        assert snap["aantal"]["tekst"] == cijfer_tekst(kern.aantal, kern.indicator)
        assert snap["vorige"]["aantal"]["tekst"] == cijfer_tekst(kern.vorige.eerder, kern.indicator)
        assert snap["vorige"]["periode"] == "2e kwartaal 2022"
        assert snap["jaar_eerder"]["periode"] == "3e kwartaal 2021"
    assert [n["cijfer"]["tekst"] for n in gegevens["normen"]] == [
        cijfer_tekst(n.cijfer, n.indicator) for n in dash.normen
    ]
    assert all(n["oordeel"] for n in gegevens["normen"])


def test_gemeenten_met_aantallen_en_per_1000(zuid_holland_zuid):
    gegevens = rapportgegevens(zuid_holland_zuid, "2022KW03", "kwartaal", inzage=INTERN)

    rijen = {r["naam"]: r for r in gegevens["gemeenten"]["rijen"]}
    assert rijen["Dordrecht"]["meldingen"]["tekst"] == "318"
    assert rijen["Papendrecht"]["meldingen"]["tekst"] == "98"
    assert gegevens["gemeenten"]["regio"]["meldingen"]["tekst"] == "416"


def test_geheim_is_punt_en_ontbrekend_is_geen_gegevens(zuid_holland_zuid):
    opgeslagen().filter(
        indicator_id="vt_meldingen", gemeente_id="GM0590", periode_id="2022KW03"
    ).update(waarde=None, status=WaarnemingStatus.GEHEIM)
    opgeslagen().filter(
        indicator_id="vt_adviezen", gemeente_id="GM0505", periode_id="2022KW03"
    ).delete()

    gegevens = rapportgegevens(zuid_holland_zuid, "2022KW03", "kwartaal", inzage=INTERN)

    rijen = {r["naam"]: r for r in gegevens["gemeenten"]["rijen"]}
    assert rijen["Papendrecht"]["meldingen"] == {
        "waarde": None,
        "status": WaarnemingStatus.GEHEIM,
        "tekst": ".",
        "met_eenheid": ".",
        "voorlopig": False,
        "geheim": True,
        "geheimhouding": None,
    }
    assert rijen["Dordrecht"]["adviezen"]["tekst"] == "geen gegevens"
    assert rijen["Dordrecht"]["adviezen"]["waarde"] is None  # never 0
    # A secret part makes the region secret; a missing part makes it missing.
    assert gegevens["kerncijfers"][0]["aantal"]["tekst"] == "."
    assert gegevens["kerncijfers"][1]["aantal"]["tekst"] == "geen gegevens"


def test_voorlopige_cijfers_krijgen_een_ster_en_staan_in_het_colofon(zuid_holland_zuid):
    opgeslagen().filter(
        indicator_id="vt_meldingen", gemeente_id="GM0505", periode_id="2022KW03"
    ).update(status=WaarnemingStatus.VOORLOPIG)

    gegevens = rapportgegevens(zuid_holland_zuid, "2022KW03", "kwartaal", inzage=INTERN)

    assert gegevens["kerncijfers"][0]["aantal"]["tekst"] == "416*"
    assert any("Dordrecht" in naam for naam in gegevens["voorlopig"])


def test_projecten_per_actielijn_en_aandacht(zuid_holland_zuid):
    goedgekeurd = rapportgegevens(zuid_holland_zuid, "2022KW03", "kwartaal", inzage=INTERN)
    concept = rapportgegevens(zuid_holland_zuid, "2022KW03", "kwartaal", inzage=CONCEPT)

    lijn = goedgekeurd["actielijnen"][0]
    assert lijn["titel"] == "Eerder en beter in beeld"
    hwc = next(p for p in lijn["projecten"] if p["titel"] == "Handle with Care")
    assert hwc["status_label"] == "aandacht nodig"
    assert hwc["toelichting"] == "Scholen in Papendrecht doen nog niet mee."
    assert [p["titel"] for p in goedgekeurd["aandacht"]] == ["Handle with Care"]
    assert not goedgekeurd["bevat_concept"]
    # The submitted update of 'Aanpak ouderenmishandeling' only shows in the concept, marked.
    ouderen = next(p for p in concept["actielijnen"][0]["projecten"] if "ouderen" in p["titel"])
    assert ouderen["concept"] and ouderen["status_label"] == "achter op schema"
    assert concept["bevat_concept"]


def test_begroting_per_financieringsbron(zuid_holland_zuid):
    gegevens = rapportgegevens(zuid_holland_zuid, "2022KW03", "kwartaal", inzage=INTERN)

    regels = {r["bron"]: r for r in gegevens["begroting"]["regels"]}
    du_vo = regels["Decentralisatie-uitkering Vrouwenopvang (DU VO)"]
    assert du_vo["begroot"]["tekst"] == "€\u00a0180.000"
    assert du_vo["uitgegeven"]["tekst"] == "€\u00a020.000"
    assert regels["landelijke projectenpool GHNT"]["begroot"]["tekst"] == "onbekend"


def test_halfjaar_toont_vier_halfjaren_met_streefwaarde(zuid_holland_zuid):
    gegevens = rapportgegevens(zuid_holland_zuid, "2022HJ02", "halfjaar", inzage=CONCEPT)

    reeks = next(r for r in gegevens["trend"] if r["indicator"]["code"] == "vt_meldingen_per_1000")
    assert [p["periode"] for p in reeks["punten"]] == [
        "2021HJ01",
        "2021HJ02",
        "2022HJ01",
        "2022HJ02",
    ]
    assert [p["streefwaarde"]["tekst"] if p["streefwaarde"] else None for p in reeks["punten"]] == [
        None,
        None,
        "2,50",
        "2,50",
    ]
    # 2022KW04 is only submitted: the concept says so.
    assert "2022KW04" in gegevens["ingediend"]


def test_periode_moet_bij_de_soort_passen(zuid_holland_zuid):
    with pytest.raises(OngeldigRapport, match="halfjaar"):
        rapportgegevens(zuid_holland_zuid, "2022KW03", "halfjaar", inzage=INTERN)
    assert Indicator.objects.exists()
