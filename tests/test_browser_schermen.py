"""The main pages as a user sees them, in Debian's Chromium at 1.280 and 390 px:

- axe-core finds nothing serious or critical (home, entry grid, both dashboards, report HTML,
  risk profile);
- no page is wider than the screen (the risk profile's table once made it 2.035 px at 1.280);
- each role's home page and both dashboards at 390 px are kept as screenshots in
  test-artefacten/ for the people who review the screens;
- the grid's error summary links to the cell, and returned figures after the approach's term
  can be corrected and submitted again (the dead end of the werklijst issue).
"""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.utils import timezone

from actielijnen.models import Regioaanpak, Voortgangsupdate
from monitoring.models import Gegevenslevering, Risicofactorwaarde
from regioaanpak.choices import RolSoort, WorkflowStatus
from tests.factories import ActielijnFactory, GebruikerFactory, ProjectFactory, RolFactory, periode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
ERNSTIG = {"serious", "critical"}


@pytest.fixture
def regio(cijferregios):
    zhz = cijferregios["zhz"]
    # The approach ran 2021; the figures below come after it (Veilig Thuis goes on).
    aanpak = Regioaanpak.objects.create(
        regio=zhz,
        titel="Regiovisie en actieplan GHNT Zuid-Holland Zuid",
        looptijd_van=dt.date(2021, 1, 1),
        looptijd_tot=dt.date(2021, 12, 31),
    )
    lijn = ActielijnFactory(regioaanpak=aanpak, nummer=1, titel="Eerder en beter in beeld")
    project = ProjectFactory(actielijn=lijn, titel="Handle with Care")
    Voortgangsupdate.objects.create(
        project=project,
        periode=periode("2021KW01"),
        status="op_schema",
        toelichting="Tien basisscholen doen mee.",
        workflow_status=WorkflowStatus.GOEDGEKEURD,
    )
    for code, waarde in (("GM0505", 8), ("GM0642", 3)):
        Risicofactorwaarde.objects.create(
            regio=zhz,
            gemeente_id=code,
            factor="Werkloosheid",
            peiljaar=2021,
            waarde=waarde,
            richting=1,
        )
    wethouder = GebruikerFactory(username="wim")
    RolFactory(gebruiker=wethouder, regio=zhz, rol=RolSoort.BESTUURDER)
    beheerder = GebruikerFactory(username="bea")
    RolFactory(gebruiker=beheerder, regio=zhz, rol=RolSoort.BEHEERDER)
    cijferregios.update(wethouder=wethouder, beheerder=beheerder, project=project)
    return cijferregios


def context(chromium, live_server, gebruiker, breedte: int):
    client = Client()
    client.force_login(gebruiker)
    browser = chromium.new_context(locale="nl-NL", viewport={"width": breedte, "height": 900})
    browser.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return browser


def ernstige_bevindingen(pagina) -> list[str]:
    resultaat = AXE.run(pagina)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in resultaat.response["violations"]
        if v["impact"] in ERNSTIG
    ]


# The elements that stick out to the right of a screen this wide (and whose parent does not).
TE_BREED = """(breedte) => {
  const uit = [];
  for (const el of document.querySelectorAll("body *")) {
    const rechts = el.getBoundingClientRect().right;
    const ouder = el.parentElement ? el.parentElement.getBoundingClientRect().right : 0;
    if (rechts > breedte + 1 && ouder <= breedte + 1) {
      uit.push(el.tagName.toLowerCase() + "." + el.className + " (" + Math.round(rechts) + " px)");
    }
  }
  return uit.slice(0, 5);
}"""

PAGINAS = [
    ("projectleider", "/", None),
    ("projectleider", "/regio/VT24/cijfers/2021KW03/", "#cijfergrid"),
    ("wethouder", "/regio/VT24/dashboard/?periode=2021KW01", ".grafiek .main-svg"),
    ("wethouder", "/gemeente/GM0505/dashboard/?periode=2021KW01", ".grafiek .main-svg"),
    ("beleid", "/rapportage/VT24/2021KW01/kwartaal/", None),
    ("beleid", "/regio/VT24/risicoprofiel/", None),
]


@pytest.mark.parametrize("breedte", [1280, 390])
def test_hoofdpaginas_toegankelijk_en_niet_breder_dan_het_scherm(
    live_server, chromium, regio, breedte, artefact
):
    fouten = []
    for rol, pad, teken in PAGINAS:
        browser = context(chromium, live_server, regio[rol], breedte)
        pagina = browser.new_page()
        try:
            assert pagina.goto(f"{live_server.url}{pad}").status == 200, pad
            if teken:
                pagina.wait_for_selector(teken, timeout=15_000)
            pagina.wait_for_load_state("networkidle")
            for bevinding in ernstige_bevindingen(pagina):
                fouten.append(f"{pad} bij {breedte} px: {bevinding}")
            breed = pagina.evaluate("document.documentElement.scrollWidth")
            if breed > breedte + 1:
                fouten.append(
                    f"{pad} is {breed} px breed bij een scherm van {breedte} px, door "
                    + ", ".join(pagina.evaluate(TE_BREED, breedte))
                )
            if breedte == 390 and "dashboard" in pad:
                naam = "regio" if pad.startswith("/regio") else "gemeente"
                pagina.screenshot(path=artefact(f"dashboard-{naam}-390.png"), full_page=True)
        finally:
            browser.close()
    assert not fouten, "\n".join(fouten)


@pytest.mark.parametrize("rol", ["projectleider", "beleid", "wethouder", "partner", "beheerder"])
def test_startpagina_per_rol(live_server, chromium, regio, rol, artefact):
    """Each role's home page at 390 px, with what that role does next."""
    Gegevenslevering.objects.create(
        regio=regio["zhz"],
        periode=periode("2026KW02"),
        workflow_status=WorkflowStatus.INGEDIEND,
        ingediend_door=regio["projectleider"],
        ingediend_op=timezone.now(),
    )
    verwacht = {
        "projectleider": "Uw werklijst",
        "beleid": "Te beoordelen",
        "wethouder": "Nieuw voor u",
        "partner": "Cijfers ophalen via de API",
        "beheerder": "Te beoordelen",
    }[rol]
    browser = context(chromium, live_server, regio[rol], 390)
    pagina = browser.new_page()
    try:
        pagina.goto(f"{live_server.url}/")
        pagina.get_by_text(verwacht).first.wait_for()
        assert ernstige_bevindingen(pagina) == []
        assert pagina.evaluate("document.documentElement.scrollWidth") <= 391
        pagina.screenshot(path=artefact(f"start-{rol}-390.png"), full_page=True)
        if rol in ("wethouder", "partner"):
            assert pagina.get_by_text("Cijfers invoeren").count() == 0
    finally:
        browser.close()


def test_foutoverzicht_boven_het_invoerscherm_linkt_naar_de_cel(live_server, chromium, regio):
    browser = context(chromium, live_server, regio["projectleider"], 1280)
    pagina = browser.new_page()
    try:
        pagina.goto(f"{live_server.url}/regio/VT24/cijfers/2021KW03/")
        pagina.get_by_label("Dordrecht: Meldingen Veilig Thuis", exact=True).fill("12,5")
        pagina.get_by_label("Zwijndrecht: Meldingen Veilig Thuis", exact=True).fill("1.234")
        pagina.get_by_role("button", name="Cijfers opslaan").click()
        overzicht = pagina.locator(".foutoverzicht")
        overzicht.wait_for()
        assert "2 cellen vragen uw aandacht" in overzicht.inner_text()
        link = overzicht.get_by_role("link", name="Zwijndrecht: Meldingen Veilig Thuis")
        assert "dubbelzinnig" in overzicht.inner_text()
        link.click()
        assert pagina.url.endswith("#cel-GM0642-vt_meldingen")
        assert ernstige_bevindingen(pagina) == []
    finally:
        browser.close()


def test_teruggestuurde_cijfers_na_de_looptijd_aanpassen_en_opnieuw_indienen(
    live_server, chromium, regio
):
    """2026KW02 lies after the approach (2021): returned figures can be corrected and sent
    again; no dead end."""
    Gegevenslevering.objects.create(
        regio=regio["zhz"],
        periode=periode("2026KW02"),
        workflow_status=WorkflowStatus.TERUGGESTUURD,
        reden="Dordrecht is te hoog.",
        ingediend_door=regio["projectleider"],
        beoordeeld_door=regio["beleid"],
        beoordeeld_op=timezone.now(),
    )
    browser = context(chromium, live_server, regio["projectleider"], 1280)
    pagina = browser.new_page()
    try:
        pagina.goto(f"{live_server.url}/")
        pagina.get_by_role("link", name="Cijfers 2e kwartaal 2026").click()
        pagina.get_by_text("Dordrecht is te hoog.").first.wait_for()
        assert pagina.get_by_text("valt buiten de looptijd").count() == 0
        assert pagina.get_by_role("button", name="Weer bewerken").count() == 0
        pagina.get_by_label("Dordrecht: Meldingen Veilig Thuis", exact=True).fill("401")
        pagina.get_by_role("button", name="Cijfers opslaan").click()
        pagina.get_by_role("button", name="Indienen").click()
        pagina.get_by_text("Ingediend op").first.wait_for()
    finally:
        browser.close()
    levering = Gegevenslevering.objects.get(regio=regio["zhz"], periode_id="2026KW02")
    assert levering.workflow_status == WorkflowStatus.INGEDIEND
