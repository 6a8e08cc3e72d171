"""What every benchmark shares: timing, medians, result rows, the machine they ran on."""

from __future__ import annotations

import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Row:
    """One line of the summary table: a measure, its target, what was measured."""

    measure: str
    target: str
    measured: str
    met: bool | None = None  # None: no target, shown for information


def timed(fn: Callable[[], Any]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_ms(fn: Callable[[], Any], rounds: int) -> float:
    return statistics.median(timed(fn) for _ in range(rounds)) * 1000


def interleaved_ms(fns: Sequence[Callable[[], Any]], rounds: int) -> list[float]:
    """Median milliseconds of each of ``fns``, run in turn round by round, so that machine
    noise hits every side alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, samples in zip(fns, times, strict=True):
            samples.append(timed(fn))
    return [statistics.median(samples) * 1000 for samples in times]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    """CPU, cores, Python, OS, and the load average: other work on the machine slows the
    measured sides (ratios less than absolute times, but start-up and tile fetching most)."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"{platform.system()} {platform.release()} ({platform.machine()}); load average {load}"
    )


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table (the README's format)."""
    verdict = {True: "yes", False: "**no**", None: ""}
    lines = ["| measure | target | measured | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {r.measure} | {r.target} | {r.measured} | {verdict[r.met]} |" for r in rows]
    return "\n".join(lines)


def print_rows(rows: Sequence[Row]) -> None:
    print()
    print(table(rows))
    sys.stdout.flush()


def exit_on_sigterm() -> None:
    """Make SIGTERM a SystemExit, so that ``with`` blocks and ``finally`` clauses stop every
    process a benchmark started (Python's default would end it on the spot)."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _exited(pid: int, seconds: float) -> bool:
    """Whether child ``pid`` exits within ``seconds``, leaving it unreaped (its PID stays its own)."""
    deadline = time.monotonic() + seconds
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def stop_process_group(
    process: subprocess.Popen[Any], grace: float = 5.0, first: signal.Signals | None = signal.SIGTERM
) -> None:
    """Stop ``process`` (started with ``start_new_session=True``) and all it started.

    ``first`` goes to its process group (None: it was already asked to end), then, after up to
    ``grace`` seconds for it to exit, SIGKILL to whatever is left of the group. Signals are sent
    only while the leader is unreaped, so its PID, the group's id, names no other process.
    """
    if process.returncode is not None:
        return  # reaped already: the PID may belong to another process by now
    if first is not None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, first)
    _exited(process.pid, grace)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
