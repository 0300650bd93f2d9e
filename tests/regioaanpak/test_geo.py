import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from regioaanpak.geo import (
    punt_in_geometrie,
    punt_in_polygoon,
    representatief_punt,
    topojson_naar_geojson,
)
from regioaanpak.models import Gemeente, Inwonertal, Lidmaatschap, Regio

GEBIEDEN = settings.BASE_DIR / "fixtures" / "gebieden.json"
# The CBS/PDOK boundary files are committed with the project (see fixtures/geo/BRON.md).
GEO_MAP = settings.BASE_DIR / "fixtures" / "geo"

# Two unit squares (quantized 0..1 and 1..2) sharing the edge x=1; arc 0 is that edge,
# square B uses it reversed (~0). Arcs are delta-encoded.
TOPOLOGIE = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [4, 52]},
    "arcs": [
        [[1, 0], [0, 1]],
        [[1, 1], [-1, 0], [0, -1], [1, 0]],
        [[1, 0], [1, 0], [0, 1], [-1, 0]],
    ],
    "objects": {
        "vakken": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"statcode": "GM0001"}},
                {"type": "Polygon", "arcs": [[2, ~0]], "properties": {"statcode": "GM0002"}},
                {
                    "type": "MultiPolygon",
                    "arcs": [[[0, 1]], [[2, ~0]]],
                    "properties": {"statcode": "VT01", "statnaam": "Beide"},
                },
            ],
        }
    },
}
VAK_A = [[4.5, 52.0], [4.5, 52.25], [4.0, 52.25], [4.0, 52.0], [4.5, 52.0]]
VAK_B = [[4.5, 52.0], [5.0, 52.0], [5.0, 52.25], [4.5, 52.25], [4.5, 52.0]]


def test_topojson_decoderen(tmp_path: Path) -> None:
    pad = tmp_path / "vakken.topojson"
    pad.write_text(json.dumps(TOPOLOGIE), encoding="utf-8")
    collectie = topojson_naar_geojson(pad)
    assert collectie["type"] == "FeatureCollection"
    a, b, beide = collectie["features"]
    assert [a["id"], b["id"], beide["id"]] == ["GM0001", "GM0002", "VT01"]
    assert beide["properties"] == {"statcode": "VT01", "statnaam": "Beide"}
    assert a["geometry"] == {"type": "Polygon", "coordinates": [VAK_A]}
    assert b["geometry"] == {"type": "Polygon", "coordinates": [VAK_B]}
    assert beide["geometry"] == {"type": "MultiPolygon", "coordinates": [[VAK_A], [VAK_B]]}
    assert topojson_naar_geojson(pad, "vakken") == collectie
    assert punt_in_geometrie((4.75, 52.1), beide["geometry"])
    assert not punt_in_geometrie((5.25, 52.1), beide["geometry"])


def test_punt_in_polygoon_met_gat() -> None:
    buiten = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    gat = [(4, 4), (6, 4), (6, 6), (4, 6), (4, 4)]
    assert punt_in_polygoon((2, 2), [buiten, gat])
    assert not punt_in_polygoon((12, 5), [buiten, gat])
    assert not punt_in_polygoon((5, 5), [buiten, gat])
    assert punt_in_polygoon((5, 5), [buiten])


def test_representatief_punt_ligt_binnen_ook_als_zwaartepunt_buiten_ligt() -> None:
    # A U shape: the centroid of the outer ring lies in the notch.
    u_vorm = {
        "type": "Polygon",
        "coordinates": [[(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3), (0, 0)]],
    }
    assert punt_in_geometrie(representatief_punt(u_vorm), u_vorm)
    vierkant = {"type": "Polygon", "coordinates": [[(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)]]}
    assert representatief_punt(vierkant) == pytest.approx((1, 1))


@pytest.fixture
def gebieden(db) -> None:
    call_command("loaddata", str(GEBIEDEN), verbosity=0)


def _leden(regio: str, peildatum: dt.date) -> set[str]:
    return set(
        Lidmaatschap.objects.filter(regio_id=regio)
        .geldig_in(peildatum, peildatum)
        .values_list("gemeente_id", flat=True)
    )


@pytest.mark.django_db
def test_gebieden_fixture(gebieden: None) -> None:
    assert Gemeente.objects.count() == 351
    assert Regio.objects.count() == 32
    assert len(_leden("VT18", dt.date(2022, 6, 30))) == 15
    assert len(_leden("VT18", dt.date(2023, 6, 30))) == 13
    assert "GM1963" not in _leden("VT18", dt.date(2023, 6, 30))  # Hoeksche Waard
    assert Lidmaatschap.objects.filter(regio_id="VT06").count() == 15
    gennep = "GM0907"
    assert not Lidmaatschap.objects.filter(regio_id="VT06", gemeente_id=gennep).exists()
    assert Lidmaatschap.objects.filter(regio_id="VT13", gemeente_id=gennep).exists()
    mook = Gemeente.objects.get(naam="Mook en Middelaar")
    assert set(mook.lidmaatschappen.values_list("regio_id", flat=True)) == {
        "NL01",
        "VT06",
        "GZ-RVN",
    }
    assert set(
        Gemeente.objects.get(pk="GM1992").voorgangers.values_list("cbs_code", flat=True)
    ) == {"GM0501", "GM0530", "GM0614"}
    assert "GM0545" in _leden("VT24", dt.date(2018, 6, 30))  # Leerdam
    assert "GM1961" not in _leden("VT24", dt.date(2018, 6, 30))
    assert "GM1961" in _leden("VT24", dt.date(2019, 6, 30))  # Vijfheerenlanden
    assert "GM0545" not in _leden("VT24", dt.date(2019, 6, 30))
    assert len(_leden("VT24", dt.date(2023, 6, 30))) == 11
    assert len(_leden("VT08", dt.date(2023, 6, 30))) == 10
    assert Regio.objects.get(pk="VT21").naam == "West-Brabant"
    # Every municipality is in exactly one Veilig Thuis region on any day it existed.
    for peildatum in (dt.date(2018, 6, 30), dt.date(2022, 1, 1), dt.date(2023, 6, 30)):
        vt = Lidmaatschap.objects.filter(regio__soort="veilig_thuis_regio")
        vt = vt.geldig_in(peildatum, peildatum).values_list("gemeente_id", flat=True)
        assert sorted(vt) == sorted(
            Gemeente.objects.huidig(peildatum).values_list("cbs_code", flat=True)
        )


@pytest.mark.django_db
def test_inwonertallen_fixture(gebieden: None) -> None:
    call_command("loaddata", str(GEBIEDEN.with_name("inwonertallen.yaml")), verbosity=0)
    assert Inwonertal.objects.filter(jaar=2021).count() == 51
    assert Inwonertal.objects.filter(jaar=2018).count() == 5


def test_fixture_is_actueel(tmp_path: Path) -> None:
    uitvoer = tmp_path / "gebieden.json"
    call_command("bouw_gebiedsfixture", uitvoer=uitvoer, stdout=io.StringIO())
    assert uitvoer.read_bytes() == GEBIEDEN.read_bytes()
