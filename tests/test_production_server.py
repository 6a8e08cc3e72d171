"""The README's production server command, run for real on loopback: slow and idle clients do
not stall it, and it takes URLs up to the app's own limit (answering longer ones with the app's
JSON 414, not an HTML page of its own)."""

from __future__ import annotations

import contextlib
import re
import socket
import statistics
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from tests.production import COMMAND, ROOT, production_server


def test_readme_gives_this_command() -> None:
    assert COMMAND in (ROOT / "README.md").read_text()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with production_server() as url:
        yield url


def _probe_latencies(url: str, count: int) -> list[float]:
    latencies = []
    for _ in range(count):
        started = time.monotonic()
        try:
            ok = requests.get(f"{url}/health", timeout=5).status_code == 200
        except requests.RequestException:
            ok = False
        latencies.append(time.monotonic() - started if ok else float("inf"))
        time.sleep(0.05)
    return latencies


def test_slow_and_idle_clients_do_not_stall_probes(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(100)]
    slow = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(16)]
    stop = threading.Event()

    def drip() -> None:
        # Headers a byte at a time, never finished: each holds a connection open.
        for connection in slow:
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        while not stop.wait(0.3):
            for connection in slow:
                with contextlib.suppress(OSError):
                    connection.sendall(b"X")

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        time.sleep(0.5)
        latencies = _probe_latencies(server, 30)
    finally:
        stop.set()
        dripper.join(timeout=5)
        for connection in idle + slow:
            connection.close()
    assert all(latency < float("inf") for latency in latencies), latencies
    p99 = sorted(latencies)[int(len(latencies) * 0.99) - 1]
    assert p99 < 1.0, f"p99 {p99:.3f} s, median {statistics.median(latencies):.3f} s"


def test_urls_up_to_the_apps_limit_reach_the_app(server: str) -> None:
    # 16,384 characters of path and query: the app's limit, so the app answers it.
    data = ",".join(["1"] * 8000)
    path = "/charts/sparkline?data=" + data
    path += "&title=" + "x" * (16_384 - len(path) - len("&title="))
    assert len(path) == 16_384
    response = requests.get(server + path, timeout=30)
    assert response.status_code == 422  # the app's own validation (too many points), not the server
    assert "data" in response.json()["detail"]["query"]
    longer = requests.get(server + path + "x", timeout=30)
    assert longer.status_code == 414
    assert longer.headers["Cache-Control"] == "no-store"
    assert re.search("16384 characters", longer.json()["message"])


def test_renders_through_the_pool(server: str) -> None:
    response = requests.get(f"{server}/charts/bar?data=1,2,3&width=200&height=150", timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
