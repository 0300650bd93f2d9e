import datetime as dt

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from regioaanpak.perioden import (
    JAAR_MAX,
    JAAR_MIN,
    OngeldigePeriode,
    PeriodeCode,
    laatste_volledige_kwartaal,
)


@pytest.mark.parametrize(
    ("code", "begin", "eind"),
    [
        ("2021KW01", dt.date(2021, 1, 1), dt.date(2021, 3, 31)),
        ("2021KW04", dt.date(2021, 10, 1), dt.date(2021, 12, 31)),
        ("2020KW01", dt.date(2020, 1, 1), dt.date(2020, 3, 31)),
        ("2021HJ01", dt.date(2021, 1, 1), dt.date(2021, 6, 30)),
        ("2021HJ02", dt.date(2021, 7, 1), dt.date(2021, 12, 31)),
        ("2021JJ00", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
    ],
)
def test_begin_en_einddatum(code, begin, eind):
    periode = PeriodeCode.parse(code)
    assert (periode.begindatum, periode.einddatum) == (begin, eind)
    assert str(periode) == code


@pytest.mark.parametrize(
    "code", ["2021KW05", "2021KW00", "2021HJ03", "2021JJ01", "2021Q1", "21KW01", "", "abc"]
)
def test_foute_code_wordt_geweigerd_met_de_code_in_de_melding(code):
    with pytest.raises(OngeldigePeriode) as fout:
        PeriodeCode.parse(code)
    assert code in fout.value.messages[0]


def test_kleine_letters_en_spaties_worden_geaccepteerd():
    assert PeriodeCode.parse(" 2021kw02 ").code == "2021KW02"


def test_vorige_periode_gaat_over_de_jaargrens():
    assert PeriodeCode.parse("2021KW01").vorige().code == "2020KW04"
    assert PeriodeCode.parse("2021HJ01").vorige().code == "2020HJ02"
    assert PeriodeCode.parse("2021JJ00").vorige().code == "2020JJ00"
    assert PeriodeCode.parse("2020KW04").volgende().code == "2021KW01"


def test_zelfde_periode_een_jaar_eerder():
    assert PeriodeCode.parse("2021KW03").jaar_eerder().code == "2020KW03"
    assert PeriodeCode.parse("2021HJ02").jaar_eerder().code == "2020HJ02"


def test_bevat_kwartalen_in_halfjaar_en_halfjaren_in_jaar():
    hj1 = PeriodeCode.parse("2021HJ01")
    jaar = PeriodeCode.parse("2021JJ00")
    assert hj1.bevat("2021KW01") and hj1.bevat("2021KW02")
    assert not hj1.bevat("2021KW03")
    assert jaar.bevat(hj1) and jaar.bevat("2021KW04")
    assert not hj1.bevat(jaar)
    assert not jaar.bevat("2022KW01")
    assert [p.code for p in jaar.kwartalen()] == ["2021KW01", "2021KW02", "2021KW03", "2021KW04"]
    assert [p.code for p in PeriodeCode.parse("2021KW03").bovenliggende()] == [
        "2021HJ02",
        "2021JJ00",
    ]


def test_reeks_en_sortering():
    reeks = PeriodeCode.reeks("2020KW03", "2021KW02")
    assert [p.code for p in reeks] == ["2020KW03", "2020KW04", "2021KW01", "2021KW02"]
    assert sorted(PeriodeCode.parse(c) for c in ["2021KW01", "2021JJ00", "2020KW04"]) == [
        PeriodeCode.parse("2020KW04"),
        PeriodeCode.parse("2021JJ00"),
        PeriodeCode.parse("2021KW01"),
    ]
    with pytest.raises(OngeldigePeriode):
        PeriodeCode.reeks("2020KW01", "2021JJ00")


def test_labels_in_het_nederlands():
    assert PeriodeCode.parse("2021KW02").label == "2e kwartaal 2021"
    assert PeriodeCode.parse("2021HJ01").label == "1e halfjaar 2021"
    assert PeriodeCode.parse("2021JJ00").label == "2021"


def test_laatste_volledige_kwartaal():
    assert laatste_volledige_kwartaal(dt.date(2026, 11, 22)).code == "2026KW03"
    assert laatste_volledige_kwartaal(dt.date(2026, 1, 5)).code == "2025KW04"


# -- never an exception but OngeldigePeriode
@hypothesis_settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(max_size=20),
        st.from_regex(r"\A[0-9]{1,5}(KW|HJ|JJ|kw|Hj)[0-9]{1,3}\Z"),
        st.builds(
            lambda j, s, n: f"{j}{s}{n:02d}",
            st.integers(-10, 10_000),
            st.sampled_from(["KW", "HJ", "JJ"]),
            st.integers(0, 6),
        ),
    )
)
def test_parser_geeft_een_periode_of_een_nederlandse_fout(tekst):
    for lees in (PeriodeCode.parse, PeriodeCode.invoer):
        try:
            periode = lees(tekst)
        except OngeldigePeriode as fout:
            assert fout.messages[0]
            assert "periode" in fout.messages[0]
        else:
            assert periode.code == tekst.strip().upper()


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    st.integers(JAAR_MIN, JAAR_MAX),
    st.sampled_from([("KW", 1, 4), ("HJ", 1, 2), ("JJ", 0, 0)]),
    st.data(),
)
def test_rekenen_vanaf_elke_geldige_invoer_blijft_binnen_het_bereik(jaar, soort, data):
    """What the pages compute from a period someone typed (the previous one, a year earlier,
    a trend of 60 periods, the next one) never leaves the valid range."""
    naam, laag, hoog = soort
    periode = PeriodeCode.invoer(f"{jaar}{naam}{data.draw(st.integers(laag, hoog)):02d}")
    assert PeriodeCode.parse(periode.vorige().code) == periode.vorige()
    assert PeriodeCode.parse(periode.volgende().code) == periode.volgende()
    assert PeriodeCode.parse(periode.jaar_eerder().code) == periode.jaar_eerder()
    reeks = PeriodeCode.reeks(periode.verschuif(-60), periode)
    assert len(reeks) == 61 and reeks[-1] == periode
    assert periode.einddatum >= periode.begindatum


@pytest.mark.parametrize("code", ["1949KW04", "2100KW01", "1900HJ01", "2999JJ00", "0000KW01"])
def test_invoer_buiten_het_bereik(code):
    with pytest.raises(OngeldigePeriode) as fout:
        PeriodeCode.invoer(code)
    assert (
        f"{code} ligt buiten de perioden van de monitor (1950 tot en met 2099)."
        in fout.value.messages
    )
