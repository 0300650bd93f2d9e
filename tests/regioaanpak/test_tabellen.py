"""Reading uploaded tables within ceilings (regioaanpak.tabellen): every ceiling is checked before
the work, the refusal is Dutch and names the limit, and the memory used stays far below what
the file would unpack to (tracemalloc, not wall-clock time)."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from regioaanpak.tabellen import Grenzen, Tabel, lees_bestand, lees_csv, lees_xlsx
from tests.kwaadaardig import xlsx_bom, xlsx_xfd

MB = 1024 * 1024
GRENZEN = Grenzen(regels=1_000, kolommen=20, cel=200, fouten=50, bytes=5 * MB)


def piek(doe) -> tuple[object, int]:
    """What `doe()` returns, and the peak of the memory Python allocated meanwhile."""
    tracemalloc.start()
    try:
        uitkomst = doe()
        _huidig, hoogste = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return uitkomst, hoogste


def redenen(tabel: Tabel) -> str:
    return " | ".join(str(f) for f in tabel.fouten)


# -- CSV ------------------------------------------------------------------------------------------
def test_gewone_csv_met_puntkomma_en_bom():
    tabel = lees_csv("\ufeffIndicator;Gebied\nvt_meldingen;GM0505\n\n".encode(), GRENZEN)
    assert tabel.fouten == []
    assert tabel.kop == ["indicator", "gebied"]
    assert tabel.als_dicts() == [{"indicator": "vt_meldingen", "gebied": "GM0505", "__regel__": 2}]


def test_veertigduizend_kolommen_geweigerd_zonder_de_kop_te_ontleden():
    inhoud = (",".join(f"k{i}" for i in range(40_000)) + "\n").encode()
    tabel, hoogste = piek(lambda: lees_csv(inhoud, GRENZEN))
    assert redenen(tabel) == "Regel 1: Het bestand heeft 40.000 kolommen; ten hoogste 20."
    # The text of the header is decoded once; it is never split into 40.000 names (2 MB).
    assert hoogste < 3 * len(inhoud)


def test_te_veel_regels_stopt_het_lezen_bij_de_grens():
    inhoud = ("a,b\n" + "1,2\n" * 50_000).encode()
    tabel = lees_csv(inhoud, GRENZEN)
    assert len(tabel.rijen) == 1_000
    assert tabel.fouten[-1].reden.startswith("het bestand heeft meer dan 1.000 regels")


def test_te_lange_cel_en_nul_teken_noemen_regel_en_kolom():
    inhoud = ("a,b\n" + "x" * 201 + ",1\nok,2\n" + "x\x00y,3\n").encode()
    tabel = lees_csv(inhoud, GRENZEN)
    assert [str(f) for f in tabel.fouten] == [
        "Regel 2, kolom 'a': de cel heeft 201 tekens; ten hoogste 200.",
        "Regel 4, kolom 'a': de cel bevat een NUL-teken; dat kan geen waarde zijn.",
    ]
    assert [r for r, _ in tabel.rijen] == [3]


def test_fouten_stoppen_na_de_grens():
    inhoud = ("a,b\n" + "1,2,3\n" * 500).encode()
    tabel = lees_csv(inhoud, GRENZEN)
    assert len(tabel.fouten) == 51
    assert "meer dan 50 fouten; het lezen is hier gestopt" in tabel.fouten[-1].reden


def test_te_groot_bestand_geweigerd_voor_het_lezen():
    tabel = lees_csv(b"a\n" + b"1\n" * (3 * MB), Grenzen(10, 5, 10, 10, 1 * MB))
    assert redenen(tabel) == "Regel 1: Het bestand is 6 MB; ten hoogste 1 MB. Splits het in delen."


def test_geen_utf8_en_leeg():
    assert "geen UTF-8" in redenen(lees_csv(b"\xff\xfe\x00a", GRENZEN))
    assert "leeg" in redenen(lees_csv(b"   \n", GRENZEN))


# -- Excel ----------------------------------------------------------------------------------------
def werkmap(rijen: list[list]) -> bytes:
    boek = Workbook()
    blad = boek.active
    for rij in rijen:
        blad.append(rij)
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


def test_gewone_werkmap():
    tabel = lees_xlsx(
        werkmap([["Indicator", "Waarde"], ["vt_meldingen", 12.5], [None, None]]), GRENZEN
    )
    assert tabel.fouten == []
    assert tabel.als_dicts() == [{"indicator": "vt_meldingen", "waarde": "12.5", "__regel__": 2}]


def test_zipbom_geweigerd_op_de_inpakverhouding_zonder_uit_te_pakken():
    inhoud = xlsx_bom(1_000_000)
    with zipfile.ZipFile(io.BytesIO(inhoud)) as archief:
        uitgepakt = sum(o.file_size for o in archief.infolist())
    assert len(inhoud) < MB < 40 * MB < uitgepakt
    tabel, hoogste = piek(lambda: lees_xlsx(inhoud, Grenzen.import_()))
    assert "verdacht sterk ingepakt" in redenen(tabel)
    assert hoogste < uitgepakt / 20


def test_werkmap_te_groot_uitgepakt(settings):
    settings.INVOER_XLSX_MAX_UITGEPAKT_MB = 1
    tabel = lees_xlsx(werkmap([["a"]] + [[f"regel {i} " * 10] for i in range(20_000)]), GRENZEN)
    assert "De werkmap is uitgepakt" in redenen(tabel)
    assert "ten hoogste 1 MB" in redenen(tabel)


def test_te_veel_regels_geteld_voor_openpyxl_ze_leest(settings):
    settings.INVOER_XLSX_MAX_VERHOUDING = 10_000  # let the bomb through the ratio check
    inhoud = xlsx_bom(200_000)
    tabel, hoogste = piek(lambda: lees_xlsx(inhoud, GRENZEN))
    assert "Het werkblad heeft meer dan 1.000 regels" in redenen(tabel)
    assert hoogste < 8 * MB


def test_cel_in_kolom_xfd_geweigerd_op_de_afmeting():
    tabel, hoogste = piek(lambda: lees_xlsx(xlsx_xfd(), GRENZEN))
    assert "Het werkblad loopt tot kolom XFD (16.384 kolommen); ten hoogste 20." in redenen(tabel)
    assert hoogste < 2 * MB


def test_cel_ver_rechts_zonder_afmeting_wordt_niet_gelezen():
    """A sheet without <dimension> and a cell in XFD: rows are read up to the column ceiling."""
    kop = werkmap([["a", "b"], ["1", "2"]])
    with zipfile.ZipFile(io.BytesIO(kop)) as archief:
        onderdelen = {n: archief.read(n) for n in archief.namelist()}
    blad = onderdelen["xl/worksheets/sheet1.xml"].decode()
    blad = blad.replace('<dimension ref="A1:B2"/>', "").replace(
        "</row></sheetData>",
        '</row><row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    onderdelen["xl/worksheets/sheet1.xml"] = blad.encode()
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w") as archief:
        for naam, inhoud in onderdelen.items():
            archief.writestr(naam, inhoud)
    tabel, hoogste = piek(lambda: lees_xlsx(uit.getvalue(), GRENZEN))
    assert tabel.fouten == []
    assert tabel.als_dicts() == [{"a": "1", "b": "2", "__regel__": 2}]
    assert hoogste < 4 * MB


def test_kapotte_werkmap():
    assert "geen leesbaar Excel-bestand" in redenen(lees_xlsx(b"PK\x03\x04 kapot", GRENZEN))
    assert "(.xls) worden niet gelezen" in redenen(lees_bestand(b"oud", "cijfers.xls", GRENZEN))


# -- never an exception ---------------------------------------------------------------------------
@hypothesis_settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2_000))
def test_willekeurige_bytes_als_csv_geven_een_tabel_of_een_nederlandse_fout(inhoud):
    tabel = lees_csv(inhoud, GRENZEN)
    assert isinstance(tabel, Tabel)
    for fout in tabel.fouten:
        assert fout.reden and isinstance(fout.regel, int)
    for _regel, velden in tabel.rijen:
        assert all(len(v) <= GRENZEN.cel and "\x00" not in v for v in velden)


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet=st.characters(), max_size=30), min_size=1, max_size=6),
        max_size=20,
    ),
    st.sampled_from([",", ";", "\t"]),
)
def test_willekeurige_tekst_als_csv(regels, scheiding):
    inhoud = "\n".join(scheiding.join(r) for r in regels).encode("utf-8", "surrogatepass")
    try:
        inhoud.decode("utf-8")
    except UnicodeDecodeError:
        return
    tabel = lees_csv(inhoud, GRENZEN)
    assert isinstance(tabel, Tabel)


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=0, max_size=3_000), st.integers(min_value=0, max_value=2_000))
def test_beschadigde_werkmap_geeft_een_nederlandse_fout(ruis, plek):
    """A real workbook with bytes overwritten somewhere: a table or a Dutch error, never an
    exception."""
    echt = bytearray(werkmap([["indicator", "waarde"], ["vt_meldingen", 3]]))
    plek = min(plek, len(echt))
    echt[plek : plek + len(ruis)] = ruis
    tabel = lees_xlsx(bytes(echt), GRENZEN)
    assert isinstance(tabel, Tabel)
    assert all(f.reden for f in tabel.fouten)


@pytest.mark.parametrize("naam", ["a.csv", "a.xlsx", "", "a.txt"])
def test_leeg_bestand(naam):
    assert lees_bestand(b"", naam, GRENZEN).fouten
