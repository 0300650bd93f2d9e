"""The CSV export of stored figures for a viewer who sees them raw: on PostgreSQL the database
formats the cells (COPY), elsewhere Python does. Both must give the same file, byte for byte,
including the neutralised spreadsheet formulas in free text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitoring.models import Waarneming
from monitoring.selectors.api import (
    KOLOMMEN,
    Publicatie,
    Vraag,
    catalogus,
    opgeslagen_csv_database,
    opgeslagen_csv_rijen,
    opgeslagen_waarnemingen,
)
from regioaanpak.api.renderers import csv_stroom
from regioaanpak.inzage import Inzage
from tests.factories import opgeslagen, periode

pytestmark = pytest.mark.django_db
LIJST = "/api/v1/waarnemingen/"
POSTGRESQL = connection.vendor == "postgresql"

LASTIGE_BRONNEN = {
    ("vt_meldingen", "GM0505", "2021KW01"): '=HYPERLINK("http://x")',
    ("vt_meldingen", "GM0505", "2021KW02"): "-5",
    ("vt_adviezen", "GM0505", "2021KW01"): "Veilig Thuis; =1+2",
    ("vt_hermeldingen", "GM0505", "2021KW01"): ' "@SUM(A1)',
    ("vt_meldingen", "GM0642", "2021KW01"): "regel\n-3,b",
    ("vt_meldingen", "GM0642", "2021KW02"): "",
    ("vt_doorlooptijd_onderzoek", "GM0505", "2021KW01"): 'tekst met "aanhalingstekens", komma',
    ("vt_meldingen_eergerelateerd", "GM0505", "2021KW01"): "x\r=1",
}


def _python_route(inzage: Inzage) -> bytes:
    qs = opgeslagen_waarnemingen(Vraag(), inzage)
    return "".join(csv_stroom(KOLOMMEN, opgeslagen_csv_rijen(qs, Publicatie(inzage, catalogus()))))


def _database_route(inzage: Inzage) -> bytes | None:
    qs = opgeslagen_waarnemingen(Vraag(), inzage)
    stukken = opgeslagen_csv_database(qs, Publicatie(inzage, catalogus()))
    if stukken is None:
        return None
    return next(csv_stroom(KOLOMMEN, ())) + b"".join(stukken).decode("utf-8")


def _zet_bronnen(bronnen: dict) -> None:
    for (indicator, gemeente, kwartaal), bron in bronnen.items():
        opgeslagen().filter(
            indicator_id=indicator, gemeente_id=gemeente, periode_id=kwartaal
        ).update(bron=bron)


def test_interne_export_zelfde_bestand_langs_database_en_python(cijferregios, api_token, api):
    _zet_bronnen(LASTIGE_BRONNEN)
    opgeslagen().filter(indicator_id="vt_hermeldingen").update(status="geheim", waarde=None)
    # A region's own figure, with a value that has trailing zeros in the database.
    Waarneming.objects.create(
        indicator_id="vt_meldingen",
        regio_id="VT24",
        periode=periode("2021KW01"),
        waarde=Decimal("530.5000"),
        bron="Veilig Thuis ZHZ",
    )
    intern = api(api_token(cijferregios["beleid"], ["VT24"]))
    antwoord = intern.get(LIJST + "?format=csv")
    assert antwoord.status_code == 200
    tekst = b"".join(antwoord.streaming_content).decode("utf-8")

    inzage = Inzage.intern("VT24")
    assert tekst == _python_route(inzage)
    database = _database_route(inzage)
    assert (database is not None) == POSTGRESQL
    if database is not None:
        assert database == tekst

    rijen = {
        (r["indicator"], r["gebied"], r["periode"]): r for r in csv.DictReader(io.StringIO(tekst))
    }
    assert len(rijen) == 9  # 8 of Dordrecht and Zwijndrecht, the region's own; not Nijmegen's
    assert rijen[("vt_meldingen", "VT24", "2021KW01")]["waarde"] == "530.5"
    assert rijen[("vt_meldingen", "VT24", "2021KW01")]["gebied_soort"] == "regio"
    assert rijen[("vt_hermeldingen", "GM0505", "2021KW01")]["waarde"] == "."
    assert rijen[("vt_meldingen", "GM0505", "2021KW01")]["bron"] == '\'=HYPERLINK("http://x")'
    assert rijen[("vt_meldingen", "GM0505", "2021KW02")]["bron"] == "-5"
    assert rijen[("vt_adviezen", "GM0505", "2021KW01")]["bron"] == "Veilig Thuis; '=1+2"
    assert rijen[("vt_hermeldingen", "GM0505", "2021KW01")]["bron"] == " \"'@SUM(A1)"
    assert rijen[("vt_meldingen", "GM0642", "2021KW01")]["bron"] == "regel\n'-3,b"
    assert rijen[("vt_meldingen", "GM0642", "2021KW02")]["bron"] == ""
    # A bare CR is quoted like a LF (else it breaks the row in Excel), on both routes.
    assert rijen[("vt_meldingen_eergerelateerd", "GM0505", "2021KW01")]["bron"] == "x\r'=1"
    assert '"x\r\'=1"' in tekst
    assert rijen[("vt_meldingen", "GM0505", "2021KW01")]["geheimhouding"] == ""
    assert rijen[("vt_meldingen", "GM0505", "2021KW01")]["samengesteld"] == "false"


def test_partner_gaat_langs_python_met_geheimhouding(cijferregios):
    partner = Inzage(
        lees=frozenset({"VT24"}), ruw=frozenset(), onvoltooid=frozenset(), omschrijving="partner"
    )
    assert _database_route(partner) is None


# Text as a source may hold it (no NUL: the input refuses those); formulas and separators often.
# No backslash: COPY quotes a cell that is exactly \. and Python does not (both read back alike).
_bron = st.text(alphabet=st.sampled_from([*"=+-@;,\n\r\t \"'a1.", "é", "€"]), max_size=12)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bronnen=st.lists(_bron, min_size=len(LASTIGE_BRONNEN), max_size=len(LASTIGE_BRONNEN)))
def test_database_neutraliseert_formules_als_python(cijferregios, bronnen):
    _zet_bronnen(dict(zip(LASTIGE_BRONNEN, bronnen, strict=True)))
    inzage = Inzage.intern("VT24")
    database = _database_route(inzage)
    if POSTGRESQL:
        assert database == _python_route(inzage)
    else:
        assert database is None
