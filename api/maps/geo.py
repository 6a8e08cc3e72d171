"""Web Mercator and geodesic geometry for maps (pure functions, no drawing)."""

from __future__ import annotations

import math
from collections.abc import Iterable

MAX_LAT = 85.0511287798066  # Web Mercator's edge
EARTH_RADIUS_M = 6_371_008.8  # the mean radius
TILE = 256  # CSS pixels per tile at zoom z: the world is TILE * 2**z pixels wide
LatLng = tuple[float, float]
GEODESIC_STEP_PX = 4.0  # device pixels of chord per interpolated geodesic point
GEODESIC_MAX_STEPS = 64
CIRCLE_MIN_VERTICES = 24
CIRCLE_MAX_VERTICES = 180  # a circle has one vertex per 4 device pixels of its rim, within these


def world_xy(point: LatLng, world: float) -> tuple[float, float]:
    """Pixel position of ``point`` in a Web Mercator world ``world`` pixels wide."""
    lat = max(-MAX_LAT, min(MAX_LAT, point[0]))
    sin = math.sin(math.radians(lat))
    x = (point[1] + 180.0) / 360.0 * world
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * world
    return x, y


def to_latlng(x: float, y: float, world: float) -> LatLng:
    lng = x / world * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / world))))
    return lat, (lng + 180.0) % 360.0 - 180.0


def geodesic_points(a: LatLng, b: LatLng, step_km: float = 50.0, max_steps: int = 64) -> list[LatLng]:
    """Points along the shortest path on the WGS84 ellipsoid from a to b (both included)."""
    from geographiclib.geodesic import Geodesic

    line = Geodesic.WGS84.InverseLine(a[0], a[1], b[0], b[1])
    steps = max(1, min(max_steps, math.ceil(line.s13 / (step_km * 1000))))
    points = []
    for i in range(steps + 1):
        position = line.Position(line.s13 * i / steps)
        points.append((position["lat2"], position["lon2"]))
    return points


def geodesic_steps(a: LatLng, b: LatLng, world: float) -> int:
    """Segments to draw the geodesic from a to b with, bounded by its length in pixels
    (``world``: the world's width in device pixels)."""
    (ax, ay), (bx, by) = world_xy(a, world), world_xy(b, world)
    bx += round((ax - bx) / world) * world
    chord = math.hypot(bx - ax, by - ay)
    return max(1, min(GEODESIC_MAX_STEPS, math.ceil(chord / GEODESIC_STEP_PX)))


def circle_points(center: LatLng, radius_m: float, count: int = 72) -> list[LatLng]:
    """A circle of ``radius_m`` metres on the ellipsoid, as ``count`` points."""
    from geographiclib.geodesic import Geodesic

    geod = Geodesic.WGS84
    points = []
    for i in range(count):
        result = geod.Direct(center[0], center[1], 360.0 * i / count, radius_m)
        points.append((result["lat2"], result["lon2"]))
    return points


def fit_view(
    points: Iterable[LatLng], width: float, height: float, margin: tuple[float, float], max_zoom: int
) -> tuple[LatLng, int]:
    """Centre and the largest zoom (0..max_zoom) at which all points fit in width x height
    CSS pixels less ``margin`` (x, y: padding plus marker extents) on every side."""
    normalised = [world_xy(p, 1.0) for p in points]
    xs = sorted(x for x, _ in normalised)
    ys = [y for _, y in normalised]
    # The shortest span of longitudes covering every point may cross the antimeridian:
    # it is the circle less its largest empty gap.
    gaps = [(b - a, i) for i, (a, b) in enumerate(zip(xs, [*xs[1:], xs[0] + 1.0], strict=True))]
    gap, after = max(gaps)
    start = xs[(after + 1) % len(xs)]
    span_x = 1.0 - gap if len(xs) > 1 else 0.0
    span_y = max(ys) - min(ys)
    center_x = (start + span_x / 2) % 1.0
    center_y = (max(ys) + min(ys)) / 2
    room_x, room_y = width - 2 * margin[0], height - 2 * margin[1]
    zoom = 0
    for candidate in range(max_zoom, -1, -1):
        world = TILE * 2**candidate
        if span_x * world <= max(room_x, 1) and span_y * world <= max(room_y, 1):
            zoom = candidate
            break
    return to_latlng(center_x, center_y, 1.0), zoom
