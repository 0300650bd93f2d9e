from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client

from regioaanpak.choices import RolSoort
from regioaanpak.models import Rol

pytestmark = pytest.mark.django_db


def test_een_demogebruiker_per_rol_met_afgedrukte_inloggegevens(gebieden):
    uit = StringIO()
    call_command("maak_demogebruikers", stdout=uit)
    tekst = uit.getvalue()
    for rol in RolSoort:
        assert Rol.objects.filter(rol=rol, regio_id="VT24").count() == 1
    wethouder = Rol.objects.get(rol=RolSoort.BESTUURDER)
    assert wethouder.gemeente_id == "GM0505"
    assert "gebruiker: projectleider" in tekst and "wachtwoord: projectleider-demo2026" in tekst
    # django-axes needs the request to count failures (its documented way in tests).
    assert Client().login(
        request=HttpRequest(), username="wethouder", password="wethouder-demo2026"
    )
    # The beleidsmedewerker also works for Rotterdam-Rijnmond (its goal tree in the demo).
    assert Rol.objects.get(regio_id="VT18").rol == RolSoort.BELEIDSMEDEWERKER
    assert "beleidsmedewerker-demo2026   (Zuid-Holland Zuid; Rotterdam-Rijnmond)" in tekst
    # Running it again changes nothing and does not fail.
    call_command("maak_demogebruikers", stdout=StringIO())
    assert Rol.objects.count() == len(RolSoort) + 1


def test_demogebruikers_niet_in_productie(gebieden, settings):
    settings.PRODUCTIE = True
    with pytest.raises(CommandError, match="niet aangemaakt"):
        call_command("maak_demogebruikers", stdout=StringIO())


def test_demotokens_werken_en_zijn_afgedrukt(gebieden, api):
    uit = StringIO()
    call_command("maak_demogebruikers", stdout=uit)
    call_command("maak_demogebruikers", stdout=StringIO())  # again: still one token each
    assert "Authorization: Token partner-demo2026-api-token" in uit.getvalue()
    assert api("partner-demo2026-api-token").get("/api/v1/regios/VT24/").status_code == 200
    lezer = api("beleidsmedewerker-demo2026-api-token")
    assert lezer.get("/api/v1/waarnemingen/").status_code == 200
    assert lezer.post("/api/v1/waarnemingen/import/", [], format="json").status_code == 403
