"""Personal API tokens: made once (only the hash kept), scoped, expiring, revocable; by the
admin and by `manage.py api_token`."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from regioaanpak.choices import AuditActie
from regioaanpak.models import ApiToken, AuditRegel, Regio, token_hash
from regioaanpak.services import TokenFout, api_token_aanmaken

pytestmark = pytest.mark.django_db


def test_alleen_de_hash_wordt_bewaard(cijferregios):
    token, tekst = api_token_aanmaken(
        gebruiker=cijferregios["partner"],
        scope="lezen",
        regios=[cijferregios["zhz"]],
        dagen=30,
        naam="Power BI",
    )
    bewaard = ApiToken.objects.filter(pk=token.pk).values().get()
    assert tekst not in {str(v) for v in bewaard.values()}
    assert bewaard["sleutel_hash"] == token_hash(tekst) and bewaard["prefix"] == tekst[:8]
    assert len(tekst) >= 40
    verloopt = token.verloopt_op - timezone.now()
    assert dt.timedelta(days=29, hours=23) < verloopt <= dt.timedelta(days=30)
    assert AuditRegel.objects.get(object_type="regioaanpak.apitoken").actie == AuditActie.AANGEMAAKT


@pytest.mark.parametrize(
    ("regios", "dagen", "tekst"),
    [
        (["VT06"], 30, "geen rol in Gelderland-Zuid (VT06)"),
        ([], 30, "ten minste één regio"),
        (["VT24"], 0, "1 tot 730 dagen"),
        (["VT24"], 1000, "1 tot 730 dagen"),
    ],
)
def test_token_niet_verder_dan_de_rollen_en_niet_eeuwig(cijferregios, regios, dagen, tekst):
    with pytest.raises(TokenFout, match=re.escape(tekst)):
        api_token_aanmaken(
            gebruiker=cijferregios["partner"],
            scope="lezen",
            regios=list(Regio.objects.filter(code__in=regios)),
            dagen=dagen,
        )


def test_commando_toont_het_token_eenmaal_en_het_werkt(cijferregios, api):
    uit, fout = StringIO(), StringIO()
    call_command(
        "api_token",
        "--gebruiker",
        "vera-vt",
        "--scope",
        "schrijven",
        "--regio",
        "VT24",
        "--dagen",
        "14",
        stdout=uit,
        stderr=fout,
    )
    tekst = uit.getvalue().strip()
    assert "niet opnieuw getoond" in fout.getvalue()
    token = ApiToken.objects.get(sleutel_hash=token_hash(tekst))
    assert token.mag_schrijven and list(token.regios.values_list("code", flat=True)) == ["VT24"]
    assert api(tekst).get("/api/v1/waarnemingen/").status_code == 200

    call_command("api_token", "--intrekken", token.prefix, stdout=StringIO())
    antwoord = api(tekst).get("/api/v1/waarnemingen/")
    assert antwoord.status_code == 401 and "ingetrokken" in antwoord.json()["detail"]


@pytest.mark.parametrize(
    ("argumenten", "tekst"),
    [
        (["--gebruiker", "niemand", "--regio", "VT24"], "Gebruiker 'niemand' bestaat niet"),
        (["--gebruiker", "vera-vt", "--regio", "VT99"], "Onbekende regio: VT99"),
        (["--gebruiker", "vera-vt", "--regio", "VT06"], "geen rol in Gelderland-Zuid"),
        (["--intrekken", "zzzzzzzz"], "Geen token dat begint met 'zzzzzzzz'"),
    ],
)
def test_commando_foute_invoer(cijferregios, argumenten, tekst):
    with pytest.raises(CommandError, match=re.escape(tekst)):
        call_command("api_token", *argumenten, stdout=StringIO(), stderr=StringIO())


def test_beheerder_maakt_token_in_het_beheer_en_ziet_het_eenmaal(client, cijferregios, api):
    from django.contrib.auth import get_user_model

    beheerder = get_user_model().objects.create_superuser("bea", password="bea-beheer-2026")
    client.force_login(beheerder)
    antwoord = client.post(
        "/beheer/regioaanpak/apitoken/add/",
        {
            "gebruiker": cijferregios["partner"].pk,
            "naam": "GGD Power BI",
            "scope": "lezen",
            "regios": ["VT24"],
            "dagen": "60",
        },
        follow=True,
    )
    assert antwoord.status_code == 200
    berichten = [str(m) for m in antwoord.context["messages"]]
    tekst = re.search(r"API-token is: (\S+)\.", " ".join(berichten)).group(1)
    token = ApiToken.objects.get(sleutel_hash=token_hash(tekst))
    assert token.aangemaakt_door == beheerder and token.naam == "GGD Power BI"
    assert api(tekst).get("/api/v1/regios/").status_code == 200
    # The change page never shows it again.
    detail = client.get(f"/beheer/regioaanpak/apitoken/{token.pk}/change/")
    assert tekst.encode() not in detail.content and token.prefix.encode() in detail.content

    client.post(
        "/beheer/regioaanpak/apitoken/",
        {"action": "intrekken", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.ingetrokken_door == beheerder and token.is_ingetrokken


def test_beheer_weigert_regio_zonder_rol(client, cijferregios):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("bea", password="bea-2026-x"))
    antwoord = client.post(
        "/beheer/regioaanpak/apitoken/add/",
        {"gebruiker": cijferregios["partner"].pk, "scope": "lezen", "regios": ["VT06"], "dagen": 5},
    )
    assert antwoord.status_code == 200
    assert "heeft geen rol in Gelderland-Zuid" in antwoord.content.decode()
    assert not ApiToken.objects.exists()


def test_een_nieuw_token_begint_nooit_met_een_streepje(monkeypatch, cijferregios):
    """A token beginning with '-' could not be revoked on the command line (argparse read it
    as an option); this test failed whenever the random token happened to start with '-'."""
    import secrets

    from regioaanpak.services import nieuw_token

    reeks = iter(["-begintmetstreepje" + "a" * 25, "_ookniet" + "b" * 35, "Goed" + "c" * 39])
    monkeypatch.setattr(secrets, "token_urlsafe", lambda _n: next(reeks))
    assert nieuw_token() == "Goed" + "c" * 39


@pytest.mark.parametrize("vorm", ["los", "met_is"])
def test_intrekken_van_een_oud_token_dat_met_een_streepje_begint(cijferregios, api, vorm):
    from regioaanpak.models import Regio
    from regioaanpak.services import api_token_aanmaken

    _token, tekst = api_token_aanmaken(
        gebruiker=cijferregios["partner"],
        scope="lezen",
        regios=[Regio.objects.get(code="VT24")],
        dagen=10,
        sleutel="-oud-token-van-voor-de-regel-0123456789",
    )
    prefix = tekst[:8]
    assert prefix.startswith("-")
    argumenten = ["--intrekken", prefix] if vorm == "los" else [f"--intrekken={prefix}"]
    uit = StringIO()
    call_command("api_token", *argumenten, stdout=uit)
    assert "is ingetrokken" in uit.getvalue()
    assert api(tekst).get("/api/v1/waarnemingen/").status_code == 401


def test_aanmaken_is_alles_of_niets(cijferregios, monkeypatch):
    """A failure after the token row (its regions, its audit entry) leaves no token behind: a
    token without regions or without its audit entry never exists."""
    import regioaanpak.services as services

    def kapot(**kwargs):
        raise RuntimeError("audit niet bereikbaar")

    monkeypatch.setattr(services, "audit_schrijf", kapot)
    with pytest.raises(RuntimeError):
        api_token_aanmaken(
            gebruiker=cijferregios["partner"],
            scope="lezen",
            regios=list(Regio.objects.filter(code="VT24")),
            dagen=30,
        )
    assert not ApiToken.objects.exists()


def test_token_van_een_organisatie_in_de_lijst_en_het_audit(cijferregios, organisaties):
    from regioaanpak.models import Organisatie

    token, _tekst = api_token_aanmaken(
        gebruiker=cijferregios["partner"],
        scope="schrijven",
        regios=list(Regio.objects.filter(code="VT24")),
        dagen=30,
        organisatie=Organisatie.objects.get(code="blijf-van-mijn-lijf"),
    )
    regel = AuditRegel.objects.get(object_type="regioaanpak.apitoken", object_id=str(token.pk))
    assert regel.na["organisatie"] == "blijf-van-mijn-lijf"
