"""The one presentation layer (regioaanpak.opmaak): numbers, money, percentages, dates and the
CBS notation, the same on pages, charts, PDFs and in messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from monitoring.grafieken.basis import nette_as, omgebroken, waarde_as
from regioaanpak import opmaak


@pytest.mark.parametrize(
    ("waarde", "decimalen", "tekst"),
    [
        (Decimal("1234"), None, "1.234"),
        (Decimal("1234.5"), None, "1.234,5"),
        (Decimal("62.5000"), None, "62,5"),
        (Decimal("400.0000"), None, "400"),
        (Decimal("41.25"), 1, "41,3"),  # half up, as people round
        (Decimal("-1234567.891"), 2, "-1.234.567,89"),
        (Decimal("-0.04"), 1, "0,0"),  # never "-0,0"
        (7, None, "7"),
        (2.05, 2, "2,05"),
        (None, None, "geen gegevens"),
    ],
)
def test_getal(waarde, decimalen, tekst):
    assert opmaak.getal(waarde, decimalen) == tekst


def test_getal_ook_zonder_actieve_taal():
    """Commands and PDF workers run without a request: still Dutch."""
    with translation.override("en"):
        assert opmaak.getal(Decimal("1234.5")) == "1.234,5"
        assert opmaak.datum(dt.date(2026, 3, 1)) == "1 maart 2026"


def test_bedrag_procent_verandering():
    assert opmaak.bedrag(Decimal("12500")) == "€\u00a012.500"
    assert opmaak.bedrag(Decimal("12500.5"), 2) == "€\u00a012.500,50"
    assert opmaak.bedrag(None) == "onbekend"
    assert opmaak.procent(Decimal("93.24")) == "93,2%"
    assert opmaak.verandering(Decimal("4.35")) == "+4,4%"
    assert opmaak.verandering(Decimal("-2")) == "-2,0%"
    assert opmaak.verandering(Decimal("0.01")) == "+0,0%"
    assert opmaak.verandering(None) == "geen vergelijking mogelijk"


@pytest.mark.parametrize(
    ("kwargs", "tekst"),
    [
        ({"waarde": Decimal("412"), "voorlopig": True}, "412*"),
        ({"waarde": Decimal("93.24"), "eenheid": "percentage", "met_eenheid": True}, "93,2%"),
        (
            {
                "waarde": Decimal("93.24"),
                "eenheid": "percentage",
                "met_eenheid": True,
                "voorlopig": True,
            },
            "93,2%*",  # the asterisk last, never "93,2*%"
        ),
        (
            {"waarde": Decimal("2.0512"), "eenheid": "per_1000", "met_eenheid": True},
            "2,05 per 1.000 inwoners",
        ),
        ({"waarde": Decimal("12500"), "eenheid": "euro", "met_eenheid": True}, "€\u00a012.500"),
        ({"waarde": Decimal("3"), "geheim": True}, "."),
        ({"waarde": None}, "geen gegevens"),
        ({"waarde": None, "kort": True}, "–"),
        ({"waarde": Decimal("62.5"), "eenheid": "dagen", "met_eenheid": True}, "62,5 dagen"),
    ],
)
def test_cijfer_in_cbs_notatie(kwargs, tekst):
    assert opmaak.cijfer(**kwargs) == tekst


def test_datum_en_tijdstip_een_schrijfwijze():
    moment = dt.datetime(2026, 12, 1, 21, 19, tzinfo=dt.UTC)
    assert opmaak.datum(dt.date(2026, 12, 1)) == "1 december 2026"
    assert opmaak.datum(moment) == "1 december 2026"
    assert opmaak.tijdstip(moment) == "1 december 2026 om 22:19"  # Amsterdam time
    assert opmaak.datum(None) == "" and opmaak.tijdstip(None) == ""


def test_sjabloonfilters():
    sjabloon = Template(
        "{% load opmaak %}{{ d|datum }}|{{ t|tijdstip }}|{{ b|bedrag }}|{{ b|bedrag:2 }}|"
        "{{ g|getal }}|{{ g|getal:2 }}|{{ s|sha_kort }}"
    )
    tekst = sjabloon.render(
        Context(
            {
                "d": dt.date(2026, 1, 5),
                "t": dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC),
                "b": Decimal("1250"),
                "g": Decimal("1234.5"),
                "s": "a" * 64,
            }
        )
    )
    assert tekst == (
        "5 januari 2026|1 juli 2026 om 12:00|€\u00a01.250|€\u00a01.250,00|1.234,5|1.234,50|"
        "aaaaaaaaaaaa…"
    )


@pytest.mark.parametrize(
    ("maximum", "procent", "ticks"),
    [
        (9.07, False, ["0", "2", "4", "6", "8", "10"]),
        (13580, False, ["0", "2500", "5000", "7500", "10000", "12500", "15000"]),
        (2.05, False, ["0", "0.5", "1", "1.5", "2", "2.5"]),
        (95, True, ["0", "20", "40", "60", "80", "100"]),
        (102.6, True, ["0", "20", "40", "60", "80", "100", "120"]),
        (0, False, ["0", "1"]),
    ],
)
def test_ronde_asstappen(maximum, procent, ticks):
    assert [format(t, "f") for t in nette_as(maximum, procent=procent)] == ticks


def test_as_met_eenheid_en_nederlandse_getallen():
    assert waarde_as([93.2, None], "percentage")["ticktext"][-1] == "100%"
    assert waarde_as([13580.0], "euro")["ticktext"][1] == "€\u00a02.500"
    assert waarde_as([2.05], "per_1000")["ticktext"][1] == "0,5"


def test_lange_labels_lopen_over_regels_in_plaats_van_afgekapt():
    label = "Decentralisatie-uitkering Vrouwenopvang en Geweld in huiselijke kring"
    assert omgebroken(label, 28, 3) == (
        "Decentralisatie-uitkering<br>Vrouwenopvang en Geweld in<br>huiselijke kring"
    )
    assert omgebroken("kort") == "kort"
