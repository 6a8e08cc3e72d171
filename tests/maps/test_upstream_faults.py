"""Upstream faults not covered by test_maps_api.py (status codes, garbage, truncated,
dropped and hanging connections, 429) or only at the fetcher level in test_tiles.py: a
slowly dripping body, a refused connection and a failed DNS lookup, each through the whole
API. Every map still comes back, within its time budget, marked degraded (Warning, short
max-age, no ETag), and no failed tile is cached."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from api import create_app
from tests.maps.test_tiles import disk_entries
from tests.maps.tileserver import TileServer, provider_entry, tile_settings

MAP = "/maps/static?center=48.8566,2.3522&zoom=4&size=300x200&provider=loopback"
BUDGET = 1.5  # map_time_budget: tile fetching stops at 80% of it
DNS_FAILS = "tiles.invalid"  # never resolves (RFC 6761); the lookup is answered locally below


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens here now: connections are refused


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Lookups of DNS_FAILS fail at once, as for a name that does not exist, without
    asking any resolver (no traffic leaves the machine); other names resolve as usual."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == DNS_FAILS:
            asked.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def degraded_client(tile_server: TileServer, tmp_path: Path, url: str | None) -> Any:
    entry = provider_entry(tile_server) if url is None else {**provider_entry(tile_server), "url": url}
    settings = tile_settings(tile_server, tmp_path / "tiles", map_time_budget=BUDGET, tile_read_timeout=10.0)
    settings = settings.with_overrides({"tile_providers": json.dumps([entry])})
    return create_app({"TESTING": True, "SETTINGS": settings}).test_client()


def assert_degraded(client: Any, tmp_path: Path) -> None:
    started = time.monotonic()
    response = client.get(MAP)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    assert response.headers["Warning"].startswith('199 - "')
    assert "tiles failed" in response.headers["Warning"]
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "ETag" not in response.headers
    assert elapsed < BUDGET + 1.0, f"took {elapsed:.2f} s"
    assert disk_entries(tmp_path / "tiles") == 0, "a failed tile was cached"


def test_a_slowly_dripping_body(tile_server: TileServer, tmp_path: Path) -> None:
    client = degraded_client(tile_server, tmp_path, None)
    tile_server.set_mode("drip", drip=0.2)  # about 2 s per tile body: past the budget
    assert_degraded(client, tmp_path)
    tile_server.set_mode("ok")
    healed = client.get(MAP)
    assert "Warning" not in healed.headers  # neither the map nor a cut-off tile was kept


def test_a_refused_connection(tile_server: TileServer, tmp_path: Path) -> None:
    client = degraded_client(tile_server, tmp_path, f"http://127.0.0.1:{closed_port()}/{{z}}/{{x}}/{{y}}.png")
    assert_degraded(client, tmp_path)
    assert_degraded(client, tmp_path)  # asked again, not served from a cache


def test_a_failed_dns_lookup(tile_server: TileServer, tmp_path: Path, no_dns: list[str]) -> None:
    client = degraded_client(tile_server, tmp_path, f"http://{DNS_FAILS}/{{z}}/{{x}}/{{y}}.png")
    assert_degraded(client, tmp_path)
    first = len(no_dns)
    assert first > 0  # the lookup was made, and failed
    assert_degraded(client, tmp_path)
    assert len(no_dns) > first  # asked again, not served from a cache
