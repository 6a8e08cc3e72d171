"""A render worker's warm-up: it draws once and leaves the garbage collector tuned."""

from __future__ import annotations

import json
import subprocess
import sys

from api.warmup import YOUNG_THRESHOLD


def test_the_forkservers_warm_up_freezes_what_is_loaded_and_raises_the_threshold() -> None:
    # In a fresh interpreter: the module the forkserver imports, and what the collector says after.
    code = (
        "import gc, json; base = gc.get_threshold(); import api.prewarm; "
        "print(json.dumps([base, gc.get_threshold(), gc.get_freeze_count()]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    base, tuned, frozen = json.loads(done.stdout.strip().splitlines()[-1])
    assert tuned == [YOUNG_THRESHOLD, *base[1:]]
    assert frozen > 50_000  # matplotlib, numpy, fonts and the basemap's objects
