"""Benchmark of hostile and careless input: what each attack of the robustness issue costs the
server (wall time, peak memory) and what the attacker gets back.

Builds a throw-away SQLite database with the demo data (`laad_demodata`), starts the app as a
real server (gunicorn, one sync worker, DEBUG off) and sends every attack over loopback, as a
browser or an API client would. Per attack: the answer's status and size, the time until the
answer, and the worker's peak resident memory above what it used before the request (VmHWM of
a server started afresh for every attack, after one warm-up request; the users log in once
before the attacks, so a log-in's memory is not counted as an attack's). An attack that runs longer
than the time limit is stopped (the server is restarted) and reported as such.

    .venv/bin/python bench/aanvallen.py [--label na] [--alleen NAAM ...] [--limiet 180]

Results go to bench/resultaten/aanvallen.txt, one block per label (the latest run of each).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

BASIS = Path(__file__).resolve().parent.parent
PY = str(BASIS / ".venv" / "bin" / "python")
RESULTATEN = BASIS / "bench" / "resultaten" / "aanvallen.txt"
POORT = 8765
URL = f"http://127.0.0.1:{POORT}"
PARTNER_TOKEN = "partner-demo2026-api-token"
REGIO = "VT24"
KWARTAAL = "2021KW01"

sys.path.insert(0, str(BASIS / "bench"))
sys.path.insert(0, str(BASIS))

from tests.kwaadaardig import csv_kolommen, csv_regels, xlsx_bom, xlsx_xfd  # noqa: E402


# -- the server -----------------------------------------------------------------------------------
def _omgeving(db: Path) -> dict[str, str]:
    omgeving = dict(os.environ)
    omgeving.update(
        DATABASE_URL=f"sqlite:///{db}",
        REGIOAANPAK_OMGEVING="ontwikkeling",
        DEBUG="False",
        API_LIMIET="100000/minute",
        MEDIA_ROOT=str(db.parent / "media"),
        CELERY_BROKER_URL="",
    )
    omgeving.pop("REDIS_URL", None)
    return omgeving


def database_maken(map_: Path) -> Path:
    db = map_ / "aanvallen.sqlite3"
    omgeving = _omgeving(db)
    for opdracht in (["migrate", "--noinput"], ["laad_demodata"]):
        subprocess.run(
            [PY, "manage.py", *opdracht],
            cwd=BASIS,
            env=omgeving,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return db


class Server:
    def __init__(self, db: Path):
        self.db = db
        self.proces: subprocess.Popen | None = None
        self.werker: int | None = None

    def start(self) -> None:
        # gunicorn with one sync worker, as in production (Django's runserver reads the whole
        # unread body of a refused request into memory after answering; gunicorn does not).
        self.proces = subprocess.Popen(
            [
                str(BASIS / ".venv" / "bin" / "gunicorn"),
                "regioaanpak.wsgi:application",
                "--bind",
                f"127.0.0.1:{POORT}",
                "--workers",
                "1",
                "--timeout",
                "900",
            ],
            cwd=BASIS,
            env=_omgeving(self.db),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", POORT), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("De server start niet.")
        for _ in range(100):
            kinderen = Path(f"/proc/{self.proces.pid}/task/{self.proces.pid}/children")
            pids = kinderen.read_text().split()
            if pids:
                self.werker = int(pids[0])
                return
            time.sleep(0.1)
        raise RuntimeError("De worker van gunicorn start niet.")

    def stop(self) -> None:
        if self.proces is not None:
            for pid in (self.werker, self.proces.pid):
                if pid is not None:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            self.proces.wait()
            self.proces = None
            self.werker = None

    def _status(self, veld: str) -> int:
        tekst = Path(f"/proc/{self.werker}/status").read_text()
        return int(re.search(rf"^{veld}:\s+(\d+) kB", tekst, re.M).group(1))

    def meet_begin(self) -> int:
        Path(f"/proc/{self.werker}/clear_refs").write_text("5")  # reset VmHWM
        return self._status("VmRSS")

    def piek(self) -> int:
        return self._status("VmHWM")


# -- sessions --------------------------------------------------------------------------------------
# Logged-in sessions, made once before the attacks (`aanmelden`): sessions live in the database, so
# they hold across the fresh workers. A log-in inside an attack would count Argon2id's 19 MiB
# of working memory (regioaanpak/wachtwoorden.py) as the attack's peak.
SESSIES: dict[str, requests.Session] = {}
GEBRUIKERS = ("projectleider", "wethouder", "beheerder")


def aanmelden() -> None:
    for gebruiker in GEBRUIKERS:
        SESSIES[gebruiker] = _inloggen(gebruiker)


def sessie(gebruiker: str) -> requests.Session:
    if gebruiker not in SESSIES:
        raise RuntimeError(f"Geen sessie voor {gebruiker}: voeg de gebruiker toe aan GEBRUIKERS.")
    return SESSIES[gebruiker]


def _inloggen(gebruiker: str) -> requests.Session:
    s = requests.Session()
    s.get(f"{URL}/inloggen/", timeout=30)
    antwoord = s.post(
        f"{URL}/inloggen/",
        data={
            "username": gebruiker,
            "password": f"{gebruiker}-demo2026",
            "csrfmiddlewaretoken": s.cookies["csrftoken"],
        },
        headers={"Referer": f"{URL}/inloggen/"},
        timeout=30,
        allow_redirects=False,
    )
    if antwoord.status_code != 302:
        raise RuntimeError(f"Inloggen als {gebruiker} lukt niet ({antwoord.status_code}).")
    return s


def post_bestand(s: requests.Session, pad: str, naam: str, inhoud: bytes, limiet: float):
    return s.post(
        f"{URL}{pad}",
        files={"bestand": (naam, inhoud)},
        data={"csrfmiddlewaretoken": s.cookies["csrftoken"]},
        headers={"Referer": f"{URL}{pad}"},
        timeout=limiet,
    )


def api(methode: str, pad: str, limiet: float, **kwargs):
    headers = {"Authorization": f"Token {PARTNER_TOKEN}", **kwargs.pop("headers", {})}
    return requests.request(methode, f"{URL}{pad}", headers=headers, timeout=limiet, **kwargs)


# -- the attacks -----------------------------------------------------------------------------------
@dataclass
class Uitkomst:
    status: str
    bytes_terug: int = 0
    melding: str = ""


def _melding(antwoord: requests.Response) -> str:
    tekst = antwoord.text
    if "json" in antwoord.headers.get("Content-Type", ""):
        return re.sub(r"\s+", " ", tekst)[:160]
    gevonden = re.findall(r'class="[^"]*(?:fout|error|errorlist|melding)[^"]*"[^>]*>(.*?)<', tekst)
    gevonden = [re.sub(r"\s+", " ", g).strip() for g in gevonden if g.strip()]
    if gevonden:
        return gevonden[0][:160]
    titel = re.search(r"<title>(.*?)</title>", tekst, re.S)
    return re.sub(r"\s+", " ", titel.group(1)).strip()[:160] if titel else ""


def _uitkomst(antwoord: requests.Response) -> Uitkomst:
    return Uitkomst(str(antwoord.status_code), len(antwoord.content), _melding(antwoord))


def grid_upload(naam: str, inhoud: bytes):
    def aanval(limiet: float) -> Uitkomst:
        s = sessie("projectleider")
        pad = f"/regio/{REGIO}/cijfers/{KWARTAAL}/upload/"
        return _uitkomst(post_bestand(s, pad, naam, inhoud, limiet))

    return aanval


def api_import(inhoud: bytes, soort: str, naam: str = ""):
    def aanval(limiet: float) -> Uitkomst:
        pad = "/api/v1/waarnemingen/import/?dry_run=true"
        if soort == "multipart":
            antwoord = api("POST", pad, limiet, files={"bestand": (naam, inhoud)})
        else:
            antwoord = api("POST", pad, limiet, data=inhoud, headers={"Content-Type": soort})
        return _uitkomst(antwoord)

    return aanval


def risico(pad: str, gebruiker: str, inhoud: bytes):
    def aanval(limiet: float) -> Uitkomst:
        return _uitkomst(post_bestand(sessie(gebruiker), pad, "bestand.csv", inhoud, limiet))

    return aanval


def voortgang_tekst(
    grootte: int, velden: tuple[str, ...] = ("toelichting",), kwartaal: str = "2021KW04"
):
    """Save and submit a progress update with huge texts, then request the quarter's concept
    PDF twice (the second time a stored one, when nothing changed)."""

    def aanval(limiet: float) -> Uitkomst:
        s = sessie("projectleider")
        pagina = s.get(f"{URL}/regio/{REGIO}/voortgang/{kwartaal}/", timeout=limiet).text
        project = re.search(rf"/projecten/(\d+)/voortgang/{kwartaal}/", pagina).group(1)
        pad = f"/projecten/{project}/voortgang/{kwartaal}/"
        formulier = s.get(f"{URL}{pad}", timeout=limiet).text
        versie = re.search(r'name="versie" value="(\d*)"', formulier)
        tekst = ("Lang verhaal. " * (grootte // 14 + 1))[:grootte]
        antwoord = s.post(
            f"{URL}{pad}",
            data={
                "csrfmiddlewaretoken": s.cookies["csrftoken"],
                "status": "op_schema",
                **dict.fromkeys(velden, tekst),
                "versie": versie.group(1) if versie else "",
                "indienen": "1",
            },
            headers={"Referer": f"{URL}{pad}"},
            timeout=limiet,
            allow_redirects=False,
        )
        if antwoord.status_code != 302:
            fout = re.search(r"Deze tekst heeft [^<]*", antwoord.text)
            return Uitkomst(
                f"{antwoord.status_code} (opslaan geweigerd)",
                len(antwoord.content),
                fout.group(0) if fout else _melding(antwoord),
            )
        tijden = []
        for _keer in range(2):
            begin = time.perf_counter()
            pdf = s.get(f"{URL}/rapportage/{REGIO}/{kwartaal}/kwartaal/pdf/", timeout=limiet)
            tijden.append(f"{time.perf_counter() - begin:.1f}".replace(".", ","))
        return Uitkomst(
            f"302 opgeslagen; PDF {pdf.status_code} in {tijden[0]} s, nog eens {tijden[1]} s",
            len(pdf.content),
        )

    return aanval


FOUT_500 = [
    (
        "API diepe JSON",
        "POST",
        "/api/v1/waarnemingen/import/",
        {"data": "[" * 1000 + "]" * 1000, "headers": {"Content-Type": "application/json"}},
    ),
    (
        "API waarde 1E+999999999",
        "POST",
        "/api/v1/waarnemingen/import/?dry_run=true",
        {
            "json": [
                {"indicator": "vt_meldingen", "gebied": "GM0505", "periode": "2021KW01"}
                | {"waarde": "1E+999999999"}
            ]
        },
    ),
    ("API NUL in pad", "GET", "/api/v1/indicatoren/vt%00/", {}),
    (
        "API NUL in gebied",
        "POST",
        "/api/v1/waarnemingen/import/?dry_run=true",
        {
            "json": [
                {"indicator": "vt_meldingen", "gebied": "GM05\u000005", "periode": "2021KW01"}
                | {"waarde": "1"}
            ]
        },
    ),
    (
        "API periode_van=1900KW01&periode_tot=2999KW04",
        "GET",
        "/api/v1/waarnemingen/?niveau=regio&regio=VT24&indicator=vt_meldingen"
        "&periode_van=1900KW01&periode_tot=2999KW04",
        {},
    ),
    ("API onleesbare cursor", "GET", "/api/v1/waarnemingen/?cursor=%00%ff", {}),
]
FOUT_500_WEB = [
    "/regio/VT%0024/",
    "/regio/VT24/volledigheid/1900KW01/",
    "/regio/VT24/cijfers/1900KW01/",
    "/regio/VT24/cijfers/2999KW04/",
    "/regio/VT24/voortgang/1900KW01/",
    "/regio/VT24/dashboard/?periode=1900KW01",
    "/regio/VT24/dashboard/?periode=2999JJ00",
    "/gemeente/GM0505/dashboard/?periode=1900HJ01",
    "/rapportage/VT24/1900KW01/kwartaal/",
    "/rapportage/VT24/2999KW04/kwartaal/",
    "/bestaat-niet/",
]


def fouten_500(limiet: float) -> Uitkomst:
    codes = []
    for _naam, methode, pad, kwargs in FOUT_500:
        codes.append(api(methode, pad, limiet, **kwargs).status_code)
    s = sessie("beheerder")
    for pad in FOUT_500_WEB:
        codes.append(s.get(f"{URL}{pad}", timeout=limiet).status_code)
    vijfhonderd = sum(1 for c in codes if c >= 500)
    return Uitkomst(f"{vijfhonderd} van {len(codes)} een 500", 0, " ".join(str(c) for c in codes))


def inloggen(limiet: float) -> Uitkomst:
    s = requests.Session()
    s.get(f"{URL}/inloggen/", timeout=limiet)
    codes = []
    for i in range(40):
        antwoord = s.post(
            f"{URL}/inloggen/",
            data={
                "username": "beheerder",
                "password": f"fout-{i}",
                "csrfmiddlewaretoken": s.cookies["csrftoken"],
            },
            headers={"Referer": f"{URL}/inloggen/"},
            timeout=limiet,
            allow_redirects=False,
        )
        codes.append(antwoord.status_code)
    goed = requests.Session()
    goed.get(f"{URL}/inloggen/", timeout=limiet)
    daarna = goed.post(
        f"{URL}/inloggen/",
        data={
            "username": "beheerder",
            "password": "beheerder-demo2026",
            "csrfmiddlewaretoken": goed.cookies["csrftoken"],
        },
        headers={"Referer": f"{URL}/inloggen/"},
        timeout=limiet,
        allow_redirects=False,
    )
    telling = {c: codes.count(c) for c in sorted(set(codes))}
    return Uitkomst(
        f"40 pogingen: {telling}; daarna het goede wachtwoord: {daarna.status_code}",
        0,
        _melding(daarna) if daarna.status_code != 302 else "",
    )


def aanvallen() -> dict[str, tuple[str, object]]:
    fout_regel_factor = "gemeente,factor,waarde,richting\n"
    meldingen_kop = "gemeente,meldingen_per_1000\n"
    waarneming_kop = "indicator,gebied,periode,waarde\n"
    return {
        "csv_40000_kolommen_web": (
            "invoerscherm-upload, CSV met 40.000 kolommen (270 kB)",
            grid_upload("kop.csv", csv_kolommen(40_000)),
        ),
        "csv_40000_kolommen_api": (
            "API-import, CSV met 40.000 kolommen (270 kB)",
            api_import(csv_kolommen(40_000), "text/csv"),
        ),
        "csv_80000_kolommen_api": (
            "API-import, CSV met 80.000 kolommen (570 kB)",
            api_import(csv_kolommen(80_000), "text/csv"),
        ),
        "meldingen_200mb_wethouder": (
            "risicoprofiel/meldingen als wethouder, 200 MB",
            risico(
                f"/regio/{REGIO}/risicoprofiel/meldingen/",
                "wethouder",
                csv_regels(meldingen_kop, "GM0505,12,5\n", 200_000_000),
            ),
        ),
        "factoren_200mb": (
            "risicoprofiel/upload als projectleider, 200 MB",
            risico(
                f"/regio/{REGIO}/risicoprofiel/upload/",
                "projectleider",
                csv_regels(fout_regel_factor, "GM0505,werkloosheid,3,1\n", 200_000_000),
            ),
        ),
        "factoren_20mb_fouten": (
            "risicoprofiel/upload, 20 MB regels die allemaal fout zijn",
            risico(
                f"/regio/{REGIO}/risicoprofiel/upload/",
                "projectleider",
                csv_regels(fout_regel_factor, "GM9999,x,nee,7\n", 20_000_000),
            ),
        ),
        "grid_5mb_fouten": (
            "invoerscherm-upload, 4,9 MB regels die allemaal fout zijn",
            grid_upload(
                "fout.csv", csv_regels(waarneming_kop, "onbekend,GM9999,2021KW01,x\n", 4_900_000)
            ),
        ),
        "xlsx_1m_regels_api": (
            "API-import, xlsx-bom met 1 miljoen regels",
            api_import(xlsx_bom(1_000_000), "multipart", "bom.xlsx"),
        ),
        "xlsx_5m_regels_web": (
            "invoerscherm-upload, xlsx-bom met 5 miljoen regels",
            grid_upload("bom.xlsx", xlsx_bom(5_000_000)),
        ),
        "xlsx_cel_xfd": (
            "invoerscherm-upload, xlsx met één cel in XFD1048576",
            grid_upload("xfd.xlsx", xlsx_xfd()),
        ),
        "voortgang_2mb_tekst": (
            "voortgangsupdate met 2 MB tekst, daarna twee keer de concept-PDF van dat kwartaal",
            voortgang_tekst(2_000_000),
        ),
        "voortgang_4x10000_tekens": (
            "voortgangsupdate met vier teksten van 10.000 tekens (het maximum), twee keer de PDF",
            voortgang_tekst(
                10_000, ("toelichting", "resultaten", "knelpunten", "volgende_stappen")
            ),
        ),
        "fouten_500": (
            "NUL-tekens, perioden buiten bereik, diepe JSON, overloop, cursor",
            fouten_500,
        ),
        "inloggen_40_fout": ("40 foute wachtwoorden voor beheerder, daarna het goede", inloggen),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="na")
    parser.add_argument("--alleen", nargs="*", default=None)
    parser.add_argument("--limiet", type=float, default=180)
    args = parser.parse_args()

    import gedeeld

    map_ = Path(tempfile.mkdtemp(prefix="bench-aanvallen-"))
    try:
        db = database_maken(map_)
        server = Server(db)
        server.start()
        aanmelden()
        regels = []
        for naam, (omschrijving, aanval) in aanvallen().items():
            if args.alleen and naam not in args.alleen:
                continue
            # A fresh server per attack: memory an earlier attack left behind would hide this
            # one's peak.
            server.stop()
            server.start()
            # Warm up: the first request of a fresh worker imports and loads what every request
            # needs; that is not the attack's cost.
            requests.get(f"{URL}/inloggen/", timeout=60)
            voor = server.meet_begin()
            begin = time.perf_counter()
            try:
                uitkomst = aanval(args.limiet)
            except requests.exceptions.Timeout:
                uitkomst = Uitkomst(f"na {args.limiet:.0f} s afgebroken")
            except requests.exceptions.ConnectionError as fout:
                uitkomst = Uitkomst(f"verbinding verbroken ({type(fout).__name__})")
            duur = time.perf_counter() - begin
            piek = server.piek()
            regel = (
                f"{naam:28} {duur:7.1f} s  piek +{(piek - voor) / 1024:7.0f} MiB  "
                f"{uitkomst.status}; {uitkomst.bytes_terug:,} bytes terug"
            )
            if uitkomst.melding:
                regel += f"\n{'':30}{uitkomst.melding}"
            print(f"{omschrijving}\n  {regel}", flush=True)
            regels.append(regel)
        server.stop()
    finally:
        shutil.rmtree(map_, ignore_errors=True)
    gedeeld.schrijf_resultaten(
        RESULTATEN,
        [
            "# Aanvallen op de invoer (bench/aanvallen.py): duur tot het antwoord, piekgeheugen",
            "# van het serverproces boven de stand ervoor (VmHWM), status en grootte van het",
            "# antwoord. [voor]: main vóór de grenzen (commit 2aa7d0f, --label voor in een",
            "# worktree daarvan), [na]: met de grenzen. Beide met gunicorn, één sync-worker,",
            "# SQLite met de demodata, een verse worker per aanval na een opwarmverzoek.",
        ],
        args.label,
        regels,
    )


if __name__ == "__main__":
    main()
