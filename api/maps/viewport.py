"""Where a map looks: the centre and zoom asked for, or fitted to what it shows.

The fit is ours, not py-staticmaps' (``Context.determine_center_zoom``): it keeps a given
centre in the middle and zooms out around it until everything fits, finds the shortest span
of longitudes (across the antimeridian too), and stops at the embedded basemap's detail
(:func:`fit_max_zoom`). What each overlay draws beyond its points (a pin's height, half a
line's width) comes from its object's ``extra_pixel_bounds()``.
"""

from __future__ import annotations

from collections.abc import Iterable

from api.maps import basemap
from api.maps.geo import LatLng, circle_points, fit_view
from api.maps.providers import TileProvider
from api.maps.specs import MapSpec

DEFAULT_POINT_ZOOM = 15  # one point to fit: close, but still showing its surroundings
FIT_CIRCLE_POINTS = 16


def overlay_points(spec: MapSpec) -> list[LatLng]:
    points = [p for group in spec.markers for p in group.points]
    points += [p for path in spec.paths for p in path.points]
    for circle in spec.circles:
        points += circle_points(circle.center, circle.radius, FIT_CIRCLE_POINTS)
    return points + list(spec.visible)


def fit_max_zoom(provider: TileProvider) -> int:
    """The deepest zoom a fitted view takes: never beyond the embedded basemap's detail."""
    return min(provider.max_zoom, basemap.DETAIL_MAX_ZOOM) if provider.offline else provider.max_zoom


def extra_margin(spec: MapSpec) -> tuple[float, float]:
    """CSS pixels the overlays draw beyond their points, (x, y), as their objects say: the
    larger of each pair of sides, since the fit is symmetric."""
    from api.maps.objects import map_objects

    x = y = 0.0
    for obj in map_objects(spec.markers, spec.paths, spec.circles, 1):
        left, top, right, bottom = obj.extra_pixel_bounds()
        x, y = max(x, left, right), max(y, top, bottom)
    return x, y


def view(spec: MapSpec, max_zoom: int) -> tuple[LatLng, int]:
    """The centre and zoom asked for, or fitted to the overlays and visible points."""
    if spec.center is not None and spec.zoom is not None:
        return spec.center, spec.zoom
    points = overlay_points(spec)
    if spec.center is not None:
        points.append(spec.center)
    if not points:
        return spec.center or (0.0, 0.0), spec.zoom if spec.zoom is not None else 1
    extra_x, extra_y = extra_margin(spec)
    margin = (spec.padding + extra_x, spec.padding + extra_y)
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
    from api.maps.projection import MapView

    frame = MapView(center, zoom, 0, 0)  # zero-sized: pixels relative to the centre
    return all(abs(x) <= width / 2 and abs(y) <= height / 2 for x, y in map(frame.xy, points))
