"""Where the charts' font is: DejaVu Sans, shipped in matplotlib's mpl-data, found without
importing matplotlib (seconds at start-up) for the pictures Pillow draws."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path


@cache
def dejavu_sans() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:
        raise RuntimeError("matplotlib, whose DejaVu Sans the images use, is not installed")
    return Path(locations[0]) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
