"""manage.py importeer_cbs: CBS StatLine's Veilig Thuis figures in, from OData v3 and v4 and
CSV, mapped through the CBS-koppelingen; all or nothing, a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from monitoring.models import CbsKoppeling
from regioaanpak.choices import RegioSoort
from regioaanpak.models import AuditRegel
from tests.factories import GemeenteFactory, RegioFactory, opgeslagen

pytestmark = pytest.mark.django_db
MAP = Path(__file__).parent / "cbs"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def cbs(cijferregios):
    """The areas of the samples (the country, VT24 with Dordrecht and Zwijndrecht) and the
    mapping of 84847NED."""
    RegioFactory(code="NL01", naam="Nederland", soort=RegioSoort.LAND, cbs_code="NL01")
    call_command("loaddata", str(FIXTURES / "cbs_koppelingen.yaml"), verbosity=0)


def _importeer(*args) -> str:
    uit = StringIO()
    call_command("importeer_cbs", *args, stdout=uit, stderr=StringIO())
    return uit.getvalue()


def _fout(*args) -> str:
    fouten = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("importeer_cbs", *args, stdout=StringIO(), stderr=fouten)
    return f"{exc.value}\n{fouten.getvalue()}"


def _cijfers() -> dict[tuple[str, str, str], tuple[Decimal | None, str]]:
    return {
        (w.indicator_id, w.gemeente_id or w.regio_id, w.periode_id): (w.waarde, w.status)
        for w in opgeslagen().filter(bron="CBS StatLine 84847NED")
    }


def test_odata_v3_met_opgevulde_sleutels_voorlopig_en_andere_indelingen(cbs):
    uit = _importeer("84847NED", "--bestand", str(MAP / "84847NED_v3.json"))
    cijfers = _cijfers()
    assert cijfers[("vt_meldingen", "NL01", "2023HJ01")] == (Decimal(64380), "definitief")
    assert cijfers[("vt_adviezen", "NL01", "2023HJ02")] == (Decimal(38010), "voorlopig")
    assert cijfers[("vt_meldingen", "VT24", "2023HJ01")] == (Decimal(2310), "definitief")
    assert cijfers[("vt_adviezen", "GM0505", "2023HJ01")] == (Decimal(560), "definitief")
    assert cijfers[("vt_onderzoeken", "GM0505", "2023HJ01")] == (Decimal(110), "definitief")
    # A null in the typed set is no figure. CBS's rates are read (they answer only where the
    # monitor cannot compute a rate itself, such as for the country).
    assert ("vt_onderzoeken", "GM0642", "2023HJ01") not in cijfers
    assert cijfers[("vt_meldingen_per_1000", "NL01", "2023HJ01")] == (Decimal("3.6"), "definitief")
    assert len(cijfers) == 24
    assert "84847NED (OData v3): 24 cijfers gelezen" in uit
    assert "Overgeslagen: 5 gebieden van een andere indeling (PV)" in uit
    assert "Overgeslagen: 1 lege cellen" in uit
    assert "Opgeslagen." in uit


def test_odata_v4_lange_vorm_met_vertrouwelijk_als_geheim(cbs):
    CbsKoppeling.objects.create(
        tabel="84847NED", meting="M001234", titel="Adviezen", indicator_id="vt_adviezen"
    )
    CbsKoppeling.objects.create(
        tabel="84847NED", meting="M001235", titel="Meldingen", indicator_id="vt_meldingen"
    )
    _importeer("84847NED", "--bestand", str(MAP / "84847NED_v4.json"))
    cijfers = _cijfers()
    assert cijfers[("vt_adviezen", "GM0505", "2023HJ01")] == (Decimal(560), "definitief")
    assert cijfers[("vt_adviezen", "GM0642", "2023HJ01")] == (None, "geheim")
    assert cijfers[("vt_meldingen", "GM0642", "2023HJ02")] == (Decimal(240), "voorlopig")
    assert cijfers[("vt_meldingen", "NL01", "2023HJ02")] == (Decimal(65120), "voorlopig")
    assert len(cijfers) == 5


def test_csv_met_punt_als_geheim_ster_als_voorlopig_en_maanden_overgeslagen(cbs):
    uit = _importeer("84847NED", "--bestand", str(MAP / "84847NED.csv"))
    cijfers = _cijfers()
    assert cijfers[("vt_adviezen", "GM0642", "2023HJ01")] == (None, "geheim")
    assert cijfers[("vt_meldingen", "GM0642", "2023HJ01")] == (Decimal(240), "definitief")
    assert cijfers[("vt_meldingen", "VT24", "2023HJ02")] == (Decimal(2390), "voorlopig")
    assert len(cijfers) == 6
    assert "Overgeslagen: 2 maandcijfers" in uit


def test_nogmaals_dezelfde_publicatie_verandert_niets(cbs):
    _importeer("84847NED", "--bestand", str(MAP / "84847NED_v3.json"))
    voor = _cijfers()
    audit = AuditRegel.objects.count()
    uit = _importeer("84847NED", "--bestand", str(MAP / "84847NED_v3.json"))
    assert "0 nieuw, 0 gewijzigd, 24 ongewijzigd" in uit
    assert _cijfers() == voor
    assert AuditRegel.objects.count() == audit


def test_nieuwere_publicatie_werkt_voorlopige_cijfers_bij_en_zegt_welke(cbs, tmp_path):
    _importeer("84847NED", "--bestand", str(MAP / "84847NED_v3.json"))
    data = json.loads((MAP / "84847NED_v3.json").read_text())
    data["TypedDataSet"][1]["Meldingen_2"] = 65200  # NL01 2023HJ02, now final
    data["Perioden"]["value"][1].update(Title="2023 2e halfjaar", Status="Definitief")
    nieuw = tmp_path / "84847NED_nieuw.json"
    nieuw.write_text(json.dumps(data))
    uit = _importeer("84847NED", "--bestand", str(nieuw))
    assert _cijfers()[("vt_meldingen", "NL01", "2023HJ02")] == (Decimal(65200), "definitief")
    assert _cijfers()[("vt_adviezen", "NL01", "2023HJ02")] == (Decimal(38010), "definitief")
    # The period's two counts and two rates became final, and one count changed too.
    assert "Bijgewerkt door een nieuwere CBS-publicatie (5):" in uit
    assert "NL01 2023HJ02 vt_meldingen: 65120 (voorlopig) -> 65200 (definitief)" in uit


def test_proefdraai_schrijft_niets(cbs):
    uit = _importeer("84847NED", "--bestand", str(MAP / "84847NED_v3.json"), "--dry-run")
    assert "24 nieuw" in uit and "Proefdraai" in uit
    assert _cijfers() == {}


def test_onbekend_onderwerp_wordt_genoemd_en_niets_opgeslagen(cbs):
    CbsKoppeling.objects.filter(meting="AfgeslotenOnderzoeken_3").delete()
    melding = _fout("84847NED", "--bestand", str(MAP / "84847NED_v3.json"))
    assert "onderwerp 'AfgeslotenOnderzoeken_3' (Afgesloten onderzoeken) van 84847NED" in melding
    assert "staat niet in de CBS-koppelingen" in melding
    assert _cijfers() == {}


def test_hernoemd_onderwerp_stopt_met_beide_titels(cbs):
    CbsKoppeling.objects.filter(meting="Meldingen_2").update(titel="Meldingen totaal")
    melding = _fout("84847NED", "--bestand", str(MAP / "84847NED_v3.json"))
    assert "heet bij CBS nu 'Meldingen', in de koppeling 'Meldingen totaal'" in melding
    assert _cijfers() == {}


def test_fusiegemeente_op_de_code_van_toen(cbs, tmp_path):
    # Molenwaard (GM1927) merged into Molenlanden (GM1978) on 2019-01-01.
    molenlanden = GemeenteFactory(cbs_code="GM1978", naam="Molenlanden")
    GemeenteFactory(
        cbs_code="GM1927",
        naam="Molenwaard",
        geldig_tot=dt.date(2018, 12, 31),
        opgevolgd_door=molenlanden,
    )
    bestand = tmp_path / "fusie.csv"
    bestand.write_text(
        "RegioS;Perioden;Meldingen_2\nGM1927  ;2018JJ00;130\nGM1927  ;2019JJ00;140\n"
    )
    melding = _fout("84847NED", "--bestand", str(bestand))
    assert "Regel 3" in melding and "Molenwaard (GM1927) bestond niet in 2019JJ00" in melding
    assert "gebruik Molenlanden (GM1978)" in melding
    assert _cijfers() == {}

    bestand.write_text("RegioS;Perioden;Meldingen_2\nGM1927  ;2018JJ00;130\n")
    _importeer("84847NED", "--bestand", str(bestand))
    assert _cijfers() == {("vt_meldingen", "GM1927", "2018JJ00"): (Decimal(130), "definitief")}


def test_onbekende_gemeente_en_onleesbare_waarde_noemen_de_regel(cbs, tmp_path):
    bestand = tmp_path / "fout.csv"
    bestand.write_text("RegioS;Perioden;Meldingen_2\nGM9999;2023HJ01;12\nGM0505;2023HJ01;veel\n")
    melding = _fout("84847NED", "--bestand", str(bestand))
    assert "'GM9999' is geen bekende gemeente" in melding
    assert "'veel' is geen getal" in melding
    assert _cijfers() == {}


@pytest.mark.parametrize(
    ("inhoud", "tekst"),
    [
        ("{}", "verwacht TypedDataSet of UntypedDataSet"),
        ("{niet json", "is geen geldige JSON"),
        ('{"TypedDataSet": []}', "DataProperties ontbreekt"),
    ],
)
def test_kapotte_bestanden_krijgen_een_nederlandse_melding(cbs, tmp_path, inhoud, tekst):
    bestand = tmp_path / "kapot.json"
    bestand.write_text(inhoud)
    assert tekst in _fout("84847NED", "--bestand", str(bestand))


def test_geen_koppelingen_voor_de_tabel(cbs):
    melding = _fout("84848NED", "--bestand", str(MAP / "84847NED_v3.json"))
    assert "Voor tabel 84848NED zijn geen CBS-koppelingen vastgelegd" in melding


def test_map_van_cbsodata_download_data(cbs, tmp_path):
    """cbsodata.download_data(tabel, dir=...) writes one JSON list per entity set."""
    data = json.loads((MAP / "84847NED_v3.json").read_text())
    for naam, inhoud in data.items():
        rijen = inhoud["value"] if isinstance(inhoud, dict) else inhoud
        (tmp_path / f"{naam}.json").write_text(json.dumps(rijen))
    _importeer("84847NED", "--bestand", str(tmp_path))
    assert len(_cijfers()) == 24
