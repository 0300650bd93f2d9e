"""Concept reports of many regions at once: files, failures per region, Dutch errors, progress."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from rapportage import batch
from rapportage.batch import concept_lezen, conceptpad, rapporten_genereren
from rapportage.models import Rapport
from rapportage.selectors import OngeldigRapport
from regioaanpak.opslag import bewaar
from tests.factories import GemeenteFactory, LidmaatschapFactory, RegioaanpakFactory, RegioFactory
from tests.rapportage.conftest import pdf_tekst, platte_tekst

pytestmark = pytest.mark.django_db


@pytest.fixture
def regios(zuid_holland_zuid):
    """VT24 with figures, VT06 with a regioaanpak but no figures, VT18 a Veilig Thuis region
    without a regioaanpak, and a sub-region without one (which gets no report)."""
    gelderland_zuid = RegioFactory(code="VT06", naam="Gelderland-Zuid")
    LidmaatschapFactory(
        regio=gelderland_zuid, gemeente=GemeenteFactory(cbs_code="GM0268", naam="Nijmegen")
    )
    RegioaanpakFactory(regio=gelderland_zuid, titel="Samen voor veiligheid")
    RegioFactory(code="VT18", naam="Rotterdam-Rijnmond")
    RegioFactory(code="GZ-RIV", naam="Rivierenland", soort="subregio", cbs_code="")
    return zuid_holland_zuid, gelderland_zuid


def _inhoud(regio_code: str, periode: str) -> bytes:
    return concept_lezen(regio_code, periode)


def test_elke_veilig_thuis_regio_en_regioaanpak_krijgt_een_concept_pdf(regios):
    bewaar(conceptpad("VT24", "2022HJ02"), b"oude versie")
    voortgang = []

    resultaat = rapporten_genereren(
        periode="2022HJ02", bij_voortgang=lambda *args: voortgang.append(args)
    )

    assert resultaat.gelukt == ["VT06", "VT18", "VT24"]
    assert resultaat.mislukt == {}
    assert resultaat.duur > 0
    assert voortgang == [(1, 3, "VT06"), (2, 3, "VT18"), (3, 3, "VT24")]
    _mappen, namen = default_storage.listdir("rapporten/concept")
    assert namen == [
        "VT06_2022HJ02.pdf",
        "VT18_2022HJ02.pdf",
        "VT24_2022HJ02.pdf",
    ]
    for code in ("VT06", "VT18", "VT24"):
        assert _inhoud(code, "2022HJ02").startswith(b"%PDF")
    tekst = platte_tekst(pdf_tekst(_inhoud("VT24", "2022HJ02")))
    assert "Zuid-Holland Zuid" in tekst and "concept" in tekst
    # A concept is not a version: nothing is written to the report models.
    assert not Rapport.objects.exists()


def test_een_mislukte_regio_houdt_de_andere_niet_op(regios, monkeypatch):
    echt = batch.rapport_pdf

    def rapport_pdf(gegevens, meta):
        if gegevens["regio"]["code"] == "VT06":
            raise RuntimeError("lettertype ontbreekt")
        return echt(gegevens, meta)

    monkeypatch.setattr(batch, "rapport_pdf", rapport_pdf)
    voortgang = []

    resultaat = rapporten_genereren(
        periode="2022KW03", bij_voortgang=lambda *args: voortgang.append(args)
    )

    assert resultaat.gelukt == ["VT18", "VT24"]
    assert resultaat.mislukt == {"VT06": "Rapport kon niet worden gemaakt: lettertype ontbreekt"}
    assert voortgang == [(1, 3, "VT06"), (2, 3, "VT18"), (3, 3, "VT24")]
    assert not default_storage.exists(conceptpad("VT06", "2022KW03"))
    assert _inhoud("VT24", "2022KW03").startswith(b"%PDF")


def test_commando_meldt_mislukte_regio_en_eindigt_met_fout(regios, monkeypatch, capsys):
    def rapport_pdf(gegevens, meta):
        if gegevens["regio"]["code"] == "VT24":
            raise ValueError("kapotte grafiek")
        return b"%PDF-1.7 nep"

    monkeypatch.setattr(batch, "rapport_pdf", rapport_pdf)

    with pytest.raises(CommandError, match="1 rapport is mislukt"):
        call_command("genereer_rapporten", "--periode", "2022hj02")

    uitvoer = capsys.readouterr()
    assert "] 1/3 VT06" in uitvoer.out and "[" + "#" * 30 + "] 3/3 VT24" in uitvoer.out
    assert "2 van 3 rapporten gemaakt" in uitvoer.out
    assert uitvoer.err.strip().splitlines() == [
        "VT24: Rapport kon niet worden gemaakt: kapotte grafiek"
    ]
    assert _inhoud("VT06", "2022HJ02") == b"%PDF-1.7 nep"


def test_commando_met_opgegeven_regio(regios, monkeypatch, capsys):
    soorten = []

    def rapport_pdf(gegevens, meta):
        soorten.append(gegevens["soort"])
        return b"%PDF-1.7 nep"

    monkeypatch.setattr(batch, "rapport_pdf", rapport_pdf)

    call_command("genereer_rapporten", "--periode", "2022KW03", "--regio", "vt24")

    uitvoer = capsys.readouterr()
    assert soorten == ["kwartaal"]
    assert "1/1 VT24" in uitvoer.out and "1 van 1 rapport gemaakt" in uitvoer.out
    assert uitvoer.err == ""
    assert default_storage.exists(conceptpad("VT24", "2022KW03"))
    assert not default_storage.exists(conceptpad("VT06", "2022KW03"))


@pytest.mark.parametrize(
    ("argumenten", "melding"),
    [
        ({"periode": "2022XX01"}, "'2022XX01' is geen geldige periodecode"),
        ({"periode": "2022KW05"}, "'2022KW05' is geen geldige periodecode"),
        ({"periode": "2022HJ02", "regio_codes": ["VT24", "VT99"]}, "Onbekende regio: VT99."),
        ({"periode": "2022HJ02", "regio_codes": ["VT98", "VT99"]}, "Onbekende regio's: VT98"),
    ],
)
def test_ongeldige_periode_of_regio_geeft_nederlandse_fout(regios, argumenten, melding):
    with pytest.raises(OngeldigRapport, match=re.escape(melding)):
        rapporten_genereren(**argumenten)
    with pytest.raises(CommandError, match=re.escape(melding)):
        opties = ["--periode", argumenten["periode"]]
        if "regio_codes" in argumenten:
            opties += ["--regio", *argumenten["regio_codes"]]
        call_command("genereer_rapporten", *opties)
    assert default_storage.listdir("rapporten") == ([], [])
