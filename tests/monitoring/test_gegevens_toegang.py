"""Who may see and change the figures pages: a matrix per view (NetBox style)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regioaanpak.choices import RolSoort
from tests.factories import GebruikerFactory, opgeslagen
from tests.monitoring.conftest import grid_post, grid_url, levering

pytestmark = pytest.mark.django_db

KW = "2021KW01"
VIEWS = [
    ("gegevensgrid", "get"),
    ("gegevensgrid", "post"),
    ("gegevens_upload", "post"),
    ("gegevens_upload_bevestigen", "post"),
    ("gegevens_overgang", "post"),
]


def vraag(client, naam, methode, regio="VT06", periode=KW):
    url = grid_url(regio, periode, naam)
    if methode == "get":
        return client.get(url)
    return client.post(url, {"naar": "ingediend"} if naam == "gegevens_overgang" else {})


@pytest.mark.parametrize(("naam", "methode"), VIEWS)
def test_anoniem_gaat_naar_inloggen(client, gz, naam, methode):
    antwoord = vraag(client, naam, methode)
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("naam", "methode"), VIEWS)
def test_zonder_rol_404(client, gz, naam, methode):
    client.force_login(GebruikerFactory(username="zonder-rol"))
    assert vraag(client, naam, methode).status_code == 404


@pytest.mark.parametrize(("naam", "methode"), VIEWS)
def test_andere_regio_404(client, gz, zhz, persoon, naam, methode):
    client.force_login(persoon(zhz, RolSoort.PROJECTLEIDER, "dordrecht-pl"))
    assert vraag(client, naam, methode).status_code == 404
    # ...while their own region answers.
    assert vraag(client, "gegevensgrid", "get", regio="VT24").status_code == 200


@pytest.mark.parametrize("periode", ["2021KW05", "2021Q1", "kwartaal"])
def test_onbekende_periode_404(client, gz, projectleider, periode):
    client.force_login(projectleider)
    assert client.get(grid_url("VT06", periode)).status_code == 404


def test_onbekende_regio_404(client, gz, projectleider):
    client.force_login(projectleider)
    assert client.get(grid_url("VT99", KW)).status_code == 404


@pytest.mark.parametrize("rol", [RolSoort.PROJECTLEIDER, RolSoort.BEHEERDER])
def test_invoerders_krijgen_het_formulier(client, gz, persoon, rol):
    client.force_login(persoon(gz, rol, "invoerder"))
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert 'name="w:GM0268:vt_meldingen"' in html
    assert "Cijfers opslaan" in html and "Bestand controleren" in html


def test_superuser_krijgt_het_formulier(client, gz):
    client.force_login(GebruikerFactory(username="root", is_superuser=True, is_staff=True))
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert 'name="w:GM0268:vt_meldingen"' in html


@pytest.mark.parametrize("rol", [RolSoort.BESTUURDER, RolSoort.PARTNER])
def test_invoerscherm_is_niet_voor_wethouder_en_partner(client, gz, persoon, rol):
    """The grid shows figures before approval: for those who enter or review them only."""
    from tests.monitoring.conftest import zet

    zet("vt_meldingen", "GM0268", KW, 1412)
    client.force_login(persoon(gz, rol, "kijker"))
    for url in (grid_url("VT06", KW), reverse("monitoring:gegevensgrid_start", args=["VT06"])):
        antwoord = client.get(url)
        html = antwoord.content.decode()
        assert antwoord.status_code == 403
        assert "1.412" not in html and "1412" not in html
        assert "dashboard van Gelderland-Zuid" in html
    antwoord = client.post(grid_url("VT06", KW), grid_post({("GM0268", "vt_meldingen"): "5"}))
    assert antwoord.status_code == 403
    assert opgeslagen().get().waarde == 1412


def test_beleidsmedewerker_ziet_de_cijfers_zonder_invoervelden(client, gz, persoon):
    from tests.monitoring.conftest import zet

    zet("vt_meldingen", "GM0268", KW, 1412)
    client.force_login(persoon(gz, RolSoort.BELEIDSMEDEWERKER, "kijker"))
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert '<span class="waarde">1.412</span>' in html
    assert 'name="w:' not in html and 'name="t:' not in html
    assert "Cijfers opslaan" not in html and "Bestand controleren" not in html
    assert "alleen de projectleider of een beheerder van Gelderland-Zuid kan ze wijzigen" in html

    # Posting anyway is refused in Dutch, and nothing changes.
    antwoord = client.post(grid_url("VT06", KW), grid_post({("GM0268", "vt_meldingen"): "5"}))
    assert antwoord.status_code == 403
    assert "Alleen de projectleider of een beheerder van Gelderland-Zuid" in (
        antwoord.content.decode()
    )
    for naam in ("gegevens_upload", "gegevens_upload_bevestigen"):
        assert vraag(client, naam, "post").status_code == 403
    assert opgeslagen().get().waarde == 1412


def test_beleidsmedewerker_ziet_goedkeuren_en_terugsturen(client, gz, beleidsmedewerker):
    levering(gz, KW, "ingediend")
    client.force_login(beleidsmedewerker)
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert ">Goedkeuren</button>" in html and ">Terugsturen</button>" in html
    assert ">Indienen</button>" not in html


def test_projectleider_ziet_indienen(client, gz, projectleider):
    levering(gz, KW, "concept")
    client.force_login(projectleider)
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert ">Indienen</button>" in html and ">Goedkeuren</button>" not in html


def test_startadres_gaat_naar_het_laatste_volledige_kwartaal(client, gz, projectleider):
    client.force_login(projectleider)
    antwoord = client.get(reverse("monitoring:gegevensgrid_start", args=["VT06"]))
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith("/regio/VT06/cijfers/")
    assert antwoord["Location"].endswith("/") and "KW0" in antwoord["Location"]


def test_periode_kiezen_zonder_javascript(client, gz, projectleider):
    client.force_login(projectleider)
    antwoord = client.get(grid_url("VT06", KW), {"periode": "2021hj01"})
    assert antwoord["Location"] == grid_url("VT06", "2021HJ01")
    antwoord = client.get(grid_url("VT06", KW), {"periode": "2021KW5"}, follow=True)
    assert "is geen geldige periodecode" in antwoord.content.decode()
