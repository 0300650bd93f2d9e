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


PARTNER = Inzage(
    lees=frozenset({"VT24"}), ruw=frozenset(), onvoltooid=frozenset(), omschrijving="partner"
)


def _partnerwereld(waarden: list[Decimal], statussen: list[str], regels: list[tuple]) -> None:
    """The fixture's stored figures with these values and statuses, the indicators with these
    rules (threshold, rounding), plus sums of other cells: the region's own quarter, a
    municipality's half-year and year."""
    from monitoring.models import Indicator

    for code, (drempel, afronding) in zip(
        ["vt_meldingen", "vt_adviezen", "vt_hermeldingen", "vt_meldingen_eergerelateerd"],
        regels,
        strict=True,
    ):
        Indicator.objects.filter(code=code).update(
            geheimhouding_drempel=drempel, geheimhouding_afronding=afronding
        )
    from monitoring.selectors.referentie import referentie_gewijzigd

    referentie_gewijzigd()
    rijen = list(opgeslagen().order_by("id"))
    for rij, waarde, status in zip(rijen, waarden, statussen, strict=False):
        rij.waarde = None if status == "geheim" else waarde
        rij.status = status
        rij.save()
    for indicator, gemeente, regio, code, waarde in [
        ("vt_meldingen", None, "VT24", "2021KW01", waarden[0]),
        ("vt_meldingen", "GM0505", None, "2021HJ01", waarden[1] + 400),
        ("vt_adviezen", "GM0642", None, "2021JJ00", waarden[2]),
    ]:
        Waarneming.objects.create(
            indicator_id=indicator,
            gemeente_id=gemeente,
            regio_id=regio,
            periode=periode(code),
            waarde=waarde,
            bron="Veilig Thuis ZHZ",
        )


def test_partner_export_zelfde_bestand_langs_database_en_python(cijferregios):
    """A partner's export: on PostgreSQL the database applies the rules (suppressed below the
    threshold, rounded half up) and takes the selector's answers for the sums; the file is
    the Python route's, byte for byte."""
    _zet_bronnen(LASTIGE_BRONNEN)
    waarden = [Decimal(w) for w in ("412", "9.9999", "12.5", "7", "10", "2.5", "0", "17.5", "3")]
    statussen = ["definitief", "voorlopig", "definitief", "geheim", *["definitief"] * 5]
    _partnerwereld(waarden, statussen, [(10, 5), (0, 1), (10, 1), (3, 10)])
    python = _python_route(PARTNER)
    database = _database_route(PARTNER)
    assert (database is not None) == POSTGRESQL
    if database is not None:
        assert database == python
    rijen = {
        (r["indicator"], r["gebied"], r["periode"]): r for r in csv.DictReader(io.StringIO(python))
    }
    dordrecht = rijen[("vt_meldingen", "GM0505", "2021KW01")]
    assert (dordrecht["waarde"], dordrecht["geheimhouding"]) == ("410", "afgerond")
    assert {r["geheimhouding"] for r in rijen.values()} >= {"afgerond", "onderdrukt", ""}
    assert all(r["waarde"] == "." for r in rijen.values() if r["geheimhouding"] == "onderdrukt")


_waarde = st.one_of(
    st.integers(min_value=0, max_value=40).map(Decimal),
    st.integers(min_value=0, max_value=400).map(lambda n: Decimal(n) / 4),  # ties: x.5
    st.decimals(min_value=0, max_value=10_000, places=4),
    # Large counts just below a tie: PostgreSQL keeps fewer decimals in a division the larger
    # the result, and rounded 9999999999997.4999 / 5 up.
    st.sampled_from([Decimal("9999999999997.4999"), Decimal("1234567890122.4999")]),
)
_regel = st.tuples(st.integers(min_value=0, max_value=20), st.sampled_from([1, 2, 5, 10]))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    waarden=st.lists(_waarde, min_size=9, max_size=9),
    statussen=st.lists(
        st.sampled_from(["definitief", "voorlopig", "geheim"]), min_size=9, max_size=9
    ),
    regels=st.lists(_regel, min_size=4, max_size=4),
)
def test_partner_database_publiceert_als_python(cijferregios, waarden, statussen, regels):
    from django.db import transaction

    with transaction.atomic():
        _partnerwereld(waarden, statussen, regels)
        database = _database_route(PARTNER)
        if POSTGRESQL:
            assert database == _python_route(PARTNER)
        else:
            assert database is None
        transaction.set_rollback(True)


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
