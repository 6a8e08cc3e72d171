"""The embedded offline basemap: land, water and country borders from Natural Earth (1:50m).

``data/naturalearth.npz`` is built by ``scripts/build_basemap.py`` from the world-atlas npm
package: Web Mercator coordinates on a 2^20 grid, delta-encoded. Tiles are drawn at
``SUPERSAMPLE`` times their size and downscaled, so edges are anti-aliased.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from api.maps.styles import BasemapStyle

DATA_FILE = Path(__file__).parent / "data" / "naturalearth.npz"
ATTRIBUTION = "Natural Earth"
MAX_ZOOM = 20
WATER = "#aad3df"
LAND = "#f2efe9"
COAST = "#8cb6c9"
BORDER = "#a39db3"
SUPERSAMPLE = 3

FloatArray = np.ndarray


@dataclass(frozen=True)
class Shape:
    """Rings (polygons) or lines in world units, with their bounding box."""

    parts: tuple[FloatArray, ...]
    box: tuple[float, float, float, float]  # min x, min y, max x, max y


@dataclass(frozen=True)
class Basemap:
    world: float  # size of the world in data units
    land: tuple[Shape, ...]  # one per polygon: outer ring first, then holes
    land_boxes: FloatArray  # (n, 4) bounding boxes of land, for quick rejection
    borders: tuple[Shape, ...]
    border_boxes: FloatArray


def _unpack(deltas: np.ndarray, offsets: np.ndarray) -> list[FloatArray]:
    points = np.cumsum(deltas.astype(np.int64), axis=0).astype(np.float64)
    return [points[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]


def _shape(parts: list[FloatArray]) -> Shape:
    stacked = np.concatenate(parts)
    low, high = stacked.min(axis=0), stacked.max(axis=0)
    return Shape(tuple(parts), (float(low[0]), float(low[1]), float(high[0]), float(high[1])))


def _unwrap(ring: FloatArray, world: float) -> FloatArray:
    """The ring made continuous where it crosses the antimeridian (x jumps by the world)."""
    steps = np.diff(ring[:, 0])
    shift = np.where(steps > world / 2, -world, np.where(steps < -world / 2, world, 0.0))
    continuous = ring.copy()
    continuous[1:, 0] += np.cumsum(shift)
    return continuous


def _wrapped_shapes(rings: list[FloatArray], world: float) -> list[Shape]:
    """A polygon that crosses the antimeridian, made continuous and drawn on both sides of
    the map (filled as it was, it would paint a band right across the world)."""
    shape = _shape([_unwrap(ring, world) for ring in rings])
    shapes = [shape]
    for beyond, offset in ((shape.box[2] > world, -world), (shape.box[0] < 0, world)):
        if beyond:
            shapes.append(_shape([part + np.array([offset, 0.0]) for part in shape.parts]))
    return shapes


def _boxes(shapes: tuple[Shape, ...]) -> FloatArray:
    return np.array([shape.box for shape in shapes], dtype=np.float64).reshape(-1, 4)


@cache
def load() -> Basemap:
    """The parsed basemap, read once per process."""
    with np.load(DATA_FILE) as data:
        world = float(1 << int(data["quant_bits"][0]))
        rings = _unpack(data["land_deltas"], data["ring_offsets"])
        poly_offsets = data["polygon_offsets"]
        land = tuple(
            shape
            for i in range(len(poly_offsets) - 1)
            for shape in _wrapped_shapes(rings[poly_offsets[i] : poly_offsets[i + 1]], world)
        )
        lines = _unpack(data["border_deltas"], data["line_offsets"])
        borders = tuple(_shape([line]) for line in lines)
    return Basemap(world, land, _boxes(land), borders, _boxes(borders))


_load_lock = threading.Lock()


def _basemap() -> Basemap:
    with _load_lock:  # the first tiles of concurrent requests share one parse
        return load()


def _clip_ring(points: FloatArray, low: float, high: float) -> FloatArray:
    """Sutherland-Hodgman clipping of a closed ring to the square [low, high]^2 (vectorised)."""
    for axis in (0, 1):
        for bound, inside_low in ((low, True), (high, False)):
            if len(points) == 0:
                return points
            coord = points[:, axis]
            inside = coord >= bound if inside_low else coord <= bound
            if inside.all():
                continue
            nxt = np.roll(points, -1, axis=0)
            nxt_inside = np.roll(inside, -1)
            crossing = inside != nxt_inside
            denom = nxt[:, axis] - coord
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.where(crossing, (bound - coord) / np.where(denom == 0, 1, denom), 0.0)
            cut = points + (nxt - points) * t[:, None]
            cut[:, axis] = np.where(crossing, bound, cut[:, axis])
            # Per edge: the crossing point (if it crosses), then the end point (if inside).
            out = np.empty((len(points), 2, 2))
            out[:, 0] = cut
            out[:, 1] = nxt
            keep = np.stack([crossing, nxt_inside], axis=1)
            points = out[keep]
    return points


def _clip_line(points: FloatArray, low: float, high: float) -> list[FloatArray]:
    """Runs of consecutive segments touching the square (whole segments, not cut)."""
    a, b = points[:-1], points[1:]
    seg_low = np.minimum(a, b)
    seg_high = np.maximum(a, b)
    touches = (seg_high >= low).all(axis=1) & (seg_low <= high).all(axis=1)
    if not touches.any():
        return []
    if touches.all():
        return [points]
    runs = []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], touches.astype(np.int8), [0]])))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        runs.append(points[start : stop + 1])
    return runs


def _split_wraps(points: FloatArray, world: float) -> list[FloatArray]:
    """A line cut where it jumps across the antimeridian (a step of over half the world),
    which would otherwise be drawn straight across the map."""
    jumps = np.flatnonzero(np.abs(np.diff(points[:, 0])) > world / 2) + 1
    return [part for part in np.split(points, jumps) if len(part) >= 2]


def _pixels(points: FloatArray) -> list[float]:
    """Flat coordinate list without repeated pixels (fewer edges for Pillow to scan)."""
    rounded = np.rint(points * 4) / 4
    keep = np.ones(len(rounded), dtype=bool)
    keep[1:] = np.any(rounded[1:] != rounded[:-1], axis=1)
    flat: list[float] = rounded[keep].ravel().tolist()
    return flat


def _visible(boxes: FloatArray, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.flatnonzero(
        (boxes[:, 2] >= x0) & (boxes[:, 0] <= x1) & (boxes[:, 3] >= y0) & (boxes[:, 1] <= y1)
    )


def render_tile(z: int, x: int, y: int, size: int = 256, style: BasemapStyle | None = None) -> Image.Image:
    """The Web Mercator tile z/x/y as an RGB image of ``size`` pixels square, in ``style``'s colours."""
    colors = palette(style)
    if not 0 <= z <= MAX_ZOOM or not (0 <= x < 1 << z and 0 <= y < 1 << z):
        raise ValueError(f"no tile {z}/{x}/{y}")
    base = _basemap()
    big = size * SUPERSAMPLE
    units = base.world / (1 << z)  # data units per tile
    per_unit = big / units
    x0, y0 = x * units, y * units
    margin = units * 0.02
    image = Image.new("RGB", (big, big), colors.water)
    draw = ImageDraw.Draw(image)
    low, high = -0.02 * big, 1.02 * big
    coast = max(1, round(SUPERSAMPLE * 0.6 * (1 + z / 8)))
    for index in _visible(
        base.land_boxes, x0 - margin, y0 - margin, x0 + units + margin, y0 + units + margin
    ):
        shape = base.land[index]
        for n, ring in enumerate(shape.parts):
            clipped = _clip_ring((ring - (x0, y0)) * per_unit, low, high)
            if len(clipped) < 3:
                continue
            coords = _pixels(clipped)
            if len(coords) < 6:
                continue
            draw.polygon(
                coords, fill=colors.land if n == 0 else colors.water, outline=colors.coast, width=coast
            )
    width = max(1, round(SUPERSAMPLE * (0.8 + z / 6)))
    for index in (
        []
        if colors.border is None
        else _visible(base.border_boxes, x0 - margin, y0 - margin, x0 + units + margin, y0 + units + margin)
    ):
        line = (base.borders[index].parts[0] - (x0, y0)) * per_unit
        runs = [
            run for part in _split_wraps(line, base.world * per_unit) for run in _clip_line(part, low, high)
        ]
        for run in runs:
            coords = _pixels(run)
            if len(coords) >= 4:
                draw.line(coords, fill=colors.border, width=width, joint="curve")
    return image.resize((size, size), Image.Resampling.LANCZOS, reducing_gap=None)


# -- map styles (Google's style=, parsed in api/maps/styles.py) -------------------------

HIDDEN_FILL = "#ffffff"  # what shows where a style hides water or land


@dataclass(frozen=True)
class Palette:
    water: str
    land: str
    coast: str | None  # None: not drawn
    border: str | None


def palette(style: BasemapStyle | None) -> Palette:
    """The basemap's colours with a style's operations applied."""
    if not style:
        return Palette(WATER, LAND, COAST, BORDER)
    return Palette(
        style.paint("water", WATER) or HIDDEN_FILL,
        style.paint("land", LAND) or HIDDEN_FILL,
        style.paint("coast", COAST),
        style.paint("borders", BORDER),
    )
