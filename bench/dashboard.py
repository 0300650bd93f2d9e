"""Benchmark: the region dashboard of Zuid-Holland Zuid (VT24) on national-scale data.

Builds a fresh test database with every municipality and region (fixtures gebieden and
indicatoren, plus the real regioaanpak of Zuid-Holland Zuid for the progress section),
synthetic figures for all municipalities over 40 quarters (`genereer_demodata --schaal
landelijk --seed 1`), approved deliveries for every Veilig Thuis region and quarter, approved
progress updates for the projects, and the municipal boundaries (`laad_grenzen`). Then an
alderman of Dordrecht requests the dashboard of VT24 for its latest quarter 30 times with
Django's test client; the median and 95th percentile of the server time and the number of
queries go to bench/resultaten/dashboard.txt, one block per database (the latest run of each).
The municipality dashboard of Dordrecht is measured alongside.

Database: Django's test database next to DATABASE_URL (for PostgreSQL `test_<name>`, dropped
afterwards), or a temporary SQLite file when DATABASE_URL is not set or points to SQLite.
Existing data is never touched. Generating the figures takes about 30 s on PostgreSQL.

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
RESULTATEN = BASIS / "bench" / "resultaten" / "dashboard.txt"
HERHALINGEN = 30
GEMEENTE_HERHALINGEN = 10
REGIO = "VT24"
GEMEENTE = "GM0505"
DOEL_MS = 150

sys.path.insert(0, str(BASIS))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regioaanpak.settings")
os.environ.setdefault("REGIOAANPAK_OMGEVING", "ontwikkeling")

import django  # noqa: E402

django.setup()

import gedeeld  # noqa: E402
import vloer  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def _bouw_gegevens() -> tuple[str, object]:
    """National data, approved deliveries and progress, boundaries and an alderman."""

    from actielijnen.choices import ProjectStatus
    from actielijnen.models import Project, Voortgangsupdate
    from regioaanpak.choices import RolSoort, WorkflowStatus
    from regioaanpak.models import Rol
    from regioaanpak.perioden import PeriodeCode
    from regioaanpak.services import gebruiker_aanmaken_of_bijwerken

    for naam in ("gebieden.json", "indicatoren.yaml", "regioaanpak_zhz.yaml"):
        call_command("loaddata", str(BASIS / "fixtures" / naam), verbosity=0)
    begin = time.perf_counter()
    call_command("genereer_demodata", "--schaal", "landelijk", "--seed", "1", verbosity=0)
    print(f"genereer_demodata: {time.perf_counter() - begin:.0f} s")
    call_command("laad_grenzen", verbosity=0)

    kwartalen = gedeeld.leveringen_goedgekeurd()
    # Approved progress for every project and quarter of its approach's term.
    statussen = [ProjectStatus.OP_SCHEMA, ProjectStatus.AANDACHT, ProjectStatus.ACHTER]
    updates = []
    for project in Project.objects.filter(actielijn__regioaanpak__regio_id=REGIO).select_related(
        "actielijn__regioaanpak"
    ):
        aanpak = project.actielijn.regioaanpak
        reeks = PeriodeCode.reeks(
            PeriodeCode.van_datum(aanpak.looptijd_van), PeriodeCode.van_datum(aanpak.looptijd_tot)
        )
        for nummer, kwartaal in enumerate(reeks):
            updates.append(
                Voortgangsupdate(
                    project=project,
                    periode_id=kwartaal.code,
                    status=statussen[(project.pk + nummer) % len(statussen)],
                    toelichting=f"Voortgang {kwartaal.label}.",
                    uitgaven_tm_kwartaal=1_000 * (nummer + 1),
                    workflow_status=WorkflowStatus.GOEDGEKEURD,
                )
            )
    Voortgangsupdate.objects.bulk_create(updates, batch_size=500)

    wethouder = gebruiker_aanmaken_of_bijwerken(
        gebruikersnaam="bench-wethouder",
        wachtwoord="bench-wethouder-2026",
        voornaam="Wim",
        achternaam="Wethouder",
    )
    Rol.objects.create(
        gebruiker=wethouder, regio_id=REGIO, gemeente_id=GEMEENTE, rol=RolSoort.BESTUURDER
    )
    # A partner sees the same page disclosure-controlled (the heavier path of the selector).
    partner = gebruiker_aanmaken_of_bijwerken(
        gebruikersnaam="bench-partner", wachtwoord="bench-partner-2026"
    )
    Rol.objects.create(gebruiker=partner, regio_id=REGIO, rol=RolSoort.PARTNER)
    # Fresh planner statistics after the bulk load, as autovacuum keeps them in production.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return kwartalen[-1], wethouder, partner


def _cijfers_tegen_vloer(kwartaal: str) -> list[str]:
    """`cijfers()` against one GROUP BY over figures x valid memberships, in the database and
    (for comparison) with the Python roll-up the database replaced."""
    from django.test.utils import override_settings

    from monitoring.selectors import cijfers
    from regioaanpak.inzage import Inzage
    from regioaanpak.perioden import PeriodeCode

    laatste = PeriodeCode.parse(kwartaal)
    kwartalen = PeriodeCode.reeks(PeriodeCode.parse(f"{laatste.jaar - 10}KW04"), laatste)
    jaren = [PeriodeCode.parse(f"{j}JJ00") for j in range(laatste.jaar - 9, laatste.jaar + 1)]
    regels = []
    for naam, regio, perioden in (
        ("NL01 x 40 kwartalen", "NL01", kwartalen),
        ("NL01 x 10 jaren", "NL01", jaren),
        (f"{REGIO} x 40 kwartalen", REGIO, kwartalen),
    ):
        codes = sorted({c.code for p in perioden for c in (p, *p.nakomelingen())})

        def vraag(regio=regio, perioden=perioden):
            cijfers(
                inzage=Inzage.systeem(),
                indicatoren=["vt_meldingen"],
                gebieden=[regio],
                perioden=perioden,
            )

        groupby = vloer.groupby_vloer(regio, "vt_meldingen", codes)
        meting = vloer.vergelijk(vraag, groupby, keer=25)
        with override_settings(CIJFERS_SOMMEN_OPSLAAN=False):
            live = vloer.vergelijk(vraag, groupby, keer=5)
        with override_settings(CIJFERS_OPTELLEN_IN_DATABASE=False):
            python = vloer.vergelijk(vraag, groupby, keer=5)
        na_goedkeuring = _na_wijziging(vraag, [perioden[-1].code], meting.vloer_ms)
        na_alles = _na_wijziging(vraag, codes, meting.vloer_ms)
        _uitkomst, queries = vloer.vang(vraag)
        regels.append(
            f"cijfers() vt_meldingen {naam}: {meting.tekst(doel=2)}, "
            f"{len(queries)} queries; "
            f"direct na een goedkeuring van de laatste periode: {na_goedkeuring.tijd_ms:.1f} ms"
            f" = {na_goedkeuring.ratio:.1f}x; na een wijziging in elke periode (alles "
            f"opnieuw opgeteld): {na_alles.tijd_ms:.1f} ms = {na_alles.ratio:.1f}x; "
            f"zonder opgeslagen sommen: {live.tijd_ms:.1f} ms = {live.ratio:.1f}x; "
            f"met de optelling in Python (voorheen): {python.tijd_ms:.0f} ms = {python.ratio:.1f}x"
        )
    return regels


def _na_wijziging(vraag, perioden: list[str], vloer_ms: float, keer: int = 5):
    """The median time of `vraag` right after a change in these periods (not timed itself)."""
    tijden = []
    for _ in range(keer):
        _gewijzigd(perioden)
        begin = time.perf_counter()
        vraag()
        tijden.append((time.perf_counter() - begin) * 1000)
    return vloer.Verhouding(statistics.median(tijden), vloer_ms)


def _gewijzigd(perioden: list[str]) -> None:
    """What an approval does to the stored sums (monitoring/ledensommen.py): a write to the
    deliveries of these periods (here without changing a value), so their sums are stale."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE monitoring_gegevenslevering SET versie = versie WHERE periode_id = ANY(%s)",
            [perioden],
        )


def _pagina_tegen_vloer(client: Client, url: str, keer: int, doel_ms: float, wie: str) -> list[str]:
    """A page uncached against its own SQL re-run, then cached; the query count."""
    from django.core.cache import cache
    from django.test.utils import override_settings

    with override_settings(PAGINACACHE_SECONDEN=0):
        client.get(url)
        antwoord, queries = vloer.vang(lambda: client.get(url))
        assert antwoord.status_code == 200, antwoord.status_code
        meting = vloer.vergelijk(lambda: client.get(url), vloer.sql_vloer(queries), keer=keer)
        kwartaal = url.rsplit("periode=", 1)[-1]
        na_goedkeuring = _na_wijziging(lambda: client.get(url), [kwartaal], 0).tijd_ms
    cache.clear()
    client.get(url)
    gecachet = vloer.vergelijk(lambda: client.get(url), lambda: None, keer=keer).tijd_ms
    _antwoord, cache_queries = vloer.vang(lambda: client.get(url))
    return [
        f"{url} als {wie}, zonder cache ({keer}x): {meting.tekst()}, {len(queries)} "
        f"queries (doel mediaan <= {doel_ms:g} ms: "
        f"{'gehaald' if meting.tijd_ms <= doel_ms else 'NIET gehaald'}); direct na een "
        f"goedkeuring van {kwartaal} (de sommen van dat kwartaal opnieuw, 5x): "
        f"{na_goedkeuring:.1f} ms",
        f"{url} als {wie}, uit de cache ({keer}x): mediaan {gecachet:.1f} ms, "
        f"{len(cache_queries)} queries (doel <= 20 ms: "
        f"{'gehaald' if gecachet <= 20 else 'NIET gehaald'})",
    ]


def _meet() -> dict:
    from monitoring.models import Waarneming
    from regioaanpak.choices import RolSoort
    from regioaanpak.models import Lidmaatschap, Rol
    from regioaanpak.services import gebruiker_aanmaken_of_bijwerken

    kwartaal, wethouder, partner = _bouw_gegevens()
    landelijk = gebruiker_aanmaken_of_bijwerken(
        gebruikersnaam="bench-landelijk", wachtwoord="bench-landelijk-2026"
    )
    Rol.objects.create(gebruiker=landelijk, regio_id="NL01", rol=RolSoort.BESTUURDER)
    regels = _cijfers_tegen_vloer(kwartaal)
    client = Client()
    client.force_login(wethouder)
    regels += _pagina_tegen_vloer(
        client, f"/regio/{REGIO}/dashboard/?periode={kwartaal}", HERHALINGEN, DOEL_MS, "wethouder"
    )
    regels += _pagina_tegen_vloer(
        client,
        f"/gemeente/{GEMEENTE}/dashboard/?periode={kwartaal}",
        GEMEENTE_HERHALINGEN,
        DOEL_MS,
        "wethouder",
    )
    client.force_login(partner)
    regels += _pagina_tegen_vloer(
        client,
        f"/regio/{REGIO}/dashboard/?periode={kwartaal}",
        GEMEENTE_HERHALINGEN,
        DOEL_MS,
        "partner (afgeschermd)",
    )
    client.force_login(landelijk)
    regels += _pagina_tegen_vloer(
        client,
        f"/regio/NL01/dashboard/?periode={kwartaal}",
        GEMEENTE_HERHALINGEN,
        400,
        "bestuurder van Nederland",
    )
    return {
        "kwartaal": kwartaal,
        "waarnemingen": Waarneming.objects.count(),
        "leden": Lidmaatschap.objects.filter(regio_id=REGIO).count(),
        "regels": regels,
    }


def _schrijf(vendor: str, regels: list[str]) -> None:
    """Replace this database's block in the results file, keep the others."""
    kop = [
        "# Benchmark dashboard van een regio (make bench, bench/dashboard.py)",
        f"# Regiodashboard {REGIO} (Zuid-Holland Zuid) voor het laatste kwartaal, als wethouder,",
        "# op landelijke demodata (alle gemeenten, 40 kwartalen, alle leveringen goedgekeurd).",
        f"# Servertijd via Django's testclient; doel: mediaan <= {DOEL_MS} ms op PostgreSQL",
        "# (NL01 <= 400 ms), uit de cache <= 20 ms. Elke meting naast haar vloer in dezelfde run:",
        "# cijfers() naast één GROUP BY over cijfers x geldige lidmaatschappen, een pagina naast",
        "# haar eigen SQL opnieuw uitgevoerd; de verhouding (ratio) is wat telt.",
        "# Per database het laatste resultaat.",
    ]
    gedeeld.schrijf_resultaten(RESULTATEN, kop, vendor, regels)


def main() -> None:
    database, uitkomst = gedeeld.in_testdatabase("dashboard", _meet)

    regels = [
        f"datum: {dt.datetime.now():%Y-%m-%d %H:%M}",
        f"database: {database}",
        f"gegevens: {uitkomst['waarnemingen']:,} waarnemingen".replace(",", ".")
        + f"; {REGIO} met {uitkomst['leden']} lidmaatschappen; kwartaal {uitkomst['kwartaal']}",
        *uitkomst["regels"],
    ]
    _schrijf(connection.vendor, regels)
    print("\n".join(regels))
    print(f"Geschreven naar {RESULTATEN.relative_to(BASIS)}")


if __name__ == "__main__":
    main()
