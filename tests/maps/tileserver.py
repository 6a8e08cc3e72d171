"""A real tile server on loopback for tests and benchmarks.

Serves deterministic generated PNG tiles at ``/tiles/{z}/{x}/{y}{r}.png`` (256 px, or
512 px for ``@2x``), with switchable faults, a per-tile delay and cache headers, and
records every request. Start it with :func:`start_tile_server` (or the ``tile_server``
pytest fixture) and point a provider at it with :func:`tile_settings`.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from api.settings import Settings

PROVIDER = "loopback"
_PATH = re.compile(r"^/tiles/(\d+)/(\d+)/(\d+)(@2x)?\.png$")
# What a tile request can meet: a good tile, an HTTP error, bytes that are no image, a PNG
# cut short, a server that hangs past every timeout, or a connection closed unanswered.
# "drip" sends a good tile in ten pieces, ``drip`` seconds apart.
MODES = ("ok", "status", "garbage", "truncated", "hang", "close", "drip")
LAST_MODIFIED = "Mon, 01 Jan 2024 00:00:00 GMT"


@lru_cache(maxsize=1024)
def tile_png(z: int, x: int, y: int, hidpi: bool = False) -> bytes:
    """The PNG the server sends for a tile: a colour from z/x/y with the numbers on it."""
    size = 512 if hidpi else 256
    colour = ((z * 53 + x * 97) % 200 + 40, (x * 31 + y * 59) % 200 + 40, (y * 71 + z * 13) % 200 + 40)
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size - 1, size - 1), outline=(255, 255, 255))
    draw.text((size // 2, size // 2), f"{z}/{x}/{y}", fill=(0, 0, 0), anchor="mm", font_size=size // 10)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@dataclass
class TileRequest:
    path: str
    headers: dict[str, str]
    tile: tuple[int, int, int] | None
    hidpi: bool
    status: int | None = None  # None: no response (hang, close)


@dataclass
class _Behaviour:
    mode: str = "ok"
    status: int = 500
    tiles: frozenset[tuple[int, int, int]] | None = None  # None: every tile
    times: int | None = None  # the fault applies to the first N matching requests only
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = False
    last_modified: bool = False
    conditional: bool = True  # answer a matching If-None-Match / If-Modified-Since with 304
    drip: float = 0.2


class TileServer:
    """A threaded HTTP tile server on 127.0.0.1; ``close()`` (or ``with``) stops it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._behaviour = _Behaviour()
        self._faults_served = 0
        self._stop = threading.Event()
        self.requests: list[TileRequest] = []
        self.connections = 0
        self.active = 0
        self.max_active = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self.port = int(self._httpd.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.url_template = f"{self.base_url}/tiles/{{z}}/{{x}}/{{y}}{{r}}.png"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.02,), name="tileserver", daemon=True
        )
        self._thread.start()

    def set_mode(
        self,
        mode: str = "ok",
        *,
        status: int = 500,
        tiles: Iterable[tuple[int, int, int]] | None = None,
        times: int | None = None,
        delay: float = 0.0,
        headers: dict[str, str] | None = None,
        etag: bool = False,
        last_modified: bool = False,
        conditional: bool = True,
        drip: float = 0.2,
    ) -> None:
        """Switch behaviour: ``mode`` (one of MODES) for ``tiles`` (default all), for the
        first ``times`` matching requests (default always); ``delay`` seconds before every
        answer; extra response ``headers``; ``etag``/``last_modified`` validators."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        with self._lock:
            self._behaviour = _Behaviour(
                mode,
                status,
                None if tiles is None else frozenset(tiles),
                times,
                delay,
                dict(headers or {}),
                etag,
                last_modified,
                conditional,
                drip,
            )
            self._faults_served = 0

    def reset(self) -> None:
        """Back to good tiles, and forget the request log."""
        self.set_mode()
        with self._lock:
            self.requests.clear()
            self.connections = 0
            self.max_active = 0

    def count(self, tile: tuple[int, int, int] | None = None) -> int:
        """Requests received (for one tile)."""
        with self._lock:
            return sum(1 for r in self.requests if tile is None or r.tile == tile)

    def close(self) -> None:
        self._stop.set()  # wakes hanging handlers
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> TileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- used by the handler ------------------------------------------------------------

    def _plan(self, tile: tuple[int, int, int] | None) -> tuple[_Behaviour, str]:
        """The behaviour now and the mode this request gets."""
        with self._lock:
            b = self._behaviour
            mode = b.mode
            if mode != "ok" and b.tiles is not None and tile not in b.tiles:
                mode = "ok"
            if mode != "ok" and b.times is not None:
                if self._faults_served >= b.times:
                    mode = "ok"
                else:
                    self._faults_served += 1
            return b, mode


def _handler(server: TileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real tile servers do
        # TCP_NODELAY, as nginx and other tile servers set it: otherwise the body, written
        # after the headers, waits for the client's delayed ACK (40 ms) on every request.
        disable_nagle_algorithm = True

        def setup(self) -> None:
            super().setup()
            with server._lock:
                server.connections += 1

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            match = _PATH.match(self.path.split("?", 1)[0])
            tile = (int(match[1]), int(match[2]), int(match[3])) if match else None
            record = TileRequest(self.path, dict(self.headers.items()), tile, bool(match and match[4]))
            with server._lock:
                server.requests.append(record)
                server.active += 1
                server.max_active = max(server.max_active, server.active)
            try:
                record.status = self._answer(record)
            finally:
                with server._lock:
                    server.active -= 1

        def _answer(self, record: TileRequest) -> int | None:
            behaviour, mode = server._plan(record.tile)
            if behaviour.delay:
                server._stop.wait(behaviour.delay)
            if record.tile is None:
                return self._send(404, b"not a tile", "text/plain")
            if mode in ("hang", "close"):
                if mode == "hang":
                    server._stop.wait(60)
                self.close_connection = True
                return None
            if mode == "status":
                return self._send(
                    behaviour.status,
                    b"upstream error",
                    "text/plain",
                    headers={"Retry-After": "1", **behaviour.headers},
                )
            body = tile_png(*record.tile, record.hidpi)
            if mode == "garbage":
                body = b"\x89PNG\r\n\x1a\n" + hashlib.sha256(body).digest() * 64
            headers = dict(behaviour.headers)
            if behaviour.etag:
                headers["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if behaviour.last_modified:
                headers["Last-Modified"] = LAST_MODIFIED
            if behaviour.conditional and self._not_modified(headers):
                return self._send(304, b"", None, headers=headers)
            cut = len(body) // 2 if mode == "truncated" else None
            drip = behaviour.drip if mode == "drip" else 0.0
            return self._send(200, body, "image/png", headers=headers, cut=cut, drip=drip)

        def _not_modified(self, headers: dict[str, str]) -> bool:
            etag = self.headers.get("If-None-Match")
            if etag is not None and "ETag" in headers:
                return etag == headers["ETag"]
            since = self.headers.get("If-Modified-Since")
            return since is not None and since == headers.get("Last-Modified")

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str | None,
            *,
            headers: dict[str, str] | None = None,
            cut: int | None = None,
            drip: float = 0.0,
        ) -> int:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            if cut is not None:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if status == 304:
                return status
            if drip:
                step = len(body) // 10 + 1
                for start in range(0, len(body), step):
                    self.wfile.write(body[start : start + step])
                    self.wfile.flush()
                    if server._stop.wait(drip):
                        break
            else:
                self.wfile.write(body if cut is None else body[:cut])
            return status

    return Handler


def start_tile_server() -> TileServer:
    """A running server; the caller closes it (``with start_tile_server() as server:``)."""
    return TileServer()


def provider_entry(server: TileServer, name: str = PROVIDER, **fields: Any) -> dict[str, Any]:
    """A ``tile_providers`` entry pointing at the server."""
    entry: dict[str, Any] = {
        "name": name,
        "url": server.url_template,
        "attribution": "Test tiles",
        "max_zoom": 19,
        "tile_size": 256,
    }
    entry.update(fields)
    return entry


def tile_settings(
    server: TileServer,
    cache_dir: str | Path = "",
    *,
    providers: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings with the ``loopback`` provider (and ``providers``, if given) served by
    ``server``, tiles cached in ``cache_dir``, short timeouts, and any other overrides."""
    values: dict[str, Any] = {
        "tile_providers": json.dumps(providers if providers is not None else [provider_entry(server)]),
        "tile_cache_dir": str(cache_dir),
        "tile_connect_timeout": 1.0,
        "tile_read_timeout": 1.0,
        "map_time_budget": 3.0,
        # The loopback tile server speaks plain http.
        "allow_http_tiles": True,
        # Maps drawn in the test's thread, as by the app fixture (tests/conftest.py).
        "render_isolation": False,
    }
    values.update(overrides)
    return Settings().with_overrides(values)


def wait_until(predicate: Any, timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` passes."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return bool(predicate())


def serve_forever_from_command_line() -> None:  # pragma: no cover - used by bench/maps.py
    """``python -m tests.maps.tileserver --delay 0.05``: serves in its own process (so its
    work does not share the measured process's interpreter lock), prints its URL template,
    and stops when standard input closes."""
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--draw", nargs="*", default=[], help="tiles z/x/y to draw before serving")
    args = parser.parse_args()
    for tile in args.draw:
        z, x, y = (int(part) for part in tile.split("/"))
        tile_png(z, x, y)
    with start_tile_server() as server:
        server.set_mode("ok", delay=args.delay)
        print(server.url_template, flush=True)
        sys.stdin.read()


if __name__ == "__main__":  # pragma: no cover
    serve_forever_from_command_line()
