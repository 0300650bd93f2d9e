"""One set of input rules for the four channels (the grid, the upload on the grid page, the
command importeer_waarnemingen and the API import): the same number is accepted or refused with
the same Dutch message everywhere."""

from __future__ import annotations

import html
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from monitoring.models import Waarneming
from tests.monitoring.conftest import cel_melding, grid_post, grid_url

pytestmark = pytest.mark.django_db

KW = "2021KW01"
IMPORT = "/api/v1/waarnemingen/import/"


@pytest.fixture
def kanalen(gz, projectleider, client, api, api_token, tmp_path):
    client.force_login(projectleider)
    schrijver = api(api_token(projectleider, ["VT06"], scope="schrijven"))

    def grid(indicator, waarde):
        antwoord = client.post(grid_url("VT06", KW), grid_post({("GM0268", indicator): waarde}))
        if antwoord.status_code == 302:
            return ""
        return cel_melding(antwoord.content.decode(), "GM0268", indicator)

    def regel(indicator, waarde):
        return f"indicator;gebied;periode;waarde\n{indicator};GM0268;{KW};{waarde}\n".encode()

    def upload(indicator, waarde):
        antwoord = client.post(
            grid_url("VT06", KW, "gegevens_upload"),
            {"bestand": SimpleUploadedFile("c.csv", regel(indicator, waarde))},
        )
        return "" if antwoord.status_code == 200 else html.unescape(antwoord.content.decode())

    def commando(indicator, waarde):
        pad = tmp_path / "c.csv"
        pad.write_bytes(regel(indicator, waarde))
        fouten = io.StringIO()
        try:
            call_command(
                "importeer_waarnemingen", str(pad), "--dry-run", stdout=io.StringIO(), stderr=fouten
            )
        except CommandError:
            return fouten.getvalue()
        return ""

    def api_tekst(indicator, waarde):
        rij = {"indicator": indicator, "gebied": "GM0268", "periode": KW, "waarde": waarde}
        antwoord = schrijver.post(f"{IMPORT}?dry_run=true", [rij], format="json")
        fouten = antwoord.json()["fouten"]
        return " ".join(f["reden"] for f in fouten)

    return {"grid": grid, "upload": upload, "commando": commando, "api": api_tekst}


KANALEN = ["grid", "upload", "commando", "api"]


@pytest.mark.parametrize("kanaal", KANALEN)
@pytest.mark.parametrize(
    ("waarde", "melding"),
    [
        ("1.234", "'1.234' is dubbelzinnig: schrijf 1234 (zonder punt) voor een heel getal"),
        ("1,234.50", "'1,234.50' is in Engelse schrijfwijze; schrijf 1234,50"),
        ("-5", "negatief"),
        ("12,5", "12,5 is geen geheel getal"),
        ("1E+999999999", "'1E+999999999' is geen getal."),
    ],
)
def test_dezelfde_fout_op_elk_kanaal(kanalen, kanaal, waarde, melding):
    tekst = kanalen[kanaal]("vt_meldingen", waarde)
    assert melding.lower() in tekst.lower(), (kanaal, tekst[:500])
    assert not Waarneming.objects.exists()


@pytest.mark.parametrize("kanaal", KANALEN)
@pytest.mark.parametrize("waarde", ["1234", "1.234,5", "62,5", " 62,5 "])
def test_hetzelfde_getal_overal_geaccepteerd(kanalen, kanaal, waarde):
    assert kanalen[kanaal]("vt_doorlooptijd_onderzoek", waarde) == ""


def test_een_json_getal_is_nooit_dubbelzinnig(kanalen, api, gz):
    """1.234 as a JSON number is exact: it is the number 1,234, not 'one thousand ...'."""
    assert kanalen["api"]("vt_doorlooptijd_onderzoek", Decimal("1.234")) == ""
    assert "geen geheel getal" in kanalen["api"]("vt_meldingen", Decimal("1.234"))


# -- parts never exceed their whole
@pytest.mark.parametrize("kanaal", KANALEN)
def test_teller_meer_dan_noemer_is_een_harde_fout(kanalen, kanaal):
    """The issue's example: 120 assessments within 5 working days against a total of 52."""
    from tests.monitoring.conftest import zet

    zet("vt_veiligheidsbeoordelingen", "GM0268", KW, 52)
    tekst = kanalen[kanaal]("vt_veiligheidsbeoordelingen_binnen_termijn", "120")
    assert (
        "Veiligheidsbeoordelingen binnen 5 werkdagen (120) is meer dan veiligheidsbeoordelingen "
        "(52): het percentage veiligheidsbeoordeling binnen 5 werkdagen zou boven de 100 "
        "uitkomen." in tekst
    ), (kanaal, tekst[:800])
    assert Waarneming.objects.count() == 1
    assert kanalen[kanaal]("vt_veiligheidsbeoordelingen_binnen_termijn", "52") == ""


@pytest.mark.parametrize("kanaal", KANALEN)
def test_melders_naar_soort_tellen_niet_op_tot_meer_dan_de_meldingen(kanalen, kanaal):
    from tests.monitoring.conftest import zet

    zet("vt_meldingen", "GM0268", KW, 120)
    zet("vt_meldingen_politie_justitie", "GM0268", KW, 90)
    zet("vt_meldingen_onderwijs", "GM0268", KW, 20)
    tekst = kanalen[kanaal]("vt_meldingen_gezondheidszorg", "15")
    assert "tellen op tot 125, meer dan het geheel (120)" in tekst, (kanaal, tekst[:800])
    assert kanalen[kanaal]("vt_meldingen_gezondheidszorg", "10") == ""


def test_een_geheim_deel_wordt_niet_vergeleken(kanalen):
    from monitoring.choices import WaarnemingStatus
    from tests.monitoring.conftest import zet

    zet("vt_veiligheidsbeoordelingen", "GM0268", KW, 52, WaarnemingStatus.GEHEIM)
    assert kanalen["api"]("vt_veiligheidsbeoordelingen_binnen_termijn", "120") == ""


def test_het_geheel_te_klein_maken_wordt_ook_geweigerd(kanalen):
    from tests.monitoring.conftest import zet

    zet("vt_veiligheidsbeoordelingen_binnen_termijn", "GM0268", KW, 50)
    tekst = kanalen["grid"]("vt_veiligheidsbeoordelingen", "40")
    assert "(50) is meer dan veiligheidsbeoordelingen (40)" in tekst
