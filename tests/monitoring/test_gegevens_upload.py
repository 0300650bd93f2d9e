"""Uploading a CSV or Excel file on the grid page: preview first, then all rows or none."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from monitoring.choices import WaarnemingStatus
from monitoring.models import Gegevenslevering, Waarneming
from monitoring.services import waarnemingen_lees_excel
from monitoring.views import UPLOAD_SESSIE
from regioaanpak.choices import AuditActie
from regioaanpak.models import AuditRegel
from tests.factories import opgeslagen
from tests.monitoring.conftest import grid_url, zet

pytestmark = pytest.mark.django_db

KW = "2021KW01"
KOP = "indicator,gebied,periode,waarde,status,bron,toelichting\n"


def upload(client, inhoud: bytes | str, naam="cijfers.csv", regio="VT06", periode=KW):
    if isinstance(inhoud, str):
        inhoud = inhoud.encode("utf-8")
    return client.post(
        grid_url(regio, periode, "gegevens_upload"),
        {"bestand": SimpleUploadedFile(naam, inhoud)},
    )


def bevestig(client, regio="VT06", periode=KW, token=None):
    if token is None:
        token = client.session.get(UPLOAD_SESSIE, {}).get("token", "")
    return client.post(
        grid_url(regio, periode, "gegevens_upload_bevestigen"), {"token": token}, follow=True
    )


@pytest.fixture
def bestaand(gz):
    zet("vt_meldingen", "GM0268", KW, 412)
    zet("vt_meldingen", "GM0281", KW, 97, WaarnemingStatus.VOORLOPIG)


def test_voorvertoning_toont_nieuw_gewijzigd_ongewijzigd_en_fout_en_slaat_niets_op(
    client, bestaand, projectleider
):
    client.force_login(projectleider)
    tekst = KOP + (
        "vt_meldingen,GM0268,2021KW01,412,definitief,,\n"  # ongewijzigd
        "vt_meldingen,GM0281,2021KW01,98,definitief,,\n"  # gewijzigd
        "vt_meldingen,GM0296,2021KW01,61,voorlopig,VT,\n"  # nieuw
        "vt_meldingen,GM0505,2021KW01,300,definitief,,\n"  # other region
        "vt_adviezen,GM0268,2021KW02,12,definitief,,\n"  # other period
        "vt_adviezen,GM0296,2021KW01,-4,definitief,,\n"  # negative
    )
    from tests.factories import GemeenteFactory

    GemeenteFactory(cbs_code="GM0505", naam="Dordrecht")
    antwoord = upload(client, tekst)
    html = antwoord.content.decode()
    assert antwoord.status_code == 400  # nothing can be saved
    assert "Controle van cijfers.csv" in html
    assert "Er is niets opgeslagen: 3 regels met een fout." in html
    assert "ongewijzigd" in html
    assert "gewijzigd: 97* → 98" in html
    assert "nieuw: 61*" in html
    assert (
        "Regel 5, kolom &#x27;gebied&#x27;: Dordrecht (GM0505) hoort in 2021KW01 niet bij" in html
    )
    assert "Regel 6, kolom &#x27;periode&#x27;: 2021KW02 is niet de periode van deze pagina" in html
    assert "Regel 7, kolom &#x27;waarde&#x27;: -4 is negatief" in html
    assert "Bevestigen" not in html
    assert opgeslagen().get(gemeente="GM0281").waarde == 97
    assert Waarneming.objects.count() == 2
    assert UPLOAD_SESSIE not in client.session

    # Confirming anyway (a crafted request) saves nothing.
    html = bevestig(client, token="geraden").content.decode()
    assert "Er is geen gecontroleerd bestand zonder fouten om op te slaan" in html
    assert Waarneming.objects.count() == 2


def test_bevestigen_slaat_alle_regels_op_met_audit_en_nieuwe_versie(
    client, bestaand, projectleider
):
    client.force_login(projectleider)
    tekst = KOP + (
        "vt_meldingen,GM0268,2021KW01,412,definitief,,\n"
        "vt_meldingen,GM0281,2021KW01,98,definitief,,Nagekomen melding\n"
        "vt_meldingen,GM0296,2021KW01,61,voorlopig,Veilig Thuis,\n"
        "vt_adviezen,VT06,2021KW01,1204,definitief,,\n"
    )
    html = upload(client, tekst).content.decode()
    assert "Er is nog niets opgeslagen. 4 regels: 2 nieuw, 1 gewijzigd, 1 ongewijzigd" in html
    assert "Bevestigen" in html
    assert Waarneming.objects.count() == 2

    html = bevestig(client).content.decode()
    assert "Het bestand cijfers.csv is opgeslagen: 2 nieuw, 1 gewijzigd, 1 ongewijzigd." in html
    tiel = opgeslagen().get(gemeente="GM0281")
    assert (tiel.waarde, tiel.status, tiel.toelichting) == (
        Decimal(98),
        WaarnemingStatus.DEFINITIEF,
        "Nagekomen melding",
    )
    assert opgeslagen().get(gemeente="GM0296").bron == "Veilig Thuis"
    assert opgeslagen().get(regio="VT06").waarde == 1204
    levering = Gegevenslevering.objects.get(regio__code="VT06", periode=KW)
    assert levering.versie == 1
    regels = AuditRegel.objects.filter(object_type="monitoring.waarneming")
    assert {r.actie for r in regels} == {AuditActie.AANGEMAAKT, AuditActie.GEWIJZIGD}
    assert regels.count() == 3
    laatste = AuditRegel.objects.get(object_type="monitoring.gegevenslevering")
    assert laatste.omschrijving.startswith("Bestand cijfers.csv geüpload")
    assert UPLOAD_SESSIE not in client.session


def test_bevestigen_wordt_geweigerd_als_er_intussen_een_fout_ontstaat(
    client, bestaand, projectleider, beleidsmedewerker
):
    """The preview was clean, but the figures were approved (locked) before confirming."""
    client.force_login(projectleider)
    upload(client, KOP + "vt_meldingen,GM0268,2021KW01,415,definitief,,\n")
    Gegevenslevering.objects.create(regio_id="VT06", periode_id=KW, workflow_status="goedgekeurd")
    html = bevestig(client).content.decode()
    assert "zijn goedgekeurd en vergrendeld" in html
    assert "Bevestigen" not in html
    assert opgeslagen().get(gemeente="GM0268").waarde == 412


def test_bevestigen_na_andermans_opslag_wordt_geweigerd(client, bestaand, projectleider):
    client.force_login(projectleider)
    upload(client, KOP + "vt_meldingen,GM0268,2021KW01,415,definitief,,\n")
    levering = Gegevenslevering.objects.create(regio_id="VT06", periode_id=KW, versie=3)
    html = bevestig(client).content.decode()
    assert "Uw wijzigingen zijn niet opgeslagen" in html
    assert opgeslagen().get(gemeente="GM0268").waarde == 412
    levering.refresh_from_db()
    assert levering.versie == 3


def test_excel_bestand_met_getallen_en_tekst(client, bestaand, projectleider):
    boek = Workbook()
    blad = boek.active
    blad.append(["Indicator", "Gebied", "Periode", "Waarde", "Status"])
    blad.append(["vt_meldingen", "GM0268", "2021KW01", 415, None])
    blad.append(["vt_doorlooptijd_onderzoek", "GM0281", "2021KW01", 0.1 + 62.4, "voorlopig"])
    blad.append(["vt_adviezen", "GM0296", "2021KW01", "1204", "definitief"])
    blad.append([None, None, None, None, None])
    blad.append(["vt_overdrachten_lokaal_veld", "GM0296", "2021KW01", "12,5", None])
    bestand = io.BytesIO()
    boek.save(bestand)

    client.force_login(projectleider)
    html = upload(client, bestand.getvalue(), naam="VT-cijfers.xlsx").content.decode()
    assert "Controle van VT-cijfers.xlsx" in html
    # Excel row numbers; the empty row 5 is skipped.
    assert "Regel 6, kolom &#x27;waarde&#x27;: 12,5 is geen geheel getal" in html
    assert "Bevestigen" not in html

    boek.active.delete_rows(6)
    bestand = io.BytesIO()
    boek.save(bestand)
    html = upload(client, bestand.getvalue(), naam="VT-cijfers.xlsx").content.decode()
    assert "1 gewijzigd" in html and "2 nieuw" in html
    bevestig(client)
    assert opgeslagen().get(gemeente="GM0268").waarde == 415
    # 0.1 + 62.4 is 62.5 as Excel shows it, not 62.50000000000001.
    doorlooptijd = opgeslagen().get(indicator="vt_doorlooptijd_onderzoek")
    assert doorlooptijd.waarde == Decimal("62.5")
    assert doorlooptijd.status == WaarnemingStatus.VOORLOPIG
    assert opgeslagen().get(indicator="vt_adviezen").waarde == 1204


def test_excel_kopfouten_en_onleesbaar_bestand():
    boek = Workbook()
    boek.active.append(["indicator", "gebied", "waarde", "kleur"])
    bestand = io.BytesIO()
    boek.save(bestand)
    rijen, fouten = waarnemingen_lees_excel(bestand.getvalue())
    assert rijen == []
    assert [str(f) for f in fouten] == [
        "Regel 1: De kolom(men) 'periode' ontbreken; verplicht zijn indicator, gebied, periode, "
        "waarde.",
        "Regel 1, kolom 'kleur': onbekende kolom; toegestaan zijn indicator, gebied, periode, "
        "waarde, status, bron, toelichting.",
    ]
    _, fouten = waarnemingen_lees_excel(b"PK\x03\x04 geen echte werkmap")
    assert "geen leesbaar Excel-bestand" in str(fouten[0])


def test_te_groot_bestand_wordt_geweigerd(client, gz, projectleider):
    """Refused before the body is read (InvoerGrensMiddleware), in the site's layout."""
    client.force_login(projectleider)
    groot = KOP + "vt_meldingen,GM0268,2021KW01,412,definitief,," + " " * (5 * 1024 * 1024) + "\n"
    antwoord = upload(client, groot)
    assert antwoord.status_code == 413
    html = antwoord.content.decode()
    assert "hier is ten hoogste 5 MB toegestaan" in html
    assert "Naar het overzicht" in html
    assert UPLOAD_SESSIE not in client.session


def test_oud_excel_formaat_krijgt_uitleg(client, gz, projectleider):
    client.force_login(projectleider)
    html = upload(client, b"\xd0\xcf\x11\xe0", naam="cijfers.xls").content.decode()
    assert "Oude Excel-bestanden (.xls) worden niet gelezen" in html


def test_bestand_zonder_wijzigingen_verandert_de_levering_niet(client, bestaand, projectleider):
    client.force_login(projectleider)
    upload(client, KOP + "vt_meldingen,GM0268,2021KW01,412,definitief,,\n")
    html = bevestig(client).content.decode()
    assert "opgeslagen: 0 nieuw, 0 gewijzigd, 1 ongewijzigd" in html
    assert not Gegevenslevering.objects.exists()
    assert not AuditRegel.objects.exists()
