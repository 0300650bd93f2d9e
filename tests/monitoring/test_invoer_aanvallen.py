"""Every upload and import endpoint against hostile files: the over-size file, the file of many
columns, the xlsx bomb, the cell in the last column and the huge text are each refused with a
Dutch message that names the limit, while the memory the request allocates (tracemalloc, not
wall-clock time) stays far below what the file would unpack to. Nothing is saved."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from monitoring.models import Risicofactorwaarde, Waarneming
from regioaanpak.choices import RolSoort
from tests.kwaadaardig import csv_kolommen, csv_regels, xlsx_bom, xlsx_xfd
from tests.monitoring.conftest import grid_url

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
KW = "2021KW01"
IMPORT = "/api/v1/waarnemingen/import/"


def uitgepakt(inhoud: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(inhoud)) as archief:
        return sum(o.file_size for o in archief.infolist())


def gemeten(doe):
    tracemalloc.start()
    try:
        antwoord = doe()
        _nu, piek = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return antwoord, piek


@dataclass
class Kanaal:
    """One way in for a file: posts it and returns (status, the text the user reads)."""

    naam: str
    stuur: object

    def __call__(self, inhoud: bytes, bestandsnaam: str = "bestand.csv"):
        return self.stuur(inhoud, bestandsnaam)


@pytest.fixture
def kanalen(gz, projectleider, client, api, api_token):
    client.force_login(projectleider)
    schrijver = api(api_token(projectleider, ["VT06"], scope="schrijven"))

    def pagina(url):
        def stuur(inhoud, naam):
            antwoord = client.post(url, {"bestand": SimpleUploadedFile(naam, inhoud)})
            return antwoord.status_code, antwoord.content.decode()

        return stuur

    def api_bestand(inhoud, naam):
        antwoord = schrijver.post(
            f"{IMPORT}?dry_run=true", {"bestand": SimpleUploadedFile(naam, inhoud)}
        )
        return antwoord.status_code, antwoord.content.decode("unicode_escape")

    def api_csv(inhoud, _naam):
        antwoord = schrijver.generic(
            "POST", f"{IMPORT}?dry_run=true", inhoud, content_type="text/csv"
        )
        return antwoord.status_code, antwoord.content.decode("unicode_escape")

    def commando(inhoud, naam):
        pad = gz_map / naam
        pad.write_bytes(inhoud)
        fouten = io.StringIO()
        try:
            call_command(
                "importeer_waarnemingen", str(pad), "--dry-run", stdout=io.StringIO(), stderr=fouten
            )
        except CommandError as fout:
            return 400, f"{fout}\n{fouten.getvalue()}"
        return 200, ""

    import tempfile
    from pathlib import Path

    gz_map = Path(tempfile.mkdtemp())
    return {
        "invoerscherm": Kanaal("invoerscherm", pagina(grid_url("VT06", KW, "gegevens_upload"))),
        "risicofactoren": Kanaal("risicofactoren", pagina("/regio/VT06/risicoprofiel/upload/")),
        "meldingen": Kanaal("meldingen", pagina("/regio/VT06/risicoprofiel/meldingen/")),
        "api_bestand": Kanaal("api_bestand", api_bestand),
        "api_csv": Kanaal("api_csv", api_csv),
        "commando": Kanaal("commando", commando),
    }


ALLE = ["invoerscherm", "risicofactoren", "meldingen", "api_bestand", "api_csv", "commando"]
WERKMAPPEN = ["invoerscherm", "api_bestand"]


@pytest.mark.parametrize("kanaal", ALLE)
def test_veertigduizend_kolommen(kanalen, kanaal):
    inhoud = csv_kolommen(40_000)
    (status, tekst), piek = gemeten(lambda: kanalen[kanaal](inhoud))
    assert status == 400
    assert "Het bestand heeft 40.000 kolommen; ten hoogste 50." in tekst
    assert piek < 20 * len(inhoud)  # linear in the header, never 40.000 column objects
    assert not Waarneming.objects.exists() and not Risicofactorwaarde.objects.exists()


PADEN = {
    "invoerscherm": grid_url("VT06", KW, "gegevens_upload"),
    "risicofactoren": "/regio/VT06/risicoprofiel/upload/",
    "meldingen": "/regio/VT06/risicoprofiel/meldingen/",
    "api": f"{IMPORT}?dry_run=true",
}


@pytest.mark.parametrize("kanaal", PADEN)
def test_te_groot_bestand_wordt_niet_gelezen(gz, projectleider, client, kanaal, settings):
    """Refused on its Content-Length alone: the test client's body is empty and raises when
    read beyond it, so a server that read the announced 200 MB would fail here."""
    settings.INVOER_MAX_IMPORT_MB = 50
    client.force_login(projectleider)
    # The client loads the middleware on its first request (WhiteNoise indexes STATIC_ROOT):
    # that happens once per process in production, and is not what is measured here.
    client.get("/gezond/")
    (antwoord), piek = gemeten(
        lambda: client.generic(
            "POST",
            PADEN[kanaal],
            b"",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(200 * MB),
        )
    )
    assert antwoord.status_code == 413
    grens = 50 if kanaal == "api" else (2 if kanaal in ("risicofactoren", "meldingen") else 5)
    tekst = antwoord.content.decode("unicode_escape" if kanaal == "api" else "utf-8")
    assert f"Het verzoek is 200 MB; hier is ten hoogste {grens} MB toegestaan." in tekst
    assert piek < MB // 4


def test_te_groot_bestand_via_het_commando(kanalen, settings):
    """Refused on the file's size, before it is read."""
    settings.INVOER_MAX_IMPORT_MB = 1
    inhoud = csv_regels(
        "indicator,gebied,periode,waarde\n", "vt_meldingen,GM0268,2021KW01,1\n", 2 * MB
    )
    status, tekst = kanalen["commando"](inhoud)
    assert status == 400
    assert "ten hoogste 1 MB" in tekst


@pytest.mark.parametrize("kanaal", ["invoerscherm", "risicofactoren", "api_csv"])
def test_bestand_van_alleen_foute_regels_blijft_een_begrensd_antwoord(kanalen, kanaal):
    inhoud = csv_regels("indicator,gebied,periode,waarde\n", "onbekend,GM9999,2021KW01,x\n", MB)
    if kanaal == "risicofactoren":
        inhoud = csv_regels("gemeente,factor,waarde,richting\n", "GM9999,x,nee,7\n", MB)
    (status, tekst), piek = gemeten(lambda: kanalen[kanaal](inhoud))
    assert status == 400
    assert "het lezen is hier gestopt" in tekst or "Er is niets opgeslagen" in tekst
    assert len(tekst) < 2 * MB  # 20 MB of wrong rows once gave a page of 404 MB
    assert piek < 40 * MB


@pytest.mark.parametrize("kanaal", WERKMAPPEN)
def test_xlsx_bom_van_een_miljoen_regels(kanalen, kanaal):
    inhoud = xlsx_bom(1_000_000)
    (status, tekst), piek = gemeten(lambda: kanalen[kanaal](inhoud, "bom.xlsx"))
    assert status == 400
    assert "verdacht sterk ingepakt" in tekst
    assert piek < uitgepakt(inhoud) / 20


@pytest.mark.parametrize("kanaal", WERKMAPPEN)
def test_xlsx_bom_binnen_de_inpakverhouding_wordt_geteld(kanalen, kanaal, settings):
    settings.INVOER_XLSX_MAX_VERHOUDING = 10_000
    inhoud = xlsx_bom(1_000_000)
    (status, tekst), piek = gemeten(lambda: kanalen[kanaal](inhoud, "bom.xlsx"))
    assert status == 400
    assert "Het werkblad heeft meer dan" in tekst
    assert piek < uitgepakt(inhoud) / 10


@pytest.mark.parametrize("kanaal", WERKMAPPEN)
def test_xlsx_met_een_cel_in_kolom_xfd(kanalen, kanaal):
    (status, tekst), piek = gemeten(lambda: kanalen[kanaal](xlsx_xfd(), "xfd.xlsx"))
    assert status == 400
    assert "Het werkblad loopt tot kolom XFD (16.384 kolommen); ten hoogste 50." in tekst
    assert piek < 4 * MB


@pytest.mark.parametrize("kanaal", ["invoerscherm", "api_csv", "risicofactoren"])
def test_te_lange_cel(kanalen, kanaal):
    inhoud = (
        "indicator,gebied,periode,waarde,toelichting\n"
        + "vt_meldingen,GM0268,2021KW01,1,"
        + "x" * 3_000
        + "\n"
    ).encode()
    if kanaal == "risicofactoren":
        inhoud = (
            "gemeente,factor,waarde,richting,bron\nGM0268,werk,3,1," + "x" * 3_000 + "\n"
        ).encode()
    status, tekst = kanalen[kanaal](inhoud)
    assert status == 400
    assert "de cel heeft 3.000 tekens; ten hoogste 2.000." in tekst


def test_meldingentabel_alleen_voor_wie_mag_uploaden(gz, persoon, client):
    client.force_login(persoon(gz, RolSoort.BESTUURDER, "wim"))
    antwoord = client.post(
        "/regio/VT06/risicoprofiel/meldingen/",
        {"bestand": SimpleUploadedFile("m.csv", b"gemeente,meldingen_per_1000\nGM0268,3\n")},
    )
    assert antwoord.status_code == 404
