"""The analysts' commands: importeer_risicofactoren and risicoprofiel (with --signalering)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from monitoring.models import Gegevenslevering, Risicofactorwaarde, Waarneming
from regioaanpak.choices import WorkflowStatus
from tests.factories import InwonertalFactory, periode
from tests.monitoring.test_risicoprofiel import RIJNMOND, rijnmond  # noqa: F401

pytestmark = pytest.mark.django_db
ZES = [code for code, _naam in RIJNMOND[:6]]


@pytest.fixture
def factoren(rijnmond, tmp_path):  # noqa: F811
    regels = ["gemeente,factor,waarde,richting,bron,peiljaar"]
    for i, code in enumerate(ZES):
        regels.append(f"{code},Werkloosheidspercentage,{3 + i},1,CBS StatLine,2019")
        regels.append(f"{code},WOZ-waarde,{300 - 10 * i},-1,CBS StatLine,2019")
    bestand = tmp_path / "factoren.csv"
    bestand.write_text("\n".join(regels) + "\n", encoding="utf-8")
    uit = StringIO()
    call_command("importeer_risicofactoren", "--regio", "VT18", str(bestand), stdout=uit)
    assert "12 regels voor Rotterdam-Rijnmond: 12 nieuw" in uit.getvalue()
    return rijnmond


def _csv(*argumenten) -> list[dict]:
    uit = StringIO()
    call_command("risicoprofiel", "--regio", "VT18", "--format", "csv", *argumenten, stdout=uit)
    return list(csv.DictReader(io.StringIO(uit.getvalue())))


def test_importcommando_weigert_alles_bij_een_foute_regel(rijnmond, tmp_path):  # noqa: F811
    bestand = tmp_path / "fout.csv"
    bestand.write_text(
        "gemeente,factor,waarde,richting\nGM0530,Bijstand,4,1\nGM0530,Bijstand x,4,0\n",
        encoding="utf-8",
    )
    fout = StringIO()
    with pytest.raises(CommandError, match="Er is niets opgeslagen: 1 fout"):
        call_command("importeer_risicofactoren", "--regio", "VT18", str(bestand), stderr=fout)
    assert "Regel 3, kolom 'richting'" in fout.getvalue()
    assert not Risicofactorwaarde.objects.exists()


def test_profiel_als_csv(factoren):
    rijen = _csv()
    assert list(rijen[0]) == ["gemeente", "naam", "score", "aantal_factoren", "rang", "klasse"]
    assert [r["rang"] for r in rijen] == ["1", "2", "3", "4", "5", "6"]
    # The highest unemployment and the lowest WOZ-waarde: Westvoorne (last of the six).
    assert rijen[0]["gemeente"] == "GM0614" and rijen[0]["klasse"] == "hoog"
    assert rijen[-1]["gemeente"] == "GM0530" and rijen[-1]["klasse"] == "laag"
    assert rijen[0]["aantal_factoren"] == "2"
    assert float(rijen[0]["score"]) == pytest.approx(-float(rijen[-1]["score"]), abs=0.01)


def test_signalering_uit_een_bestand(factoren, tmp_path):
    bestand = tmp_path / "meldingen.csv"
    bestand.write_text(
        "gemeente;meldingen_per_1000\n"
        + "".join(f"{code};{10 + i}\n" for i, code in enumerate(ZES)),
        encoding="utf-8",
    )
    rijen = _csv("--signalering", "--meldingen", str(bestand))
    assert {"meldingen_per_1000", "verwacht", "residu", "oordeel"} <= set(rijen[0])
    westvoorne = next(r for r in rijen if r["gemeente"] == "GM0614")
    assert westvoorne["meldingen_per_1000"] == "15.00"


def test_signalering_uit_de_cijfers_van_een_periode(factoren, indicatoren):
    for i, code in enumerate(ZES):
        InwonertalFactory(gemeente_id=code, jaar=2021, aantal=40_000)
        Waarneming.objects.create(
            indicator_id="vt_meldingen",
            gemeente_id=code,
            periode=periode("2021KW01"),
            waarde=Decimal(200 + 20 * i),
        )
    Gegevenslevering.objects.create(
        regio=factoren,
        periode=periode("2021KW01"),
        workflow_status=WorkflowStatus.GOEDGEKEURD,
        beoordeeld_op=timezone.now(),
    )
    rijen = {r["gemeente"]: r for r in _csv("--signalering", "--periode", "2021KW01")}
    assert rijen["GM0530"]["meldingen_per_1000"] == "5.00"  # 200 / 40.000 * 1.000
    assert rijen["GM0614"]["meldingen_per_1000"] == "7.50"


@pytest.mark.parametrize(
    ("argumenten", "tekst"),
    [
        (["--signalering"], "--periode CODE of --meldingen"),
        (["--periode", "2021KW01"], "horen bij --signalering"),
        (["--signalering", "--periode", "2021Q1"], "geen geldige periodecode"),
    ],
)
def test_foute_argumenten(factoren, argumenten, tekst):
    with pytest.raises(CommandError, match=tekst):
        call_command("risicoprofiel", "--regio", "VT18", *argumenten, stdout=StringIO())


def test_regio_zonder_factoren(rijnmond):  # noqa: F811
    with pytest.raises(CommandError, match="nog geen risicofactoren"):
        call_command("risicoprofiel", "--regio", "VT18", stdout=StringIO())
