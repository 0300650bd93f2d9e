import pytest
from django.urls import reverse

from regioaanpak.choices import RolSoort
from tests.factories import (
    ActielijnFactory,
    GebruikerFactory,
    GemeenteFactory,
    ProjectFactory,
    RegioaanpakFactory,
    RegioFactory,
    RolFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def twee_regios():
    zhz = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gz = RegioFactory(code="VT06", naam="Gelderland-Zuid")
    aanpak = RegioaanpakFactory(regio=zhz, titel="Regiovisie en actieplan GHNT Zuid-Holland Zuid")
    lijn = ActielijnFactory(regioaanpak=aanpak, nummer=1, titel="Eerder en beter in beeld")
    project = ProjectFactory(actielijn=lijn, titel="Versterken lokale infrastructuur")
    project.gemeenten.add(GemeenteFactory(cbs_code="GM0505", naam="Dordrecht"))
    ProjectFactory(actielijn=lijn, titel="Meldcode en voorlichtingen", trekker="Veilig Thuis")
    gz_aanpak = RegioaanpakFactory(regio=gz, titel="Samen voor veiligheid")
    ActielijnFactory(regioaanpak=gz_aanpak, nummer=3, titel="Helpende data")
    return zhz, gz


def test_anonieme_bezoeker_gaat_naar_inloggen(client):
    antwoord = client.get(reverse("home"))
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith(reverse("login"))
    inlog = client.get(antwoord["Location"])
    assert "Inloggen" in inlog.content.decode()
    assert 'lang="nl"' in inlog.content.decode()


def test_startpagina_toont_de_eigen_regio_met_actielijnen_en_projecten(client, twee_regios):
    zhz, _ = twee_regios
    gebruiker = GebruikerFactory(username="petra")
    RolFactory(gebruiker=gebruiker, regio=zhz, rol=RolSoort.PROJECTLEIDER)
    client.force_login(gebruiker)
    html = client.get(reverse("home")).content.decode()
    assert "Zuid-Holland Zuid" in html
    assert "Actielijn 1: Eerder en beter in beeld" in html
    assert "Versterken lokale infrastructuur" in html
    assert "Dordrecht" in html
    assert "trekker: Veilig Thuis" in html
    # Another region's approach is not shown.
    assert "Gelderland-Zuid" not in html
    assert "Helpende data" not in html


def test_startpagina_zonder_rol_legt_uit_wat_te_doen(client, twee_regios):
    client.force_login(GebruikerFactory())
    html = client.get(reverse("home")).content.decode()
    assert "U heeft nog geen rol in een regio" in html
    assert "Zuid-Holland Zuid" not in html


def test_superuser_ziet_alle_regios(client, twee_regios):
    beheerder = GebruikerFactory(username="bea", is_superuser=True, is_staff=True)
    client.force_login(beheerder)
    html = client.get(reverse("home")).content.decode()
    assert "Zuid-Holland Zuid" in html and "Gelderland-Zuid" in html


def test_startpagina_gebruikt_een_vast_aantal_queries(
    client, twee_regios, django_assert_max_num_queries
):
    zhz, _ = twee_regios
    gebruiker = GebruikerFactory()
    RolFactory(gebruiker=gebruiker, regio=zhz)
    client.force_login(gebruiker)
    # The werklijst reads the region's completeness and returned work: a fixed number of
    # queries per region, whatever the number of projects.
    with django_assert_max_num_queries(20):
        client.get(reverse("home"))
    lijn = zhz.regioaanpakken.get().actielijnen.get()
    for nummer in range(10):
        project = ProjectFactory(actielijn=lijn, titel=f"Extra project {nummer}")
        project.gemeenten.add(GemeenteFactory())
    with django_assert_max_num_queries(20):
        client.get(reverse("home"))


def test_inloggen_met_fout_wachtwoord_geeft_nederlandse_melding(client):
    GebruikerFactory(username="wim")
    antwoord = client.post(reverse("login"), {"username": "wim", "password": "fout"})
    assert "Gebruikersnaam of wachtwoord onjuist" in antwoord.content.decode()


def test_inloggen_en_uitloggen(client):
    GebruikerFactory(username="wim")
    antwoord = client.post(
        reverse("login"), {"username": "wim", "password": "geheim-wachtwoord-123"}
    )
    assert antwoord.status_code == 302 and antwoord["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_rapportagepagina_vraagt_inloggen(client):
    assert client.get(reverse("rapportage:index")).status_code == 302
    client.force_login(GebruikerFactory())
    assert "Rapportages" in client.get(reverse("rapportage:index")).content.decode()


def test_beheer_heeft_nederlandse_labels(client):
    client.force_login(GebruikerFactory(username="bea", is_superuser=True, is_staff=True))
    html = client.get(reverse("admin:index")).content.decode()
    for label in ["Gemeenten", "Regio&#x27;s", "Waarnemingen", "Indicatoren", "Actielijnen"]:
        assert label in html
    assert client.get(reverse("admin:monitoring_waarneming_changelist")).status_code == 200


def test_startpagina_linkt_naar_dashboards(client, twee_regios):
    zhz, _ = twee_regios
    wethouder = GebruikerFactory(username="wim")
    dordrecht = GemeenteFactory(cbs_code="GM0505", naam="Dordrecht")
    from tests.factories import LidmaatschapFactory

    LidmaatschapFactory(regio=zhz, gemeente=dordrecht)
    RolFactory(gebruiker=wethouder, regio=zhz, gemeente=dordrecht, rol=RolSoort.BESTUURDER)
    client.force_login(wethouder)
    html = client.get(reverse("home")).content.decode()
    assert reverse("monitoring:regiodashboard", args=["VT24"]) in html
    assert reverse("monitoring:gemeentedashboard", args=["GM0505"]) in html
