"""Chart render speed, as ratios against baselines measured in the same run.

    python -m bench.charts [--rounds N]

Prints, per kind, the median uncached render time (spec -> encoded PNG); for the bar
chart the ratio to a plain matplotlib ``Figure()`` + ``bar()`` + ``savefig(BytesIO)``
render of the same data and size (target <= 0.7), and the speedup of a repeated request
served from the in-process cache over a first, uncached request (target >= 20).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from typing import Any

from api import create_app
from api.charts.kinds import KINDS
from api.charts.render import render_chart
from api.charts.schemas import build_schema
from api.settings import Limits

BAR_DATA = [30.0, 45.0, 28.0, 60.0]
BAR_LABELS = ["Q1", "Q2", "Q3", "Q4"]


def median_ms(fn: Callable[[], Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def plain_matplotlib_bar() -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 4.8), dpi=100)
    ax = fig.add_subplot()
    ax.bar(BAR_LABELS, BAR_DATA)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def spec_for(kind_name: str, **overrides: Any) -> Any:
    kind = KINDS[kind_name]
    params = {name: str(value) for name, value in kind.examples.items()}
    params.update(overrides)
    return build_schema(kind, Limits())().load(params)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    rounds = args.rounds

    # Warm up imports, font caches and both code paths.
    bar_spec = spec_for(
        "bar",
        data=",".join(f"{v:g}" for v in BAR_DATA),
        labels=",".join(BAR_LABELS),
        legend="2026",
        colors="0072b2",
    )
    for _ in range(3):
        plain_matplotlib_bar()
        render_chart(bar_spec)

    print(f"{'kind':<12} {'median ms':>10}")
    for name in KINDS:
        spec = spec_for(name)
        render_chart(spec)
        print(f"{name:<12} {median_ms(lambda spec=spec: render_chart(spec), rounds):>10.1f}")

    # Interleaved, so machine noise hits both sides alike.
    ours, plain = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        render_chart(bar_spec)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        plain_matplotlib_bar()
        plain.append(time.perf_counter() - start)
    ours_ms, plain_ms = statistics.median(ours) * 1000, statistics.median(plain) * 1000
    print()
    print(f"bar 640x480 (this API, with title, labels, legend): {ours_ms:.1f} ms")
    print(f"plain Figure()+bar()+savefig(BytesIO):              {plain_ms:.1f} ms")
    print(f"ratio: {ours_ms / plain_ms:.2f}x (target <= 0.7x)")

    client = create_app({"TESTING": True}).test_client()
    first, repeat = [], []
    for i in range(rounds):
        url = f"/charts/bar?data=30,45,28,{60 + i}&labels=Q1,Q2,Q3,Q4&legend=2026&title=Revenue"
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        first.append(time.perf_counter() - start)
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        repeat.append(time.perf_counter() - start)
    first_ms, repeat_ms = statistics.median(first) * 1000, statistics.median(repeat) * 1000
    print()
    print(f"first request (render): {first_ms:.2f} ms; same URL again (cache): {repeat_ms:.2f} ms")
    print(f"cached-repeat speedup: {first_ms / repeat_ms:.0f}x (target >= 20x)")


if __name__ == "__main__":
    main()
