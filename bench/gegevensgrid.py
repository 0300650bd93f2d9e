"""Benchmark: saving the full entry grid of 15 municipalities x 30 indicators (450 figures).

Builds the grid in a fresh, empty database, saves it 20 times (every save changes all 450
figures, with 8 quarters of history so the deviation checks do their full work) and writes
the median, the 95th percentile and the number of queries per save to
bench/resultaten/gegevensgrid.txt, one block per database (the latest run of each).

Database: Django's test database next to DATABASE_URL (for PostgreSQL `test_<name>`, dropped
afterwards), or a temporary SQLite file when DATABASE_URL is not set or points to SQLite.
Existing data is never touched.

    make bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regioaanpak make bench
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
RESULTATEN = BASIS / "bench" / "resultaten" / "gegevensgrid.txt"
HERHALINGEN = 20
PAGINA_HERHALINGEN = 5
KWARTAAL = "2021KW01"
GEMEENTEN = [
    ("GM0209", "Beuningen"),
    ("GM0214", "Buren"),
    ("GM0216", "Culemborg"),
    ("GM0225", "Druten"),
    ("GM0252", "Heumen"),
    ("GM0263", "Maasdriel"),
    ("GM0268", "Nijmegen"),
    ("GM0281", "Tiel"),
    ("GM0296", "Wijchen"),
    ("GM0297", "Zaltbommel"),
    ("GM0668", "West Maas en Waal"),
    ("GM0944", "Mook en Middelaar"),
    ("GM1740", "Neder-Betuwe"),
    ("GM1945", "Berg en Dal"),
    ("GM1960", "West Betuwe"),
]

sys.path.insert(0, str(BASIS))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regioaanpak.settings")
os.environ.setdefault("REGIOAANPAK_OMGEVING", "ontwikkeling")

import django  # noqa: E402

django.setup()

import gedeeld  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def bouw_raster():
    """Region, 15 members with populations, 30 measured quarterly indicators, history, a
    project leader."""
    from decimal import Decimal

    from actielijnen.models import Regioaanpak
    from monitoring.choices import Frequentie
    from monitoring.models import Indicator, Waarneming
    from monitoring.services.regels import relaties
    from regioaanpak.choices import RegioSoort, RolSoort
    from regioaanpak.models import Gemeente, Inwonertal, Lidmaatschap, Periode, Regio, Rol
    from regioaanpak.perioden import PeriodeCode
    from regioaanpak.services import gebruiker_aanmaken_of_bijwerken

    call_command("loaddata", str(BASIS / "fixtures" / "indicatoren.yaml"), verbosity=0)
    for nummer in range(1, 4):
        Indicator.objects.create(
            code=f"lokaal_aantal_{nummer}",
            naam=f"Lokale telling {nummer}",
            eenheid="aantal",
            bron="gemeente",
            volgorde=500 + nummer,
        )
    # A quarter's grid holds the quarterly indicators; the yearly ones (the client survey) are
    # entered on the year's grid only.
    indicatoren = list(
        Indicator.objects.gemeten()
        .exclude(frequentie=Frequentie.JAAR)
        .values_list("code", flat=True)
    )
    assert len(indicatoren) == 30, len(indicatoren)
    # Parts never exceed their whole (monitoring.services.regels): a whole weighs one more than
    # its parts together, so base x weight +/- 1 keeps every rule on every save.
    gewicht = dict.fromkeys(indicatoren, 1)
    regels = relaties(Indicator.objects.all())
    for _ronde in regels:  # enough passes for any chain of wholes
        for relatie in regels:
            if relatie.geheel in gewicht:
                nodig = sum(gewicht.get(deel, 1) for deel in relatie.delen) + 1
                gewicht[relatie.geheel] = max(gewicht[relatie.geheel], nodig)

    regio = Regio.objects.create(
        code="VT06", naam="Gelderland-Zuid", soort=RegioSoort.VEILIG_THUIS_REGIO, cbs_code="VT06"
    )
    Regioaanpak.objects.create(
        regio=regio,
        titel="Samen voor veiligheid",
        looptijd_van=dt.date(2021, 1, 1),
        looptijd_tot=dt.date(2025, 12, 31),
    )
    basis = {}
    for nummer, (code, naam) in enumerate(GEMEENTEN):
        gemeente = Gemeente.objects.create(cbs_code=code, naam=naam)
        Lidmaatschap.objects.create(regio=regio, gemeente=gemeente)
        inwoners = 20_000 + 5_000 * nummer
        Inwonertal.objects.create(gemeente=gemeente, jaar=2021, aantal=inwoners)
        basis[code] = inwoners // 1_000  # about 1 per 1.000 inwoners: no regional outliers

    # 8 quarters of history per cell, varying by one around the base value.
    perioden = [PeriodeCode.parse(KWARTAAL).verschuif(-stap) for stap in range(1, 9)]
    Periode.objects.bulk_create(
        [Periode.uit_code(p) for p in [*perioden, PeriodeCode.parse(KWARTAAL)]],
        ignore_conflicts=True,
    )
    Waarneming.objects.bulk_create(
        [
            Waarneming(
                indicator_id=indicator,
                gemeente_id=code,
                periode_id=periode.code,
                waarde=Decimal(basis[code] * gewicht[indicator] + stap % 3 - 1),
            )
            for code in basis
            for indicator in indicatoren
            for stap, periode in enumerate(perioden)
        ]
    )

    gebruiker = gebruiker_aanmaken_of_bijwerken(
        gebruikersnaam="bench-projectleider",
        wachtwoord="bench-projectleider-2026",
        voornaam="Petra",
        achternaam="de Vries",
    )
    Rol.objects.create(gebruiker=gebruiker, regio=regio, rol=RolSoort.PROJECTLEIDER)
    return regio, gebruiker, basis, gewicht


def cellen(basis: dict[str, int], gewicht: dict[str, int], verschil: int) -> list:
    """Every cell of the grid: base x weight, plus `verschil` (a save of 0 and 1 alternately
    changes all 450)."""
    from monitoring.services import GridCel

    return [
        GridCel(code, indicator, str(basis[code] * factor + verschil))
        for code in basis
        for indicator, factor in gewicht.items()
    ]


def _meet() -> dict:
    from django.contrib.auth import get_user_model

    from monitoring.services import gegevensgrid_opslaan

    regio, gebruiker, basis, gewicht = bouw_raster()

    def opslaan(verschil: int, versie: int) -> tuple[float, int, int]:
        # A fresh user object per save, as in a request (roles are cached per object).
        persoon = get_user_model().objects.get(pk=gebruiker.pk)
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            resultaat = gegevensgrid_opslaan(
                regio=regio,
                periode=KWARTAAL,
                cellen=cellen(basis, gewicht, verschil),
                versie=versie,
                gebruiker=persoon,
            )
            duur = (time.perf_counter() - begin) * 1000
        if not resultaat.opgeslagen:
            raise SystemExit(f"Opslaan mislukt: {resultaat}")
        return duur, len(queries.captured_queries), resultaat.nieuw + resultaat.gewijzigd

    eerste, eerste_queries, eerste_aantal = opslaan(0, 0)
    assert eerste_aantal == 450, eerste_aantal
    tijden, aantallen = [], []
    for ronde in range(HERHALINGEN):
        duur, queries, gewijzigd = opslaan((ronde + 1) % 2, ronde + 1)
        assert gewijzigd == 450, gewijzigd
        tijden.append(duur)
        aantallen.append(queries)

    client = Client()
    client.force_login(gebruiker)
    pagina, pagina_queries = [], 0
    for _ronde in range(PAGINA_HERHALINGEN):
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            antwoord = client.get(f"/regio/VT06/cijfers/{KWARTAAL}/")
            pagina.append((time.perf_counter() - begin) * 1000)
        assert antwoord.status_code == 200, antwoord.status_code
        pagina_queries = len(queries.captured_queries)
    return {
        "mediaan": statistics.median(tijden),
        "p95": gedeeld.p95(tijden),
        "queries": sorted(set(aantallen)),
        "eerste": eerste,
        "eerste_queries": eerste_queries,
        "pagina": statistics.median(pagina),
        "pagina_queries": pagina_queries,
    }


def _schrijf(vendor: str, regels: list[str]) -> None:
    """Replace this database's block in the results file, keep the others."""
    kop = [
        "# Benchmark invoerscherm cijfers (make bench, bench/gegevensgrid.py)",
        "# Opslaan van een raster van 15 gemeenten x 30 indicatoren = 450 cijfers, via",
        "# monitoring.services.gegevensgrid_opslaan; elke opslag wijzigt alle 450 cijfers.",
        "# Per database het laatste resultaat.",
    ]
    gedeeld.schrijf_resultaten(RESULTATEN, kop, vendor, regels)


def main() -> None:
    database, uitkomst = gedeeld.in_testdatabase("gegevensgrid", _meet)

    queries = "/".join(str(q) for q in uitkomst["queries"])
    regels = [
        f"datum: {dt.datetime.now():%Y-%m-%d %H:%M}",
        f"database: {database}",
        f"opslaan ({HERHALINGEN}x, elke keer 450 cijfers gewijzigd): mediaan "
        f"{uitkomst['mediaan']:.0f} ms, p95 {uitkomst['p95']:.0f} ms, {queries} queries per opslag",
        f"eerste opslag (450 nieuw): {uitkomst['eerste']:.0f} ms, "
        f"{uitkomst['eerste_queries']} queries",
        f"invoerscherm tonen (GET, {PAGINA_HERHALINGEN}x): mediaan {uitkomst['pagina']:.0f} ms, "
        f"{uitkomst['pagina_queries']} queries",
    ]
    _schrijf(connection.vendor, regels)
    print("\n".join(regels))
    print(f"Geschreven naar {RESULTATEN.relative_to(BASIS)}")


if __name__ == "__main__":
    main()
