"""The to-do list on the home page: each role knows what to do next, with direct links, and
returned work is announced (on the page and by e-mail)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actielijnen.models import Voortgangsupdate
from actielijnen.services import voortgangsupdate_overgang
from monitoring.models import Gegevenslevering
from rapportage.services import rapport_publiceren
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.perioden import laatste_volledige_kwartaal
from tests.factories import (
    ActielijnFactory,
    GebruikerFactory,
    ProjectFactory,
    RegioaanpakFactory,
    RolFactory,
    periode,
)

pytestmark = pytest.mark.django_db
NU = laatste_volledige_kwartaal(dt.date.today())


@pytest.fixture
def regio(cijferregios):
    zhz = cijferregios["zhz"]
    aanpak = RegioaanpakFactory(
        regio=zhz, looptijd_van=dt.date(2021, 1, 1), looptijd_tot=dt.date(2030, 12, 31)
    )
    lijn = ActielijnFactory(regioaanpak=aanpak, nummer=1)
    cijferregios["handle"] = ProjectFactory(actielijn=lijn, titel="Handle with Care")
    cijferregios["trauma"] = ProjectFactory(actielijn=lijn, titel="Traumascreening")
    for naam in ("projectleider", "beleid"):
        cijferregios[naam].email = f"{naam}@zhz.example.nl"
        cijferregios[naam].first_name = naam.capitalize()
        cijferregios[naam].save()
    return cijferregios


def home(gebruiker) -> str:
    client = Client()
    client.force_login(gebruiker)
    return client.get(reverse("home")).content.decode()


def update(project, code: str, status: str, **velden) -> Voortgangsupdate:
    return Voortgangsupdate.objects.create(
        project=project, periode=periode(code), status="op_schema", workflow_status=status, **velden
    )


def test_projectleider_ziet_teruggestuurd_werk_met_de_reden(regio):
    leider, beleid = regio["projectleider"], regio["beleid"]
    oud = update(
        regio["trauma"],
        "2021KW02",
        WorkflowStatus.TERUGGESTUURD,
        reden="De begroting ontbreekt.",
        beoordeeld_door=beleid,
        beoordeeld_op=timezone.now(),
    )
    Gegevenslevering.objects.filter(regio=regio["zhz"], periode_id="2021KW02").update(
        workflow_status=WorkflowStatus.TERUGGESTUURD,
        reden="Zwijndrecht klopt niet.",
        beoordeeld_door=beleid,
    )
    html = home(leider)
    assert "Teruggestuurd: pas aan en dien opnieuw in" in html
    link = reverse("actielijnen:voortgang_update", args=[oud.project_id, "2021KW02"])
    assert f'<a href="{link}">Traumascreening: voortgang 2e kwartaal 2021</a>' in html
    assert "“De begroting ontbreekt.”" in html
    assert reverse("monitoring:gegevensgrid", args=["VT24", "2021KW02"]) in html
    assert "“Zwijndrecht klopt niet.”" in html
    # Per project of the quarter that just ended: the updates still to write.
    for project in ("Handle with Care", "Traumascreening"):
        assert f"{project}: voortgang {NU.label}" in html


def test_beleidsmedewerker_ziet_alles_wat_is_ingediend_oudste_eerst(regio):
    leider, beleid = regio["projectleider"], regio["beleid"]
    vroeg = timezone.now() - dt.timedelta(days=200)
    update(
        regio["handle"],
        NU.code,
        WorkflowStatus.INGEDIEND,
        ingediend_door=leider,
        ingediend_op=timezone.now(),
    )
    update(
        regio["trauma"],
        "2021KW03",
        WorkflowStatus.INGEDIEND,
        ingediend_door=leider,
        ingediend_op=vroeg,
    )
    Gegevenslevering.objects.create(
        regio=regio["zhz"],
        periode=periode("2021KW04"),
        workflow_status=WorkflowStatus.INGEDIEND,
        ingediend_door=beleid,
        ingediend_op=vroeg + dt.timedelta(days=1),
    )
    html = home(beleid)
    lijst = html[html.index("Te beoordelen (3, oudste eerst)") :]
    volgorde = re.findall(
        r"(Traumascreening: voortgang 3e kwartaal 2021|Cijfers 4e kwartaal 2021"
        r"|Handle with Care: voortgang)",
        lijst,
    )
    assert volgorde == [
        "Traumascreening: voortgang 3e kwartaal 2021",
        "Cijfers 4e kwartaal 2021",
        "Handle with Care: voortgang",
    ]
    assert "(door uzelf: een collega keurt het goed)" in lijst


def test_wethouder_ziet_wat_nieuw_is_sinds_het_vorige_bezoek(regio, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    zhz = regio["zhz"]
    wethouder = GebruikerFactory(username="wim")
    RolFactory(gebruiker=wethouder, regio=zhz, rol=RolSoort.BESTUURDER)
    wethouder.last_login = timezone.now() - dt.timedelta(days=1)
    wethouder.save()
    Gegevenslevering.objects.filter(periode_id="2021KW01").update(
        beoordeeld_op=timezone.now() - dt.timedelta(days=3)
    )
    Gegevenslevering.objects.filter(regio=zhz, periode_id="2021KW02").update(
        beoordeeld_op=timezone.now()
    )
    rapport_publiceren(regio=zhz, periode="2021KW02", soort="kwartaal", gebruiker=regio["beleid"])

    client = Client()
    client.post(reverse("login"), {"username": "wim", "password": "geheim-wachtwoord-123"})
    html = client.get(reverse("home")).content.decode()
    assert "Nieuw sinds uw vorige bezoek" in html
    assert "Cijfers 2e kwartaal 2021 goedgekeurd" in html
    assert "/regio/VT24/dashboard/?periode=2021KW02" in html
    assert "Kwartaalrapportage 2e kwartaal 2021, versie 1" in html
    assert "Cijfers 1e kwartaal 2021 goedgekeurd" not in html  # before the previous visit
    # Within this visit the list stays the same.
    assert "Cijfers 2e kwartaal 2021 goedgekeurd" in client.get(reverse("home")).content.decode()
    assert "Cijfers invoeren" not in html and "Cijfers beoordelen" not in html


def test_partner_krijgt_de_api_en_zijn_tokens(regio, api_token):
    partner = regio["partner"]
    api_token(partner, ["VT24"], naam="Power BI")
    html = home(partner)
    assert "Cijfers ophalen via de API" in html
    assert reverse("api:docs") in html
    assert "Power BI" in html and "lezen" in html and "VT24" in html
    assert "Cijfers invoeren" not in html and "Volledigheid" not in html


def test_partner_zonder_token_hoort_hoe_hij_er_een_krijgt(regio):
    assert "U heeft nog geen API-token" in home(regio["partner"])


def test_terugsturen_van_een_update_mailt_de_indiener(regio, django_capture_on_commit_callbacks):
    leider, beleid = regio["projectleider"], regio["beleid"]
    ingediend = update(
        regio["handle"],
        NU.code,
        WorkflowStatus.INGEDIEND,
        ingediend_door=leider,
        ingediend_op=timezone.now(),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        voortgangsupdate_overgang(
            update=ingediend,
            naar=WorkflowStatus.TERUGGESTUURD,
            gebruiker=beleid,
            reden="Graag de resultaten concreter.",
            basis_url="https://monitor.example.nl/",
        )
    bericht = next(m for m in mail.outbox if m.to == ["projectleider@zhz.example.nl"])
    assert bericht.subject.startswith("Teruggestuurd: de voortgangsupdate van Handle with Care")
    assert "Graag de resultaten concreter." in bericht.body
    link = reverse("actielijnen:voortgang_update", args=[ingediend.project_id, NU.code])
    assert f"https://monitor.example.nl{link}" in bericht.body


def test_terugsturen_van_cijfers_mailt_de_indiener(regio, django_capture_on_commit_callbacks):
    leider, beleid = regio["projectleider"], regio["beleid"]
    Gegevenslevering.objects.create(
        regio=regio["zhz"],
        periode=periode("2021KW03"),
        workflow_status=WorkflowStatus.INGEDIEND,
        ingediend_door=leider,
        ingediend_op=timezone.now(),
    )
    client = Client()
    client.force_login(beleid)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        antwoord = client.post(
            reverse("monitoring:gegevens_overgang", args=["VT24", "2021KW03"]),
            {"naar": WorkflowStatus.TERUGGESTUURD, "reden": "Dordrecht ontbreekt."},
        )
    assert antwoord.status_code == 302
    bericht = next(m for m in mail.outbox if m.to == ["projectleider@zhz.example.nl"])
    assert "de cijfers van Zuid-Holland Zuid over 3e kwartaal 2021" in bericht.subject
    assert "Dordrecht ontbreekt." in bericht.body
    assert "/regio/VT24/cijfers/2021KW03/" in bericht.body
