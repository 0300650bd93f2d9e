"""Scale-out test on loopback (issue 14): two app machines behind one proxy, one of them stopped.

    .venv/bin/python deploy/schaaltest.py        (make schaaltest; .ci/run runs it)

Starts what a hosting party runs, each as its own process of deploy/entrypoint.sh in production
mode: node A and node B (gunicorn, two workers each) on two ports, Debian's nginx in front of
them (round robin), one Celery worker and beat, all sharing one fresh PostgreSQL database and
one Redis (cache and sessions in one database, the broker in another). Then a journey that
crosses the nodes and fails with a Dutch message naming the step:

1. both nodes and the proxy are ready (database, cache, broker, storage);
2. the proxy spreads requests over both nodes;
3. log in on A, continue on B with the same session;
4. publish a report on A, download its PDF from B: the same SHA-256 as the API gives;
5. the API throttle counts one token's requests over both nodes;
6. a concept batch started on A is done by the worker, its progress page on B shows it;
7. failed logins on A and B count together towards the lockout;
8. the request id sent by the client is in the JSON log line of the node that served it;
9. static files are served hashed, Brotli-compressed and cacheable forever;
10. node A is stopped while requests keep coming: every request is answered, after the switch
   by B alone.

Needs PostgreSQL (DATABASE_URL or postgres://postgres@127.0.0.1:5432/), Redis (REDIS_URL or
redis://127.0.0.1:6379) and nginx. Everything is torn down afterwards, also on failure.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
import requests

BASIS = Path(__file__).resolve().parent.parent
PY = str(BASIS / ".venv" / "bin" / "python") if (BASIS / ".venv").exists() else sys.executable
DATABASE = "regioaanpak_schaaltest"
POORT_PROXY, POORT_A, POORT_B = 18080, 18081, 18082
API_LIMIET = 20  # per minute, low so the test reaches it quickly
REGIO, KWARTAAL = "VT24", "2025KW04"
PAUZE = 0.2


class Mislukt(Exception):
    pass


def stap(tekst: str) -> None:
    print(f"== {tekst}", flush=True)


def eis(voorwaarde: bool, melding: str) -> None:
    if not voorwaarde:
        raise Mislukt(melding)


# -- the parts -----------------------------------------------------------------------------


def database_url() -> str:
    basis = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    delen = urlsplit(basis)
    with psycopg.connect(urlunsplit(delen._replace(path="/postgres")), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{DATABASE}"')
    return urlunsplit(delen._replace(path=f"/{DATABASE}"))


def redis_urls() -> tuple[str, str]:
    basis = os.environ.get("SCHAALTEST_REDIS", "redis://127.0.0.1:6379")
    cache, broker = f"{basis}/13", f"{basis}/14"
    for url in (cache, broker):
        redis.Redis.from_url(url).flushdb()
    return cache, broker


def omgeving(map_: Path) -> dict[str, str]:
    cache, broker = redis_urls()
    return {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)},
        "REGIOAANPAK_OMGEVING": "productie",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(),
        "REDIS_URL": cache,
        "CELERY_BROKER_URL": broker,
        "SITE_URL": f"http://127.0.0.1:{POORT_PROXY}",
        "STATIC_ROOT": str(map_ / "static"),
        # Plain http on loopback: no TLS redirect, cookies without Secure.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "PROXY_AANTAL": "1",
        "API_LIMIET": f"{API_LIMIET}/minute",
        "TWEESTAPS_VERPLICHT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_FORMAAT": "json",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_GRACEFUL_TIMEOUT": "20",
        "CELERY_CONCURRENCY": "1",
        "CELERY_BEAT_SCHEMA": str(map_ / "celerybeat-schedule"),
        "PYTHONUNBUFFERED": "1",
    }


def nginx_configuratie(map_: Path) -> Path:
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (map_ / sub).mkdir(exist_ok=True)
    gebruiker = "user root;" if os.geteuid() == 0 else ""
    pad = map_ / "nginx.conf"
    pad.write_text(
        f"""{gebruiker}
worker_processes 1;
pid {map_}/nginx.pid;
error_log {map_}/nginx-fouten.log warn;
daemon off;
events {{ worker_connections 512; }}
http {{
  access_log {map_}/nginx-toegang.log;
  client_body_temp_path {map_}/body;
  proxy_temp_path {map_}/proxy;
  fastcgi_temp_path {map_}/fastcgi;
  uwsgi_temp_path {map_}/uwsgi;
  scgi_temp_path {map_}/scgi;
  client_max_body_size 60m;
  map $http_x_request_id $verzoek_id {{ default $http_x_request_id; "" $request_id; }}
  upstream monitor {{
    server 127.0.0.1:{POORT_A} max_fails=1 fail_timeout=30s;
    server 127.0.0.1:{POORT_B} max_fails=1 fail_timeout=30s;
  }}
  server {{
    listen 127.0.0.1:{POORT_PROXY};
    location / {{
      proxy_pass http://monitor;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-ID $verzoek_id;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_read_timeout 130s;
      add_header X-Knooppunt $upstream_addr always;
    }}
  }}
}}
""",
        encoding="utf-8",
    )
    return pad


class Processen:
    """The processes of the test, with their output in files; all stopped at the end."""

    def __init__(self, map_: Path, env: dict[str, str]):
        self.map, self.env = map_, env
        self.lopend: dict[str, subprocess.Popen] = {}

    def start(self, naam: str, opdracht: list[str], **extra_env: str) -> subprocess.Popen:
        uitvoer = (self.map / f"{naam}.log").open("wb")
        proces = subprocess.Popen(
            opdracht,
            cwd=BASIS,
            env={**self.env, **extra_env},
            stdout=uitvoer,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.lopend[naam] = proces
        return proces

    def log(self, naam: str) -> str:
        pad = self.map / f"{naam}.log"
        return pad.read_text("utf-8", errors="replace") if pad.exists() else ""

    def stop_alles(self) -> None:
        for proces in self.lopend.values():
            if proces.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proces.pid, signal.SIGTERM)
        for proces in self.lopend.values():
            try:
                proces.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proces.pid, signal.SIGKILL)


def beheer(env: dict[str, str], *args: str, omgeving_: str = "productie") -> str:
    uitkomst = subprocess.run(
        [PY, "manage.py", *args],
        cwd=BASIS,
        env={**env, "REGIOAANPAK_OMGEVING": omgeving_},
        capture_output=True,
        text=True,
    )
    if uitkomst.returncode:
        raise Mislukt(f"manage.py {' '.join(args)} mislukte:\n{uitkomst.stdout}{uitkomst.stderr}")
    return uitkomst.stdout


def wacht_op(url: str, seconden: float, proces: subprocess.Popen | None = None) -> dict:
    einde = time.monotonic() + seconden
    laatste = "geen antwoord"
    while time.monotonic() < einde:
        if proces is not None and proces.poll() is not None:
            raise Mislukt(f"{url}: het proces stopte met code {proces.returncode}")
        try:
            antwoord = requests.get(url, timeout=5)
            if antwoord.status_code == 200:
                return antwoord.json()
            laatste = f"{antwoord.status_code} {antwoord.text[:200]}"
        except requests.RequestException as fout:
            laatste = type(fout).__name__
        time.sleep(PAUZE)
    raise Mislukt(f"{url} is na {seconden:.0f} s niet gereed: {laatste}")


# -- the journey ---------------------------------------------------------------------------


def adres(poort: int, pad: str) -> str:
    return f"http://127.0.0.1:{poort}{pad}"


def csrf(sessie: requests.Session, poort: int, pad: str) -> str:
    antwoord = sessie.get(adres(poort, pad), timeout=30)
    eis(antwoord.status_code == 200, f"{pad} op poort {poort} gaf {antwoord.status_code}")
    gevonden = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', antwoord.text)
    eis(gevonden is not None, f"geen CSRF-token op {pad}")
    return gevonden.group(1)


def inloggen(sessie: requests.Session, poort: int, naam: str, wachtwoord: str):
    token = csrf(sessie, poort, "/inloggen/")
    return sessie.post(
        adres(poort, "/inloggen/"),
        data={"csrfmiddlewaretoken": token, "username": naam, "password": wachtwoord},
        allow_redirects=False,
        timeout=30,
    )


def reis(processen: Processen) -> list[str]:
    verslag: list[str] = []

    stap("1. Gereed: beide knooppunten en de proxy")
    for poort in (POORT_A, POORT_B, POORT_PROXY):
        gezond = wacht_op(adres(poort, "/gezond/gereed/"), 30)
        eis(
            gezond["onderdelen"]
            == {"database": "ok", "cache": "ok", "broker": "ok", "opslag": "ok"},
            f"poort {poort}: niet alle onderdelen gereed: {gezond}",
        )
    verslag.append("gereed: database, cache, broker en opslag ok op A, B en de proxy")

    stap("2. De proxy verdeelt over A en B")
    knooppunten = Counter(
        requests.get(adres(POORT_PROXY, "/gezond/"), timeout=5).headers.get("X-Knooppunt")
        for _ in range(10)
    )
    eis(
        set(knooppunten) == {f"127.0.0.1:{POORT_A}", f"127.0.0.1:{POORT_B}"},
        f"de proxy stuurde naar {dict(knooppunten)}",
    )
    verslag.append(f"round robin: {dict(knooppunten)}")

    stap("3. Inloggen op A, verder op B")
    sessie = requests.Session()
    antwoord = inloggen(sessie, POORT_A, "beleidsmedewerker", "beleidsmedewerker-demo2026")
    eis(antwoord.status_code == 302, f"inloggen op A gaf {antwoord.status_code}")
    op_b = sessie.get(adres(POORT_B, "/"), allow_redirects=False, timeout=30)
    eis(
        op_b.status_code == 200 and "Bart Beleid" in op_b.text,
        f"de sessie van A geldt niet op B ({op_b.status_code})",
    )
    verslag.append("ingelogd op A, werklijst op B met dezelfde sessie")

    stap("4. Publiceren op A, downloaden van B")
    concept = f"/rapportage/{REGIO}/{KWARTAAL}/kwartaal/"
    token = csrf(sessie, POORT_A, concept)
    antwoord = sessie.post(
        adres(POORT_A, concept + "publiceren/"),
        data={"csrfmiddlewaretoken": token, "reden": ""},
        allow_redirects=False,
        timeout=120,
    )
    eis(
        antwoord.status_code == 302 and "/versie/" not in antwoord.headers.get("Location", "x"),
        f"publiceren op A gaf {antwoord.status_code}",
    )
    lijst = sessie.get(
        adres(POORT_B, f"/api/v1/rapporten/?regio={REGIO}&periode={KWARTAAL}"), timeout=30
    )
    eis(lijst.status_code == 200, f"de API op B gaf {lijst.status_code}: {lijst.text[:200]}")
    rapporten = lijst.json()["results"]
    eis(len(rapporten) == 1, f"de API op B kent {len(rapporten)} rapporten")
    rapport = rapporten[0]
    for editie in rapport["edities"]:
        pdf = sessie.get(
            adres(POORT_B, f"/rapportage/{REGIO}/versie/{rapport['id']}/pdf/"),
            params={"editie": editie["editie"]},
            timeout=60,
        )
        eis(
            pdf.status_code == 200 and pdf.content.startswith(b"%PDF"),
            f"downloaden van de {editie['editie']}e editie van B gaf {pdf.status_code}",
        )
        sha = hashlib.sha256(pdf.content).hexdigest()
        eis(
            sha == editie["sha256"],
            f"{editie['editie']}: SHA-256 van B {sha} is niet die van de API {editie['sha256']}",
        )
        verslag.append(
            f"gepubliceerd op A, {editie['editie']}e editie van B ({len(pdf.content) // 1024} kB), "
            f"SHA-256 gelijk ({sha[:12]}…)"
        )
    eis(len(rapport["edities"]) == 2, f"edities: {rapport['edities']}")

    stap("5. De API-limiet telt over beide knooppunten")
    api = {"Authorization": "Token partner-demo2026-api-token"}
    statussen = []
    for nummer in range(API_LIMIET + 6):
        poort = POORT_A if nummer % 2 == 0 else POORT_B
        statussen.append(
            requests.get(adres(poort, "/api/v1/indicatoren/"), headers=api, timeout=30).status_code
        )
    toegelaten = statussen.count(200)
    eis(
        toegelaten == API_LIMIET and statussen[API_LIMIET:] == [429] * 6,
        f"limiet {API_LIMIET}/minuut, maar {toegelaten} toegelaten: {statussen}",
    )
    verslag.append(
        f"API-limiet {API_LIMIET}/min: {toegelaten} toegelaten (A en B om en om), daarna 429"
    )

    stap("6. Batch gestart op A, voortgang op B")
    token = csrf(sessie, POORT_A, f"/rapportage/{REGIO}/")
    antwoord = sessie.post(
        adres(POORT_A, f"/rapportage/{REGIO}/genereren/"),
        data={"csrfmiddlewaretoken": token, "periode": KWARTAAL},
        allow_redirects=False,
        timeout=30,
    )
    taak = re.search(r"/rapportage/taken/(\d+)/", antwoord.headers.get("Location", ""))
    eis(antwoord.status_code == 302 and taak is not None, f"batch op A gaf {antwoord.status_code}")
    begin = time.monotonic()
    while True:
        pagina = sessie.get(adres(POORT_B, taak.group(0)), timeout=30)
        status = re.search(r"Status: <strong>([^<]+)</strong>", pagina.text)
        eis(pagina.status_code == 200 and status is not None, "de voortgang op B is onleesbaar")
        if status.group(1) in ("klaar", "mislukt"):
            break
        eis(time.monotonic() - begin < 300, f"de batch is na 300 s nog {status.group(1)}")
        time.sleep(1)
    eis(status.group(1) == "klaar", f"de batch is {status.group(1)}: {pagina.text[-2000:]}")
    pdf = sessie.get(adres(POORT_B, f"{taak.group(0)}pdf/{REGIO}/"), timeout=60)
    eis(pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), "concept-PDF niet op B")
    werker = processen.log("werker")
    eis("rapporten_genereren_taak" in werker, "de werker heeft de batch niet gedaan")
    verslag.append(
        f"batch gestart op A, door de werker gedaan in {time.monotonic() - begin:.0f} s, "
        "voortgang en concept-PDF op B"
    )

    stap("7. Foute inlogpogingen tellen over beide knooppunten")
    statussen = []
    for nummer in range(5):
        poort = POORT_A if nummer < 3 else POORT_B
        statussen.append(inloggen(requests.Session(), poort, "wethouder", "fout").status_code)
    eis(statussen == [200] * 4 + [429], f"foute pogingen 3x op A en 2x op B gaven {statussen}")
    goed = inloggen(requests.Session(), POORT_A, "wethouder", "wethouder-demo2026")
    eis(goed.status_code == 429, f"na de blokkade gaf het goede wachtwoord op A {goed.status_code}")
    verslag.append("3 foute pogingen op A en 2 op B: geblokkeerd (429), ook met goed wachtwoord")

    stap("8. Verzoek-id in het JSON-logboek")
    verzoek_id = f"schaaltest-{secrets.token_hex(6)}"
    antwoord = sessie.get(adres(POORT_PROXY, "/"), headers={"X-Request-ID": verzoek_id}, timeout=30)
    eis(antwoord.headers.get("X-Request-ID") == verzoek_id, "X-Request-ID kwam niet terug")
    knoop = "node-a" if antwoord.headers["X-Knooppunt"].endswith(str(POORT_A)) else "node-b"
    time.sleep(0.5)
    regels = [
        json.loads(r)
        for r in processen.log(knoop).splitlines()
        if r.startswith("{") and verzoek_id in r
    ]
    eis(len(regels) == 1, f"{len(regels)} logregels met {verzoek_id} bij {knoop}")
    eis(
        regels[0].get("gebruiker") == "beleidsmedewerker" and regels[0].get("status") == 200,
        f"logregel zonder gebruiker of status: {regels[0]}",
    )
    verslag.append(f"verzoek-id {verzoek_id} in één JSON-regel van {knoop}")

    stap("9. Statische bestanden: gehasht, gecomprimeerd, voor altijd te bewaren")
    dashboard = sessie.get(adres(POORT_PROXY, f"/regio/{REGIO}/dashboard/"), timeout=60)
    eis(dashboard.status_code == 200, f"het dashboard gaf {dashboard.status_code}")
    plotly = re.search(
        r'src="(/static/vendor/plotly/plotly-cartesian\.min\.[0-9a-f]{12}\.js)"', dashboard.text
    )
    eis(plotly is not None, "het dashboard laadt geen gehashte plotly-bundel")
    js = requests.get(
        adres(POORT_PROXY, plotly.group(1)), headers={"Accept-Encoding": "br, gzip"}, timeout=30
    )
    eis(
        js.status_code == 200
        and js.headers.get("Content-Encoding") == "br"
        and "immutable" in js.headers.get("Cache-Control", ""),
        f"plotly: {js.status_code} {js.headers.get('Content-Encoding')} "
        f"{js.headers.get('Cache-Control')}",
    )
    gecomprimeerd = int(js.headers.get("Content-Length") or len(js.raw.data or b""))
    verslag.append(
        f"plotly.js (cartesisch) met Brotli {gecomprimeerd // 1024} kB, "
        f"{js.headers['Cache-Control']}; dashboard-HTML {len(dashboard.content) // 1024} kB"
    )

    stap("10. Knooppunt A stopt midden in het verkeer")
    verslag.append(knooppunt_stoppen(processen, sessie))
    return verslag


def knooppunt_stoppen(processen: Processen, sessie: requests.Session) -> str:
    """Four clients keep asking for pages through the proxy; A gets SIGTERM (gunicorn finishes
    what it is doing and stops). Every request must get its page."""
    stoppen = threading.Event()
    a_gestopt = threading.Event()
    uitkomsten: list[tuple[bool, int, str]] = []
    slot = threading.Lock()
    # Pages, not the API: its throttle (step 5) would answer 429 here.
    paden = ["/", f"/regio/{REGIO}/dashboard/", f"/rapportage/{REGIO}/", "/static/css/app.css"]
    cookies = sessie.cookies.get_dict()

    def klant(nummer: int) -> None:
        eigen = requests.Session()
        eigen.cookies.update(cookies)
        teller = 0
        while not stoppen.is_set():
            pad = paden[(nummer + teller) % len(paden)]
            teller += 1
            na_stop = a_gestopt.is_set()
            try:
                antwoord = eigen.get(adres(POORT_PROXY, pad), timeout=60, allow_redirects=False)
                uitkomst = (na_stop, antwoord.status_code, antwoord.headers.get("X-Knooppunt", ""))
            except requests.RequestException as fout:
                uitkomst = (na_stop, 0, type(fout).__name__)
            with slot:
                uitkomsten.append(uitkomst)

    klanten = [threading.Thread(target=klant, args=(n,)) for n in range(4)]
    for draad in klanten:
        draad.start()
    time.sleep(4)
    node_a = processen.lopend["node-a"]
    os.killpg(node_a.pid, signal.SIGTERM)
    begin = time.monotonic()
    node_a.wait(timeout=60)
    a_gestopt.set()
    stopduur = time.monotonic() - begin
    time.sleep(6)
    stoppen.set()
    for draad in klanten:
        draad.join(timeout=90)

    fout = [u for u in uitkomsten if u[1] != 200]
    voor = [u for u in uitkomsten if not u[0]]
    na = [u for u in uitkomsten if u[0]]
    eis(not fout, f"{len(fout)} van {len(uitkomsten)} verzoeken zonder pagina: {fout[:10]}")
    eis(
        {u[2] for u in voor} >= {f"127.0.0.1:{POORT_A}", f"127.0.0.1:{POORT_B}"},
        "vóór de stop kwamen niet beide knooppunten aan bod",
    )
    eis(
        na and {u[2] for u in na} == {f"127.0.0.1:{POORT_B}"},
        f"na de stop: { {u[2] for u in na} }",
    )
    return (
        f"A gestopt (SIGTERM, {stopduur:.1f} s tot het proces weg was): {len(uitkomsten)} "
        f"verzoeken, alle 200; {len(voor)} vóór en {len(na)} na de stop, daarna alleen B"
    )


def main() -> int:
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        print(
            "nginx ontbreekt: installeer het Debian-pakket nginx-light (of nginx).", file=sys.stderr
        )
        return 2
    map_ = Path(tempfile.mkdtemp(prefix="schaaltest-"))
    env = omgeving(map_)
    processen = Processen(map_, env)
    gelukt = False
    try:
        stap("Voorbereiden (deploy/entrypoint.sh voorbereiden) en demodata")
        begin = time.monotonic()
        uitkomst = subprocess.run(
            ["deploy/entrypoint.sh", "voorbereiden"],
            cwd=BASIS,
            env=env,
            capture_output=True,
            text=True,
        )
        if uitkomst.returncode:
            raise Mislukt(f"voorbereiden mislukte:\n{uitkomst.stdout}{uitkomst.stderr}")
        # The demo data are refused in production mode: loaded in development mode into the
        # same database, as a hosting party would load its own data.
        beheer(env, "laad_demodata", omgeving_="ontwikkeling")
        print(f"   klaar in {time.monotonic() - begin:.0f} s", flush=True)

        stap("Starten: A, B, werker, beat, nginx")
        entry = str(BASIS / "deploy" / "entrypoint.sh")
        processen.start("node-a", [entry, "web"], GUNICORN_BIND=f"127.0.0.1:{POORT_A}")
        processen.start("node-b", [entry, "web"], GUNICORN_BIND=f"127.0.0.1:{POORT_B}")
        processen.start("werker", [entry, "worker"])
        processen.start("beat", [entry, "beat"])
        processen.start("nginx", [nginx, "-p", str(map_), "-c", str(nginx_configuratie(map_))])
        for naam, poort in (("node-a", POORT_A), ("node-b", POORT_B)):
            wacht_op(adres(poort, "/gezond/"), 60, processen.lopend[naam])

        verslag = reis(processen)
        for naam in ("werker", "beat", "node-b", "nginx"):
            eis(processen.lopend[naam].poll() is None, f"{naam} is onderweg gestopt")
        gelukt = True
        print("\nSchaaltest geslaagd:")
        for regel in verslag:
            print(f"  - {regel}")
        return 0
    except Mislukt as fout:
        print(f"\nSchaaltest MISLUKT: {fout}", file=sys.stderr)
        for naam in processen.lopend:
            print(f"\n--- laatste regels van {naam} ---", file=sys.stderr)
            print("\n".join(processen.log(naam).splitlines()[-25:]), file=sys.stderr)
        return 1
    finally:
        processen.stop_alles()
        if gelukt:
            shutil.rmtree(map_, ignore_errors=True)
            with psycopg.connect(
                urlunsplit(urlsplit(env["DATABASE_URL"])._replace(path="/postgres")),
                autocommit=True,
            ) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        else:
            print(f"\nLogboeken en configuratie bewaard in {map_}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
