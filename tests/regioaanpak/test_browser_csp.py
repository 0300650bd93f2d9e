"""The main pages work under the Content-Security-Policy in a real browser: no violation is
reported (console or securitypolicyviolation event), and plotly still draws the charts."""

from __future__ import annotations

import pytest

from actielijnen.models import Regioaanpak
from tests.factories import ActielijnFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LUISTER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""

PAGINAS = [
    ("/", None),
    ("/regio/VT24/cijfers/2021KW03/", "table"),
    ("/regio/VT24/dashboard/?periode=2021KW01", ".grafiek .main-svg"),
    ("/gemeente/GM0505/dashboard/?periode=2021KW01", ".grafiek .main-svg"),
    ("/regio/VT24/risicoprofiel/", None),
    ("/rapportage/VT24/2021KW01/kwartaal/", None),
    ("/api/v1/docs/", ".opblock"),
    ("/api/v1/redoc/", "text=afgerond op vijftallen"),
    ("/api/v1/waarnemingen/", None),
]


@pytest.mark.parametrize("breedte", [1280, 390])
def test_hoofdpaginas_zonder_csp_schendingen(live_server, chromium, cijferregios, breedte, client):
    aanpak = Regioaanpak.objects.create(
        regio=cijferregios["zhz"],
        titel="Regiovisie",
        looptijd_van="2021-01-01",
        looptijd_tot="2022-12-31",
    )
    ProjectFactory(actielijn=ActielijnFactory(regioaanpak=aanpak, nummer=1))
    client.force_login(cijferregios["projectleider"])
    context = chromium.new_context(locale="nl-NL", viewport={"width": breedte, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    context.add_init_script(LUISTER)
    pagina = context.new_page()
    meldingen: list[str] = []
    pagina.on(
        "console",
        lambda bericht: (
            meldingen.append(bericht.text) if "Content Security Policy" in bericht.text else None
        ),
    )
    try:
        for pad, teken in PAGINAS:
            antwoord = pagina.goto(f"{live_server.url}{pad}")
            assert antwoord.status == 200, pad
            assert "script-src 'self'" in antwoord.headers["content-security-policy"]
            if teken:
                pagina.wait_for_selector(teken, timeout=15_000)
            pagina.wait_for_load_state("networkidle")
            schendingen = pagina.evaluate("window.__csp")
            assert schendingen == [], (pad, schendingen)
        assert meldingen == []
    finally:
        context.close()
