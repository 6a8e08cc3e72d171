"""Outlines of countries (ISO 3166-1 alpha-2 codes: ``FR``) and US states (``US-CA``) from
Natural Earth and US Census data embedded in ``data/regions.npz`` (built by
scripts/build_regions.py), for map charts. A leaf: it imports nothing of the app.

Rings are longitude/latitude in degrees, outer rings counter-clockwise and holes clockwise,
biggest polygon first. The file is read on first use, once per process, under a lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "regions.npz"
UNITS = 1000  # stored units per degree


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    rings: tuple[np.ndarray, ...]  # (n, 2) arrays of longitude, latitude

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """West, south, east, north of all its rings."""
        import numpy as np

        points = np.concatenate(self.rings)
        return (
            float(points[:, 0].min()),
            float(points[:, 1].min()),
            float(points[:, 0].max()),
            float(points[:, 1].max()),
        )


_lock = threading.Lock()
_regions: dict[str, Region] | None = None


def regions() -> dict[str, Region]:
    """Every region by code (``FR``, ``US-CA``)."""
    global _regions
    if _regions is None:
        with _lock:
            if _regions is None:
                _regions = _load()
    return _regions


def names() -> dict[str, str]:
    """Codes and names, without reading the outlines' coordinates into rings."""
    return {code: region.name for code, region in regions().items()}


def _load() -> dict[str, Region]:
    import numpy as np

    with np.load(DATA) as data:
        codes, region_names = data["codes"], data["names"]
        region_rings, ring_lengths, coords = data["region_rings"], data["ring_lengths"], data["coords"]
    ends = np.cumsum(ring_lengths)
    starts = ends - ring_lengths
    found: dict[str, Region] = {}
    ring = 0
    for code, name, count in zip(codes, region_names, region_rings, strict=True):
        rings = tuple(
            np.cumsum(coords[starts[i] : ends[i]], axis=0) / UNITS for i in range(ring, ring + int(count))
        )
        ring += int(count)
        found[str(code)] = Region(str(code), str(name), rings)
    return found
