"""Where a map looks: the centre and zoom asked for, or fitted to what it shows."""

from __future__ import annotations

from collections.abc import Iterable

from api.maps import basemap
from api.maps.geo import TILE, LatLng, circle_points, fit_view, world_xy
from api.maps.providers import TileProvider
from api.maps.specs import MapSpec

DEFAULT_POINT_ZOOM = 15  # one point to fit: close, but still showing its surroundings
# Head radius in CSS pixels of each marker size; the pin is PIN_HEIGHT radii tall.
MARKER_RADIUS = {
    "tiny": 4.0,
    "small": 6.0,
    "mid": 9.0,
    "normal": 10.5,
    "large": 12.0,
}  # normal: Google's default
PIN_HEIGHT = 2.7


def overlay_points(spec: MapSpec) -> list[LatLng]:
    points = [p for group in spec.markers for p in group.points]
    points += [p for path in spec.paths for p in path.points]
    for circle in spec.circles:
        points += circle_points(circle.center, circle.radius, 16)
    return points + list(spec.visible)


def fit_max_zoom(provider: TileProvider) -> int:
    """The deepest zoom a fitted view takes: never beyond the embedded basemap's detail."""
    return min(provider.max_zoom, basemap.DETAIL_MAX_ZOOM) if provider.offline else provider.max_zoom


def view(spec: MapSpec, max_zoom: int) -> tuple[LatLng, int]:
    """The centre and zoom asked for, or fitted to the overlays and visible points."""
    if spec.center is not None and spec.zoom is not None:
        return spec.center, spec.zoom
    points = overlay_points(spec)
    if spec.center is not None:
        points.append(spec.center)
    if not points:
        return spec.center or (0.0, 0.0), spec.zoom if spec.zoom is not None else 1
    biggest = max((MARKER_RADIUS[m.size] for m in spec.markers), default=0.0)
    margin = (spec.padding + biggest, spec.padding + biggest * PIN_HEIGHT)
    out = spec.output
    center, zoom = fit_view(points, out.width, out.height, margin, min(max_zoom, 20))
    if len(set(points)) == 1:
        zoom = min(zoom, DEFAULT_POINT_ZOOM)
    if spec.center is not None:
        # Centre fixed: zoom out until everything fits around it.
        center = spec.center
        while zoom > 0 and not _fits(
            points, center, zoom, out.width - 2 * margin[0], out.height - 2 * margin[1]
        ):
            zoom -= 1
    return center, spec.zoom if spec.zoom is not None else zoom


def _fits(points: Iterable[LatLng], center: LatLng, zoom: int, width: float, height: float) -> bool:
    world = TILE * 2**zoom
    cx, cy = world_xy(center, world)
    for point in points:
        x, y = world_xy(point, world)
        x += round((cx - x) / world) * world
        if abs(x - cx) > width / 2 or abs(y - cy) > height / 2:
            return False
    return True
