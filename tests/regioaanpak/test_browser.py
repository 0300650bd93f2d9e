"""Main journey in a real browser: log in and see the region's approach."""

import pytest

from regioaanpak.choices import RolSoort
from tests.factories import (
    ActielijnFactory,
    GebruikerFactory,
    ProjectFactory,
    RegioaanpakFactory,
    RegioFactory,
    RolFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inloggen_en_de_regioaanpak_zien(live_server, pagina, artefact):
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    aanpak = RegioaanpakFactory(regio=regio, titel="Regiovisie en actieplan GHNT Zuid-Holland Zuid")
    lijn = ActielijnFactory(regioaanpak=aanpak, nummer=1, titel="Eerder en beter in beeld")
    ProjectFactory(actielijn=lijn, titel="Handle with Care")
    gebruiker = GebruikerFactory(username="petra")
    RolFactory(gebruiker=gebruiker, regio=regio, rol=RolSoort.PROJECTLEIDER)

    pagina.goto(f"{live_server.url}/")
    assert "Inloggen" in pagina.title()
    pagina.get_by_label("Gebruikersnaam").fill("petra")
    pagina.get_by_label("Wachtwoord").fill("geheim-wachtwoord-123")
    pagina.get_by_role("button", name="Inloggen").click()

    pagina.get_by_role("heading", name="Zuid-Holland Zuid").wait_for()
    assert pagina.get_by_text("Actielijn 1: Eerder en beter in beeld").is_visible()
    assert pagina.get_by_text("Handle with Care").is_visible()
    pagina.screenshot(path=artefact("startpagina.png"), full_page=True)

    pagina.get_by_role("button", name="Uitloggen").click()
    pagina.get_by_role("heading", name="Inloggen").wait_for()
