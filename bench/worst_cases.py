"""The slowest accepted request of every image endpoint, found by search.

    python -m bench.worst_cases [--quick] [--budget SECONDS]

For each operation in the app's OpenAPI spec (every ``/charts/<kind>``, ``/maps/static``,
``/generate_map``, ``/chart`` when it exists) it builds requests that push each dimension
to its limit, one at a time: the largest size at scale 1 and at the highest scale, every
format, the most series and points (as the URL length allows), the longest titles and
labels, value labels on every point; for maps the most markers with labels, the most path
vertices (dense and geodesic paths, filled polygons), the most and largest circles, the
highest zoom. Then it combines the slowest of those, pairwise. Only accepted requests
(200) count; each is timed cold (render cache off; maps on the offline basemap, drawn
anew), and one that takes over half the budget is timed again and the faster run kept.
Every accepted request must finish within ``--budget`` (2 s) of wall-clock time; the
process's CPU time is shown beside it, since the machine may be shared.

Prints the slowest request per operation and exits non-zero when one is over budget.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bench.common import machine

BUDGET_S = 2.0
MAX_URL = 16_384
LONG_TEXT = "W" * 120 + " wide text " * 7  # 197 characters of wide glyphs and spaces


@dataclass(frozen=True)
class Case:
    path: str
    name: str  # what this request pushes, e.g. "size 2048x1953 + value labels"
    params: dict[str, Any]  # a list value repeats the parameter

    @property
    def url(self) -> str:
        return f"{self.path}?{urlencode(self.params, doseq=True)}"


@dataclass(frozen=True)
class Timing:
    case: Case
    status: int
    seconds: float  # wall clock, the budget's measure
    cpu: float  # this process's CPU time: what the request costs when the machine is shared


def _numbers(count: int, start: int = 0) -> list[str]:
    return [str((start + i * 7) % 10) for i in range(count)]


def _cycle(values: list[str], count: int, prefix: str = "") -> list[str]:
    return [f"{prefix}{values[i % len(values)]}{i if prefix else ''}" for i in range(count)]


def chart_shapes(
    params: dict[str, Any], example: dict[str, str]
) -> Iterator[tuple[str, dict[str, str | None]]]:
    """Data of many series and points, with per-point companions of matching length (None
    drops the example's value)."""
    if "data" not in params:
        return
    for series, points in ((1, 2000), (2, 2000), (5, 1500), (20, 400), (20, 100), (8, 1000), (3, 5)):
        data = "|".join(",".join(_numbers(points, s)) for s in range(series))
        extra: dict[str, str | None] = {"data": data, "colors": None}
        labels = example.get("labels", "a,b").split(",")
        if "labels" in params:
            extra["labels"] = ",".join(_cycle(labels, points, "L"))
        if "legend" in params:
            extra["legend"] = ",".join(f"series {s}" for s in range(series))
        if "x" in params:
            extra["x"] = ",".join(str(i) for i in range(points))
        if "sizes" in params:
            extra["sizes"] = ",".join(_numbers(points, 1))
        if "rows" in params:
            extra["rows"] = ",".join(f"row {s}" for s in range(series))
        yield f"{series}x{points} points", extra
        if "labels" in extra:  # without labels more points fit in a URL
            yield f"{series}x{points} points, no labels", {**extra, "labels": None}


def chart_stressors(
    params: dict[str, Any], example: dict[str, str]
) -> Iterator[tuple[str, dict[str, str | None]]]:
    yield "example", {}
    yield "2048x1953 (4 Mpx)", {"width": "2048", "height": "1953"}
    yield "500x500 at scale 4 (4 Mpx)", {"width": "500", "height": "500", "scale": "4"}
    for fmt in params.get("format", {}).get("enum", []):
        if fmt != "png":
            yield f"2048x1953 {fmt}", {"width": "2048", "height": "1953", "format": fmt}
    for text in ("title", "xlabel", "ylabel"):
        if text in params:
            yield f"200-char {text}", {text: LONG_TEXT}
    if "labels" in params:
        count = len(example.get("labels", "a").split(","))
        yield "200-char labels", {"labels": ",".join([LONG_TEXT] * count)}
    if "legend" in params:
        count = len(example.get("legend", "a").split(","))
        yield "200-char legend", {"legend": ",".join([LONG_TEXT] * count)}
    for flag in ("value_labels", "log", "stacked", "horizontal"):
        if flag in params:
            yield flag, {flag: "true"}
    if "number_format" in params:
        yield "thousands", {"number_format": "thousands"}
    if "text" in params:  # QR codes: the most modules
        yield "7089 digits", {"text": "7" * 7089, "error_correction": "L"}
        yield "2953 bytes, level H", {"text": "é" * 600, "error_correction": "H"}
    if "bins" in params:
        yield "most bins", {"bins": str(params["bins"].get("maximum", 100))}
    yield from chart_shapes(params, example)


LATLNGS = [(48.8 + (i % 20) * 0.01, 2.3 + (i // 20) * 0.01) for i in range(10_000)]


def _points(count: int, spread: float = 1.0) -> str:
    return "|".join(
        f"{40 + (i % 100) * 0.2 * spread:.3f},{-30 + i * 0.05 * spread:.3f}" for i in range(count)
    )


def map_stressors(params: dict[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
    size = "size" if "size" in params else None

    def dims(w: int, h: int) -> dict[str, str]:
        return {"size": f"{w}x{h}"} if size else {"width": str(w), "height": str(h)}

    base = {"center": "45,10", "zoom": "4", **dims(640, 480)}
    yield "example", base
    yield "2048x1953 zoom 4", {**base, **dims(2048, 1953)}
    for zoom in (0, 1, 2, 3, 6, 10, 15, 20):
        yield f"2048x1953 zoom {zoom}", {**base, **dims(2048, 1953), "zoom": str(zoom)}
    if "scale" in params:
        for zoom in (1, 2, 5):
            yield (
                f"500x500 scale 4 zoom {zoom}",
                {**base, **dims(500, 500), "scale": "4", "zoom": str(zoom)},
            )
    for fmt in params.get("format", {}).get("enum", []):
        if fmt != "png":
            yield f"2048x1953 {fmt}", {**base, **dims(2048, 1953), "format": fmt, "zoom": "2"}
    if "markers" in params:
        markers = [
            f"size:large|color:red|label:{chr(65 + i % 26)}|{lat:.3f},{lng:.3f}"
            for i, (lat, lng) in enumerate(LATLNGS[:200])
        ]
        yield "200 labelled markers, one descriptor each", {**base, "markers": markers}
        yield "200 markers in one descriptor", {**base, "markers": "size:large|label:Z|" + _points(200)}
    if "path" in params:
        yield "10,000 path vertices, weight 20", {**base, "path": "weight:20|" + _points(2000)}
        yield "50 paths", {**base, "path": [f"weight:10|color:blue|{_points(30)}" for _ in range(50)]}
        yield (
            "geodesic path around the world",
            {**base, "zoom": "1", "path": "geodesic:true|weight:10|-60,-170|60,10|-60,170|60,-10"},
        )
        yield (
            "filled polygon, 2000 vertices",
            {**base, "path": "fillcolor:0xff000080|weight:20|" + _points(2000, 5)},
        )
        yield (
            "50 geodesic paths",
            {
                **base,
                "zoom": "1",
                "path": [f"geodesic:true|weight:20|{-80 + i},-179|{80 - i},179" for i in range(50)],
            },
        )
    if "circle" in params:
        yield (
            "50 circles of 20,000 km",
            {
                **base,
                "zoom": "1",
                "circle": [
                    f"radius:20000000|weight:20|fillcolor:0x00ff0040|{i - 25},{i * 7 - 170}"
                    for i in range(50)
                ],
            },
        )
        yield (
            "50 circles of 1 m at zoom 20",
            {
                **base,
                "zoom": "20",
                "circle": [f"radius:1|weight:20|45,{10 + i * 1e-6:.6f}" for i in range(50)],
            },
        )
    if "visible" in params:
        yield "auto-fit to 200 markers", {"size": "2048x1953", "markers": _points(200, 20)}


def cases(openapi: dict[str, Any], kinds_examples: dict[str, dict[str, str]]) -> dict[str, list[Case]]:
    found: dict[str, list[Case]] = {}
    for path, item in openapi["paths"].items():
        get = item.get("get")
        if not get or not (path.startswith(("/charts/", "/maps/")) or path in ("/generate_map", "/chart")):
            continue
        params = {p["name"]: p.get("schema", {}) for p in get.get("parameters", [])}
        if path.startswith("/charts/"):
            example = kinds_examples.get(path.removeprefix("/charts/"), {})
            found[path] = [
                Case(path, name, {**example, **extra}) for name, extra in chart_stressors(params, example)
            ]
        elif path == "/chart":
            found[path] = [Case(path, name, extra) for name, extra in gchart_stressors()]
        else:
            found[path] = [Case(path, name, extra) for name, extra in map_stressors(params)]
    return found


def gchart_stressors() -> Iterator[tuple[str, dict[str, str]]]:
    """Google Image Charts URLs at their limits (chs, chd, chl, chtt)."""
    for cht in ("bvg", "bhs", "lc", "p", "p3", "s", "qr", "gom"):
        yield (
            f"cht={cht} 1000x1000",
            {"cht": cht, "chs": "1000x1000", "chd": "t:" + ",".join(_numbers(2000)), "chtt": LONG_TEXT},
        )
        yield (
            f"cht={cht} 20 series",
            {
                "cht": cht,
                "chs": "800x600",
                "chd": "t:" + "|".join(",".join(_numbers(400, s)) for s in range(20)),
            },
        )
    values = ",".join(_numbers(2000))
    for cht, chd in (("lc", values), ("bvg", values), ("s", f"{values}|{values}")):
        yield (
            f"cht={cht} 2,000 points, each labelled and marked",
            {"cht": cht, "chs": "1000x1000", "chd": f"t:{chd}", "chm": "N,000000,0,-1,10|o,FF0000,0,-1,6"},
        )
    letters = "BCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # simple encoding, no zero slice
    simple = "".join(letters[i % len(letters)] for i in range(500))
    yield "cht=pc 1,000 slices in two rings", {"cht": "pc", "chs": "1000x1000", "chd": f"s:{simple},{simple}"}


def time_case(client: Any, case: Case) -> Timing:
    """One cold request (no render cache; basemap tiles are drawn anew for every map)."""
    url = case.url
    if len(url) > MAX_URL:
        return Timing(case, 414, 0.0, 0.0)
    wall, cpu = time.perf_counter(), time.process_time()
    status = client.get(url).status_code
    return Timing(case, status, time.perf_counter() - wall, time.process_time() - cpu)


def retime(client: Any, timing: Timing) -> Timing:
    """The faster of ``timing`` and a second cold run: one slow run may be machine noise."""
    again = time_case(client, timing.case)
    return min(timing, again, key=lambda t: t.seconds)


def combine(path: str, timings: list[Timing], top: int) -> list[Case]:
    """Pairs of the ``top`` slowest accepted stressors of one operation."""
    slow = sorted(
        (t for t in timings if t.status == 200 and t.case.name != "example"), key=lambda t: -t.seconds
    )
    pairs = []
    for a, b in itertools.combinations([t.case for t in slow[:top]], 2):
        merged = {**a.params, **b.params}
        if merged not in (a.params, b.params):  # b may simply override a
            pairs.append(Case(path, f"{a.name} + {b.name}", merged))
    return pairs


def search(quick: bool = False) -> dict[str, list[Timing]]:
    from api import create_app
    from api.charts.kinds import KINDS

    app = create_app({"SETTINGS": {"render_cache_bytes": 0}})
    client = app.test_client()
    openapi = client.get("/openapi.json").get_json()
    examples = {
        name: {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in kind.examples.items()}
        for name, kind in KINDS.items()
    }
    results: dict[str, list[Timing]] = {}
    for path, path_cases in cases(openapi, examples).items():
        timings = [time_case(client, case) for case in (path_cases[:6] if quick else path_cases)]
        timings += [time_case(client, case) for case in combine(path, timings, 2 if quick else 4)]
        timings = [retime(client, t) if t.status == 200 and t.seconds > BUDGET_S / 2 else t for t in timings]
        results[path] = timings
        worst = max((t for t in timings if t.status == 200), key=lambda t: t.seconds, default=None)
        if worst is not None:
            print(
                f"{path:<20} {worst.seconds * 1000:>7.0f} ms (CPU {worst.cpu * 1000:.0f})  {worst.case.name}",
                flush=True,
            )
    return results


def report(results: dict[str, list[Timing]], budget: float) -> bool:
    print(f"\nMachine: {machine()}\n")
    print("| endpoint | slowest accepted request found | time (CPU) | within 2 s |")
    print("| --- | --- | --- | --- |")
    ok = True
    for path, timings in results.items():
        accepted = [t for t in timings if t.status == 200]
        worst = max(accepted, key=lambda t: t.seconds, default=None)
        if worst is None:
            continue
        within = worst.seconds <= budget
        ok &= within
        print(
            f"| `{path}` | {worst.case.name} | {worst.seconds * 1000:.0f} ms ({worst.cpu * 1000:.0f} ms) "
            f"| {'yes' if within else '**no**'} |"
        )
    over = [t for ts in results.values() for t in ts if t.status == 200 and t.seconds > budget]
    for t in sorted(over, key=lambda t: -t.seconds):
        print(f"over budget: {t.seconds:.2f} s {t.case.path} {t.case.name}: {t.case.url[:300]}")
    bad = [t for ts in results.values() for t in ts if t.status >= 500]
    for t in bad:
        print(f"server error {t.status}: {t.case.path} {t.case.name}")
    return ok and not bad


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--budget", type=float, default=BUDGET_S)
    args = parser.parse_args()
    sys.exit(0 if report(search(args.quick), args.budget) else 1)


if __name__ == "__main__":
    main()
