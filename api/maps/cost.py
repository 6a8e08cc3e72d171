"""The cost model of maps (see :mod:`api.cost`): estimated from the spec, by spec field.

What a map costs, as :mod:`api.maps.renderer` draws it: its tiles (fetched ones placed,
offline ones drawn), each overlay's canvas (its bounding box clipped to the image, at the
overlays' supersampling; a polygon's outline has a layer of its own), the strokes of its
lines (length times width: a wide line drawn back and forth covers its canvas many times
over), their round joins (each about a line width squared), a pin per marker (drawn once
per style and position within a pixel, then composited), and the encoder. Unit costs
measured with ``python -m bench.worst_cases`` and rounded up, so that an estimate is never
below the real cost.
"""

from __future__ import annotations

import itertools
import math

from api.cost import Cost
from api.maps.geo import (
    CIRCLE_MAX_VERTICES,
    CIRCLE_MIN_VERTICES,
    EARTH_RADIUS_M,
    MAX_LAT,
    geodesic_steps,
)
from api.maps.overlays import MARKER_RADIUS, PIN_HEIGHT
from api.maps.projection import MapView
from api.maps.providers import TileProvider
from api.maps.specs import MapSpec
from api.maps.viewport import fit_max_zoom, view

BASE_MS = 5.0
NS_PER_PIXEL = {"png": 40.0, "webp": 80.0, "jpeg": 35.0, "txt": 0.0}
FETCHED_TILE_MS = 1.5  # placed (pasted, or put in the mosaic that is resampled)
RESAMPLE_NS_PER_PIXEL = 30.0  # a Lanczos resample of the mosaic, per output pixel
OFFLINE_TILE_MS = 15.0  # drawn from the embedded data
CANVAS_NS_PER_PIXEL = 15.0  # an overlay's canvas (supersampled pixels): cleared, filled, reduced
STROKE_NS_PER_PIXEL = 3.0  # supersampled pixels a line's stroke covers (length x width)
JOIN_NS_PER_PIXEL = 5.0  # a round join: about a line width squared
VERTEX_US = 3.0
PIN_MS = 0.3  # one pin composited
PIN_SPRITE_MS = 1.0  # one pin drawn (per style and position within a pixel)


def supersampling(width: int, height: int) -> int:
    """Samples per pixel edge of the overlays (as the renderer takes them)."""
    return 4 if width * height <= 1_000_000 else 2


def estimate_map(spec: MapSpec, provider: TileProvider) -> Cost:
    cost = Cost()
    out = spec.output
    width, height = out.width * out.scale, out.height * out.scale
    cost.add("output", BASE_MS + width * height * NS_PER_PIXEL.get(out.format, 40.0) / 1e6)
    if out.format == "txt":
        return cost
    center, zoom = view(spec, fit_max_zoom(provider))
    tiles, resampled = _tiles(width, height, provider, out.scale)
    cost.add("tiles", tiles * (OFFLINE_TILE_MS if provider.offline else FETCHED_TILE_MS))
    cost.add("tiles", width * height * RESAMPLE_NS_PER_PIXEL / 1e6 if resampled else 0.0)
    if not (spec.markers or spec.paths or spec.circles):
        return cost
    factor = supersampling(width, height)
    frame = MapView(center, zoom, width, height, out.scale)
    for path in spec.paths:
        points = list(path.points)
        closed = [*points, points[0]] if path.fillcolor else points
        if path.geodesic:
            vertices = 1 + sum(geodesic_steps(a, b, frame.world) for a, b in itertools.pairwise(closed))
        else:
            vertices = len(closed)
        line_px = path.weight * out.scale
        layers = 2 if path.fillcolor and line_px > 0 else 1
        xy = frame.pixels(closed)
        box = _canvas(frame, xy, line_px)
        ms = layers * box * factor**2 * CANVAS_NS_PER_PIXEL / 1e6
        ms += _stroke_ms(xy, line_px, factor, box)
        ms += vertices * (VERTEX_US / 1000 + (line_px * factor) ** 2 * JOIN_NS_PER_PIXEL / 1e6)
        cost.add("paths", ms)
    for circle in spec.circles:
        line_px = circle.weight * out.scale
        # A square around the circle, stretched as Mercator stretches it nearest the pole
        # (circles across a pole or the antimeridian have no simpler bounding box).
        nearest_pole = min(MAX_LAT, abs(circle.center[0]) + math.degrees(circle.radius / EARTH_RADIUS_M))
        metres_per_px = 2 * math.pi * EARTH_RADIUS_M * math.cos(math.radians(nearest_pole)) / frame.world
        side = 2 * circle.radius / metres_per_px + 2 * line_px
        area = min(side, width) * min(side, height)
        layers = 2 if circle.fillcolor and line_px > 0 else 1
        rim = math.pi * side
        vertices = max(CIRCLE_MIN_VERTICES, min(CIRCLE_MAX_VERTICES, math.ceil(rim / 4)))
        ms = layers * area * factor**2 * CANVAS_NS_PER_PIXEL / 1e6
        ms += min(rim, 2 * (width + height)) * line_px * factor**2 * STROKE_NS_PER_PIXEL / 1e6
        ms += vertices * (VERTEX_US / 1000 + (line_px * factor) ** 2 * JOIN_NS_PER_PIXEL / 1e6)
        cost.add("circles", ms)
    styles = {(g.color, g.size, g.label) for g in spec.markers}
    sprites = min(len(styles) * factor**2, sum(len(g.points) for g in spec.markers))
    cost.add("markers", sprites * PIN_SPRITE_MS)
    for group in spec.markers:
        radius = MARKER_RADIUS[group.size] * out.scale
        pin_px = (2 * radius + 4) * (radius * PIN_HEIGHT + 4)
        cost.add("markers", len(group.points) * (PIN_MS + pin_px * CANVAS_NS_PER_PIXEL / 1e6))
    return cost


def _tiles(width: int, height: int, provider: TileProvider, scale: int) -> tuple[int, bool]:
    """Tiles under a view of ``width`` x ``height`` device pixels, as the renderer picks them
    (an upper bound: one more row and column for the offset), and whether they are resampled."""
    hidpi = scale >= 2 and provider.hidpi_tiles and not provider.offline
    tile_px = 256 * (2 if scale >= 2 else 1) if provider.offline else provider.tile_pixels(hidpi)
    density = tile_px / 256
    extra = max(0, math.ceil(math.log2(scale / density))) if scale > density else 0
    factor = density * 2**extra / scale  # mosaic pixels per output pixel
    count = int((math.ceil(width * factor / tile_px) + 1) * (math.ceil(height * factor / tile_px) + 1))
    return count, factor != 1


def _canvas(frame: MapView, xy: list[tuple[float, float]], pad: float) -> float:
    """Output pixels of the canvas an overlay is drawn on: its box, clipped to the image."""
    if not xy:
        return 0.0
    width, height = frame.image_size()
    left = max(min(x for x, _ in xy) - pad, 0.0)
    right = min(max(x for x, _ in xy) + pad, float(width))
    top = max(min(y for _, y in xy) - pad, 0.0)
    bottom = min(max(y for _, y in xy) + pad, float(height))
    return max(0.0, right - left + 1) * max(0.0, bottom - top + 1)


def _stroke_ms(xy: list[tuple[float, float]], line_px: float, factor: int, box: float) -> float:
    """A line's stroke: its length (each segment at most the canvas's diagonal, since the
    drawing is clipped to it) times its width, in supersampled pixels."""
    if line_px <= 0 or box <= 0:
        return 0.0
    diagonal = math.sqrt(2 * box) + 2 * line_px
    length = sum(min(math.dist(a, b), diagonal) for a, b in itertools.pairwise(xy))
    return length * line_px * factor**2 * STROKE_NS_PER_PIXEL / 1e6
