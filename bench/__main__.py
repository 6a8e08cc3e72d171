"""Every benchmark, one table: ``python -m bench [--quick]``; the peers alone: ``python -m bench peers``.

Runs bench.charts, bench.gchart, bench.peers, bench.maps, bench.startup, bench.throughput, bench.soak and
bench.signing in turn (each also runs alone as ``python -m bench.<name>``), then prints the
machine and one Markdown table of every measure, its target and whether it was met. ``--quick`` runs
fewer rounds (a smoke run; its figures are noisier). ``python -m bench peers [options]``
runs only the comparison with Chart.js, vl-convert and plain matplotlib (bench/peers/README.md;
options as ``python -m bench.peers``). The reliability suites are separate commands:
bench.concurrency, bench.worst_cases, bench.schemathesis_long.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench import charts, gchart, maps, signing, soak, startup, throughput
from bench.common import Row, exit_on_sigterm, machine, table
from bench.peers import run as peers


def main() -> None:
    if sys.argv[1:2] == ["peers"]:
        peers.main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer rounds: a smoke run")
    quick = parser.parse_args().quick
    exit_on_sigterm()
    started = time.perf_counter()
    rows: list[Row] = []
    for title, run in (
        ("charts", lambda: charts.run(8 if quick else 30)),
        ("google image charts", lambda: gchart.main(["--rounds", "3" if quick else "15"])),
        ("peers", lambda: peers.run(*(peers.QUICK if quick else peers.FULL))),
        ("maps", lambda: maps.measure(2 if quick else 5)),
        ("start-up", lambda: startup.run(3 if quick else 10)),
        ("throughput", lambda: throughput.run(120 if quick else 600)),
        ("memory", lambda: soak.run(300 if quick else 5000)),
        ("signing", lambda: signing.run(5 if quick else 20)),
    ):
        print(f"\n== {title} ==", flush=True)
        rows += run()
    print(f"\nMachine: {machine()}")
    print(f"All benchmarks: {time.perf_counter() - started:.0f} s{' (--quick)' if quick else ''}\n")
    print(table(rows))
    missed = [row.measure for row in rows if row.met is False]
    print(f"\nTargets missed: {len(missed)}" + "".join(f"\n- {m}" for m in missed))


if __name__ == "__main__":
    main()
