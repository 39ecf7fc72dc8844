"""GeoJSON LineString validation and geodesic length (WGS84).

Lengths use the haversine formula on a sphere of the WGS84 mean radius; over town-scale distances
(< 10 km) it differs from the ellipsoidal (Vincenty) length by < 0.5 %, well within the slack that
cable planning adds anyway.
"""

import math
from typing import Any

__all__ = ("EARTH_RADIUS_M", "GeometryError", "haversine_m", "linestring_length_m", "validate_linestring")

EARTH_RADIUS_M = 6_371_008.8


class GeometryError(ValueError):
    """A geometry is not a valid WGS84 GeoJSON LineString; the message says what and where."""


def validate_linestring(geometry: Any) -> list[tuple[float, float]]:
    """Check a GeoJSON LineString and return its positions as ``(lon, lat)`` pairs.

    Raises :class:`GeometryError` naming the offending position.
    """
    if not isinstance(geometry, dict):
        raise GeometryError('geometry must be a GeoJSON object, e.g. {"type": "LineString", "coordinates": [...]}')
    if geometry.get("type") != "LineString":
        raise GeometryError(f"geometry type must be LineString, got {geometry.get('type')!r}")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise GeometryError("a LineString needs at least two positions")
    points: list[tuple[float, float]] = []
    for i, position in enumerate(coordinates, start=1):
        if (
            not isinstance(position, list | tuple)
            or len(position) not in (2, 3)
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position)
        ):
            raise GeometryError(f"position {i} must be [longitude, latitude] in degrees, got {position!r}")
        lon, lat = float(position[0]), float(position[1])
        if not (math.isfinite(lon) and math.isfinite(lat)) or not -180 <= lon <= 180 or not -90 <= lat <= 90:
            raise GeometryError(f"position {i} [{lon}, {lat}] is outside WGS84 bounds (lon -180..180, lat -90..90)")
        points.append((lon, lat))
    if all(p == points[0] for p in points):
        raise GeometryError("all positions of the LineString are the same point")
    return points


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two ``(lon, lat)`` points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def linestring_length_m(geometry: Any) -> float:
    """Length in metres of a GeoJSON LineString (validated first)."""
    points = validate_linestring(geometry)
    return sum(haversine_m(p, q) for p, q in zip(points, points[1:], strict=False))
