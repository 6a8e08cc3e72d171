"""Build api/maps/data/naturalearth.npz, the offline basemap, from the world-atlas npm package.

world-atlas redistributes Natural Earth's 1:50m admin-0 countries as TopoJSON. This script
takes its ``land`` polygons and the arcs shared by two countries (the land borders),
projects them to Web Mercator, quantises them to a 2^20 grid and stores them
delta-encoded in a compressed numpy archive (a few hundred kB).

Run it from the repository root (needs npm, or an unpacked package):

    python scripts/build_basemap.py                      # runs `npm pack world-atlas@2.0.2`
    python scripts/build_basemap.py --package-dir DIR    # DIR holds countries-50m.json

The output is deterministic: the same package gives the same file.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

PACKAGE = "world-atlas@2.0.2"
SOURCE = "countries-50m.json"
OUTPUT = Path(__file__).resolve().parent.parent / "api" / "maps" / "data" / "naturalearth.npz"
QUANT_BITS = 20  # the world is 2^20 units square: one unit is one pixel at zoom 12
MAX_LAT = 85.0511287798066


def load_topology(package_dir: Path | None) -> dict[str, Any]:
    if package_dir is not None:
        return json.loads((package_dir / SOURCE).read_text())
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True, text=True
        )
        tgz = Path(tmp) / out.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as tar:
            member = tar.extractfile(f"package/{SOURCE}")
            assert member is not None
            return json.load(io.TextIOWrapper(member, encoding="utf-8"))


def decode_arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """Each arc as an (n, 2) float array of longitude, latitude."""
    scale = np.array(topology["transform"]["scale"], dtype=np.float64)
    translate = np.array(topology["transform"]["translate"], dtype=np.float64)
    return [np.cumsum(np.array(arc, dtype=np.int64), axis=0) * scale + translate for arc in topology["arcs"]]


def ring_points(arcs: list[np.ndarray], indexes: list[int]) -> np.ndarray:
    parts = []
    for n, i in enumerate(indexes):
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(arc if n == 0 else arc[1:])
    return np.concatenate(parts)


def project(lonlat: np.ndarray) -> np.ndarray:
    """Longitude, latitude -> quantised Web Mercator units (x right, y down)."""
    world = 1 << QUANT_BITS
    lon = lonlat[:, 0]
    lat = np.clip(lonlat[:, 1], -MAX_LAT, MAX_LAT)
    x = (lon + 180.0) / 360.0
    y = 0.5 - np.log(np.tan(math.pi / 4 + np.radians(lat) / 2)) / (2 * math.pi)
    xy = np.stack([x, y], axis=1) * world
    return np.clip(np.rint(xy), 0, world).astype(np.int32)


def dedupe(points: np.ndarray) -> np.ndarray:
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(points[1:] != points[:-1], axis=1)
    return points[keep]


def polygons(topology: dict[str, Any], arcs: list[np.ndarray]) -> list[list[np.ndarray]]:
    """Land polygons as lists of rings (outer first, then holes), largest first."""
    result = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polys = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for poly in polys:
            rings = [dedupe(project(ring_points(arcs, ring))) for ring in poly]
            rings = [ring for ring in rings if len(ring) >= 3]
            if rings:
                result.append(rings)

    def area(rings: list[np.ndarray]) -> float:
        x, y = rings[0][:, 0].astype(np.float64), rings[0][:, 1].astype(np.float64)
        return abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))) / 2

    # Largest first, so an island in a lake is drawn after the lake's shore.
    result.sort(key=area, reverse=True)
    return result


def borders(topology: dict[str, Any], arcs: list[np.ndarray]) -> list[np.ndarray]:
    """Arcs used by two different countries: the land borders."""
    users: dict[int, set[int]] = {}

    def walk(value: Any, country: int) -> None:
        if isinstance(value, int):
            users.setdefault(value if value >= 0 else ~value, set()).add(country)
        else:
            for item in value:
                walk(item, country)

    for n, geometry in enumerate(topology["objects"]["countries"]["geometries"]):
        walk(geometry.get("arcs", []), n)
    lines = [dedupe(project(arcs[i])) for i in sorted(users) if len(users[i]) > 1]
    return [line for line in lines if len(line) >= 2]


def pack(rings: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Points delta-encoded across the whole list (so cumsum restores them) and ring offsets."""
    points = np.concatenate(rings)
    deltas = np.diff(points, axis=0, prepend=np.zeros((1, 2), dtype=np.int32)).astype(np.int32)
    offsets = np.cumsum([0, *(len(r) for r in rings)]).astype(np.int32)
    return deltas, offsets


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--package-dir", type=Path, help="an unpacked world-atlas package")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    topology = load_topology(args.package_dir)
    arcs = decode_arcs(topology)
    land = polygons(topology, arcs)
    land_rings = [ring for poly in land for ring in poly]
    polygon_offsets = np.cumsum([0, *(len(poly) for poly in land)]).astype(np.int32)
    land_deltas, ring_offsets = pack(land_rings)
    border_lines = borders(topology, arcs)
    border_deltas, line_offsets = pack(border_lines)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("wb") as out:
        np.savez_compressed(
            out,
            quant_bits=np.array([QUANT_BITS], dtype=np.int32),
            land_deltas=land_deltas,
            ring_offsets=ring_offsets,
            polygon_offsets=polygon_offsets,
            border_deltas=border_deltas,
            line_offsets=line_offsets,
        )
    print(
        f"{args.output}: {args.output.stat().st_size} bytes, {len(land)} land polygons "
        f"({len(land_deltas)} points), {len(border_lines)} border lines ({len(border_deltas)} points)"
    )


if __name__ == "__main__":
    main()
