"""Azurite, the Azure Storage emulator (npm package ``azurite``, installed in tests/azurite/
by ``npm ci --prefix tests/azurite``), started for tests: its blob service alone, on a free
loopback port, in a temporary folder, stopped by its PID. Without node or the package the
tests that need it skip on a developer's machine and fail in CI (``CI`` set)."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent / "azurite"
BLOB_SERVICE = PACKAGE / "node_modules" / ".bin" / "azurite-blob"
# Azurite's one built-in account and its published development key (not a secret).
ACCOUNT = "devstoreaccount1"
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
_LISTENING = re.compile(r"listens on http://127\.0\.0\.1:(\d+)")
START_TIMEOUT = 60.0  # seconds; node loads Azurite in a few on an idle machine


def azurite_command() -> Path:
    """The blob service's command; skipped without it on a developer's machine, a failure in CI."""
    node = shutil.which("node")
    if node is None or not BLOB_SERVICE.exists():
        missing = "node is not installed" if node is None else f"{BLOB_SERVICE} is missing"
        message = f"{missing} (npm ci --prefix tests/azurite); the blob tile tier's tests need Azurite"
        if os.environ.get("CI"):
            pytest.fail(message + ", and CI must run them")
        pytest.skip(message)
    return BLOB_SERVICE


class Azurite:
    """A running blob service; ``stop()`` ends it, ``pause()`` and ``resume()`` freeze it."""

    def __init__(self, location: Path) -> None:
        command = azurite_command()
        self.location = location
        self.process = subprocess.Popen(
            [
                str(command),
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                "0",
                "--location",
                str(location),
                "--skipApiVersionCheck",
                "--loose",
                "--silent",
                "--disableTelemetry",  # it would otherwise report to the internet
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        self.output: list[str] = []
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(lines,), daemon=True).start()
        self.port = self._wait_for_port(lines)
        self.blob_endpoint = f"http://127.0.0.1:{self.port}/{ACCOUNT}"
        self.connection_string = (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
            f"BlobEndpoint={self.blob_endpoint};"
        )

    def _read(self, lines: queue.Queue[str]) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line.rstrip())
            lines.put(line)

    def _wait_for_port(self, lines: queue.Queue[str]) -> int:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.0, min(1.0, deadline - time.monotonic())))
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if match := _LISTENING.search(line):
                return int(match[1])
        self.stop()
        raise RuntimeError("Azurite did not start: " + " | ".join(self.output[-5:]))

    def new_container(self) -> str:
        """A new empty container's name."""
        from azure.storage.blob import BlobServiceClient

        name = f"tiles-{uuid.uuid4().hex[:12]}"
        with BlobServiceClient.from_connection_string(self.connection_string) as service:
            service.create_container(name)
        return name

    def container(self, name: str) -> object:
        from azure.storage.blob import ContainerClient

        return ContainerClient.from_connection_string(self.connection_string, name)

    def pause(self) -> None:
        """Frozen: connections are accepted by the kernel, and nothing answers."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)  # a paused process would not end
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@contextmanager
def start_azurite(location: Path) -> Iterator[Azurite]:
    server = Azurite(location)
    try:
        yield server
    finally:
        server.stop()
