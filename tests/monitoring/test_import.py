"""`manage.py importeer_waarnemingen`: all rows or none, Dutch messages naming line and column."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from monitoring.choices import WaarnemingStatus
from monitoring.models import Waarneming
from tests.factories import GemeenteFactory, RegioFactory, opgeslagen

pytestmark = pytest.mark.django_db


@pytest.fixture
def gelderland_zuid(indicatoren):
    RegioFactory(code="VT06", naam="Gelderland-Zuid")
    GemeenteFactory(cbs_code="GM0268", naam="Nijmegen")
    GemeenteFactory(cbs_code="GM0281", naam="Tiel")
    voorne = GemeenteFactory(
        cbs_code="GM1992", naam="Voorne aan Zee", geldig_van=dt.date(2023, 1, 1)
    )
    GemeenteFactory(
        cbs_code="GM0501", naam="Brielle", geldig_tot=dt.date(2022, 12, 31), opgevolgd_door=voorne
    )


def importeer(tmp_path, tekst: str, *args: str):
    pad = tmp_path / "waarnemingen.csv"
    pad.write_text(tekst, encoding="utf-8")
    uit, fout = StringIO(), StringIO()
    try:
        call_command("importeer_waarnemingen", str(pad), *args, stdout=uit, stderr=fout)
    except CommandError as exc:
        return None, fout.getvalue(), str(exc)
    return uit.getvalue(), fout.getvalue(), None


GOED = """indicator,gebied,periode,waarde,status
vt_meldingen,GM0268,2021KW01,412,definitief
vt_meldingen,GM0281,2021KW01,97,voorlopig
vt_adviezen,VT06,2020JJ00,6453,definitief
vt_meldingen_ouderenmishandeling,GM0268,2021KW01,.,geheim
"""


def test_goed_bestand_wordt_helemaal_opgeslagen(tmp_path, gelderland_zuid):
    uit, _, fout = importeer(tmp_path, GOED)
    assert fout is None
    assert "4 regels gelezen: 4 nieuw, 0 gewijzigd, 0 ongewijzigd" in uit
    assert Waarneming.objects.count() == 4
    nijmegen = opgeslagen().get(gemeente="GM0268", indicator="vt_meldingen")
    assert nijmegen.waarde == Decimal(412) and nijmegen.periode_id == "2021KW01"
    assert opgeslagen().get(regio="VT06").waarde == Decimal(6453)
    geheim = opgeslagen().get(indicator="vt_meldingen_ouderenmishandeling")
    assert geheim.status == WaarnemingStatus.GEHEIM and geheim.waarde is None


def test_nogmaals_importeren_verandert_niets_en_wijzigingen_worden_geteld(
    tmp_path, gelderland_zuid
):
    importeer(tmp_path, GOED)
    uit, _, _ = importeer(tmp_path, GOED)
    assert "0 nieuw, 0 gewijzigd, 4 ongewijzigd" in uit
    gewijzigd = GOED.replace("GM0281,2021KW01,97,voorlopig", "GM0281,2021KW01,98,definitief")
    uit, _, _ = importeer(tmp_path, gewijzigd)
    assert "0 nieuw, 1 gewijzigd, 3 ongewijzigd" in uit
    tiel = opgeslagen().get(gemeente="GM0281")
    assert (tiel.waarde, tiel.status) == (Decimal(98), WaarnemingStatus.DEFINITIEF)


def test_een_foute_regel_schrijft_niets_en_noemt_regel_en_kolom(tmp_path, gelderland_zuid):
    tekst = GOED.replace("GM0281,2021KW01,97", "GM0281,2021KW01,-97")
    uit, fouten, melding = importeer(tmp_path, tekst)
    assert uit is None
    assert "Er is niets opgeslagen: 1 fout" in melding
    assert "Regel 3, kolom 'waarde': -97 is negatief" in fouten
    assert Waarneming.objects.count() == 0


def test_alle_fouten_worden_tegelijk_gemeld(tmp_path, gelderland_zuid):
    tekst = """indicator,gebied,periode,waarde,status
vt_meldingen,GM0268,2021KW05,12,definitief
onbekend,GM0268,2021KW01,12,definitief
vt_meldingen,GM12,2021KW01,12,definitief
vt_meldingen,GM0268,2021KW01,twaalf,definitief
vt_meldingen,GM0268,2021KW02,12,misschien
vt_meldingen_per_1000,GM0268,2021KW01,2.5,definitief
vt_meldingen,GM0501,2023KW01,4,definitief
vt_meldingen,GM0268,2021KW03,12.5,definitief
vt_meldingen,GM0268,2021KW04,,definitief
vt_meldingen,VT99,2021KW01,12,definitief
"""
    _, fouten, melding = importeer(tmp_path, tekst)
    assert "10 fouten" in melding
    verwacht = [
        "Regel 2, kolom 'periode': '2021KW05' is geen geldige periodecode",
        "Regel 3, kolom 'indicator': 'onbekend' is geen bekende indicator",
        "Regel 4, kolom 'gebied': 'GM12' is geen geldige CBS-gemeentecode",
        "Regel 5, kolom 'waarde': 'twaalf' is geen getal",
        "Regel 6, kolom 'status': 'misschien' is geen bekende status",
        "Regel 7, kolom 'indicator': Meldingen per 1.000 inwoners wordt berekend",
        "Regel 8, kolom 'gebied': Brielle (GM0501) bestond niet in 2023KW01; "
        "gebruik Voorne aan Zee (GM1992).",
        "Regel 9, kolom 'waarde': 12,5 is geen geheel getal",
        "Regel 10, kolom 'waarde': de waarde ontbreekt",
        "Regel 11, kolom 'gebied': 'VT99' is geen bekende gemeente of regio",
    ]
    for tekst_fout in verwacht:
        assert tekst_fout in fouten
    assert Waarneming.objects.count() == 0


def test_dubbele_regel_wordt_geweigerd_met_verwijzing(tmp_path, gelderland_zuid):
    tekst = GOED + "vt_meldingen,GM0268,2021KW01,413,definitief\n"
    _, fouten, _ = importeer(tmp_path, tekst)
    assert (
        "Regel 6: dezelfde indicator, hetzelfde gebied en dezelfde periode staan al op regel 2"
        in (fouten)
    )
    assert Waarneming.objects.count() == 0


def test_proefdraai_schrijft_niets(tmp_path, gelderland_zuid):
    uit, _, _ = importeer(tmp_path, GOED, "--dry-run")
    assert "4 nieuw" in uit and "Proefdraai (--dry-run): er is niets opgeslagen." in uit
    assert Waarneming.objects.count() == 0


def test_excel_csv_met_puntkomma_en_decimale_komma(tmp_path, gelderland_zuid):
    tekst = (
        "\ufeffIndicator;Gebied;Periode;Waarde;Status\n"
        "vt_doorlooptijd_onderzoek;GM0268;2021KW01;62,5;\n"
    )
    _, _, fout = importeer(tmp_path, tekst)
    assert fout is None, fout
    waarneming = opgeslagen().get()
    assert waarneming.waarde == Decimal("62.5")
    assert waarneming.status == WaarnemingStatus.DEFINITIEF


def test_ontbrekende_kolom_wordt_genoemd(tmp_path, gelderland_zuid):
    _, fouten, melding = importeer(tmp_path, "indicator,gebied,waarde\nvt_meldingen,GM0268,3\n")
    assert "Regel 1: De kolom(men) 'periode' ontbreken" in fouten
    assert melding.startswith("Er is niets opgeslagen")


def test_percentage_boven_honderd_wordt_geweigerd(tmp_path, gelderland_zuid):
    from monitoring.models import Indicator

    Indicator.objects.create(
        code="aandeel_test", naam="Testaandeel", eenheid="percentage", bron="gemeente"
    )
    _, fouten, _ = importeer(
        tmp_path, "indicator,gebied,periode,waarde,status\naandeel_test,GM0268,2021KW01,104,\n"
    )
    assert "Regel 2, kolom 'waarde': 104 is meer dan 100 procent." in fouten


def test_onleesbaar_bestand(tmp_path, gelderland_zuid):
    pad = tmp_path / "latin1.csv"
    pad.write_bytes(
        "indicator,gebied,periode,waarde\nvt_meldingen,GM0268,2021KW01,3 \xe9\n".encode("latin-1")
    )
    with pytest.raises(CommandError):
        call_command("importeer_waarnemingen", str(pad), stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match=r"Kan .* niet lezen"):
        call_command("importeer_waarnemingen", str(tmp_path / "bestaat-niet.csv"))
