"""Each provider's concurrency limit (its usage policy), kept by the fetcher however many maps
fetch at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from api.maps.providers import BUILTIN, OSM_CONCURRENCY, provider_registry
from api.maps.tiles import TileFetcher
from tests.maps.tileserver import TileServer, provider_entry, tile_settings


def test_osm_takes_two_tiles_at_once() -> None:
    assert {p.name: p.concurrency for p in BUILTIN}["osm"] == OSM_CONCURRENCY == 2


def test_a_provider_s_limit_holds_across_maps(tile_server: TileServer, tmp_path: Path) -> None:
    settings = tile_settings(tile_server, tmp_path, providers=[provider_entry(tile_server, concurrency=2)])
    provider = provider_registry(settings)["loopback"]
    assert provider.concurrency == 2
    tile_server.set_mode(delay=0.03)
    fetcher = TileFetcher(settings)  # its per-host limit (6) is not what bounds this provider
    failed: list[int] = []

    def one_map(row: int) -> None:
        keys = [(5, x, row) for x in range(6)]
        batch = fetcher.fetch_many(provider, keys, hidpi=False, deadline=time.monotonic() + 5)
        failed.append(batch.failed)

    try:
        maps = [threading.Thread(target=one_map, args=(row,)) for row in range(3)]
        for thread in maps:
            thread.start()
        for thread in maps:
            thread.join(10)
    finally:
        fetcher.close()
    assert failed == [0, 0, 0]
    assert tile_server.max_active == 2


def test_a_larger_limit_fetches_more_at_once(tile_server: TileServer, tmp_path: Path) -> None:
    settings = tile_settings(
        tile_server,
        tmp_path,
        providers=[provider_entry(tile_server, concurrency=8)],
        tile_concurrency_per_host=8,
    )
    provider = provider_registry(settings)["loopback"]
    # Each tile takes 300 ms: long enough for all eight requests to overlap on a busy machine.
    tile_server.set_mode(delay=0.3)
    fetcher = TileFetcher(settings)
    try:
        started = time.monotonic()
        batch = fetcher.fetch_many(
            provider, [(5, x, 3) for x in range(8)], hidpi=False, deadline=time.monotonic() + 10
        )
        images, failed = batch.images, batch.failed
        elapsed = time.monotonic() - started
    finally:
        fetcher.close()
    assert failed == 0 and len(images) == 8
    assert tile_server.max_active == 8
    assert elapsed < 1.5  # one round of 300 ms, not eight (2.4 s)


def test_what_the_deadline_leaves_out_has_failed(tile_server: TileServer, tmp_path: Path) -> None:
    settings = tile_settings(tile_server, tmp_path, providers=[provider_entry(tile_server, concurrency=1)])
    provider = provider_registry(settings)["loopback"]
    tile_server.set_mode(delay=0.1)
    fetcher = TileFetcher(settings)
    try:
        batch = fetcher.fetch_many(
            provider, [(5, x, 4) for x in range(6)], hidpi=False, deadline=time.monotonic() + 0.25
        )
        images, failed = batch.images, batch.failed
    finally:
        fetcher.close()
    assert 1 <= 6 - failed <= 3
    assert set(images) == {(5, x, 4) for x in range(6)}
