"""Outlines of countries (ISO 3166-1 alpha-2 codes: ``FR``) and US states (``US-CA``) from
Natural Earth and US Census data embedded in ``data/regions.npz`` (built by
scripts/build_regions.py), for map charts. A leaf: it imports nothing of the app.

:func:`index` (codes, names and where a map zoomed to a region looks: its main polygons,
not its far islands) reads the small ``data/regions.json`` without numpy, for request
parsing; :func:`regions` reads the outlines, for drawing.

Rings are longitude/latitude in degrees, outer rings counter-clockwise and holes clockwise,
biggest polygon first. The file is read on first use, once per process, under a lock.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "regions.npz"
INDEX = DATA.with_name("regions.json")
Bounds = tuple[float, float, float, float]  # west, south, east, north in degrees


@dataclass(frozen=True)
class Entry:
    name: str
    focus: Bounds


@cache
def index() -> dict[str, Entry]:
    """Every region's name and focus bounds, by code."""
    raw = json.loads(INDEX.read_text(encoding="utf-8"))
    return {
        code: Entry(name, (west, south, east, north))
        for code, (name, west, south, east, north) in raw.items()
    }


UNITS = 1000  # stored units per degree


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    rings: tuple[np.ndarray, ...]  # (n, 2) arrays of longitude, latitude

    @property
    def bounds(self) -> Bounds:
        """West, south, east, north of all its rings."""
        import numpy as np

        points = np.concatenate(self.rings)
        return (
            float(points[:, 0].min()),
            float(points[:, 1].min()),
            float(points[:, 0].max()),
            float(points[:, 1].max()),
        )


LEVELS = ("fine", "coarse")  # detail: fine for countries and states, coarse for the world
_lock = threading.Lock()
_regions: dict[str, dict[str, Region]] = {}


def regions(level: str = "fine") -> dict[str, Region]:
    """Every region by code (``FR``, ``US-CA``), at a level of detail (:data:`LEVELS`)."""
    found = _regions.get(level)
    if found is None:
        with _lock:
            if not _regions:
                _regions.update(_load())
            found = _regions[level]
    return found


def _load() -> dict[str, dict[str, Region]]:
    import numpy as np

    levels: dict[str, dict[str, Region]] = {}
    with np.load(DATA) as data:
        codes, region_names = data["codes"], data["names"]
        for level in LEVELS:
            region_rings, ring_lengths = data[f"{level}_region_rings"], data[f"{level}_ring_lengths"]
            coords = data[f"{level}_coords"]
            ends = np.cumsum(ring_lengths)
            starts = ends - ring_lengths
            found: dict[str, Region] = {}
            ring = 0
            for code, name, count in zip(codes, region_names, region_rings, strict=True):
                rings = tuple(
                    np.cumsum(coords[starts[i] : ends[i]], axis=0) / UNITS
                    for i in range(ring, ring + int(count))
                )
                ring += int(count)
                if rings:
                    found[str(code)] = Region(str(code), str(name), rings)
            levels[level] = found
    return levels
