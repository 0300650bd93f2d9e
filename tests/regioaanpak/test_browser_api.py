"""A partner reads the API documentation in a real browser (Debian's Chromium): Swagger UI and
ReDoc render every operation from the app's own static files, with no request outside it."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from regioaanpak.choices import RolSoort
from tests.factories import GebruikerFactory, RegioFactory, RolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LOKAAL = {"localhost", "127.0.0.1", "::1"}
WACHTWOORD = "vera-veilig-thuis-2026"


@pytest.fixture
def partner(indicatoren):
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gebruiker = GebruikerFactory(username="vera", password=WACHTWOORD)
    RolFactory(gebruiker=gebruiker, regio=regio, rol=RolSoort.PARTNER)
    return gebruiker


def test_partner_leest_de_api_documentatie_zonder_cdn(live_server, pagina, artefact, partner):
    extern: list[str] = []
    fouten: list[str] = []
    pagina.on(
        "request",
        lambda verzoek: (
            extern.append(verzoek.url)
            if urlparse(verzoek.url).hostname not in LOKAAL
            and not verzoek.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    pagina.on("pageerror", lambda fout: fouten.append(str(fout)))

    pagina.goto(f"{live_server.url}/api/v1/docs/")
    pagina.get_by_label("Gebruikersnaam").fill("vera")
    pagina.get_by_label("Wachtwoord").fill(WACHTWOORD)
    pagina.get_by_role("button", name="Inloggen").click()
    pagina.wait_for_url("**/api/v1/docs/")
    pagina.wait_for_selector(".opblock", timeout=15_000)
    assert pagina.locator(".opblock").count() >= 17
    assert pagina.get_by_text("Cijfers aanleveren (bulk, alles of niets)").count() == 1
    assert pagina.get_by_text("Statistische geheimhouding").count() >= 1
    pagina.screenshot(path=artefact("api-docs.png"), full_page=False)

    pagina.goto(f"{live_server.url}/api/v1/redoc/")
    pagina.get_by_text("afgerond op vijftallen").first.wait_for(timeout=15_000)
    pagina.screenshot(path=artefact("api-redoc.png"), full_page=False)

    pagina.goto(f"{live_server.url}/api/v1/waarnemingen/")
    assert "Cijfers (waarnemingen)" in pagina.content() or "Waarneming" in pagina.content()
    pagina.screenshot(path=artefact("api-bladerbaar.png"), full_page=False)
    assert extern == []
    assert fouten == []
