"""The benchmarks stay runnable: `make bench` is not part of CI, and twice the grid bench stopped
at its first step after the catalogue changed (the yearly client-survey indicators; the rule that
parts never exceed their whole). Its set-up and one save run here, on a small grid."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from monitoring.models import Waarneming
from monitoring.services import gegevensgrid_opslaan

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def gegevensgrid():
    sys.path.insert(0, str(BENCH))  # the bench imports its helper `gedeeld` by name
    try:
        spec = importlib.util.spec_from_file_location(
            "bench_gegevensgrid", BENCH / "gegevensgrid.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(BENCH))


@pytest.mark.django_db
def test_het_raster_van_de_bench_wordt_opgeslagen_en_daarna_helemaal_gewijzigd(gegevensgrid):
    regio, gebruiker, basis, gewicht = gegevensgrid.bouw_raster()
    assert len(gewicht) == 30 and len(basis) == 15

    eerste = gegevensgrid_opslaan(
        regio=regio,
        periode=gegevensgrid.KWARTAAL,
        cellen=gegevensgrid.cellen(basis, gewicht, 0),
        versie=0,
        gebruiker=gebruiker,
    )
    assert eerste.opgeslagen, (eerste.fouten, list(eerste.celfouten.items())[:3])
    assert eerste.nieuw == 450
    tweede = gegevensgrid_opslaan(
        regio=regio,
        periode=gegevensgrid.KWARTAAL,
        cellen=gegevensgrid.cellen(basis, gewicht, 1),
        versie=1,
        gebruiker=gebruiker,
    )
    assert tweede.opgeslagen and tweede.gewijzigd == 450
    assert (
        Waarneming.objects.ongefilterd("test").filter(periode_id=gegevensgrid.KWARTAAL).count()
        == 450
    )
