"""Login protection, the second step, the Content-Security-Policy and the error pages.

- After 5 wrong passwords for a user name, or from one address, logging in is refused for a
  quarter of an hour, also with the right password (django-axes, counted in the database, so
  every worker counts the same attempts).
- A forgotten password is reset by e-mail, in Dutch, with Django's own views.
- With TWEESTAPS_VERPLICHT, beheerders and staff set up an authenticator app before anything
  else; whoever has one gives its code after the password.
- Every page carries a CSP without 'unsafe-inline' for scripts.
- 403, 404 and 500 are Dutch pages in the site's layout, and JSON under /api/.
"""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from regioaanpak.choices import RolSoort
from tests.factories import GebruikerFactory, RegioFactory, RolFactory

pytestmark = pytest.mark.django_db

WACHTWOORD = "een-lang-wachtwoord-2026"


@pytest.fixture
def regio(db):
    return RegioFactory(code="VT24", naam="Zuid-Holland Zuid")


def maak(regio, naam: str, rol: str, **velden):
    gebruiker = GebruikerFactory(username=naam, email=f"{naam}@zhz.example.nl", **velden)
    gebruiker.set_password(WACHTWOORD)
    gebruiker.save()
    RolFactory(gebruiker=gebruiker, regio=regio, rol=rol)
    return gebruiker


def inloggen(client: Client, naam: str, wachtwoord: str = WACHTWOORD, adres="10.0.0.1"):
    return client.post("/inloggen/", {"username": naam, "password": wachtwoord}, REMOTE_ADDR=adres)


# -- lockout
def test_na_vijf_foute_wachtwoorden_ook_het_goede_geweigerd(regio):
    maak(regio, "bea", RolSoort.BEHEERDER)
    client = Client()
    for poging in range(5):
        antwoord = inloggen(client, "bea", f"fout-{poging}")
        assert antwoord.status_code in (200, 429)
    antwoord = inloggen(client, "bea")
    assert antwoord.status_code == 429
    html = antwoord.content.decode()
    assert "Inloggen tijdelijk geblokkeerd" in html and "15 minuten" in html
    assert "_auth_user_id" not in client.session
    # Counted in the database: another worker process sees the same attempts.
    assert AccessAttempt.objects.get(username="bea").failures_since_start >= 5


def test_blokkade_geldt_per_gebruiker_ook_vanaf_een_ander_adres(regio):
    maak(regio, "bea", RolSoort.BEHEERDER)
    for poging in range(5):
        inloggen(Client(), "bea", f"fout-{poging}", adres=f"10.0.1.{poging}")
    assert inloggen(Client(), "bea", adres="10.0.9.9").status_code == 429


def test_blokkade_geldt_per_adres_ook_voor_andere_gebruikers(regio):
    maak(regio, "piet", RolSoort.PROJECTLEIDER)
    for poging in range(5):
        inloggen(Client(), f"raden-{poging}", "fout", adres="10.0.2.2")
    assert inloggen(Client(), "piet", adres="10.0.2.2").status_code == 429
    assert inloggen(Client(), "piet", adres="10.0.3.3").status_code == 302


def test_goede_inlog_zet_de_telling_terug(regio):
    maak(regio, "piet", RolSoort.PROJECTLEIDER)
    client = Client()
    for poging in range(4):
        inloggen(client, "piet", f"fout-{poging}")
    assert inloggen(client, "piet").status_code == 302
    assert not AccessAttempt.objects.filter(username="piet").exists()


# -- password reset
def test_oude_pbkdf2_hash_logt_in_en_wordt_argon2(regio, settings):
    """Passwords are hashed with Argon2id; a user whose hash predates it (PBKDF2) still logs
    in with the same password, and the hash is upgraded at that login, once."""
    from django.contrib.auth.hashers import make_password

    from regioaanpak import settings as projectsettings

    settings.PASSWORD_HASHERS = projectsettings.PASSWORD_HASHERS  # the real list, not MD5
    gebruiker = maak(regio, "oud", RolSoort.BELEIDSMEDEWERKER)
    gebruiker.password = make_password(WACHTWOORD, hasher="pbkdf2_sha256")
    gebruiker.save()
    assert gebruiker.password.startswith("pbkdf2_sha256$")
    antwoord = inloggen(Client(), "oud")
    assert antwoord.status_code == 302
    gebruiker.refresh_from_db()
    # OWASP's Argon2id parameters: 19 MiB, 2 iterations, 1 lane (regioaanpak/wachtwoorden.py)
    assert gebruiker.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    hash_na_upgrade = gebruiker.password
    assert inloggen(Client(), "oud", adres="10.0.0.2").status_code == 302
    gebruiker.refresh_from_db()
    assert gebruiker.password == hash_na_upgrade  # not rehashed at every login
    assert inloggen(Client(), "oud", "fout-wachtwoord-2026", adres="10.0.0.3").status_code == 200


def test_wachtwoord_vergeten_per_email_in_het_nederlands(regio):
    maak(regio, "piet", RolSoort.PROJECTLEIDER)
    client = Client()
    assert "Wachtwoord vergeten?" in client.get("/inloggen/").content.decode()
    antwoord = client.post("/wachtwoord/herstel/", {"email": "piet@zhz.example.nl"})
    assert antwoord.status_code == 302
    assert "Kijk in uw e-mail" in client.get(antwoord.url).content.decode()
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.subject == "Nieuw wachtwoord voor de Regioaanpak monitor"
    assert "Kies een nieuw wachtwoord via deze link" in bericht.body
    link = re.search(r"http://testserver(/wachtwoord/herstel/\S+/)", bericht.body).group(1)
    formulier = client.get(link, follow=True)
    assert "Kies een nieuw wachtwoord" in formulier.content.decode()
    antwoord = client.post(
        formulier.redirect_chain[-1][0],
        {"new_password1": "nieuw-en-lang-2026!", "new_password2": "nieuw-en-lang-2026!"},
    )
    assert antwoord.status_code == 302
    assert "Uw nieuwe wachtwoord is opgeslagen" in client.get(antwoord.url).content.decode()
    assert inloggen(Client(), "piet", "nieuw-en-lang-2026!").status_code == 302
    # The link works once.
    assert "Deze link werkt niet meer" in Client().get(link, follow=True).content.decode()


def test_onbekend_adres_krijgt_hetzelfde_antwoord_en_geen_mail(regio):
    antwoord = Client().post("/wachtwoord/herstel/", {"email": "niemand@example.nl"})
    assert antwoord.status_code == 302
    assert mail.outbox == []


def test_zwak_nieuw_wachtwoord_wordt_geweigerd(regio):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as fout:
        validate_password("kort1")
    assert fout.value.messages[0] == "Dit wachtwoord is te kort: gebruik minstens 10 tekens."


# -- two-factor authentication
def code(apparaat: TOTPDevice, stap: int = 0) -> str:
    return f"{totp(apparaat.bin_key, step=apparaat.step, t0=apparaat.t0, drift=stap):06d}"


def test_beheerder_stelt_eerst_de_tweede_stap_in(regio, settings):
    settings.TWEESTAPS_VERPLICHT = True
    maak(regio, "bea", RolSoort.BEHEERDER)
    client = Client()
    antwoord = inloggen(client, "bea")
    assert antwoord.status_code == 302
    antwoord = client.get("/regio/VT24/")
    assert antwoord.status_code == 302
    assert antwoord.url.startswith("/inloggen/tweestaps/?next=")
    assert client.get("/beheer/").url.startswith("/inloggen/tweestaps/")
    api = client.get("/api/v1/regios/")
    assert api.status_code == 403 and "tweede stap" in api.json()["detail"]

    pagina = client.get("/inloggen/tweestaps/?next=/regio/VT24/").content.decode()
    assert "Voor uw rol (beheer) is een tweede stap bij het inloggen verplicht" in pagina
    assert 'src="data:image/svg+xml' in pagina
    apparaat = TOTPDevice.objects.get(user__username="bea", confirmed=False)
    fout = client.post("/inloggen/tweestaps/", {"code": "000000", "next": "/regio/VT24/"})
    assert fout.status_code == 400 and "De code klopt niet" in fout.content.decode()
    # Right after a wrong code even the right one waits (django-otp's throttling).
    te_snel = client.post("/inloggen/tweestaps/", {"code": code(apparaat), "next": "/"})
    assert (
        te_snel.status_code == 400 and "wacht de monitor steeds langer" in te_snel.content.decode()
    )
    apparaat.refresh_from_db()
    apparaat.throttle_reset()  # as after the wait
    goed = client.post("/inloggen/tweestaps/", {"code": code(apparaat), "next": "/regio/VT24/"})
    assert goed.status_code == 302 and goed.url == "/regio/VT24/"
    assert client.get("/").status_code == 200

    # The next login asks for the code after the password.
    tweede = Client()
    inloggen(tweede, "bea")
    antwoord = tweede.get("/")
    assert antwoord.url.startswith("/inloggen/code/?next=")
    apparaat.refresh_from_db()
    # The code of the step already used cannot be used again (replay): the next step's can.
    assert tweede.post("/inloggen/code/", {"code": code(apparaat)}).status_code == 400
    apparaat.refresh_from_db()
    apparaat.throttle_reset()
    antwoord = tweede.post("/inloggen/code/", {"code": code(apparaat, stap=1), "next": "/"})
    assert antwoord.status_code == 302
    assert tweede.get("/").status_code == 200


def test_tweede_stap_is_vrijwillig_voor_andere_rollen(regio, settings):
    settings.TWEESTAPS_VERPLICHT = True
    maak(regio, "vera", RolSoort.PARTNER)
    client = Client()
    inloggen(client, "vera")
    assert client.get("/").status_code == 200
    client.get("/inloggen/tweestaps/")
    apparaat = TOTPDevice.objects.get(user__username="vera")
    client.post("/inloggen/tweestaps/", {"code": code(apparaat)})
    # Once set up, it is used at every login.
    tweede = Client()
    inloggen(tweede, "vera")
    assert tweede.get("/").url.startswith("/inloggen/code/")
    # And it can be switched off again by the user.
    client.post("/inloggen/tweestaps/uitzetten/")
    assert not TOTPDevice.objects.filter(user__username="vera").exists()


def test_staf_zonder_beheerdersrol_moet_ook(regio, settings):
    settings.TWEESTAPS_VERPLICHT = True
    maak(regio, "sjaak", RolSoort.BELEIDSMEDEWERKER, is_staff=True)
    client = Client()
    inloggen(client, "sjaak")
    assert client.get("/").url.startswith("/inloggen/tweestaps/")


# -- Content-Security-Policy
@pytest.mark.parametrize(
    "pad",
    [
        "/inloggen/",
        "/",
        "/regio/VT24/volledigheid/2021KW01/",
        "/rapportage/",
        "/api/v1/",
        "/api/v1/docs/",
        "/api/v1/redoc/",
    ],
)
def test_csp_op_elke_pagina(regio, pad):
    client = Client()
    client.force_login(maak(regio, "piet", RolSoort.PROJECTLEIDER))
    antwoord = client.get(pad)
    assert antwoord.status_code == 200
    csp = antwoord["Content-Security-Policy"]
    scripts = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in scripts
    assert "unsafe-inline" not in scripts and "unsafe-eval" not in scripts
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    html = antwoord.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", scripts)
    nonce = nonce.group(1) if nonce else "(geen)"
    for tag in re.findall(r"<script\b[^>]*>", html):
        # Every inline script carries the nonce; others come from the app itself.
        eigen = re.search(r'src="/[^/]', tag)  # from the app itself ('self')
        assert eigen or f'nonce="{nonce}"' in tag or "application/json" in tag, tag


# -- error pages
@pytest.fixture
def productie(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_nederlandse_404_met_navigatie(productie):
    antwoord = productie.get("/bestaat-niet/")
    assert antwoord.status_code == 404
    html = antwoord.content.decode()
    assert "Pagina niet gevonden" in html and "Naar het overzicht" in html
    assert "Not Found" not in html


def test_json_404_onder_de_api(productie):
    antwoord = productie.get("/api/v1/bestaat-niet/")
    assert antwoord.status_code == 404
    assert antwoord.json()["detail"].startswith("Niet gevonden")


def test_500_is_een_nederlandse_pagina_of_json(productie, regio, monkeypatch):
    from regioaanpak import views

    def stuk(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(views, "home", stuk)
    from django.urls import clear_url_caches

    clear_url_caches()
    import importlib

    from regioaanpak import urls

    importlib.reload(urls)
    try:
        productie.force_login(maak(regio, "piet", RolSoort.PROJECTLEIDER))
        antwoord = productie.get("/")
        assert antwoord.status_code == 500
        html = antwoord.content.decode()
        assert "Er ging iets mis" in html and "kapot" not in html
    finally:
        monkeypatch.undo()
        importlib.reload(urls)
        clear_url_caches()


def test_500_onder_de_api_is_json(productie, regio, monkeypatch):
    from regioaanpak.api import views as api_views

    def stuk(self, request, *args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(api_views.RegioViewSet, "list", stuk)
    productie.force_login(maak(regio, "piet", RolSoort.PROJECTLEIDER))
    antwoord = productie.get("/api/v1/regios/")
    assert antwoord.status_code == 500
    assert antwoord["Content-Type"] == "application/json"
    assert "de storing is vastgelegd" in antwoord.json()["detail"]


def test_403_is_een_nederlandse_pagina(productie, regio):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from regioaanpak.foutpaginas import geen_toegang

    verzoek = RequestFactory().get("/regio/VT24/cijfers/2021KW01/")
    from django.contrib.auth.models import AnonymousUser

    verzoek.user = AnonymousUser()
    antwoord = geen_toegang(verzoek, PermissionDenied())
    assert antwoord.status_code == 403
    assert "Geen toegang" in antwoord.content.decode()
