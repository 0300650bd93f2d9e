"""The main journey of issue 3 in a real browser (Debian's Chromium through Playwright).

The project leader fills in and submits a progress update and a figure; the official
returns the figures with a reason and approves the update; the leader fixes the figure and
resubmits; the official approves and the values are locked.
"""

import datetime as dt
from decimal import Decimal

import pytest

from actielijnen.models import Voortgangsupdate
from monitoring.models import Gegevenslevering
from regioaanpak.choices import RolSoort, WorkflowStatus
from tests.factories import (
    GebruikerFactory,
    GemeenteFactory,
    LidmaatschapFactory,
    ProjectFactory,
    RegioaanpakFactory,
    RegioFactory,
    RolFactory,
    opgeslagen,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KWARTAAL = "2021KW02"
WACHTWOORD = "geheim-wachtwoord-123"


@pytest.fixture
def zuid_holland_zuid(indicatoren):
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    aanpak = RegioaanpakFactory(
        regio=regio,
        titel="Regiovisie en actieplan Geweld hoort nergens thuis Zuid-Holland Zuid",
        looptijd_van=dt.date(2020, 1, 1),
        looptijd_tot=dt.date(2021, 12, 31),
    )
    petra = GebruikerFactory(username="petra", first_name="Petra", last_name="Projectleider")
    bart = GebruikerFactory(username="bart", first_name="Bart", last_name="Beleid")
    RolFactory(gebruiker=petra, regio=regio, rol=RolSoort.PROJECTLEIDER)
    RolFactory(gebruiker=bart, regio=regio, rol=RolSoort.BELEIDSMEDEWERKER)
    project = ProjectFactory(
        actielijn__regioaanpak=aanpak,
        actielijn__titel="Stoppen en duurzaam oplossen",
        titel="Handle with Care",
        projectleider=petra,
    )
    LidmaatschapFactory(regio=regio, gemeente=GemeenteFactory(cbs_code="GM0505", naam="Dordrecht"))
    return project


def inloggen(pagina, url, gebruiker):
    pagina.context.clear_cookies()
    pagina.goto(f"{url}/inloggen/")
    pagina.get_by_label("Gebruikersnaam").fill(gebruiker)
    pagina.get_by_label("Wachtwoord").fill(WACHTWOORD)
    pagina.get_by_role("button", name="Inloggen").click()
    pagina.get_by_role("heading", name="Regio's en hun regioaanpak").wait_for()


def test_hoofdreis_invullen_terugsturen_verbeteren_goedkeuren(
    live_server, pagina, artefact, zuid_holland_zuid
):
    project = zuid_holland_zuid
    url = live_server.url
    update_url = f"{url}/projecten/{project.pk}/voortgang/{KWARTAAL}/"
    grid_url = f"{url}/regio/VT24/cijfers/{KWARTAAL}/"

    # 1. The project leader fills in and submits the update ...
    inloggen(pagina, url, "petra")
    pagina.goto(update_url)
    pagina.get_by_label("Status van het project").select_option(label="op schema")
    pagina.get_by_label("Toelichting", exact=True).fill(
        "Afspraken met politie en onderwijs gemaakt."
    )
    pagina.get_by_label("Uitgaven tot en met dit kwartaal (euro)").fill("12.500,00")
    pagina.get_by_role("button", name="Opslaan en indienen").click()
    pagina.get_by_text("ingediend", exact=True).first.wait_for()
    pagina.screenshot(path=artefact("reis-1-update-ingediend.png"), full_page=True)

    # ... and a figure, and submits the figures.
    pagina.goto(grid_url)
    pagina.get_by_label("Dordrecht: Meldingen Veilig Thuis", exact=True).fill("412")
    pagina.get_by_role("button", name="Cijfers opslaan").click()
    pagina.get_by_role("button", name="Indienen").click()
    pagina.get_by_text("ingediend").first.wait_for()
    pagina.screenshot(path=artefact("reis-2-cijfers-ingediend.png"), full_page=True)

    # 2. The official approves the update and returns the figures with a reason.
    inloggen(pagina, url, "bart")
    pagina.goto(update_url)
    pagina.get_by_role("button", name="Goedkeuren").click()
    pagina.goto(grid_url)
    pagina.get_by_label("Reden bij terugsturen (verplicht)").fill(
        "Het aantal meldingen in Dordrecht lijkt te laag; graag controleren."
    )
    pagina.get_by_role("button", name="Terugsturen").click()
    pagina.get_by_text("teruggestuurd").first.wait_for()

    # 3. The leader sees the reason, fixes the figure and resubmits.
    inloggen(pagina, url, "petra")
    pagina.goto(grid_url)
    assert pagina.get_by_text("lijkt te laag").first.is_visible()
    pagina.get_by_label("Dordrecht: Meldingen Veilig Thuis", exact=True).fill("415")
    pagina.get_by_role("button", name="Cijfers opslaan").click()
    pagina.get_by_role("button", name="Indienen").click()
    pagina.get_by_text("ingediend").first.wait_for()

    # 4. The official approves; the figures are locked.
    inloggen(pagina, url, "bart")
    pagina.goto(grid_url)
    pagina.get_by_role("button", name="Goedkeuren").click()
    pagina.get_by_text("Goedgekeurd en vergrendeld").first.wait_for()

    inloggen(pagina, url, "petra")
    pagina.goto(grid_url)
    pagina.get_by_text("Goedgekeurd en vergrendeld").first.wait_for()
    assert pagina.get_by_label("Dordrecht: Meldingen Veilig Thuis", exact=True).count() == 0
    assert pagina.get_by_role("button", name="Cijfers opslaan").count() == 0
    pagina.screenshot(path=artefact("reis-3-vergrendeld.png"), full_page=True)

    update = Voortgangsupdate.objects.get(project=project, periode_id=KWARTAAL)
    assert update.workflow_status == WorkflowStatus.GOEDGEKEURD
    assert update.uitgaven_tm_kwartaal == Decimal("12500.00")
    levering = Gegevenslevering.objects.get(regio_id="VT24", periode_id=KWARTAAL)
    assert levering.workflow_status == WorkflowStatus.GOEDGEKEURD
    figuur = opgeslagen().get(gemeente_id="GM0505", indicator_id="vt_meldingen")
    assert figuur.waarde == Decimal(415)
