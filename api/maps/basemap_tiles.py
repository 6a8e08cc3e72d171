"""Tiles of the embedded basemap: the band data, read lazily, and the drawing of one tile.

``data/basemap-z{first}-{last}.npz`` (see ``scripts/build_basemap.py``) cuts a band's water and
borders into cells, the tiles of a zoom at or above the band's first, in cell-local integer
units. A tile of the band lies in one cell: it is either uniform (one colour, nothing to draw)
or drawn from the rings of that cell that reach it, clipped to the tile and drawn at
``SUPERSAMPLE`` times its size, then box-filtered down (coverage anti-aliasing, cheaper than
a Lanczos filter).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from api.maps.palette import BANDS, MAX_ZOOM, Palette, palette

DATA_DIR = Path(__file__).parent / "data"
SUPERSAMPLE = 2
MIN_RING_PX = 1.5  # rings narrower and lower than this (in output pixels) are not drawn

IntArray = np.ndarray
FloatArray = np.ndarray


@dataclass(frozen=True)
class Band:
    """One zoom band's cells, decoded from its file."""

    first: int
    last: int
    zoom: int  # the cells are the tiles of this zoom
    units: int  # cell-local units across a cell
    uniform_water: IntArray  # packed bits, one per cell, row by row
    cells: IntArray  # sorted keys (row * 2^zoom + column) of the cells with geometry
    cell_rings: IntArray  # ring index range of each cell
    cell_lines: IntArray  # border line index range of each cell
    ring_water: IntArray  # per ring: water (outer ring) or land (a hole: an island)
    ring_offsets: IntArray
    ring_points: IntArray  # (n, 2) int16, absolute cell-local units
    ring_boxes: IntArray  # (rings, 4): min x, min y, max x, max y
    line_offsets: IntArray
    line_points: IntArray
    line_boxes: IntArray


def _absolute(deltas: IntArray, offsets: IntArray) -> IntArray:
    """Points delta-encoded within each ring (first one absolute) -> absolute points."""
    if len(deltas) == 0:
        return deltas
    total = np.cumsum(deltas.astype(np.int64), axis=0)  # one running sum over all rings
    starts = offsets[:-1]
    before = np.where(starts[:, None] > 0, total[np.maximum(starts - 1, 0)], 0)
    points: IntArray = (total - np.repeat(before, np.diff(offsets), axis=0)).astype(np.int16)
    return points


def _boxes(points: IntArray, offsets: IntArray) -> IntArray:
    if len(offsets) < 2:
        return np.zeros((0, 4), dtype=np.int16)
    starts = offsets[:-1]
    return np.concatenate(
        [np.minimum.reduceat(points, starts, axis=0), np.maximum.reduceat(points, starts, axis=0)], axis=1
    )


def band_path(first: int, last: int) -> Path:
    return DATA_DIR / f"basemap-z{first}-{last}.npz"


def _read(first: int, last: int) -> Band:
    with np.load(band_path(first, last), allow_pickle=False) as data:
        stored_first, stored_last, zoom = (int(z) for z in data["zooms"])
        if (stored_first, stored_last) != (first, last):
            raise ValueError(f"{band_path(first, last).name} holds zooms {stored_first}-{stored_last}")
        ring_offsets, line_offsets = data["ring_offsets"], data["line_offsets"]
        # Stored as x deltas then y deltas (they compress better); used as (n, 2) points.
        rings = _absolute(data["ring_points"].T, ring_offsets)
        lines = _absolute(data["line_points"].T, line_offsets)
        return Band(
            first,
            last,
            zoom,
            int(data["cell_units"][0]),
            data["uniform_water"],
            data["cells"],
            data["cell_rings"],
            data["cell_lines"],
            data["ring_water"],
            ring_offsets,
            rings,
            _boxes(rings, ring_offsets),
            line_offsets,
            lines,
            _boxes(lines, line_offsets),
        )


_load_lock = threading.Lock()


@cache
def _band(first: int, last: int) -> Band:
    return _read(first, last)


def band_for(zoom: int) -> Band:
    """The band drawing ``zoom`` (the last one beyond the data's detail), read once per process."""
    first, last = next(((a, b) for a, b in BANDS if zoom <= b), BANDS[-1])
    with _load_lock:  # concurrent first tiles share one read
        return _band(first, last)


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
            points = out[np.stack([crossing, nxt_inside], axis=1)]
    return points


def _clip_line(points: FloatArray, low: float, high: float) -> list[FloatArray]:
    """Runs of consecutive segments touching the square (whole segments, not cut)."""
    a, b = points[:-1], points[1:]
    touches = (np.maximum(a, b) >= low).all(axis=1) & (np.minimum(a, b) <= high).all(axis=1)
    if touches.all():
        return [points]
    edges = np.flatnonzero(np.diff(np.concatenate([[0], touches.astype(np.int8), [0]])))
    return [points[start : stop + 1] for start, stop in zip(edges[::2], edges[1::2], strict=True)]


def _flat(points: FloatArray) -> list[float]:
    """Coordinates for Pillow without repeated half pixels (fewer edges to scan)."""
    rounded = np.rint(points * 2) / 2
    keep = np.ones(len(rounded), dtype=bool)
    keep[1:] = np.any(rounded[1:] != rounded[:-1], axis=1)
    flat: list[float] = rounded[keep].ravel().tolist()
    return flat


def _flat_many(band: Band, rings: IntArray, origin: FloatArray, per_unit: float) -> dict[int, list[float]]:
    """:func:`_flat` of many rings at once (most rings of a tile lie wholly inside it: one
    numpy pass for all of them, rather than one per ring)."""
    if len(rings) == 0:
        return {}
    starts = band.ring_offsets[rings]
    lengths = band.ring_offsets[rings + 1] - starts
    ends = np.cumsum(lengths)
    positions = np.arange(ends[-1]) + np.repeat(starts - (ends - lengths), lengths)
    rounded = np.rint((band.ring_points[positions] - origin) * (per_unit * 2)) / 2
    keep = np.ones(len(rounded), dtype=bool)
    keep[1:] = np.any(rounded[1:] != rounded[:-1], axis=1)
    keep[ends[:-1]] = True  # each ring's first point
    kept = np.add.reduceat(keep.astype(np.int64), ends - lengths)
    parts = np.split(rounded[keep], np.cumsum(kept)[:-1])
    return {ring: part.ravel().tolist() for ring, part in zip(rings.tolist(), parts, strict=True)}


def _uniform_colour(band: Band, cx: int, cy: int, colours: Palette) -> str:
    bit = cy * (1 << band.zoom) + cx
    water = (int(band.uniform_water[bit >> 3]) >> (7 - (bit & 7))) & 1
    return colours.water if water else colours.land


def render_tile(z: int, x: int, y: int, size: int = 256, colours: Palette | None = None) -> Image.Image:
    """The Web Mercator tile z/x/y as an RGB image ``size`` pixels square."""
    colours = colours or palette(None)
    if not 0 <= z <= MAX_ZOOM or not (0 <= x < 1 << z and 0 <= y < 1 << z):
        raise ValueError(f"no tile {z}/{x}/{y}")
    band = band_for(z)
    shift = z - band.zoom
    cx, cy = x >> shift, y >> shift
    key = cy * (1 << band.zoom) + cx
    index = int(np.searchsorted(band.cells, key))
    if index == len(band.cells) or band.cells[index] != key:
        return Image.new("RGB", (size, size), _uniform_colour(band, cx, cy, colours))
    span = band.units / (1 << shift)  # cell units across this tile
    origin = np.array([(x - (cx << shift)) * span, (y - (cy << shift)) * span])
    big = size * SUPERSAMPLE
    per_unit = big / span
    margin = span * 0.01
    low, high = -margin * per_unit, big + margin * per_unit
    smallest = MIN_RING_PX * span / size  # in cell units

    first, last = band.cell_rings[index], band.cell_rings[index + 1]
    boxes = band.ring_boxes[first:last].astype(np.float64) - np.concatenate([origin, origin])
    seen = (
        (boxes[:, 2] >= -margin)
        & (boxes[:, 0] <= span + margin)
        & (boxes[:, 3] >= -margin)
        & (boxes[:, 1] <= span + margin)
        & ((boxes[:, 2] - boxes[:, 0] >= smallest) | (boxes[:, 3] - boxes[:, 1] >= smallest))
    )
    image = Image.new("RGB", (big, big), colours.land)
    draw = ImageDraw.Draw(image)
    rings = np.flatnonzero(seen) + first
    pixel_boxes = boxes[rings - first] * per_unit
    crossing = (pixel_boxes[:, :2] < low).any(axis=1) | (pixel_boxes[:, 2:] > high).any(axis=1)
    inside = _flat_many(band, rings[~crossing], origin, per_unit)
    for ring, clip in zip(rings.tolist(), crossing.tolist(), strict=True):
        if clip:
            start, stop = band.ring_offsets[ring], band.ring_offsets[ring + 1]
            points = _clip_ring((band.ring_points[start:stop] - origin) * per_unit, low, high)
            coords = _flat(points) if len(points) >= 3 else []
        else:
            coords = inside[ring]
        if len(coords) >= 6:
            draw.polygon(coords, fill=colours.water if band.ring_water[ring] else colours.land)

    width = max(1, round(SUPERSAMPLE * min(0.8 + z / 6, 3.0)))
    first, last = band.cell_lines[index], band.cell_lines[index + (colours.border is not None)]
    boxes = band.line_boxes[first:last].astype(np.float64) - np.concatenate([origin, origin])
    seen = (
        (boxes[:, 2] >= -margin)
        & (boxes[:, 0] <= span + margin)
        & (boxes[:, 3] >= -margin)
        & (boxes[:, 1] <= span + margin)
    )
    for line in np.flatnonzero(seen) + first:
        start, stop = band.line_offsets[line], band.line_offsets[line + 1]
        points = (band.line_points[start:stop] - origin) * per_unit
        for run in _clip_line(points, low, high):
            coords = _flat(run)
            if len(coords) >= 4:
                draw.line(coords, fill=colours.border, width=width, joint="curve")
    return image.reduce(SUPERSAMPLE)
