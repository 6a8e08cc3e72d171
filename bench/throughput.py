"""Throughput under load: gunicorn, one worker per core, and the README's production server
(granian, api.wsgi:app), on loopback.

    python -m bench.throughput [--requests N] [--clients N] [--seconds S]

A bounded load generator (``--clients`` threads, each with its own keep-alive
``requests.Session``; ``--requests`` in all, cut off after ``--seconds``) sends a fixed,
shuffled mix of chart URLs: half repeat a small set (as pages embedding the same image do),
half are unique. Compared with a naive single-file Flask app that draws the same charts the
plain way on every request (bench/naive_app.py) under the same gunicorn settings. Maps are
not in that comparison (py-staticmaps has no offline basemap to draw): a second mix, charts
and offline maps, is measured on this API alone, with and without ``--preload``.
An all-unique mix measures uncached throughput, with the server's CPU time per request (every
process of its group: web workers, render workers, their forkserver). Each server is started by
this script on a loopback port the OS picks (127.0.0.1, port 0) and stopped by its PID, with
its workers, whatever happens.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import requests

from bench.common import Row, exit_on_sigterm, print_rows, stop_process_group
from bench.plain import PLAIN_KINDS

ROOT = Path(__file__).resolve().parent.parent
OURS, NAIVE = "api:create_app()", "bench.naive_app:app"
PRODUCTION = "granian (README)"
# The README's production command, on a loopback port.
GRANIAN = (
    "granian --interface wsgi --host 127.0.0.1 --port {port} --workers 1 --blocking-threads 8 "
    "--http1-header-read-timeout 5000 --log-level warning api.wsgi:app"
)
REPEATED = 24  # distinct URLs in the repeated half of a mix


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    req_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_ms_per_request: float = 0.0  # the server's CPU time (all its processes) per request


def group_cpu_seconds(group: int) -> float:
    """CPU time of every live process in a process group, with its reaped children's."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # fields[2]: pgrp (after the command name)
            total += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return total / ticks


def chart_url(kind: str, title: str) -> str:
    from bench.charts import example_params

    return f"/charts/{kind}?" + urlencode({**example_params(kind), "title": title})


def map_url(i: int) -> str:
    lat, lng = (i * 7) % 140 - 70, (i * 13) % 340 - 170
    query = {
        "center": f"{lat},{lng}",
        "zoom": str(1 + i % 6),
        "size": "640x480",
        "markers": f"label:A|{lat},{lng}",
    }
    return "/maps/static?" + urlencode(query)


def mix(count: int, maps: bool, seed: int = 6) -> list[str]:
    """``count`` URLs: half drawn from ``REPEATED`` fixed ones, half unique; one in five a
    map when ``maps``."""
    kinds = sorted(PLAIN_KINDS)

    def url(i: int, unique: bool) -> str:
        if maps and i % 5 == 4:
            return map_url(i + (10_000 if unique else 0))
        return chart_url(kinds[i % len(kinds)], f"Chart {i}" if unique else f"Chart {i % REPEATED}")

    rng = random.Random(seed)
    urls = [url(rng.randrange(REPEATED), False) for _ in range(count // 2)]
    urls += [url(i, True) for i in range(count - len(urls))]
    rng.shuffle(urls)
    return urls


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Gunicorn:
    """A gunicorn master and its workers on a loopback port the OS picked, in a process group
    of their own, stopped by the master's PID (the group's id) on every path: a failed or
    interrupted start, an error while measuring, or the end of the ``with`` block."""

    def __init__(self, app: str, workers: int, preload: bool = False) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        if app == PRODUCTION:
            args = GRANIAN.format(port=self.port).split()
            args[0] = str(Path(sys.executable).with_name("granian"))
        else:
            args = [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
            ]
            args += ["--log-level", "warning", *(["--preload"] if preload else []), app]
        self.tiles = tempfile.TemporaryDirectory()
        env = {**os.environ, "CHARTMAP_TILE_CACHE_DIR": self.tiles.name}
        try:
            self.process = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
        except BaseException:
            self.tiles.cleanup()
            raise

    def __enter__(self) -> Gunicorn:
        try:
            self._wait_for_health(60)
        except BaseException:
            self.stop()  # __exit__ does not run when __enter__ raises
            raise
        return self

    def _wait_for_health(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if requests.get(f"{self.base}/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or slower than 2 s
                pass
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not answer /health within {seconds:.0f} s")

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        try:
            # SIGTERM: the master stops its workers gracefully; then SIGKILL for any left.
            stop_process_group(self.process, grace=30)
        finally:
            self.tiles.cleanup()


def load(base: str, urls: list[str], clients: int, seconds: float, group: int | None = None) -> Load:
    """Send ``urls`` with ``clients`` threads; stop taking new ones after ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    queue = iter(urls)
    stop_at = time.monotonic() + seconds

    def client() -> None:
        with requests.Session() as session:
            while time.monotonic() < stop_at:
                with lock:
                    path = next(queue, None)
                if path is None:
                    return
                start = time.perf_counter()
                try:
                    response = session.get(base + path, timeout=30)
                    ok = response.status_code == 200 and len(response.content) > 0
                except requests.RequestException:
                    ok = False
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    errors[0] += not ok

    cpu_before = group_cpu_seconds(group) if group is not None else 0.0
    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = group_cpu_seconds(group) - cpu_before if group is not None else 0.0
    ordered = sorted(latencies)
    return Load(
        requests=len(ordered),
        seconds=elapsed,
        req_per_s=len(ordered) / elapsed,
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        errors=errors[0],
        cpu_ms_per_request=cpu / max(len(ordered), 1) * 1000,
    )


def measure(app: str, urls: list[str], clients: int, seconds: float, *, preload: bool = False) -> Load:
    workers = os.cpu_count() or 1
    with Gunicorn(app, workers, preload) as server:
        # Warm every worker (imports, font caches, the basemap) on URLs outside the measured mix.
        warm = [chart_url(k, "warm-up") for k in sorted(PLAIN_KINDS)]
        if app in (OURS, PRODUCTION):
            warm.append(map_url(-1))
        load(server.base, warm * workers, clients, 60)
        result = load(server.base, urls, clients, seconds, group=server.process.pid)
    label = f"{app}{' --preload' if preload else ''}"
    print(
        f"{label:<32} {result.requests} requests in {result.seconds:.1f} s: {result.req_per_s:.1f} req/s, "
        f"p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, {result.errors} errors, "
        f"server CPU {result.cpu_ms_per_request:.1f} ms per request"
    )
    return result


def unique_mix(count: int) -> list[str]:
    """``count`` charts, every one a new URL: nothing from any cache."""
    kinds = sorted(PLAIN_KINDS)
    return [chart_url(kinds[i % len(kinds)], f"Uncached {i}") for i in range(count)]


def run(requests_count: int = 600, clients: int = 8, seconds: float = 60.0) -> list[Row]:
    workers = os.cpu_count() or 1
    print(
        f"gunicorn, {workers} sync workers; {clients} clients; {requests_count} requests, at most {seconds:.0f} s"
    )
    uncached = unique_mix(requests_count)
    ours_uncached = measure(OURS, uncached, clients, seconds)
    naive_uncached = measure(NAIVE, uncached, clients, seconds)
    production_uncached = measure(PRODUCTION, uncached, clients, seconds)
    charts = mix(requests_count, maps=False)
    ours = measure(OURS, charts, clients, seconds)
    naive = measure(NAIVE, charts, clients, seconds)
    mixed = mix(requests_count, maps=True)
    ours_mixed = measure(OURS, mixed, clients, seconds)
    production_mixed = measure(PRODUCTION, mixed, clients, seconds)

    def figures(result: Load) -> str:
        return (
            f"{result.req_per_s:.0f} req/s, p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, "
            f"{result.cpu_ms_per_request:.0f} ms server CPU per request"
        )

    speedup = ours_uncached.req_per_s / naive_uncached.req_per_s
    cpu_ratio = ours_uncached.cpu_ms_per_request / naive_uncached.cpu_ms_per_request
    results = (ours_uncached, naive_uncached, production_uncached, ours, naive, ours_mixed, production_mixed)
    bad = sum(r.errors for r in results)
    return [
        Row(
            f"uncached throughput, same gunicorn settings, vs naive Flask app ({figures(naive_uncached)})",
            ">= 2x req/s",
            f"{speedup:.1f}x req/s, {cpu_ratio:.2f}x CPU per request ({figures(ours_uncached)})",
            speedup >= 2 and bad == 0,
        ),
        Row("same, the README's granian command", "", figures(production_uncached)),
        Row(
            f"chart mix (half repeated), vs naive Flask app ({figures(naive)})",
            "no errors",
            f"{ours.req_per_s / naive.req_per_s:.1f}x req/s ({figures(ours)})",
            bad == 0,
        ),
        Row("charts + offline maps (1 in 5), gunicorn", "", figures(ours_mixed)),
        Row("same, the README's granian command", "", figures(production_mixed)),
    ]


def main() -> None:
    exit_on_sigterm()
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    print_rows(run(args.requests, args.clients, args.seconds))


if __name__ == "__main__":
    main()
