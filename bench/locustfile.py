"""The users of the load benchmark (bench/last.py starts Locust with this file).

Credentials and the subjects come from the environment that bench/last.py sets: LAST_WACHTWOORD,
LAST_TOKEN (a partner's read token for every Veilig Thuis region), LAST_KWARTAAL (the latest
approved quarter) and LAST_RAPPORT (a published report of VT24 for that quarter). An answer other
than the expected one counts as an error, with its status. With LAST_TIJDEN set, every response
time is written to that file (JSON, by request name) when the run stops.
"""

from __future__ import annotations

import json
import os
import re

from locust import HttpUser, between, constant, events, task

REGIO, GEMEENTE = "VT24", "GM0505"
KWARTAAL = os.environ.get("LAST_KWARTAAL", "")
RAPPORT = os.environ.get("LAST_RAPPORT", "")
PAGINAS = 10  # a partner's walk through the figures: ten pages of 1.000


# Every response time (ms) by request name, written at the end of the run to LAST_TIJDEN when it is
# set: bench/last.py computes exact percentiles from them, with and without the log-ins.
TIJDEN: dict[str, list[float]] = {}


@events.request.add_listener
def _onthoud(name: str, response_time: float, **_kwargs) -> None:
    TIJDEN.setdefault(name, []).append(response_time)


@events.test_stop.add_listener
def _schrijf(**_kwargs) -> None:
    pad = os.environ.get("LAST_TIJDEN")
    if pad:
        with open(pad, "w", encoding="utf-8") as bestand:
            json.dump(TIJDEN, bestand)


def _controleer(antwoord, *, soort: str = "text/html") -> None:
    if antwoord.status_code != 200:
        antwoord.failure(f"status {antwoord.status_code}")
    elif soort not in antwoord.headers.get("Content-Type", ""):
        antwoord.failure(f"inhoud {antwoord.headers.get('Content-Type')}")
    else:
        antwoord.success()


class Ingelogd(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    gebruikersnaam = ""

    def on_start(self) -> None:
        pagina = self.client.get("/inloggen/", name="inlogpagina")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina.text)
        with self.client.post(
            "/inloggen/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": self.gebruikersnaam,
                "password": os.environ.get("LAST_WACHTWOORD", ""),
            },
            name="inloggen",
            allow_redirects=False,
            catch_response=True,
        ) as antwoord:
            if antwoord.status_code != 302:
                antwoord.failure(f"inloggen gaf {antwoord.status_code}")


class Wethouder(Ingelogd):
    weight = 3
    gebruikersnaam = "bench-wethouder"

    @task(2)
    def regiodashboard(self) -> None:
        with self.client.get(
            f"/regio/{REGIO}/dashboard/?periode={KWARTAAL}",
            name="regiodashboard VT24",
            catch_response=True,
        ) as antwoord:
            _controleer(antwoord)

    @task(1)
    def gemeentedashboard(self) -> None:
        with self.client.get(
            f"/gemeente/{GEMEENTE}/dashboard/?periode={KWARTAAL}",
            name="gemeentedashboard Dordrecht",
            catch_response=True,
        ) as antwoord:
            _controleer(antwoord)


class Beleidsmedewerker(Ingelogd):
    weight = 1
    gebruikersnaam = "bench-beleid"

    @task(2)
    def archief(self) -> None:
        with self.client.get(
            f"/rapportage/{REGIO}/", name="rapportarchief", catch_response=True
        ) as antwoord:
            _controleer(antwoord)

    @task(2)
    def rapport(self) -> None:
        with self.client.get(
            f"/rapportage/{REGIO}/versie/{RAPPORT}/",
            name="gepubliceerd rapport",
            catch_response=True,
        ) as antwoord:
            _controleer(antwoord)

    @task(1)
    def pdf(self) -> None:
        with self.client.get(
            f"/rapportage/{REGIO}/versie/{RAPPORT}/pdf/", name="rapport-PDF", catch_response=True
        ) as antwoord:
            _controleer(antwoord, soort="application/pdf")

    @task(1)
    def concept(self) -> None:
        with self.client.get(
            f"/rapportage/{REGIO}/{KWARTAAL}/kwartaal/", name="conceptrapport", catch_response=True
        ) as antwoord:
            _controleer(antwoord)


class Partner(HttpUser):
    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {os.environ.get('LAST_TOKEN', '')}"

    @task
    def bladeren(self) -> None:
        url = "/api/v1/waarnemingen/?page_size=1000"
        for _pagina in range(PAGINAS):
            with self.client.get(url, name="API-pagina van 1.000", catch_response=True) as antwoord:
                _controleer(antwoord, soort="application/json")
                if antwoord.status_code != 200:
                    return
                url = antwoord.json().get("next")
            if not url:
                return


class Vloer(HttpUser):
    """The floor: the liveness endpoint, answered by Django without the database."""

    wait_time = between(0.5, 1.5)

    @task
    def leeft(self) -> None:
        with self.client.get("/gezond/", name="vloer /gezond/", catch_response=True) as antwoord:
            _controleer(antwoord, soort="application/json")


# -- closed loop, as the issue measured before: 20 connections without thinking time -------------


class DashboardZonderPauze(Ingelogd):
    wait_time = constant(0)
    gebruikersnaam = "bench-wethouder"

    @task
    def regiodashboard(self) -> None:
        Wethouder.regiodashboard(self)


class ApiZonderPauze(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {os.environ.get('LAST_TOKEN', '')}"
        self.url = None

    @task
    def pagina(self) -> None:
        with self.client.get(
            self.url or "/api/v1/waarnemingen/?page_size=1000",
            name="API-pagina van 1.000",
            catch_response=True,
        ) as antwoord:
            _controleer(antwoord, soort="application/json")
            self.url = antwoord.json().get("next") if antwoord.status_code == 200 else None
