"""vl-convert (Vega-Lite -> PNG), served over stdin/stdout; runs in the peers' own virtualenv.

    bench/peers/.venv/bin/python bench/peers/vl_worker.py FONT_DIR

Standard library and ``vl_convert`` only: the project's packages are not installed there.
One JSON request a line on stdin, ``{"spec": <Vega-Lite>, "n": N, "save": path|null}``; one
reply a line: each chart's CPU time (``time.process_time``: every thread of this process,
which includes vl-convert's own) and wall time in ms, and the PNG's size.
"""

from __future__ import annotations

import json
import sys
import time
from importlib.metadata import version
from typing import Any

import vl_convert  # type: ignore[import-not-found]


def serve(request: dict[str, Any]) -> dict[str, Any]:
    cpu_ms, wall_ms, png = [], [], b""
    for _ in range(request["n"]):
        cpu, wall = time.process_time(), time.perf_counter()
        png = vl_convert.vegalite_to_png(request["spec"], scale=1)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        wall_ms.append((time.perf_counter() - wall) * 1000)
    if request.get("save"):
        with open(request["save"], "wb") as out:
            out.write(png)
    return {"cpu_ms": cpu_ms, "wall_ms": wall_ms, "bytes": len(png)}


def main() -> None:
    # The same glyphs as the other renderers: matplotlib's DejaVu Sans.
    vl_convert.register_font_directory(sys.argv[1])
    print(
        json.dumps({"ready": True, "versions": {"vl-convert-python": version("vl-convert-python")}}),
        flush=True,
    )
    for line in sys.stdin:
        try:
            reply = serve(json.loads(line))
        except Exception as exc:  # reported to the bench, which stops this worker
            reply = {"error": repr(exc)}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
