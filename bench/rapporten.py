"""Benchmark: the half-year report of Gelderland-Zuid (VT06) and the batch of all regions.

Builds a fresh test database with every municipality and region (fixtures gebieden and
indicatoren, plus the four real regioaanpakken: Zuid-Holland Zuid, Gelderland-Zuid, Groningen
and Rotterdam-Rijnmond), synthetic figures for all municipalities over 40 quarters
(`genereer_demodata --schaal landelijk --seed 1`), approved deliveries for every Veilig Thuis
region and quarter, approved progress updates for every project, and the municipal boundaries
(`laad_grenzen`). Then:

(a) the concept half-year report of VT06 Gelderland-Zuid (15 municipalities) for its latest
    half-year with data is rendered 10 times as PDF (median and p95; target: median <= 5 s), and
    10 times as HTML document; the time to collect the snapshot is measured on its own;
(b) `rapporten_genereren` builds the concept PDFs of all regions with a regioaanpak for that
    half-year (total time, built and failed).

Results go to bench/resultaten/rapporten.txt, one block per database (the latest run of each).
PDFs are written to a temporary MEDIA_ROOT, never to var/media.

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
import tempfile
import time
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
RESULTATEN = BASIS / "bench" / "resultaten" / "rapporten.txt"
HERHALINGEN = 10
REGIO = "VT06"
DOEL_S = 5
REGIOAANPAKKEN = (
    "regioaanpak_zhz.yaml",
    "regioaanpak_gz.yaml",
    "regioaanpak_groningen.yaml",
    "regioaanpak_rr.yaml",
)

sys.path.insert(0, str(BASIS))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regioaanpak.settings")
os.environ.setdefault("REGIOAANPAK_OMGEVING", "ontwikkeling")

import django  # noqa: E402

django.setup()

import gedeeld  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from regioaanpak import opmaak  # noqa: E402


def _tijd(tekst_s: float) -> str:
    return opmaak.getal(tekst_s, 2)


def _laatste_halfjaar() -> str:
    """The latest half-year of which both quarters have figures for the region."""
    from monitoring.models import Waarneming
    from regioaanpak.perioden import PeriodeCode

    kwartalen = {
        PeriodeCode.parse(code)
        for code in Waarneming.objects.ongefilterd("bench: de kwartalen met cijfers")
        .filter(periode__soort="KW", gemeente__lidmaatschappen__regio_id=REGIO)
        .values_list("periode_id", flat=True)
        .distinct()
    }
    halfjaren = [
        PeriodeCode.halfjaar(k.jaar, (k.nummer + 1) // 2)
        for k in kwartalen
        if k.nummer in (2, 4) and PeriodeCode.kwartaal(k.jaar, k.nummer - 1) in kwartalen
    ]
    return max(halfjaren).code


def _bouw_gegevens() -> str:
    """National data, approved deliveries and progress for the four approaches, boundaries."""

    from actielijnen.choices import ProjectStatus
    from actielijnen.models import Project, Voortgangsupdate
    from regioaanpak.choices import WorkflowStatus
    from regioaanpak.perioden import PeriodeCode

    for naam in ("gebieden.json", "indicatoren.yaml", *REGIOAANPAKKEN):
        call_command("loaddata", str(BASIS / "fixtures" / naam), verbosity=0)
    begin = time.perf_counter()
    call_command("genereer_demodata", "--schaal", "landelijk", "--seed", "1", verbosity=0)
    print(f"genereer_demodata: {time.perf_counter() - begin:.0f} s")
    call_command("laad_grenzen", verbosity=0)

    kwartalen = gedeeld.leveringen_goedgekeurd()
    # Approved progress for every project and every quarter of its approach's term that exists.
    bestaand = set(kwartalen)
    statussen = [ProjectStatus.OP_SCHEMA, ProjectStatus.AANDACHT, ProjectStatus.ACHTER]
    updates = []
    for project in Project.objects.select_related("actielijn__regioaanpak"):
        aanpak = project.actielijn.regioaanpak
        reeks = PeriodeCode.reeks(
            PeriodeCode.van_datum(aanpak.looptijd_van), PeriodeCode.van_datum(aanpak.looptijd_tot)
        )
        for nummer, kwartaal in enumerate(k for k in reeks if k.code in bestaand):
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
    # Fresh planner statistics after the bulk load, as autovacuum keeps them in production.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return _laatste_halfjaar()


def _meet() -> dict:
    from rapportage.batch import rapporten_genereren
    from rapportage.choices import RapportSoort
    from rapportage.selectors import rapportgegevens
    from rapportage.weergave import concept_meta, rapport_html_document, rapport_pdf
    from regioaanpak.inzage import Inzage
    from regioaanpak.models import Lidmaatschap, Regio

    halfjaar = _bouw_gegevens()
    regio = Regio.objects.select_related("centrumgemeente").get(code=REGIO)
    soort = RapportSoort.HALFJAAR

    def gegevens() -> dict:
        return rapportgegevens(
            regio, halfjaar, soort, inzage=Inzage.intern(regio.code, met_ingediend=True)
        )

    snapshot = gegevens()
    meta = concept_meta(snapshot)
    rapport_pdf(snapshot, meta)  # warm up: imports, fonts, template loading
    gegevens_tijden, pdf_tijden, html_tijden = [], [], []
    for _ronde in range(HERHALINGEN):
        begin = time.perf_counter()
        snapshot = gegevens()
        midden = time.perf_counter()
        pdf = rapport_pdf(snapshot, meta)
        gegevens_tijden.append(midden - begin)
        pdf_tijden.append(time.perf_counter() - begin)
    for _ronde in range(HERHALINGEN):
        begin = time.perf_counter()
        rapport_html_document(gegevens(), meta)
        html_tijden.append(time.perf_counter() - begin)

    voortgang: list[str] = []
    batch = rapporten_genereren(
        periode=halfjaar, bij_voortgang=lambda klaar, totaal, code: voortgang.append(code)
    )
    assert len(voortgang) == len(batch.gelukt) + len(batch.mislukt)
    return {
        "halfjaar": halfjaar,
        "leden": Lidmaatschap.objects.filter(regio_id=REGIO).count(),
        "pdf_kb": len(pdf) // 1024,
        "gegevens_mediaan": statistics.median(gegevens_tijden),
        "pdf_mediaan": statistics.median(pdf_tijden),
        "pdf_p95": gedeeld.p95(pdf_tijden),
        "html_mediaan": statistics.median(html_tijden),
        "html_p95": gedeeld.p95(html_tijden),
        "batch": batch,
    }


def _schrijf(vendor: str, regels: list[str]) -> None:
    """Replace this database's block in the results file, keep the others."""
    kop = [
        "# Benchmark rapportages (make bench, bench/rapporten.py)",
        f"# (a) Conceptrapportage halfjaar van {REGIO} (Gelderland-Zuid) voor het laatste halfjaar",
        f"#     met cijfers, {HERHALINGEN}x als PDF en {HERHALINGEN}x als HTML-document (beide",
        f"#     inclusief het verzamelen van de gegevens); doel: mediaan PDF <= {DOEL_S} s.",
        "# (b) rapporten_genereren voor alle regio's met een regioaanpak (concept-PDF's).",
        "# Landelijke demodata (alle gemeenten, 40 kwartalen, alle leveringen goedgekeurd).",
        "# Per database het laatste resultaat.",
    ]
    gedeeld.schrijf_resultaten(RESULTATEN, kop, vendor, regels)


def main() -> None:
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-rapporten-media-")
    database, uitkomst = gedeeld.in_testdatabase("rapporten", _meet)

    batch = uitkomst["batch"]
    totaal = len(batch.gelukt) + len(batch.mislukt)
    regels = [
        f"datum: {dt.datetime.now():%Y-%m-%d %H:%M}",
        f"database: {database}",
        f"regio: {REGIO} met {uitkomst['leden']} lidmaatschappen; halfjaar {uitkomst['halfjaar']}",
        f"halfjaarrapportage PDF ({HERHALINGEN}x): mediaan {_tijd(uitkomst['pdf_mediaan'])} s, "
        f"p95 {_tijd(uitkomst['pdf_p95'])} s (waarvan gegevens verzamelen: mediaan "
        f"{_tijd(uitkomst['gegevens_mediaan'])} s); {uitkomst['pdf_kb']} kB",
        f"halfjaarrapportage HTML ({HERHALINGEN}x): mediaan {_tijd(uitkomst['html_mediaan'])} s, "
        f"p95 {_tijd(uitkomst['html_p95'])} s",
        f"rapporten_genereren ({uitkomst['halfjaar']}): {len(batch.gelukt)} van {totaal} gemaakt, "
        f"{len(batch.mislukt)} mislukt, totaal {_tijd(batch.duur)} s",
        *(f"  mislukt {code}: {reden}" for code, reden in batch.mislukt.items()),
    ]
    _schrijf(connection.vendor, regels)
    print("\n".join(regels))
    print(f"Geschreven naar {RESULTATEN.relative_to(BASIS)}")


if __name__ == "__main__":
    main()
