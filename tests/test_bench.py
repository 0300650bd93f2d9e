"""The benchmarks stay runnable: `make bench` is not part of CI, and twice the grid bench stopped
at its first step after the catalogue changed (the yearly client-survey indicators; the rule that
parts never exceed their whole). Its set-up and two saves (all new, then all changed) run here."""

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

    def opslaan(verschil: int):
        # Saves 0 and 1 alternate in the bench; the version is the number of saves before.
        resultaat = gegevensgrid_opslaan(
            regio=regio,
            periode=gegevensgrid.KWARTAAL,
            cellen=gegevensgrid.cellen(basis, gewicht, verschil),
            versie=verschil,
            gebruiker=gebruiker,
        )
        assert resultaat.opgeslagen, (resultaat.fouten, list(resultaat.celfouten.items())[:3])
        return resultaat

    assert opslaan(0).nieuw == 450
    assert opslaan(1).gewijzigd == 450
    assert (
        Waarneming.objects.ongefilterd("test").filter(periode_id=gegevensgrid.KWARTAAL).count()
        == 450
    )
