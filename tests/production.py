"""The README's production server command, started on a loopback port for tests."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
# The command exactly as the README gives it (tests/test_production_server.py checks that).
COMMAND = (
    "granian --interface wsgi --host 0.0.0.0 --port 8000 --workers 1 --blocking-threads 8 "
    "--http1-header-read-timeout 5000 api.wsgi:app"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def production_server(environ: Mapping[str, str] | None = None) -> Iterator[str]:
    """The command on 127.0.0.1 and a free port, with ``environ`` added; yields its URL and
    stops it (its whole process group, by PID) on every path."""
    port = _free_port()
    argv = shlex.split(COMMAND.replace("--host 0.0.0.0", "--host 127.0.0.1").replace("8000", str(port)))
    argv[0] = str(Path(sys.executable).with_name("granian"))
    env = {**os.environ, "CHARTMAP_RENDER_PROCESSES": "2", **(environ or {})}
    process = subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the production server did not answer /health within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
