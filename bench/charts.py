"""Chart render speed, as ratios against baselines measured in the same run.

    python -m bench.charts [--rounds N]

Per kind (the docs example of each, 640x480 PNG unless the kind defaults to another size):
the median uncached render (spec -> encoded PNG) against the same chart drawn the plain way,
``Figure()`` + Axes calls + ``savefig(BytesIO)`` (bench/plain.py; bar target <= 0.7x); and
the speedup of a repeated request served from the in-process cache over a first, uncached
request (target >= 20x).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from bench.common import Row, interleaved_ms, print_rows
from bench.plain import PLAIN_KINDS, render_plain

BAR_TARGET, CACHE_TARGET = 0.7, 20.0


def example_params(kind_name: str) -> dict[str, str]:
    from api.charts.kinds import KINDS

    return {
        k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in KINDS[kind_name].examples.items()
    }


def spec_for(kind_name: str) -> Any:
    from api.charts.kinds import KINDS
    from api.charts.schemas import build_schema
    from api.settings import Limits

    return build_schema(KINDS[kind_name], Limits())().load(example_params(kind_name))


def kind_rows(rounds: int) -> list[Row]:
    from api.charts.kinds import KINDS
    from api.charts.render import render_chart

    rows = []
    print(f"{'kind':<12} {'this API ms':>12} {'plain ms':>10} {'ratio':>7}")
    for name in KINDS:
        spec = spec_for(name)
        params = {**example_params(name), "width": str(spec.output.width), "height": str(spec.output.height)}
        fns = [lambda spec=spec: render_chart(spec)]
        if name in PLAIN_KINDS:
            fns.append(lambda name=name, params=params: render_plain(name, params))
        for fn in fns:  # warm imports, font caches and both code paths
            fn()
            fn()
        times = interleaved_ms(fns, rounds)
        if len(times) == 1:
            print(f"{name:<12} {times[0]:>12.1f} {'-':>10} {'-':>7}")
            rows.append(Row(f"{name} chart, uncached ({times[0]:.0f} ms)", "", "no plain baseline"))
            continue
        ours, plain = times
        ratio = ours / plain
        print(f"{name:<12} {ours:>12.1f} {plain:>10.1f} {ratio:>6.2f}x")
        target = f"<= {BAR_TARGET}x" if name == "bar" else ""
        met = ratio <= BAR_TARGET if name == "bar" else None
        rows.append(
            Row(
                f"{name} chart {spec.output.width}x{spec.output.height} PNG, uncached, vs plain Figure()+savefig",
                target,
                f"{ratio:.2f}x ({ours:.0f} vs {plain:.0f} ms)",
                met,
            )
        )
    return rows


def cache_row(rounds: int) -> Row:
    from api import create_app

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
    speedup = first_ms / repeat_ms
    print(f"first request (render): {first_ms:.2f} ms; same URL again (cache): {repeat_ms:.2f} ms")
    return Row(
        "bar chart URL again (render cache) vs first request",
        f">= {CACHE_TARGET:.0f}x faster",
        f"{speedup:.0f}x ({repeat_ms:.2f} vs {first_ms:.1f} ms)",
        speedup >= CACHE_TARGET,
    )


def run(rounds: int = 30) -> list[Row]:
    return [*kind_rows(rounds), cache_row(rounds)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    print_rows(run(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
