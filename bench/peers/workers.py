"""Child processes of the peers bench: long-lived renderers asked over stdin/stdout, and
fresh processes timed from spawn to their first chart. Each is stopped by its PID (its own
process group) on every path, error and interrupt included."""

from __future__ import annotations

import json
import select
import subprocess
import time
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

from bench.common import stop_process_group


def _read_line(stream: IO[bytes], timeout: float) -> bytes:
    ready, _, _ = select.select([stream], [], [], timeout)
    if not ready:
        raise TimeoutError(f"no answer within {timeout:.0f} s")
    return stream.readline()


class JsonWorker:
    """A renderer process answering one JSON line with one JSON line.

    Started once, so its start-up is not in any per-chart time; its first line says it is ready
    (and which versions it runs). Closing its stdin ends it; the process group is killed if not.
    """

    def __init__(self, argv: list[str], cwd: Path, timeout: float = 120.0) -> None:
        self.timeout = timeout
        self.process = subprocess.Popen(
            argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True
        )
        try:
            self.hello = self._receive()
        except BaseException:
            self.stop()
            raise

    def _receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = _read_line(self.process.stdout, self.timeout)
        if not line:
            raise RuntimeError(f"{self.process.args!r} exited with {self.process.wait()}")
        reply: dict[str, Any] = json.loads(line)
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        self.process.stdin.flush()
        return self._receive()

    def stop(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            with suppress(BrokenPipeError):
                self.process.stdin.close()  # end of input: the worker returns
        stop_process_group(self.process, first=None)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> JsonWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def time_to_done_ms(
    argv: list[str], cwd: Path, env: dict[str, str], stdin: str = "", timeout: float = 120.0
) -> float:
    """Milliseconds from spawning ``argv`` to its line ``done`` (after its first PNG); the
    interpreter's exit is not counted."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(stdin.encode())
        process.stdin.close()
        line = _read_line(process.stdout, timeout)
        elapsed = (time.perf_counter() - start) * 1000
        process.stdout.read()
        code = process.wait(timeout)
    finally:
        stop_process_group(process)
        if process.stdout is not None:
            process.stdout.close()
    if line.strip() != b"done" or code != 0:
        raise RuntimeError(f"{argv!r} failed (exit {code}, said {line!r})")
    return elapsed
