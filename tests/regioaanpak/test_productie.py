"""The production parts a hosting party relies on: health endpoints without login that reveal
nothing, the shared Redis cache (and the app going on without it), JSON logs with a request id,
the scheduled jobs and the metrics behind their token.

The scale-out journey over two app processes behind nginx is deploy/schaaltest.py (.ci/run)."""

from __future__ import annotations

import io
import json
import logging
import os

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from regioaanpak.logboek import huidig_verzoek_id, zet_verzoek_id

# Port 1 on loopback: nothing listens, a connection is refused at once.
DODE_REDIS = "redis://127.0.0.1:1/0"
DODE_BROKER = "redis://127.0.0.1:1/1"
LEVENDE_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "test",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }


@pytest.fixture(autouse=True)
def _gezondheid_steeds_opnieuw(settings, monkeypatch):
    from regioaanpak import gezondheid

    settings.GEZONDHEID_GELDIG_SECONDEN = 0
    monkeypatch.setattr(gezondheid, "_laatste", None)


@pytest.fixture
def redis_server():
    """The local Redis (database 15, emptied); skipped with the reason only outside CI."""
    import redis

    verbinding = redis.Redis.from_url(LEVENDE_REDIS, socket_connect_timeout=1)
    try:
        verbinding.ping()
    except redis.ConnectionError:
        reden = f"Redis antwoordt niet op {LEVENDE_REDIS} (.ci/run start het)."
        if os.environ.get("CI"):
            pytest.fail(reden)
        pytest.skip(reden)
    verbinding.flushdb()
    yield verbinding
    verbinding.flushdb()


# -- health ---------------------------------------------------------------------------------


def test_leeft_zonder_inloggen_database_of_bekende_host(client):
    # A load balancer probes an app machine by its address, not by the site's name.
    antwoord = client.get("/gezond/", HTTP_HOST="10.0.0.7")
    assert antwoord.status_code == 200
    assert antwoord.json() == {"status": "ok"}
    assert "no-store" in antwoord["Cache-Control"]
    assert not antwoord.cookies


def test_gereed_noemt_elk_onderdeel(client, db):
    antwoord = client.get("/gezond/gereed/", HTTP_HOST="10.0.0.7")
    assert antwoord.status_code == 200
    assert antwoord.json() == {
        "status": "ok",
        "onderdelen": {
            "database": "ok",
            "cache": "niet ingesteld",
            "broker": "niet ingesteld",
            "opslag": "ok",
        },
    }


def test_gereed_zegt_beperkt_als_redis_en_broker_weg_zijn_zonder_iets_te_verraden(
    client, db, settings
):
    """The monitor goes on without Redis and the broker: the machine stays in rotation (200),
    and says what is missing."""
    settings.REDIS_URL = DODE_REDIS
    settings.CACHES = _redis_cache(DODE_REDIS)
    settings.CELERY_BROKER_URL = DODE_BROKER
    antwoord = client.get("/gezond/gereed/")
    assert antwoord.status_code == 200
    assert antwoord.json() == {
        "status": "beperkt",
        "onderdelen": {"database": "ok", "cache": "storing", "broker": "storing", "opslag": "ok"},
    }
    tekst = antwoord.content.decode()
    for geheim in ("127.0.0.1", "redis", "Error", "refused", "Traceback"):
        assert geheim not in tekst


def test_gereed_zegt_503_als_de_database_weg_is(client, db, monkeypatch):
    from health_check.checks import Database

    def weg(self):
        raise ConnectionError("could not connect to server at 10.1.2.3 as user monitor")

    monkeypatch.setattr(Database, "run", weg)
    antwoord = client.get("/gezond/gereed/")
    assert antwoord.status_code == 503
    assert antwoord.json()["status"] == "storing"
    assert antwoord.json()["onderdelen"]["database"] == "storing"
    assert "10.1.2.3" not in antwoord.content.decode()


def test_gereed_controleert_hooguit_eens_per_paar_seconden(client, db, settings, monkeypatch):
    from health_check.checks import Database

    settings.GEZONDHEID_GELDIG_SECONDEN = 60
    client.get("/gezond/gereed/")
    aanroepen = []
    monkeypatch.setattr(Database, "run", lambda self: aanroepen.append(1))
    for _ in range(20):
        assert client.get("/gezond/gereed/").status_code == 200
    assert aanroepen == []


def test_gereed_met_redis(client, db, settings, redis_server):
    settings.REDIS_URL = LEVENDE_REDIS
    settings.CACHES = _redis_cache(LEVENDE_REDIS)
    antwoord = client.get("/gezond/gereed/")
    assert antwoord.status_code == 200
    assert antwoord.json()["onderdelen"]["cache"] == "ok"


def test_gezondheid_alleen_lezen(client, db):
    # A POST is no probe: it goes the normal way (and finds no page).
    assert client.post("/gezond/").status_code == 404


# -- the shared cache ---------------------------------------------------------------------------


def test_api_limiet_telt_in_redis_voor_alle_processen(
    api, api_token, cijferregios, settings, redis_server, monkeypatch
):
    """The throttle's history is in Redis, so every worker and machine counts the same
    requests (deploy/schaaltest.py shows it over two gunicorn instances)."""
    from regioaanpak.api.throttling import TokenThrottle

    settings.CACHES = _redis_cache(LEVENDE_REDIS)
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"api": "3/minute"})
    token = api_token(cijferregios["partner"], ["VT24"])
    statussen = [api(token).get("/api/v1/indicatoren/").status_code for _ in range(4)]
    assert statussen == [200, 200, 200, 429]
    sleutels = [s.decode() for s in redis_server.keys("test:*throttle*")]
    assert len(sleutels) == 1, sleutels


def test_zonder_redis_werkt_de_monitor_door(client, api, api_token, cijferregios, settings):
    """Redis briefly gone: log in, open the dashboard with its figures, read the API. Slower
    (every cache call fails), but nobody gets an error page."""
    settings.REDIS_URL = DODE_REDIS
    settings.CACHES = _redis_cache(DODE_REDIS)

    antwoord = client.post(
        reverse("login"), {"username": "bart-beleid", "password": "geheim-wachtwoord-123"}
    )
    assert antwoord.status_code == 302
    dashboard = client.get(
        reverse("monitoring:regiodashboard", args=["VT24"]), {"periode": "2021KW01"}
    )
    assert dashboard.status_code == 200
    assert "412" in dashboard.content.decode()  # Dordrecht's meldingen in 2021KW01

    token = api_token(cijferregios["partner"], ["VT24"])
    assert api(token).get("/api/v1/indicatoren/").status_code == 200
    assert client.get("/gezond/gereed/").json()["status"] == "beperkt"


def test_uitloggen_tijdens_een_redisstoring_blijft_uitgelogd(
    client, cijferregios, settings, redis_server
):
    """Sessions live in the database: a logout while Redis is away is not undone when Redis
    returns (a session cache that ignores errors would keep the old session there)."""
    from django.test import Client

    settings.REDIS_URL = LEVENDE_REDIS
    settings.CACHES = _redis_cache(LEVENDE_REDIS)
    client.post(reverse("login"), {"username": "bart-beleid", "password": "geheim-wachtwoord-123"})
    sessie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert client.get("/").status_code == 200

    settings.CACHES = _redis_cache(DODE_REDIS)
    client.post(reverse("logout"))
    settings.CACHES = _redis_cache(LEVENDE_REDIS)

    dief = Client()
    dief.cookies[django_settings.SESSION_COOKIE_NAME] = sessie
    antwoord = dief.get("/")
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith(reverse("login"))


# -- logs ---------------------------------------------------------------------------------------


@pytest.fixture
def json_log():
    """The production log handler (JSON, with the request filter) on a buffer."""
    from pythonjsonlogger.json import JsonFormatter

    from regioaanpak.logboek import VerzoekFilter

    config = django_settings.LOGGING["formatters"]["json"]
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(
        JsonFormatter(
            config["fmt"], rename_fields=config["rename_fields"], timestamp=config["timestamp"]
        )
    )
    handler.addFilter(VerzoekFilter())
    logger = logging.getLogger("regioaanpak")
    logger.addHandler(handler)
    yield lambda: [json.loads(r) for r in buffer.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_een_json_logregel_per_verzoek_met_verzoek_id_gebruiker_en_regio(
    client, cijferregios, json_log
):
    client.force_login(cijferregios["beleid"])
    antwoord = client.get(
        reverse("monitoring:regiodashboard", args=["VT24"]) + "?periode=2021KW01&zoek=98765",
        HTTP_X_REQUEST_ID="proxy-7f3a",
    )
    assert antwoord.status_code == 200
    assert antwoord["X-Request-ID"] == "proxy-7f3a"
    regels = [r for r in json_log() if r.get("message") == "verzoek"]
    assert len(regels) == 1
    regel = regels[0]
    assert regel["verzoek_id"] == "proxy-7f3a"
    assert regel["gebruiker"] == "bart-beleid"
    assert regel["regio"] == "VT24"
    assert regel["status"] == 200
    assert regel["methode"] == "GET"
    assert regel["pad"] == "/regio/VT24/dashboard/"
    assert {"tijd", "niveau", "logger", "duur_ms"} <= set(regel)
    # No query string, no figures of the page.
    tekst = json.dumps(regels)
    assert "98765" not in tekst and "412" not in tekst


def test_herstellink_en_stuurtekens_komen_niet_in_het_logboek(client, db, json_log):
    client.get("/wachtwoord/herstel/MQ/cabc12-0123456789abcdef0123456789abcdef/")
    client.get("/regio/VT24%0a%7B%22nep%22%3A1%7D/")
    paden = [r["pad"] for r in json_log() if r.get("message") == "verzoek"]
    assert paden[0] == "/wachtwoord/herstel/<uidb64>/<token>/"
    assert "\n" not in paden[1] and paden[1].startswith("/regio/VT24?")


def test_onbruikbaar_verzoek_id_wordt_vervangen(client, db, json_log):
    antwoord = client.get("/inloggen/", HTTP_X_REQUEST_ID="a\nb" + "x" * 100)
    nieuw = antwoord["X-Request-ID"]
    assert len(nieuw) == 32 and nieuw.isalnum()
    assert json_log()[-1]["verzoek_id"] == nieuw


def test_invoer_komt_niet_in_het_logboek(client, cijferregios, json_log):
    """A failed login logs neither the password nor the typed user name's secrets."""
    client.post(reverse("login"), {"username": "bart-beleid", "password": "Zomer2026!geheim"})
    assert "Zomer2026!geheim" not in json.dumps(json_log())


def test_taak_draagt_het_verzoek_id_van_de_klik(monkeypatch):
    from types import SimpleNamespace

    from regioaanpak.celery import _geef_verzoek_id_mee, _neem_verzoek_id_over

    zet_verzoek_id("klik-123")
    koppen: dict = {}
    _geef_verzoek_id_mee(headers=koppen)
    assert koppen == {"verzoek_id": "klik-123"}

    zet_verzoek_id(None)  # the worker, before the task
    taak = SimpleNamespace(request=SimpleNamespace(verzoek_id="klik-123", is_eager=False))
    _neem_verzoek_id_over(task=taak)
    assert huidig_verzoek_id() == "klik-123"


# -- scheduled jobs -----------------------------------------------------------------------------


def test_beat_schema_kent_alleen_bestaande_taken():
    from regioaanpak.celery import app

    app.loader.import_default_modules()
    schema = django_settings.CELERY_BEAT_SCHEDULE
    for naam, regel in schema.items():
        assert regel["task"] in app.tasks, naam
    herinnering = schema["herinneringen-voortgang"]["schedule"]
    assert herinnering.month_of_year == {1, 4, 7, 10}
    assert herinnering.day_of_month == {10}
    assert schema["waarschuwingen-tokens"]["schedule"].hour == {7}


def _token(gebruiker, dagen):
    from regioaanpak.models import Regio
    from regioaanpak.services import api_token_aanmaken

    token, tekst = api_token_aanmaken(
        gebruiker=gebruiker,
        scope="lezen",
        regios=list(Regio.objects.filter(code="VT24")),
        dagen=dagen,
        naam="Power BI",
    )
    return token, tekst


def test_token_waarschuwing_een_keer_en_alleen_binnen_twee_weken(cijferregios):
    from regioaanpak.services import api_token_intrekken
    from regioaanpak.tasks import tokens_waarschuwen_taak

    partner = cijferregios["partner"]
    partner.email = "vera@veiligthuis.example.nl"
    partner.save()
    bijna, bijna_tekst = _token(partner, 10)
    _token(partner, 30)
    ingetrokken, _ = _token(partner, 5)
    api_token_intrekken(token=ingetrokken)

    tokens_waarschuwen_taak()
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.to == ["vera@veiligthuis.example.nl"]
    assert bijna.prefix in bericht.subject
    assert "Power BI" in bericht.body and "VT24" in bericht.body
    assert bijna_tekst not in bericht.body  # never the secret itself

    tokens_waarschuwen_taak()  # the next morning: not again
    assert len(mail.outbox) == 1


def test_herinneringen_taak_mailt_projectleiders_over_het_afgelopen_kwartaal(
    regiostukken, cijferregios, monkeypatch
):
    from actielijnen.tasks import herinneringen_taak
    from regioaanpak import herinneringen
    from regioaanpak.perioden import PeriodeCode

    petra = cijferregios["projectleider"]
    petra.email = "petra@dordrecht.example.nl"
    petra.save()
    # Beat runs the job on 10 July 2021: the quarter that just ended is 2021KW02, for which
    # the project's update is still a concept.
    monkeypatch.setattr(
        herinneringen, "laatste_volledige_kwartaal", lambda _d: PeriodeCode.parse("2021KW02")
    )
    herinneringen_taak()
    assert [b.to for b in mail.outbox] == [["petra@dordrecht.example.nl"]]
    assert "Ouderenmishandeling" in mail.outbox[0].body


# -- metrics ------------------------------------------------------------------------------------


def test_metriek_alleen_met_token(client, db, settings):
    assert client.get("/metriek/").status_code == 404  # no METRIEK_TOKEN: nothing there
    settings.METRIEK_TOKEN = "scraper-geheim-0123456789"
    assert client.get("/metriek/").status_code == 403
    assert client.get("/metriek/", HTTP_AUTHORIZATION="Bearer fout").status_code == 403
    antwoord = client.get("/metriek/", HTTP_AUTHORIZATION="Bearer scraper-geheim-0123456789")
    assert antwoord.status_code == 200
    assert b"python_info" in antwoord.content or b"process_" in antwoord.content


def test_opwarmen_voor_de_fork_raakt_database_en_cache_niet(django_db_blocker):
    """gunicorn's master warms up before forking (deploy/gunicorn.conf.py, when_ready): every
    project template compiles and the view modules are imported, without touching the
    database (blocked here: any query would fail the test), whose connection the forked
    workers would otherwise share."""
    import sys

    from regioaanpak.opwarmen import _sjablonen, opwarmen

    with django_db_blocker.block():
        uitkomst = opwarmen()
    assert uitkomst["sjablonen"] == len(_sjablonen()) >= 50
    assert "monitoring.api.views" in sys.modules and "rapportage.views" in sys.modules


def test_gunicorn_warmt_op_voor_het_forken():
    import ast
    from pathlib import Path

    bron = (Path(django_settings.BASE_DIR) / "deploy" / "gunicorn.conf.py").read_text()
    boom = ast.parse(bron)
    functies = {f.name: ast.unparse(f) for f in boom.body if isinstance(f, ast.FunctionDef)}
    assert "opwarmen()" in functies["when_ready"]
    assert "preload_app = True" in bron


def test_postgresql_compileert_geen_queries_jit(db):
    """PostgreSQL compiled the partner's CSV export (JIT) for 0,6 s before its first row; the
    app's connections switch JIT off. On SQLite there is no JIT and no setting."""
    from django.db import connection

    if connection.vendor != "postgresql":
        assert "options" not in django_settings.DATABASES["default"].get("OPTIONS", {})
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
