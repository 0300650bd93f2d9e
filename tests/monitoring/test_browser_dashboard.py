"""The alderman's journey in a real browser (Debian's Chromium through Playwright): log in,
open the region dashboard, see the charts drawn from our own plotly.js without any request
outside the app, pick another period and see its numbers in the charts and the tables."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlparse

import pytest

from tests.monitoring import test_dashboard_selectors as gegevens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

zuid_holland_zuid = gegevens.zuid_holland_zuid
wethouder = gegevens.wethouder
LOKAAL = {"localhost", "127.0.0.1", "::1"}


def _afgerond(waarde: Decimal) -> float:
    return float(waarde.quantize(Decimal("0.01"), ROUND_HALF_UP))


def _meldingen_papendrecht(pagina) -> float | None:
    """The bar of Papendrecht's meldingen per 1.000 as plotly drew it."""
    return pagina.evaluate(
        """() => {
            const plot = document.querySelector('#vergelijking .js-plotly-plot');
            const trace = plot.data.find(t => t.name === 'Meldingen per 1.000 inwoners');
            return trace.x[trace.y.indexOf('Papendrecht')];
        }"""
    )


def _tabelcel(pagina, figuur: str, rij: str) -> str:
    return (
        pagina.locator(f"#{figuur} table tr", has=pagina.locator("th", has_text=rij))
        .first.locator("td")
        .first.text_content()
        .strip()
    )


def test_wethouder_bekijkt_het_regiodashboard_en_kiest_een_andere_periode(
    live_server, pagina, artefact, wethouder
):
    fouten: list[str] = []
    extern: list[str] = []

    def console(bericht):
        # The browser asks for /favicon.ico by itself; the site has none (not a page error).
        if bericht.type == "error" and "favicon" not in (bericht.location or {}).get("url", ""):
            fouten.append(bericht.text)

    pagina.on("console", console)
    pagina.on("pageerror", lambda fout: fouten.append(str(fout)))
    pagina.on(
        "request",
        lambda verzoek: (
            extern.append(verzoek.url)
            if urlparse(verzoek.url).hostname not in LOKAAL and not verzoek.url.startswith("data:")
            else None
        ),
    )

    pagina.goto(f"{live_server.url}/inloggen/")
    pagina.get_by_label("Gebruikersnaam").fill("wim")
    pagina.get_by_label("Wachtwoord").fill(gegevens.WACHTWOORD)
    pagina.get_by_role("button", name="Inloggen").click()
    pagina.wait_for_url(f"{live_server.url}/")

    pagina.goto(f"{live_server.url}/regio/VT24/dashboard/")
    pagina.get_by_role("heading", name="Dashboard Zuid-Holland Zuid").wait_for()
    pagina.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 7")
    assert "3e kwartaal 2022" in pagina.locator("h1").text_content()
    assert pagina.locator(".js-plotly-plot").count() >= 4
    # The map is drawn from polygons, without tiles or a geo base layer.
    assert pagina.locator("#kaart .js-plotly-plot .scatterlayer .trace").count() >= 2
    nu = gegevens.cijfer("vt_meldingen_per_1000", "GM0590", "2022KW03")
    assert _meldingen_papendrecht(pagina) == _afgerond(nu.waarde)
    assert pagina.locator("#tegel-vt_meldingen [data-waarde]").text_content() == "416"

    # Another period with the period select and "Tonen".
    pagina.get_by_label("Periode", exact=True).select_option(label="2e kwartaal 2022")
    pagina.get_by_role("button", name="Tonen").click()
    pagina.wait_for_url("**periode=2022KW02**")
    pagina.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 7")

    assert "2e kwartaal 2022" in pagina.locator("h1").text_content()
    eerder = gegevens.cijfer("vt_meldingen_per_1000", "GM0590", "2022KW02")
    assert eerder.waarde != nu.waarde
    assert _meldingen_papendrecht(pagina) == _afgerond(eerder.waarde)
    verwacht = f"{_afgerond(eerder.waarde):.2f}".replace(".", ",")
    pagina.locator("#vergelijking summary").click()
    assert _tabelcel(pagina, "vergelijking", "Papendrecht") == verwacht
    assert pagina.locator("#tegel-vt_meldingen [data-waarde]").text_content() == "410"
    assert "4e kwartaal 2022" not in pagina.locator("#trend-per-1000 table").text_content()

    pagina.screenshot(path=artefact("dashboard.png"), full_page=True)
    assert fouten == []
    assert extern == []
