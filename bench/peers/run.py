"""This API's charts against their peers: CPU time per chart, and the first chart of a fresh process.

    python -m bench peers [--quick] [--rounds N] [--batch N] [--cold-rounds N] [--save DIR]

The peers (bench/peers/README.md says how to install the first two; a missing one is skipped
with a message saying so):
- Chart.js 4 on ``@napi-rs/canvas`` (skia), as QuickChart-style services render: one node
  process (bench/peers/chartjs.js), started once and asked for charts over stdin/stdout, so its
  start-up is in no per-chart time; it measures each chart with ``process.cpuUsage``.
- vl-convert (Vega-Lite -> PNG) in its own virtualenv (bench/peers/vl_worker.py), asked the same way.
- plain matplotlib: ``Figure()`` + Axes calls + ``savefig(BytesIO)`` (bench/plain.py).
- the floor: our own figure for the chart, its texts hidden, drawn by Agg and encoded as PNG
  (building the figure not timed): what drawing the shapes and encoding cost at the least.
- this API: ``render_chart`` on the spec the schema builds, and the same through the app
  (``/charts/<kind>?...`` with Flask's test client, render cache off).

Each round, every renderer draws ``--batch`` charts of each kind in turn (the order reversed
every other round, so machine noise hits all alike); a round's figure is its mean CPU ms per
chart (every thread of the process that drew it). The table gives min and median over rounds,
and min and median of the per-round ratios ours / peer. "First chart": wall time from spawning
a fresh process to its first bar chart's PNG, whole process (interpreter or node start
included, compiled bytecode as an installed deployment has), ours vs plain matplotlib vs Chart.js.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.common import Row, exit_on_sigterm, machine
from bench.peers.charts import CHARTS, HEIGHT, WIDTH, PeerChart
from bench.peers.workers import JsonWorker, time_to_done_ms

PEERS_DIR = Path(__file__).resolve().parent
ROOT = PEERS_DIR.parent.parent
VL_PYTHON = PEERS_DIR / ".venv" / "bin" / "python"
CHARTJS, VL, PLAIN, OURS, APP, FLOOR = "chartjs", "vl", "plain", "ours", "app", "floor"
TARGETS = {CHARTJS: 0.8, PLAIN: 0.5, FLOOR: 1.5}  # ours / peer, median of per-round ratios
PEER_NAMES = {CHARTJS: "Chart.js + @napi-rs/canvas", PLAIN: "plain matplotlib", FLOOR: "the floor"}
FIRST_CHART_TARGET = 1.0  # ours / plain matplotlib, first chart of a fresh process
# (rounds, charts per renderer and chart in a round, fresh processes per side)
FULL, QUICK = (15, 3, 8), (4, 2, 3)

# Draws ``n`` charts, returns each one's CPU ms; writes the last PNG to ``save`` if given.
Batch = Callable[[PeerChart, int, "str | None"], list[float]]


@dataclass(frozen=True)
class Renderer:
    key: str
    label: str
    batch: Batch


def font_dir() -> str:
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")


def _in_process(draw: Callable[[PeerChart], bytes]) -> Batch:
    def batch(chart: PeerChart, n: int, save: str | None) -> list[float]:
        times, png = [], b""
        for _ in range(n):
            start = time.process_time()
            png = draw(chart)
            times.append((time.process_time() - start) * 1000)
        if save:
            Path(save).write_bytes(png)
        return times

    return batch


def spec_of(chart: PeerChart) -> Any:
    from api.charts.kinds import KINDS
    from api.charts.schemas import build_schema
    from api.settings import Limits

    return build_schema(KINDS[chart.name], Limits())().load(chart.params())


def chart_url(chart: PeerChart) -> str:
    return f"/charts/{chart.name}?" + urlencode(chart.params())


def ours() -> list[Renderer]:
    import matplotlib

    from api import create_app
    from api.charts.render import render_chart
    from api.warmup import warm_up

    specs = {chart.name: spec_of(chart) for chart in CHARTS}
    # Renders in this process as a render worker draws them (warmed up, the collector tuned:
    # api/warmup.py), so their CPU is in this row.
    warm_up()
    settings = {"render_cache_bytes": 0, "render_isolation": False}
    client = create_app({"TESTING": True, "SETTINGS": settings}).test_client()

    def through_app(chart: PeerChart) -> bytes:
        response = client.get(chart_url(chart))
        if response.status_code != 200 or response.mimetype != "image/png":
            raise RuntimeError(f"{chart_url(chart)}: {response.status_code} {response.get_data()[:200]!r}")
        return response.get_data()

    return [
        Renderer(
            OURS,
            f"ours: render_chart(spec), matplotlib {matplotlib.__version__}",
            _in_process(lambda c: render_chart(specs[c.name]).body),
        ),
        Renderer(APP, "ours: /charts/<kind> through the app, render cache off", _in_process(through_app)),
    ]


def floor() -> Renderer:
    """The floor: drawing our own figure with its texts hidden, then the PNG encode; the
    figure is built (artists, layout) outside the timed part."""
    from matplotlib.text import Text

    from api.charts.render import render_figure
    from api.encode import encode_figure

    specs = {chart.name: spec_of(chart) for chart in CHARTS}

    def batch(chart: PeerChart, n: int, save: str | None) -> list[float]:
        times, png = [], b""
        for _ in range(n):
            fig = render_figure(specs[chart.name])
            for text in fig.findobj(Text):
                text.set_visible(False)
            start = time.process_time()
            png = encode_figure(fig, "png", (WIDTH, HEIGHT), opaque=True)
            times.append((time.process_time() - start) * 1000)
        if save:
            Path(save).write_bytes(png)
        return times

    return Renderer(FLOOR, "floor: our figure drawn without its texts + PNG encode", batch)


def plain() -> Renderer:
    import matplotlib

    from bench.plain import render_plain

    return Renderer(
        PLAIN,
        f"plain matplotlib {matplotlib.__version__} (Figure + savefig)",
        _in_process(lambda c: render_plain(c.name, c.params())),
    )


def chartjs(stack: ExitStack) -> Renderer | None:
    node = shutil.which("node")
    if node is None or not (PEERS_DIR / "node_modules" / "chart.js").is_dir():
        print("Chart.js skipped: needs node and `npm ci` in bench/peers (bench/peers/README.md)")
        return None
    worker = stack.enter_context(JsonWorker([node, "chartjs.js", font_dir()], PEERS_DIR))

    def batch(chart: PeerChart, n: int, save: str | None) -> list[float]:
        request = {"config": chart.chartjs(), "width": WIDTH, "height": HEIGHT, "n": n, "save": save}
        cpu_ms: list[float] = worker.request(request)["cpu_ms"]
        return cpu_ms

    versions = worker.hello["versions"]
    label = f"Chart.js {versions['chart.js']} + @napi-rs/canvas {versions['@napi-rs/canvas']}"
    return Renderer(CHARTJS, label, batch)


def vl_convert(stack: ExitStack, python: Path) -> Renderer | None:
    if not python.exists():
        print(f"vl-convert skipped: no {python} (bench/peers/README.md says how to make it)")
        return None
    try:
        worker = stack.enter_context(JsonWorker([str(python), "vl_worker.py", font_dir()], PEERS_DIR))
    except RuntimeError as exc:
        print(f"vl-convert skipped: its worker did not start ({exc})")
        return None

    def batch(chart: PeerChart, n: int, save: str | None) -> list[float]:
        cpu_ms: list[float] = worker.request({"spec": chart.vegalite(), "n": n, "save": save})["cpu_ms"]
        return cpu_ms

    return Renderer(VL, f"vl-convert {worker.hello['versions']['vl-convert-python']}", batch)


def descendants(pid: int) -> set[int]:
    """PIDs of every living process below ``pid`` (Linux /proc)."""
    found: set[int] = set()
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            direct = {int(child) for child in children.read_text().split()}
        except OSError:  # the thread ended meanwhile
            continue
        for child in direct - found:
            found |= {child, *descendants(child)}
    return found


def per_chart_rounds(
    renderers: Sequence[Renderer], rounds: int, batch: int
) -> dict[str, dict[str, list[float]]]:
    """Mean CPU ms per chart of each round: ``[chart][renderer key] -> one value per round``."""
    for chart in CHARTS:  # warm: V8's JIT, font caches, every code path
        for renderer in renderers:
            renderer.batch(chart, 3, None)
    samples: dict[str, dict[str, list[float]]] = {c.name: {r.key: [] for r in renderers} for c in CHARTS}
    for round_index in range(rounds):
        order = renderers if round_index % 2 == 0 else renderers[::-1]
        for chart in CHARTS:
            for renderer in order:
                samples[chart.name][renderer.key].append(statistics.fmean(renderer.batch(chart, batch, None)))
    return samples


def _python_child(code: str) -> tuple[list[str], Path, str]:
    """argv, working directory and standard input of a fresh python drawing one chart."""
    return [sys.executable, "-c", code + "\nprint('done', flush=True)"], ROOT, ""


def first_chart_rounds(rounds: int, node_ok: bool) -> tuple[dict[str, list[float]], dict[str, str]]:
    """Wall ms from spawning a fresh process to its first bar chart PNG, per side."""
    from bench.startup import child_env

    bar = CHARTS[0]
    is_png = "assert png[:8] == b'\\x89PNG\\r\\n\\x1a\\n'"
    sides: dict[str, tuple[list[str], Path, str]] = {
        OURS: _python_child(
            "from api.charts.kinds import KINDS\nfrom api.charts.schemas import build_schema\n"
            "from api.charts.render import render_chart\nfrom api.settings import Limits\n"
            f"spec = build_schema(KINDS['bar'], Limits())().load({bar.params()!r})\n"
            f"png = render_chart(spec).body\n{is_png}"
        ),
        APP: _python_child(
            f"from api import create_app\nresponse = create_app().test_client().get({chart_url(bar)!r})\n"
            f"assert response.status_code == 200\npng = response.get_data()\n{is_png}"
        ),
        PLAIN: _python_child(
            f"from bench.plain import render_plain\npng = render_plain('bar', {bar.params()!r})\n{is_png}"
        ),
    }
    labels = {
        OURS: "ours: render_chart(spec), fresh python",
        APP: "ours: create_app() + GET /charts/bar, fresh python",
        PLAIN: "plain matplotlib, fresh python",
    }
    node = shutil.which("node")
    if node_ok and node is not None:
        request = json.dumps({"config": bar.chartjs(), "width": WIDTH, "height": HEIGHT})
        sides[CHARTJS] = ([node, "chartjs.js", font_dir(), "--once"], PEERS_DIR, request + "\n")
        labels[CHARTJS] = "Chart.js + @napi-rs/canvas, fresh node"
    times: dict[str, list[float]] = {key: [] for key in sides}
    with tempfile.TemporaryDirectory() as pycache:
        env = child_env(pycache)
        for argv, cwd, stdin in sides.values():  # fills the bytecode cache
            time_to_done_ms(argv, cwd, env, stdin)
        items = list(sides.items())
        for round_index in range(rounds):
            for key, (argv, cwd, stdin) in items if round_index % 2 == 0 else items[::-1]:
                times[key].append(time_to_done_ms(argv, cwd, env, stdin))
    return times, labels


def _pair(values: Sequence[float], fmt: str = "{:.2f}x") -> str:
    return f"{fmt.format(min(values))} / {fmt.format(statistics.median(values))}"


def _ratios(mine: Sequence[float], theirs: Sequence[float]) -> list[float]:
    return [a / b for a, b in zip(mine, theirs, strict=True)]


def _rows(title: str, samples: dict[str, list[float]], labels: dict[str, str]) -> Iterator[str]:
    for index, (key, values) in enumerate((k, v) for k, v in samples.items() if v):
        cells = [
            title if index == 0 else "",
            labels[key],
            f"{min(values):.1f}",
            f"{statistics.median(values):.1f}",
        ]
        for ours_key in (OURS, APP):
            mine = samples.get(ours_key)
            cells.append("-" if mine is None or ours_key == key else _pair(_ratios(mine, values)))
        yield "| " + " | ".join(cells) + " |"


def table(
    charts: dict[str, dict[str, list[float]]],
    first: dict[str, list[float]],
    labels: dict[str, str],
    first_labels: dict[str, str],
) -> str:
    lines = [
        "| chart | renderer | ms, min | ms, median | render_chart / it, min / median | app / it, min / median |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, samples in charts.items():
        lines += _rows(f"{name} {WIDTH}x{HEIGHT} PNG, CPU per chart", samples, labels)
    lines += _rows("bar, first chart of a fresh process (wall, whole process)", first, first_labels)
    return "\n".join(lines)


def target_rows(
    charts: dict[str, dict[str, list[float]]], first: dict[str, list[float]], labels: dict[str, str]
) -> list[Row]:
    rows = []
    for name, samples in charts.items():
        for peer, target in TARGETS.items():
            if peer not in samples:
                rows.append(
                    Row(
                        f"{name} {WIDTH}x{HEIGHT} PNG vs {PEER_NAMES[peer]}",
                        f"<= {target}x",
                        "skipped (peer not installed)",
                    )
                )
                continue
            ratio = statistics.median(_ratios(samples[OURS], samples[peer]))
            ms = f"{statistics.median(samples[OURS]):.1f} vs {statistics.median(samples[peer]):.1f} ms CPU"
            rows.append(
                Row(
                    f"{name} {WIDTH}x{HEIGHT} PNG, render_chart vs {labels[peer]}",
                    f"<= {target}x",
                    f"{ratio:.2f}x ({ms})",
                    ratio <= target,
                )
            )
    if not first.get(APP):  # --cold-rounds 0
        return rows
    ratio = statistics.median(_ratios(first[APP], first[PLAIN]))
    ms = f"{statistics.median(first[APP]):.0f} vs {statistics.median(first[PLAIN]):.0f} ms"
    rows.append(
        Row(
            "first bar chart of a fresh process (create_app + GET) vs plain matplotlib's",
            f"<= {FIRST_CHART_TARGET}x",
            f"{ratio:.2f}x ({ms})",
            ratio <= FIRST_CHART_TARGET,
        )
    )
    if CHARTJS in first:
        ratio = statistics.median(_ratios(first[APP], first[CHARTJS]))
        ms = f"{statistics.median(first[APP]):.0f} vs {statistics.median(first[CHARTJS]):.0f} ms"
        rows.append(Row("same, vs Chart.js's first chart in a fresh node", "", f"{ratio:.2f}x ({ms})"))
    return rows


def save_samples(renderers: Sequence[Renderer], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for chart in CHARTS:
        for renderer in renderers:
            renderer.batch(chart, 1, str(directory / f"{chart.name}-{renderer.key}.png"))
    print(f"one PNG per chart and renderer in {directory}")


def run(
    rounds: int = FULL[0],
    batch: int = FULL[1],
    cold_rounds: int = FULL[2],
    save: Path | None = None,
    vl_python: Path = VL_PYTHON,
) -> list[Row]:
    load_before = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    with ExitStack() as stack:  # every worker is stopped on the way out, whatever happens
        renderers = [r for r in (chartjs(stack), vl_convert(stack, vl_python)) if r is not None]
        peer_processes = descendants(os.getpid())
        renderers += [plain(), floor(), *ours()]
        labels = {r.key: r.label for r in renderers}
        if save is not None:
            save_samples(renderers, save)
        print(
            f"{rounds} rounds of {batch} charts per renderer and chart; {', '.join(labels.values())}",
            flush=True,
        )
        charts = per_chart_rounds(renderers, rounds, batch)
        # CPU is counted in the process that draws; a renderer drawing in other processes
        # would look faster than it is.
        uncounted = descendants(os.getpid()) - peer_processes
    print(f"first chart of a fresh process: {cold_rounds} rounds", flush=True)
    first, first_labels = first_chart_rounds(cold_rounds, CHARTJS in labels)
    print(f"\nMachine: {machine()} (load average {load_before} at the start)\n")
    print(table(charts, first, labels, first_labels))
    if uncounted:
        print(
            f"\nWARNING: the in-process renderers started processes {sorted(uncounted)}: their CPU is in no row"
        )
    rows = target_rows(charts, first, labels)
    print()
    for row in rows:
        verdict = {True: "met", False: "NOT met", None: ""}[row.met]
        print(f"- {row.measure}: {row.measured} (target {row.target or '-'}) {verdict}".rstrip())
    sys.stdout.flush()
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench peers", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short run: {} rounds of {}, {} fresh processes per side".format(*QUICK),
    )
    parser.add_argument("--rounds", type=int, help=f"interleaved rounds (default {FULL[0]})")
    parser.add_argument(
        "--batch", type=int, help=f"charts per renderer and chart in a round (default {FULL[1]})"
    )
    parser.add_argument("--cold-rounds", type=int, help=f"fresh processes per side (default {FULL[2]})")
    parser.add_argument("--save", type=Path, help="write one PNG per chart and renderer here first")
    parser.add_argument("--vl-python", type=Path, default=VL_PYTHON, help="python with vl-convert-python")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    defaults = QUICK if args.quick else FULL
    rounds, batch, cold = (
        given if given is not None else default
        for given, default in zip((args.rounds, args.batch, args.cold_rounds), defaults, strict=True)
    )
    run(rounds, batch, cold, args.save, args.vl_python)
