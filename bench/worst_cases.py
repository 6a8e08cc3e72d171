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

Then the attack shapes found against earlier versions (sub-pixel dashes on a 4-megapixel
line, a 0.5% dashed grid, wide geodesic paths, radar charts of 2,000 points, value labels
on 8,000 bars, 50 circles of 10,000 km) and a randomised search at the production limits
(``--random N``, a fresh seed each run, printed; ``--seed`` repeats one): every request must
be refused (422) or finish within the budget. For the slowest accepted requests the cost
model's estimate is printed beside the measured CPU time, and each is run again in a fresh
process to measure the memory it adds (at most ``--memory`` MB, 256). Last, the four
slowest maps are drawn at once in one process, which must stay within 512 MB.

Prints the slowest request per operation and exits non-zero when one is over budget.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bench.common import machine

BUDGET_S = 2.0
MEMORY_MB = 256
MAPS_TOGETHER_MB = 512
MAX_URL = 16_384
# Cold renders in this process (no render cache, no render pool): its CPU time is the render's.
MEASURED = {"render_cache_bytes": 0, "render_isolation": False}
LONG_TEXT = "W" * 120 + " wide text " * 7  # 197 characters of wide glyphs and spaces


@dataclass(frozen=True)
class Case:
    path: str
    name: str  # what this request pushes, e.g. "size 2048x1953 + value labels"
    params: dict[str, Any]  # a list value repeats the parameter

    @property
    def url(self) -> str:
        return f"{self.path}?{urlencode(self.params, doseq=True, safe=',|:')}"


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

    app = create_app({"SETTINGS": MEASURED})
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


def attack_cases() -> list[Case]:
    """Requests that once took seconds or gigabytes: now refused, or bounded."""
    zigzag = ",".join(["0,100"] * 8)
    there_and_back = "|".join(["0,0|60,120"] * 40)
    return [
        Case("/chart", "sub-pixel dashes, 4 Mpx", {"cht": "lc", "chs": "2048x1953", "chd": f"t:{zigzag}", "chls": "50,0.01"}),
        Case("/chart", "0.5% grid of 0.01 px dashes", {"cht": "lc", "chs": "2048x1953", "chd": "t:0,100", "chg": "0.5,0.5,0.01,0.01"}),
        Case(
            "/maps/static",
            "geodesic path, weight 99, scale 4",
            {"center": "30,60", "zoom": "1", "size": "500x500", "scale": "4", "path": f"weight:99|geodesic:true|{there_and_back}"},
        ),
        Case("/chart", "radar, 2,000 points at 100x100", {"cht": "r", "chs": "100x100", "chd": "t:" + ",".join(_numbers(2000))}),
        Case("/charts/radar", "radar, 4 x 2,000 points", {"data": "|".join(",".join(_numbers(2000, s)) for s in range(4))}),
        Case(
            "/charts/bar",
            "value labels on 8,000 bars",
            {"value_labels": "true", "data": "|".join(",".join(_numbers(2000, s + 1)) for s in range(4))},
        ),
        Case(
            "/maps/static",
            "50 circles of 10,000 km at scale 3",
            {"center": "0,0", "zoom": "3", "size": "640x640", "scale": "3", "circle": [f"radius:9999999|{i},{i}" for i in range(50)]},
        ),
    ]  # fmt: skip


def random_cases(seed: int, count: int, kinds: list[str]) -> list[Case]:
    """Requests drawn at random within the production limits: sizes, scales, formats,
    series, points, labels, options; maps with random overlays and views."""
    rng = random.Random(seed)
    found = []
    for index in range(count):
        if rng.random() < 0.6:
            found.append(_random_chart(rng, index, kinds))
        elif rng.random() < 0.5:
            found.append(_random_gchart(rng, index))
        else:
            found.append(_random_map(rng, index))
    return found


def _random_size(rng: random.Random) -> tuple[int, int, int]:
    scale = rng.choice((1, 1, 1, 2, 3, 4))
    side = int(2048 / scale)
    return rng.randint(1, side), rng.randint(1, side), scale


def _random_chart(rng: random.Random, index: int, kinds: list[str]) -> Case:
    kind = rng.choice(kinds)
    width, height, scale = _random_size(rng)
    series = rng.choice((1, 1, 2, 5, 20))
    points = rng.choice((3, 10, 100, 500, 2000)) if series * 2000 <= 10_000 else rng.choice((3, 10, 100, 500))
    params: dict[str, Any] = {
        "width": str(width), "height": str(height), "scale": str(scale),
        "format": rng.choice(("png", "png", "webp", "jpeg", "svg")),
        "data": "|".join(",".join(str(rng.randint(1, 99)) for _ in range(points)) for _ in range(series)),
    }  # fmt: skip
    if kind == "qr":
        params = {k: v for k, v in params.items() if k != "data"} | {"text": "x" * rng.choice((1, 100, 2000))}
    if kind == "scatter":
        params["x"] = ",".join(str(i) for i in range(points))
    if rng.random() < 0.5:
        params["title"] = LONG_TEXT[: rng.randint(1, 200)]
    if rng.random() < 0.3:
        params["value_labels"] = "true"
    if rng.random() < 0.3:
        params["legend"] = ",".join(f"series {i}" for i in range(series))
    return Case(f"/charts/{kind}", f"random {index}: {kind}", params)


def _random_gchart(rng: random.Random, index: int) -> Case:
    cht = rng.choice(("bvg", "bhs", "lc", "lxy", "p", "pc", "s", "r", "gom", "v"))
    width, height, _ = _random_size(rng)
    points = rng.choice((3, 10, 100, 1000))
    series = rng.choice((1, 2, 4))
    params = {
        "cht": cht, "chs": f"{width}x{height}",
        "chd": "t:" + "|".join(",".join(str(rng.randint(0, 100)) for _ in range(points)) for _ in range(series)),
    }  # fmt: skip
    if cht in ("lc", "lxy", "r") and rng.random() < 0.5:
        params["chls"] = "|".join(
            f"{rng.randint(1, 50)},{rng.random() * 5:.2f},{rng.random() * 5:.2f}" for _ in range(series)
        )
    if cht in ("lc", "lxy", "bvg", "bhs", "s") and rng.random() < 0.5:
        params["chg"] = (
            f"{rng.choice((0.5, 1, 10))},{rng.choice((0.5, 1, 10))},{rng.random() * 3:.2f},{rng.random() * 3:.2f}"
        )
    if cht in ("lc", "bvg", "s") and rng.random() < 0.4:
        params["chm"] = "N,000000,0,-1,10|o,FF0000,0,-1,6"
    return Case("/chart", f"random {index}: {cht}", params)


def _random_map(rng: random.Random, index: int) -> Case:
    width, height, scale = _random_size(rng)
    params: dict[str, Any] = {
        "size": f"{width}x{height}",
        "scale": str(scale),
        "format": rng.choice(("png", "webp", "jpeg")),
    }
    if rng.random() < 0.7:
        params |= {
            "center": f"{rng.uniform(-80, 80):.4f},{rng.uniform(-180, 180):.4f}",
            "zoom": str(rng.randint(0, 20)),
        }

    def point() -> str:
        return f"{rng.uniform(-80, 80):.4f},{rng.uniform(-180, 180):.4f}"

    overlays = rng.choice(("markers", "path", "circle", "mixed"))
    if overlays in ("markers", "mixed"):
        params["markers"] = "size:large|label:A|" + "|".join(point() for _ in range(rng.choice((1, 20, 200))))
    if overlays in ("path", "mixed"):
        paths = rng.choice((1, 5, 20))
        vertices = max(2, rng.choice((2, 50, 500)) // paths)
        params["path"] = [
            f"weight:{rng.randint(1, 99)}|geodesic:{rng.choice(('true', 'false'))}|"
            + ("fillcolor:0xff000055|" if rng.random() < 0.3 else "")
            + "|".join(point() for _ in range(vertices))
            for _ in range(paths)
        ]
    if overlays in ("circle", "mixed"):
        params["circle"] = [
            f"radius:{rng.choice((1, 1000, 100000, 9999999))}|weight:{rng.randint(0, 99)}|fillcolor:0x00ff0040|{point()}"
            for _ in range(rng.choice((1, 10, 30)))
        ]
    return Case("/maps/static", f"random {index}: {overlays}", params)


def estimate_ms(app: Any, case: Case) -> float | None:
    """The cost model's estimate of an accepted request."""
    from api.alttext import spec_for
    from api.charts.cost import estimate_chart
    from api.charts.kinds import KINDS
    from api.charts.specs import ChartSpec
    from api.maps.cost import estimate_map

    with app.test_request_context():
        spec = spec_for(app, case.url)
    if isinstance(spec, ChartSpec):
        return estimate_chart(spec, KINDS[spec.kind]).total_ms
    return estimate_map(spec, app.extensions["tile_providers"][spec.provider]).total_ms


_MEMORY_PROBE = """
import json, sys
from api import create_app

def kb(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))

app = create_app({"SETTINGS": __SETTINGS__})
client = app.test_client()
client.get("/charts/bar?data=1,2,3&title=warm")
client.get("/maps/static?center=0,0&zoom=1&size=64x64&markers=0,0")
before = kb("VmRSS:")
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # the peak (VmHWM) starts again from the current size
statuses = [client.get(url).status_code for url in sys.argv[1:]] if len(sys.argv) == 2 else None
if statuses is None:
    import threading
    threads = [threading.Thread(target=app.test_client().get, args=(url,)) for url in sys.argv[1:]]
    [t.start() for t in threads]
    [t.join() for t in threads]
print(json.dumps({"added_mb": (kb("VmHWM:") - before) / 1024}))
"""


def added_memory_mb(*cases_: Case) -> float:
    """Peak memory added to a warmed-up process of its own by one request, or by several
    drawn at once in threads (Linux: the peak is reset through /proc/self/clear_refs)."""
    probe = _MEMORY_PROBE.replace("__SETTINGS__", repr(MEASURED))
    result = subprocess.run(
        [sys.executable, "-c", probe, *(c.url for c in cases_)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return float(json.loads(result.stdout.strip().splitlines()[-1])["added_mb"])


def hostile(seed: int, count: int, budget: float, memory_mb: float) -> bool:
    """The attack shapes and the randomised search; True when every request was bounded."""
    from api import create_app
    from api.charts.kinds import KINDS

    app = create_app({"SETTINGS": MEASURED})
    client = app.test_client()
    print(f"\nRandomised search: seed {seed}, {count} requests (repeat with --seed {seed})", flush=True)
    timings = [time_case(client, case) for case in attack_cases() + random_cases(seed, count, list(KINDS))]
    timings = [retime(client, t) if t.status == 200 and t.cpu > budget / 2 else t for t in timings]
    ok = True
    for t in timings[: len(attack_cases())]:
        print(f"attack {t.case.name}: {t.status}, {t.cpu * 1000:.0f} ms CPU")
    errors = [t for t in timings if t.status >= 500]
    for t in errors:
        print(f"server error {t.status}: {t.case.url[:300]}")
    accepted = sorted((t for t in timings if t.status == 200), key=lambda t: -t.cpu)
    refused = sum(1 for t in timings if t.status == 422)
    print(f"{len(accepted)} accepted, {refused} refused (422), {len(errors)} server errors")
    print("\n| request | CPU | cost model's estimate | memory added |")
    print("| --- | --- | --- | --- |")
    for t in accepted[:8]:
        added = added_memory_mb(t.case)
        estimate = estimate_ms(app, t.case)
        shown = f"{estimate:.0f} ms" if estimate is not None else "-"
        within = t.cpu <= budget and added <= memory_mb
        ok &= within
        print(
            f"| {t.case.path} {t.case.name} | {t.cpu * 1000:.0f} ms | {shown} | {added:.0f} MB |{'' if within else ' **over**'}"
        )
    worst_maps = [t.case for t in accepted if t.case.path == "/maps/static"][:4]
    if worst_maps:
        together = added_memory_mb(*worst_maps)
        ok &= together <= MAPS_TOGETHER_MB
        print(
            f"\nThe {len(worst_maps)} slowest maps at once, in one process: +{together:.0f} MB (at most {MAPS_TOGETHER_MB})"
        )
    return ok and not errors and all(t.cpu <= budget for t in accepted)


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
    parser.add_argument("--memory", type=float, default=MEMORY_MB, help="MB one request may add")
    parser.add_argument("--random", type=int, default=300, help="randomised requests")
    parser.add_argument("--seed", type=int, default=None, help="repeat a randomised search")
    parser.add_argument("--hostile-only", action="store_true", help="skip the per-dimension search")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    ok = True
    if not args.hostile_only:
        ok = report(search(args.quick), args.budget)
    ok &= hostile(seed, 60 if args.quick else args.random, args.budget, args.memory)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
