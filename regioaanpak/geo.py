"""Minimal TopoJSON decoding and planar geometry helpers for (Multi)Polygons in lon/lat.

Coordinates are treated as planar; that is accurate enough for point-in-polygon tests and
representative points at the scale of Dutch municipalities.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

Punt = Sequence[float]
Ring = Sequence[Punt]
Polygoon = Sequence[Ring]  # first ring is the outer ring, the others are holes

AFRONDING = 7  # decimals kept after dequantization (1e-7 degree is about 1 cm)


def _decodeer_arcs(topologie: Mapping[str, Any]) -> list[list[list[float]]]:
    """Absolute coordinates per arc: undo the delta encoding and apply the transform."""
    transform = topologie.get("transform")
    arcs: list[list[list[float]]] = []
    for arc in topologie["arcs"]:
        if transform is None:
            arcs.append([[float(x), float(y)] for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        punten = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            punten.append([round(x * sx + tx, AFRONDING), round(y * sy + ty, AFRONDING)])
        arcs.append(punten)
    return arcs


def _ring(indices: Iterable[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    """Join arcs into one ring; a negative index ~i means arc i reversed."""
    ring: list[list[float]] = []
    for index in indices:
        punten = arcs[~index][::-1] if index < 0 else arcs[index]
        if ring:
            ring.pop()  # consecutive arcs share their joining point
        ring.extend(list(p) for p in punten)
    return ring


def _geometrie(geo: Mapping[str, Any], arcs: list[list[list[float]]]) -> dict[str, Any] | None:
    soort = geo.get("type")
    if soort is None:
        return None
    if soort == "Polygon":
        return {"type": soort, "coordinates": [_ring(r, arcs) for r in geo["arcs"]]}
    if soort == "MultiPolygon":
        return {
            "type": soort,
            "coordinates": [[_ring(r, arcs) for r in polygoon] for polygoon in geo["arcs"]],
        }
    raise ValueError(f"Geometry type {soort!r} is not supported (only Polygon/MultiPolygon).")


def topojson_naar_geojson(pad: Path, object_naam: str | None = None) -> dict[str, Any]:
    """Decode one GeometryCollection of a TopoJSON file into a GeoJSON FeatureCollection.

    The feature id is the statcode property (falling back to the geometry id).
    """
    topologie = json.loads(Path(pad).read_text(encoding="utf-8"))
    objecten = topologie["objects"]
    if object_naam is None:
        if len(objecten) != 1:
            raise ValueError(f"Choose one of the objects: {', '.join(sorted(objecten))}.")
        object_naam = next(iter(objecten))
    collectie = objecten[object_naam]
    geometrieen = (
        collectie["geometries"] if collectie["type"] == "GeometryCollection" else [collectie]
    )
    arcs = _decodeer_arcs(topologie)
    features = []
    for geo in geometrieen:
        eigenschappen = dict(geo.get("properties") or {})
        features.append(
            {
                "type": "Feature",
                "id": eigenschappen.get("statcode", geo.get("id")),
                "properties": eigenschappen,
                "geometry": _geometrie(geo, arcs),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def polygonen(geometrie: Mapping[str, Any]) -> list[Polygoon]:
    """The polygons of a Polygon or MultiPolygon geometry."""
    if geometrie["type"] == "Polygon":
        return [geometrie["coordinates"]]
    if geometrie["type"] == "MultiPolygon":
        return list(geometrie["coordinates"])
    raise ValueError(f"Geometry type {geometrie['type']!r} is not a (Multi)Polygon.")


def _randen(ring: Ring) -> Iterable[tuple[Punt, Punt]]:
    """The edges of a ring, closing it if needed."""
    return zip(ring, [*ring[1:], ring[0]], strict=True)


def punt_in_polygoon(punt: Punt, ringen: Polygoon) -> bool:
    """Ray casting (even-odd) over all rings, so a point in a hole is outside."""
    x, y = punt[0], punt[1]
    binnen = False
    for ring in ringen:
        for (x1, y1), (x2, y2) in _randen(ring):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                binnen = not binnen
    return binnen


def punt_in_geometrie(punt: Punt, geometrie: Mapping[str, Any]) -> bool:
    return any(punt_in_polygoon(punt, p) for p in polygonen(geometrie))


def _oppervlak(ring: Ring) -> float:
    """Signed area (shoelace); only the absolute value is used."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in _randen(ring)) / 2


def _zwaartepunt(ring: Ring) -> tuple[float, float]:
    a = _oppervlak(ring)
    if a == 0:
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in _randen(ring):
        kruis = x1 * y2 - x2 * y1
        cx += (x1 + x2) * kruis
        cy += (y1 + y2) * kruis
    return cx / (6 * a), cy / (6 * a)


def representatief_punt(geometrie: Mapping[str, Any]) -> tuple[float, float]:
    """A point inside the geometry: the centroid of the largest outer ring if that lies inside
    its polygon, else the middle of the widest inside span on the horizontal through it."""
    polygoon = max(polygonen(geometrie), key=lambda p: abs(_oppervlak(p[0])))
    cx, cy = _zwaartepunt(polygoon[0])
    if punt_in_polygoon((cx, cy), polygoon):
        return cx, cy
    kruisingen = sorted(
        x1 + (cy - y1) * (x2 - x1) / (y2 - y1)
        for ring in polygoon
        for (x1, y1), (x2, y2) in _randen(ring)
        if (y1 > cy) != (y2 > cy)
    )
    spannen = list(zip(kruisingen[::2], kruisingen[1::2], strict=True))
    links, rechts = max(spannen, key=lambda s: s[1] - s[0])
    return (links + rechts) / 2, cy


def hoekpunten(geometrie: Mapping[str, Any]) -> list[Punt]:
    """All distinct vertices of a (Multi)Polygon."""
    gezien = {(p[0], p[1]) for polygoon in polygonen(geometrie) for ring in polygoon for p in ring}
    return sorted(gezien)


def meerderheid_hoekpunten(
    geometrie: Mapping[str, Any], kandidaten: Mapping[str, Mapping[str, Any]]
) -> tuple[str | None, Counter[str]]:
    """Vote: the candidate containing the most vertices of the geometry (ties: lowest key)."""
    stemmen: Counter[str] = Counter()
    for punt in hoekpunten(geometrie):
        for sleutel, kandidaat in kandidaten.items():
            if punt_in_geometrie(punt, kandidaat):
                stemmen[sleutel] += 1
    if not stemmen:
        return None, stemmen
    winnaar = min(stemmen, key=lambda s: (-stemmen[s], s))
    return winnaar, stemmen
