"""The cost model of maps (see :mod:`api.cost`): estimated from the spec, by spec field.

What a map costs: its tiles (fetched ones decoded and placed, offline ones drawn), the
overlay layer (supersampled, then reduced), each overlay's canvas (its bounding box, clipped
to the image, at the layer's supersampling), the joints of its lines (each a round join as
wide as the line), and the encoder. Unit costs measured with ``python -m bench.worst_cases``
and rounded up.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

from api.cost import Cost
from api.maps.geo import MAX_LAT, TILE, LatLng, unwrap, world_xy
from api.maps.providers import TileProvider
from api.maps.specs import MapSpec
from api.maps.viewport import MARKER_RADIUS, PIN_HEIGHT, fit_max_zoom, view

BASE_MS = 5.0
NS_PER_PIXEL = {"png": 40.0, "webp": 80.0, "jpeg": 35.0, "txt": 0.0}
FETCHED_TILE_MS = 1.5  # decoded (or from the memory cache) and placed
OFFLINE_TILE_MS = 15.0  # drawn from the embedded data
LAYER_NS_PER_PIXEL = 12.0  # the supersampled overlay layer: cleared, composited, reduced
CANVAS_NS_PER_PIXEL = 15.0  # an overlay's own canvas (supersampled pixels): filled, composited
JOIN_NS_PER_PIXEL = 5.0  # a round join: about a line width squared
VERTEX_US = 3.0
PIN_MS = 0.4
GEODESIC_STEP_PX = 4.0  # device pixels of chord per interpolated geodesic point
GEODESIC_MAX_STEPS = 64
CIRCLE_VERTICES = 72
EARTH_RADIUS_M = 6_371_008.8


def supersampling(width: int, height: int) -> int:
    """Supersampling factor of the overlay layer: less of it for very large images."""
    return 4 if width * height <= 1_000_000 else 2


def geodesic_steps(a: LatLng, b: LatLng, world: float) -> int:
    """Segments to draw the geodesic from a to b with, bounded by its length in pixels
    (``world``: the world's width in device pixels)."""
    (ax, ay), (bx, by) = world_xy(a, world), world_xy(b, world)
    bx += round((ax - bx) / world) * world
    chord = math.hypot(bx - ax, by - ay)
    return max(1, min(GEODESIC_MAX_STEPS, math.ceil(chord / GEODESIC_STEP_PX)))


def estimate_map(spec: MapSpec, provider: TileProvider) -> Cost:
    cost = Cost()
    out = spec.output
    width, height = out.width * out.scale, out.height * out.scale
    cost.add("output", BASE_MS + width * height * NS_PER_PIXEL.get(out.format, 40.0) / 1e6)
    if out.format == "txt":
        return cost
    center, zoom = view(spec, fit_max_zoom(provider))
    tiles = _tile_count(width, height, provider, out.scale)
    cost.add("tiles", tiles * (OFFLINE_TILE_MS if provider.offline else FETCHED_TILE_MS))
    if not (spec.markers or spec.paths or spec.circles):
        return cost
    factor = supersampling(width, height)
    cost.add("output", width * height * factor**2 * LAYER_NS_PER_PIXEL / 1e6)
    world = TILE * 2**zoom * out.scale
    frame = _Frame(center, world, width, height, factor)
    for path in spec.paths:
        points = list(path.points)
        if path.geodesic:
            closed = [*points, points[0]] if path.fillcolor else points
            vertices = 1 + sum(geodesic_steps(a, b, world) for a, b in itertools.pairwise(closed))
        else:
            vertices = len(points) + (1 if path.fillcolor else 0)
        line_px = path.weight * out.scale * factor
        ms = frame.canvas_ms(points, path.weight * out.scale)
        ms += vertices * (
            VERTEX_US / 1000 + line_px**2 * JOIN_NS_PER_PIXEL / 1e6 if line_px > 0 else VERTEX_US / 1000
        )
        cost.add("paths", ms)
    for circle in spec.circles:
        line_px = circle.weight * out.scale * factor
        # A square around the circle, stretched as Mercator stretches it nearest the pole
        # (circles across a pole or the antimeridian have no simpler bounding box).
        nearest_pole = min(MAX_LAT, abs(circle.center[0]) + math.degrees(circle.radius / EARTH_RADIUS_M))
        metres_per_px = 2 * math.pi * EARTH_RADIUS_M * math.cos(math.radians(nearest_pole)) / world
        side = 2 * circle.radius / metres_per_px + 2 * circle.weight * out.scale
        area = min(side, width) * min(side, height)
        ms = area * factor**2 * CANVAS_NS_PER_PIXEL / 1e6
        ms += CIRCLE_VERTICES * (VERTEX_US / 1000 + line_px**2 * JOIN_NS_PER_PIXEL / 1e6)
        cost.add("circles", ms)
    for group in spec.markers:
        radius = MARKER_RADIUS[group.size] * out.scale
        pin_px = (2 * radius * factor) * (radius * PIN_HEIGHT * factor)
        cost.add("markers", len(group.points) * (PIN_MS + pin_px * CANVAS_NS_PER_PIXEL / 1e6))
    return cost


def _tile_count(width: int, height: int, provider: TileProvider, scale: int) -> int:
    """Tiles under a view of ``width`` x ``height`` device pixels, as the renderer picks
    them (an upper bound: one more row and column for the offset)."""
    hidpi = scale >= 2 and provider.hidpi_tiles and not provider.offline
    tile_px = TILE * (2 if scale >= 2 else 1) if provider.offline else provider.tile_pixels(hidpi)
    density = tile_px / TILE
    extra = max(0, math.ceil(math.log2(scale / density))) if scale > density else 0
    factor = density * 2**extra / scale  # mosaic pixels per output pixel
    return int((math.ceil(width * factor / tile_px) + 1) * (math.ceil(height * factor / tile_px) + 1))


class _Frame:
    """Overlay positions in device pixels of the image, for the canvases' areas."""

    def __init__(self, center: LatLng, world: float, width: int, height: int, factor: int) -> None:
        self.cx, self.cy = world_xy(center, world)
        self.world, self.width, self.height, self.factor = world, width, height, factor

    def canvas_ms(self, points: Iterable[LatLng], pad: float, inflate: float = 1.0) -> float:
        xy = [world_xy(p, self.world) for p in points]
        if not xy:
            return 0.0
        xs = unwrap([x for x, _ in xy], self.world, self.cx)
        left = min(xs) - self.cx + self.width / 2 - pad
        right = max(xs) - self.cx + self.width / 2 + pad
        top = min(y for _, y in xy) - self.cy + self.height / 2 - pad
        bottom = max(y for _, y in xy) - self.cy + self.height / 2 + pad
        w = max(0.0, min(right, self.width) - max(left, 0.0)) * inflate
        h = max(0.0, min(bottom, self.height) - max(top, 0.0)) * inflate
        return w * h * self.factor**2 * CANVAS_NS_PER_PIXEL / 1e6
