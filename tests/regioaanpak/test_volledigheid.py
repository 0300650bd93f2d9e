"""The completeness page, the leader's to-do list on the home page, and reminder e-mails."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from actielijnen.models import Voortgangsupdate
from monitoring.models import Gegevenslevering, Indicator, Waarneming
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.perioden import laatste_volledige_kwartaal
from tests.factories import (
    GebruikerFactory,
    GemeenteFactory,
    LidmaatschapFactory,
    ProjectFactory,
    RegioaanpakFactory,
    RegioFactory,
    RolFactory,
    periode,
)

pytestmark = pytest.mark.django_db
# The quarter that is due now, so the home page's to-do list shows it.
DUE = laatste_volledige_kwartaal(dt.date.today())
KWARTAAL = DUE.code


@pytest.fixture
def zhz(indicatoren):
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    aanpak = RegioaanpakFactory(
        regio=regio,
        titel="Regiovisie en actieplan GHNT Zuid-Holland Zuid",
        looptijd_van=dt.date(2020, 1, 1),
        looptijd_tot=dt.date(2030, 12, 31),
    )
    handle = ProjectFactory(actielijn__regioaanpak=aanpak, titel="Handle with Care")
    trauma = ProjectFactory(actielijn=handle.actielijn, titel="Traumascreening")
    Voortgangsupdate.objects.create(
        project=handle,
        periode=periode(KWARTAAL),
        status="op_schema",
        workflow_status=WorkflowStatus.INGEDIEND,
    )
    dordrecht = GemeenteFactory(cbs_code="GM0505", naam="Dordrecht")
    papendrecht = GemeenteFactory(cbs_code="GM0590", naam="Papendrecht")
    for gemeente in (dordrecht, papendrecht):
        LidmaatschapFactory(regio=regio, gemeente=gemeente)
    for indicator in Indicator.objects.gemeten():
        Waarneming.objects.create(
            indicator=indicator, gemeente=dordrecht, periode=periode(KWARTAAL), waarde=Decimal(5)
        )
    leider = GebruikerFactory(username="petra", first_name="Petra", email="petra@dordrecht.example")
    RolFactory(gebruiker=leider, regio=regio, rol=RolSoort.PROJECTLEIDER)
    return regio, handle, trauma, leider


def test_volledigheid_toont_updates_en_ontbrekende_cijfers(client, zhz):
    *_, trauma, leider = zhz
    client.force_login(leider)
    html = client.get(reverse("volledigheid", args=["VT24", KWARTAAL])).content.decode()
    assert "1 van 2 projecten hebben nog geen ingediende update" in html
    assert "Handle with Care" in html and "ingediend" in html
    assert "Traumascreening" in html and "geen update" in html
    assert reverse("actielijnen:voortgang_update", args=[trauma.pk, KWARTAAL]) in html
    # Of a quarter the quarterly indicators: the yearly survey is counted in its year.
    gemeten = Indicator.objects.gemeten().exclude(frequentie="jaar").count()
    assert f"{gemeten} van {gemeten}" in html  # Dordrecht complete
    assert f"0 van {gemeten}" in html and "cijfers ontbreken" in html  # Papendrecht
    assert reverse("monitoring:gegevensgrid", args=["VT24", KWARTAAL]) in html


def test_volledigheid_toont_goedgekeurde_levering(client, zhz):
    regio, *_, leider = zhz
    Gegevenslevering.objects.create(
        regio=regio, periode=periode(KWARTAAL), workflow_status=WorkflowStatus.GOEDGEKEURD
    )
    client.force_login(leider)
    html = client.get(reverse("volledigheid", args=["VT24", KWARTAAL])).content.decode()
    assert "goedgekeurd en vergrendeld" in html


@pytest.mark.parametrize(
    ("wie", "verwacht"),
    [
        ("anoniem", 302),
        ("zonder_rol", 404),
        ("andere_regio", 404),
        ("bestuurder", 404),  # a workflow page: for those who enter or review
        ("projectleider", 200),
    ],
)
def test_volledigheid_toegang(client, zhz, wie, verwacht):
    if wie != "anoniem":
        gebruiker = GebruikerFactory(username=wie)
        if wie == "andere_regio":
            RolFactory(gebruiker=gebruiker, regio=RegioFactory(code="VT06", naam="Gelderland-Zuid"))
        elif wie in ("bestuurder", "projectleider"):
            RolFactory(gebruiker=gebruiker, regio=zhz[0], rol=wie)
        client.force_login(gebruiker)
    assert client.get(reverse("volledigheid", args=["VT24", KWARTAAL])).status_code == verwacht


def test_foute_periode_in_de_url_geeft_404(client, zhz):
    client.force_login(zhz[3])
    assert client.get(reverse("volledigheid", args=["VT24", "2021KW07"])).status_code == 404


def test_startpagina_toont_wat_de_projectleider_nog_moet_doen(client, zhz):
    """Per project a direct link to the update still to write, and the grid for the figures."""
    _regio, handle, trauma, leider = zhz
    client.force_login(leider)
    html = client.get(reverse("home")).content.decode()
    assert f"Nog te doen voor het {DUE.label}" in html
    schrijven = reverse("actielijnen:voortgang_update", args=[trauma.pk, KWARTAAL])
    assert f'<a href="{schrijven}">Traumascreening: voortgang {DUE.label}</a>' in html
    ingediend = reverse("actielijnen:voortgang_update", args=[handle.pk, KWARTAAL])
    assert f'<a href="{ingediend}">Handle with Care: voortgang' not in html  # submitted
    assert f"Cijfers {DUE.label}: 1 gemeenten nog niet compleet" in html
    assert reverse("monitoring:gegevensgrid", args=["VT24", KWARTAAL]) in html


def test_herinneringen_voor_ontbrekende_updates(zhz):
    uit = StringIO()
    call_command("stuur_herinneringen", "--periode", KWARTAAL, stdout=uit)
    assert f"1 herinnering verstuurd voor {KWARTAAL}" in uit.getvalue()
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.to == ["petra@dordrecht.example"]
    assert DUE.label in bericht.subject
    assert "Traumascreening" in bericht.body and "Handle with Care" not in bericht.body


def test_herinneringen_proefdraai_en_foute_invoer(zhz):
    uit = StringIO()
    call_command("stuur_herinneringen", "--periode", KWARTAAL, "--dry-run", stdout=uit)
    assert "Proefdraai: 1 herinnering" in uit.getvalue() and not mail.outbox
    with pytest.raises(CommandError, match="geen kwartaal"):
        call_command("stuur_herinneringen", "--periode", "2021HJ01")
    with pytest.raises(CommandError, match="geen geldige periodecode"):
        call_command("stuur_herinneringen", "--periode", "2021KW9")


def test_regiopagina_opent_op_het_laatste_kwartaal_van_een_afgelopen_regioaanpak(client, zhz):
    regio, *_, leider = zhz
    aanpak = regio.regioaanpakken.get()
    aanpak.looptijd_tot = dt.date(2021, 12, 31)
    aanpak.save()
    client.force_login(leider)
    antwoord = client.get(reverse("regio", args=["VT24"]))
    assert antwoord["Location"] == reverse("volledigheid", args=["VT24", "2021KW04"])
    antwoord = client.get(reverse("monitoring:gegevensgrid_start", args=["VT24"]))
    assert antwoord["Location"].startswith(
        reverse("monitoring:gegevensgrid", args=["VT24", "2021KW04"])
    )


def test_startpagina_van_superuser_blijft_licht(client, zhz, django_assert_max_num_queries):
    for nummer in range(10):
        RegioFactory(code=f"VT{nummer + 10}", naam=f"Regio zonder aanpak {nummer}")
    client.force_login(GebruikerFactory(username="super", is_superuser=True, is_staff=True))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("home")).status_code == 200
