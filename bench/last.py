"""Load benchmark: the monitor in production mode on this machine, 50 users for 60 s (issue 14).

    .venv/bin/python bench/last.py [--gebruikers 50] [--seconden 60] [--opnieuw]

What runs is what `make productie` runs (deploy/entrypoint.sh: gunicorn with its committed
configuration, a Celery worker, Redis as cache and broker, PostgreSQL), against a database of its
own (`regioaanpak_last`, built once with the national demo data and kept for the next run;
--opnieuw builds it again). Locust (headless, on loopback) then plays three kinds of users:

- aldermen (3 of 6) open the region dashboard of VT24 and the municipality dashboard of Dordrecht;
- officials (1 of 6) open the report archive, a published report, its PDF and the live concept;
- partners (2 of 6) page through the figures API, 1.000 per page, following `next`.

Every user logs in (or uses its API token) and waits 0,5 to 1,5 s between clicks. Then the
floor: the same number of users asking only the liveness endpoint (gunicorn and Django, no
database). Requests per second, p50, p99 and errors per kind and in total, with the ratio to the
floor, go to bench/resultaten/last.txt, and issue 15's targets with a verdict: no errors, the p99
of all requests (exact, from every response time; also without the log-ins), the dashboard's
throughput against the 7,9 requests/s before that issue.

Needs PostgreSQL (DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432) and Redis
(127.0.0.1:6379, databases 11 and 12).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASIS = Path(__file__).resolve().parent.parent
RESULTATEN = BASIS / "bench" / "resultaten" / "last.txt"
PY = str(BASIS / ".venv" / "bin" / "python") if (BASIS / ".venv").exists() else sys.executable
BIN = Path(PY).parent
DATABASE = "regioaanpak_last"
POORT = 18090
GESLOTEN_SECONDEN = 30
REGIO, GEMEENTE = "VT24", "GM0505"
WACHTWOORD = "last-bench-2026"
# Issue 15's load targets: p99 under 1 s, the dashboard's throughput 10x the 7,9 requests/s before.
DOEL_P99_MS = 1000
DOEL_DOORVOER_X = 10
VOOR_DASHBOARD_PER_S = 7.9
AANMELDEN = ("inlogpagina", "inloggen")  # request names of the log-in (bench/locustfile.py)
UITGANGSPUNT = [
    "vóór dit issue (gunicorn met 2 workers, 20 verbindingen, zonder denktijd, uit het issue):",
    "  regiodashboard VT24: 7,9 verzoeken/s, p99 2,8 s",
    "  API-pagina van 1.000: 7,1 verzoeken/s, p99 3,3 s",
]


# -- the data (run in a Django process of its own: `bench/last.py bouw`) -----------------------


def bouw() -> None:
    """National demo data, approved, with the bench's users, a token and a published report;
    prints one JSON line with what the load test needs. Builds only once per database."""
    sys.path.insert(0, str(BASIS / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regioaanpak.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not get_user_model().objects.filter(username="bench-wethouder").exists():
        import dashboard  # the national data of bench/dashboard.py, in this database

        begin = time.perf_counter()
        dashboard._bouw_gegevens()
        print(
            f"landelijke demodata gebouwd in {time.perf_counter() - begin:.0f} s", file=sys.stderr
        )
    print(json.dumps(_bench_gebruikers()))


def _bench_gebruikers() -> dict:
    from monitoring.models import Gegevenslevering
    from rapportage.choices import RapportSoort, RapportStatus
    from rapportage.models import Rapport
    from rapportage.services import rapport_publiceren
    from regioaanpak.choices import RegioSoort, RolSoort, TokenScope
    from regioaanpak.models import ApiToken, Regio, Rol
    from regioaanpak.perioden import PeriodeCode
    from regioaanpak.services import api_token_aanmaken, gebruiker_aanmaken_of_bijwerken

    kwartaal = max(
        Gegevenslevering.objects.filter(regio_id=REGIO, periode__soort="KW").values_list(
            "periode_id", flat=True
        ),
        key=PeriodeCode.parse,
    )
    gebruikers = {}
    for naam, rol, gemeente in (
        ("bench-wethouder", RolSoort.BESTUURDER, GEMEENTE),
        ("bench-beleid", RolSoort.BELEIDSMEDEWERKER, None),
        ("bench-partner", RolSoort.PARTNER, None),
    ):
        gebruiker = gebruiker_aanmaken_of_bijwerken(gebruikersnaam=naam, wachtwoord=WACHTWOORD)
        Rol.objects.get_or_create(
            gebruiker=gebruiker, regio_id=REGIO, rol=rol, gemeente_id=gemeente
        )
        gebruikers[naam] = gebruiker
    partner = gebruikers["bench-partner"]
    ApiToken.objects.filter(gebruiker=partner).delete()
    regios = list(Regio.objects.filter(soort=RegioSoort.VEILIG_THUIS_REGIO))
    for regio in regios:
        Rol.objects.get_or_create(gebruiker=partner, regio=regio, rol=RolSoort.PARTNER)
    _token, tekst = api_token_aanmaken(
        gebruiker=partner, scope=TokenScope.LEZEN, regios=regios, dagen=7, naam="last"
    )
    rapport = Rapport.objects.filter(
        regio_id=REGIO, periode_id=kwartaal, status=RapportStatus.GEPUBLICEERD
    ).first() or rapport_publiceren(
        regio=Regio.objects.get(code=REGIO),
        periode=kwartaal,
        soort=RapportSoort.KWARTAAL,
        gebruiker=gebruikers["bench-beleid"],
    )
    from monitoring.models import Waarneming

    return {
        "kwartaal": kwartaal,
        "rapport": rapport.pk,
        "token": tekst,
        "waarnemingen": Waarneming.objects.count(),
    }


# -- the run --------------------------------------------------------------------------------------


def _database_url(opnieuw: bool) -> str:
    import psycopg

    basis = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    if basis.scheme not in ("postgres", "postgresql"):
        sys.exit("De lasttest draait tegen PostgreSQL, zoals productie: zet DATABASE_URL.")
    with psycopg.connect(urlunsplit(basis._replace(path="/postgres")), autocommit=True) as c:
        bestaat = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if opnieuw and bestaat:
            c.execute(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
        if opnieuw or not bestaat:
            c.execute(f'CREATE DATABASE "{DATABASE}"')
    return urlunsplit(basis._replace(path=f"/{DATABASE}"))


def _omgeving(database_url: str, map_: Path) -> dict[str, str]:
    import redis

    for db in (11, 12):
        redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REGIOAANPAK_OMGEVING": "productie",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": "redis://127.0.0.1:6379/11",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/12",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "TWEESTAPS_VERPLICHT": "false",
        # Partners page fast; the throttle is not what this measures.
        "API_LIMIET": "100000/minute",
        "GUNICORN_BIND": f"127.0.0.1:{POORT}",
        "STATIC_ROOT": str(map_ / "static"),
        "CELERY_BEAT_SCHEMA": str(map_ / "celerybeat-schedule"),
        "PYTHONUNBUFFERED": "1",
    }


def _wacht(url: str, proces: subprocess.Popen, seconden: float = 90) -> None:
    import requests

    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        if proces.poll() is not None:
            sys.exit(f"gunicorn stopte met code {proces.returncode}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    sys.exit(f"{url} is na {seconden:.0f} s niet gereed")


def _locust(map_: Path, naam: str, env: dict, gebruikers: int, seconden: int, klassen: list[str]):
    """Locust's summary rows of one run; every response time of it is in `naam`_tijden.json."""
    env = {**env, "LAST_TIJDEN": str(map_ / f"{naam}_tijden.json")}
    opdracht = [
        str(BIN / "locust"),
        "-f",
        str(BASIS / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(gebruikers),
        "--spawn-rate",
        str(gebruikers),
        "--run-time",
        f"{seconden}s",
        "--host",
        f"http://127.0.0.1:{POORT}",
        "--csv",
        str(map_ / naam),
        "--only-summary",
        "--stop-timeout",
        "130",
        *klassen,
    ]
    subprocess.run(opdracht, env=env, check=False, cwd=BASIS, stdout=subprocess.DEVNULL)
    with (map_ / f"{naam}_stats.csv").open(encoding="utf-8") as bestand:
        return list(csv.DictReader(bestand))


def _tijden(map_: Path, naam: str) -> dict[str, list[float]]:
    with (map_ / f"{naam}_tijden.json").open(encoding="utf-8") as bestand:
        return json.load(bestand)


def _p99(tijden: list[float]) -> float:
    """The exact 99th percentile (nearest rank); Locust's own is rounded to two digits."""
    geordend = sorted(tijden)
    return geordend[max(0, math.ceil(0.99 * len(geordend)) - 1)]


def _ms(waarde: float) -> str:
    return f"{waarde:,.0f}".replace(",", ".")


def _doelen(tijden: dict[str, list[float]], fouten: int, dashboard_per_s: float) -> list[str]:
    """The load targets of issue 15: no errors, p99 under 1 s, the dashboard at 10x before."""
    alle = [t for lijst in tijden.values() for t in lijst]
    zonder = [t for naam, lijst in tijden.items() if naam not in AANMELDEN for t in lijst]
    aanmeldingen = sum(len(tijden.get(naam, [])) for naam in AANMELDEN)
    p99, p99_zonder = _p99(alle), _p99(zonder)
    keer = dashboard_per_s / VOOR_DASHBOARD_PER_S
    return [
        "doelen van issue 15 (p99 exact, uit alle responstijden van de mix):",
        f"  fouten onder belasting: {fouten} "
        f"(doel 0: {'gehaald' if not fouten else 'NIET gehaald'})",
        f"  p99 van alle {_ms(len(alle))} verzoeken: {_ms(p99)} ms (doel < {_ms(DOEL_P99_MS)} ms: "
        f"{'gehaald' if p99 < DOEL_P99_MS else 'NIET gehaald'}); zonder de {aanmeldingen} "
        f"aanmeldingen (inlogpagina en inloggen, bij de start): {_ms(p99_zonder)} ms",
        f"  regiodashboard VT24, 20 verbindingen: {dashboard_per_s:.1f}/s = {keer:.1f}x de "
        f"{VOOR_DASHBOARD_PER_S}/s van vóór issue 15 (doel >= {DOEL_DOORVOER_X}x: "
        f"{'gehaald' if keer >= DOEL_DOORVOER_X else 'NIET gehaald'})".replace(".", ","),
    ]


def _regel(rij: dict, seconden: int) -> str:
    aantal = int(rij["Request Count"])
    fouten = int(rij["Failure Count"])
    return (
        f"{rij['Name'][:38]:<38} {aantal:>6} verzoeken, {aantal / seconden:>5.1f}/s, "
        f"p50 {int(float(rij['50%'])):>5} ms, p99 {int(float(rij['99%'])):>6} ms, "
        f"{fouten} fouten"
    )


def meet(gebruikers: int, seconden: int, opnieuw: bool) -> None:
    database_url = _database_url(opnieuw)
    map_ = Path(tempfile.mkdtemp(prefix="last-"))
    env = _omgeving(database_url, map_)
    bouw_env = {**env, "REGIOAANPAK_OMGEVING": "ontwikkeling"}
    uitkomst = subprocess.run(
        [PY, __file__, "bouw"], env=bouw_env, cwd=BASIS, capture_output=True, text=True
    )
    if uitkomst.returncode:
        sys.exit(f"de gegevens bouwen mislukte:\n{uitkomst.stderr[-3000:]}")
    gegevens = json.loads(uitkomst.stdout.strip().splitlines()[-1])
    subprocess.run(
        ["deploy/entrypoint.sh", "voorbereiden"],
        env=env,
        cwd=BASIS,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    processen = [
        subprocess.Popen(
            ["deploy/entrypoint.sh", rol],
            env=env,
            cwd=BASIS,
            stdout=(map_ / f"{rol}.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for rol in ("web", "worker")
    ]
    try:
        _wacht(f"http://127.0.0.1:{POORT}/gezond/gereed/", processen[0])
        locust_env = {
            **os.environ,
            "LAST_WACHTWOORD": WACHTWOORD,
            "LAST_TOKEN": gegevens["token"],
            "LAST_KWARTAAL": gegevens["kwartaal"],
            "LAST_RAPPORT": str(gegevens["rapport"]),
        }
        mix = _locust(
            map_,
            "mix",
            locust_env,
            gebruikers,
            seconden,
            ["Wethouder", "Beleidsmedewerker", "Partner"],
        )
        vloer = _locust(map_, "vloer", locust_env, gebruikers, min(seconden, 20), ["Vloer"])
        # As the issue measured before: 20 connections without thinking time, one kind each.
        gesloten = [
            _locust(map_, naam, locust_env, 20, GESLOTEN_SECONDEN, [klasse])
            for naam, klasse in (
                ("dashboard20", "DashboardZonderPauze"),
                ("api20", "ApiZonderPauze"),
            )
        ]
    finally:
        for proces in processen:
            os.killpg(proces.pid, signal.SIGTERM)
        for proces in processen:
            proces.wait(timeout=60)

    fouten = sum(
        int(r["Failure Count"])
        for rijen in (mix, vloer, *gesloten)
        for r in rijen
        if r["Name"] == "Aggregated"
    )
    dashboard = next(r for r in gesloten[0] if r["Name"] == "regiodashboard VT24")
    dashboard_per_s = int(dashboard["Request Count"]) / GESLOTEN_SECONDEN
    totaal = next(r for r in mix if r["Name"] == "Aggregated")
    vloer_totaal = next(r for r in vloer if r["Name"] == "Aggregated")
    vloer_p50 = max(float(vloer_totaal["50%"]), 1.0)
    werkers = os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1)))
    regels = [
        f"datum: {dt.datetime.now():%Y-%m-%d %H:%M}",
        f"machine: {os.cpu_count()} kernen; gunicorn {werkers} workers x 4 threads "
        "(deploy/gunicorn.conf.py), Celery-werker, Redis, PostgreSQL",
        f"gegevens: {gegevens['waarnemingen']:,} waarnemingen".replace(",", ".")
        + f", kwartaal {gegevens['kwartaal']}",
        f"belasting: {gebruikers} gebruikers, {seconden} s, denktijd 0,5-1,5 s "
        "(wethouder 3 : beleidsmedewerker 1 : partner 2)",
        "",
        *(_regel(r, seconden) for r in mix if r["Name"] != "Aggregated"),
        _regel(totaal, seconden),
        "",
        "vloer: alleen /gezond/ (gunicorn en Django, geen database), zelfde aantal gebruikers:",
        _regel(vloer_totaal, min(seconden, 20)),
        f"verhouding p50 van de mix tot de vloer: {float(totaal['50%']) / vloer_p50:.0f}x",
        "",
        f"20 verbindingen zonder denktijd, {GESLOTEN_SECONDEN} s per soort (zoals vóór dit issue):",
        *(
            _regel(
                next(
                    r
                    for r in rijen
                    if r["Name"] == "API-pagina van 1.000" or r["Name"] == "regiodashboard VT24"
                ),
                GESLOTEN_SECONDEN,
            )
            for rijen in gesloten
        ),
        *UITGANGSPUNT,
        "",
        *_doelen(_tijden(map_, "mix"), fouten, dashboard_per_s),
    ]
    kop = [
        "# Lasttest in productievorm (bench/last.py, make bench-last): gunicorn, Celery, Redis,",
        "# PostgreSQL op deze machine, Locust op loopback, landelijke demodata.",
        "# Doel van issue 14: 0 fouten en de cijfers hier; issue 15 maakt het snel.",
    ]
    RESULTATEN.write_text("\n".join(kop) + "\n\n" + "\n".join(regels) + "\n", encoding="utf-8")
    print("\n".join(regels))
    print(f"Geschreven naar {RESULTATEN.relative_to(BASIS)}; logboeken in {map_}")
    if fouten:
        sys.exit(f"{fouten} fouten onder belasting (zie {map_}/*_failures.csv)")


def main() -> None:
    if sys.argv[1:2] == ["bouw"]:
        bouw()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gebruikers", type=int, default=50)
    parser.add_argument("--seconden", type=int, default=60)
    parser.add_argument("--opnieuw", action="store_true", help="Bouw de database opnieuw.")
    args = parser.parse_args()
    meet(args.gebruikers, args.seconden, args.opnieuw)


if __name__ == "__main__":
    main()
