from __future__ import annotations

import io
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

from api import __version__
from api.maps.providers import OFFLINE, TileProvider, provider_registry
from api.maps.tilecache_disk import DiskCache
from api.maps.tilecache_memory import MemoryCache
from api.maps.tiledata import Tile, cache_key
from api.maps.tiles import TileBatch, TileFetcher, TileKey, decode_tile, upstream_ttl, user_agent
from api.settings import Settings
from tests.maps.tileserver import (
    LAST_MODIFIED,
    PROVIDER,
    TileRequest,
    TileServer,
    provider_entry,
    tile_png,
    tile_settings,
    wait_until,
)

SECRET = "k3y-that-must-not-leak"
KEYS: list[TileKey] = [(4, x, y) for x in range(4) for y in range(4)]

MakeFetcher = Callable[..., TileFetcher]


@pytest.fixture
def make_fetcher() -> Iterator[MakeFetcher]:
    made: list[TileFetcher] = []

    def make(settings: Settings, **kwargs: Any) -> TileFetcher:
        fetcher = TileFetcher(settings, **kwargs)
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


def provider(settings: Settings, name: str = PROVIDER) -> TileProvider:
    return provider_registry(settings)[name]


def fetch(
    fetcher: TileFetcher,
    settings: Settings,
    keys: list[TileKey],
    *,
    hidpi: bool = False,
    budget: float = 5.0,
    name: str = PROVIDER,
) -> TileBatch:
    return fetcher.fetch_many(provider(settings, name), keys, hidpi=hidpi, deadline=time.monotonic() + budget)


def answered(request: TileRequest) -> int | None:
    """The status the server sent; it is logged just after the response, so wait for it."""
    wait_until(lambda: request.status is not None, timeout=2)
    return request.status


def drain_after(fetcher: TileFetcher, settings: Settings, keys: list[TileKey], **kwargs: Any) -> TileBatch:
    """``fetch``, then wait for the fetcher's workers to finish writing the caches."""
    batch = fetch(fetcher, settings, keys, **kwargs)
    drain(fetcher)
    return batch


def expected(key: TileKey, hidpi: bool = False) -> Image.Image:
    return Image.open(io.BytesIO(tile_png(*key, hidpi))).convert("RGBA")


def same(a: Image.Image | None, b: Image.Image) -> bool:
    return a is not None and a.size == b.size and ImageChops.difference(a, b).getbbox() is None


def disk_entries(root: Path) -> int:
    """Entries in the disk tier at ``root`` (read as another process would)."""
    if not (root / "cache.db").exists():
        return 0
    cache = DiskCache(root, 1 << 30)
    try:
        return len(cache)
    finally:
        cache.close()


def cache_root(settings: Settings) -> Path:
    return Path(settings.tile_cache_dir)


def drain(fetcher: TileFetcher, timeout: float = 5.0) -> None:
    """Wait until every worker of ``fetcher`` is idle, so that the cache writes which may
    follow a tile's delivery are done: each worker of each pool must reach a barrier, then
    the disk's writer must have written what they queued."""
    for pool in list(fetcher._pools.values()):
        barrier = threading.Barrier(fetcher._per_host + 1, timeout=timeout)
        for _ in range(fetcher._per_host):
            pool.submit(barrier.wait)
        barrier.wait()
    assert fetcher.disk.flush(timeout)


# -- fetching ------------------------------------------------------------------------------


def test_fetches_the_right_tiles(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    batch = fetch(make_fetcher(map_settings), map_settings, KEYS)
    assert (batch.failed, batch.total) == (0, 16)
    assert list(batch.images) == KEYS
    for key, image in batch.images.items():
        assert image is not None
        assert image.mode == "RGBA"
        assert same(image, expected(key))
    assert tile_server.count() == 16


def test_hidpi_tiles_use_the_r_placeholder(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    fetcher = make_fetcher(map_settings)
    batch = fetch(fetcher, map_settings, [(2, 1, 1)], hidpi=True)
    assert same(batch.images[(2, 1, 1)], expected((2, 1, 1), hidpi=True))
    assert tile_server.requests[0].path == "/tiles/2/1/1@2x.png"
    # 1x and 2x tiles are cached apart.
    batch = fetch(fetcher, map_settings, [(2, 1, 1)])
    assert same(batch.images[(2, 1, 1)], expected((2, 1, 1)))
    assert [r.path for r in tile_server.requests] == ["/tiles/2/1/1@2x.png", "/tiles/2/1/1.png"]


def test_user_agent_and_keep_alive(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    tile_server.set_mode(delay=0.02)
    fetcher = make_fetcher(map_settings)
    fetch(fetcher, map_settings, KEYS)
    fetch(fetcher, map_settings, [(5, x, 0) for x in range(16)])
    agent = f"chartmap/{__version__} (+{map_settings.contact_url})"
    assert user_agent(map_settings) == agent
    assert {r.headers["User-Agent"] for r in tile_server.requests} == {agent}
    assert tile_server.count() == 32
    # 32 tiles over at most 6 pooled connections, kept alive between maps.
    assert tile_server.connections <= 6


def test_concurrent_with_a_per_host_limit(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    # Slow tiles, so that six requests overlap even on a busy machine.
    tile_server.set_mode(delay=0.25)
    started = time.monotonic()
    batch = fetch(make_fetcher(map_settings), map_settings, KEYS + [(5, x, 1) for x in range(8)], budget=10.0)
    elapsed = time.monotonic() - started
    assert batch.failed == 0
    assert tile_server.max_active == 6
    # 24 tiles at 250 ms: 6 s one at a time, 4 rounds of 6 at once.
    assert elapsed < 3.0


def test_per_host_limit_from_settings(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    settings = tile_settings(tile_server, tmp_path, tile_concurrency_per_host=2)
    tile_server.set_mode(delay=0.03)
    batch = fetch(make_fetcher(settings), settings, KEYS[:8])
    assert batch.failed == 0
    assert tile_server.max_active == 2
    assert tile_server.connections <= 2


def test_single_flight_across_threads(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    tile_server.set_mode(delay=0.1)
    fetcher = make_fetcher(map_settings)
    results: list[TileBatch] = []
    barrier = threading.Barrier(8)

    def render() -> None:
        barrier.wait()
        results.append(fetch(fetcher, map_settings, KEYS[:6]))

    threads = [threading.Thread(target=render) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert all(batch.failed == 0 for batch in results)
    for key in KEYS[:6]:
        assert tile_server.count(key) == 1
        assert all(same(batch.images[key], expected(key)) for batch in results)
    # Every caller has its own copy: drawing on one does not touch the others or the cache.
    first = results[0].images[KEYS[0]]
    assert first is not None
    first.paste((0, 0, 0, 255), (0, 0, 256, 256))
    assert same(results[1].images[KEYS[0]], expected(KEYS[0]))
    assert same(fetch(fetcher, map_settings, [KEYS[0]]).images[KEYS[0]], expected(KEYS[0]))


def test_duplicate_keys_wrapping_and_out_of_range(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    keys: list[TileKey] = [(1, 0, 0), (1, 0, 0), (1, 2, 0), (1, -1, 1), (1, 0, 2), (1, 0, -1), (25, 0, 0)]
    batch = fetch(make_fetcher(map_settings), map_settings, keys)
    assert list(batch.images) == [(1, 0, 0), (1, 2, 0), (1, -1, 1), (1, 0, 2), (1, 0, -1), (25, 0, 0)]
    assert same(batch.images[(1, 2, 0)], expected((1, 0, 0)))  # x wraps around the world
    assert same(batch.images[(1, -1, 1)], expected((1, 1, 1)))
    assert batch.images[(1, 0, 2)] is None
    assert batch.images[(1, 0, -1)] is None
    assert batch.images[(25, 0, 0)] is None  # beyond the provider's max_zoom
    assert (batch.failed, batch.total) == (3, 6)
    assert sorted(r.path for r in tile_server.requests) == ["/tiles/1/0/0.png", "/tiles/1/1/1.png"]


def test_offline_provider_has_no_tiles(map_settings: Settings, make_fetcher: MakeFetcher) -> None:
    with pytest.raises(ValueError, match="offline"):
        fetch(make_fetcher(map_settings), map_settings, [(0, 0, 0)], name=OFFLINE)


def test_closed_fetcher_fails_tiles(tile_server: TileServer, map_settings: Settings) -> None:
    fetcher = TileFetcher(map_settings)
    fetcher.close()
    batch = fetch(fetcher, map_settings, KEYS[:2], budget=1)
    assert batch.failed == 2


# -- caching -------------------------------------------------------------------------------


def test_memory_then_disk_cache(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    drain_after(make_fetcher(map_settings), map_settings, KEYS)
    assert tile_server.count() == 16
    fetcher = make_fetcher(map_settings)
    assert disk_entries(cache_root(map_settings)) == 16
    batch = fetch(fetcher, map_settings, KEYS)  # a new process: from disk
    assert batch.failed == 0
    assert all(same(batch.images[k], expected(k)) for k in KEYS)
    batch = fetch(fetcher, map_settings, KEYS)  # from memory
    assert batch.failed == 0
    assert tile_server.count() == 16
    assert len(fetcher.memory) == 16


def test_min_ttl_overrides_a_short_upstream_lifetime(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    tile_server.set_mode(headers={"Cache-Control": "max-age=0, no-cache"}, etag=True)
    fetcher = make_fetcher(map_settings)
    started = time.time()
    fetch(fetcher, map_settings, KEYS[:2])
    drain_after(fetcher, map_settings, KEYS[:2])
    assert tile_server.count() == 2
    assert all("If-None-Match" not in r.headers for r in tile_server.requests)
    ckey = fetcher_key(fetcher, map_settings, KEYS[0])
    for tile in (fetcher.memory.get(ckey), fetcher.disk.get(ckey)):
        assert tile is not None
        assert started + map_settings.tile_min_ttl <= tile.expires <= time.time() + map_settings.tile_min_ttl
    # A new process reads the same lifetime from the disk and does not ask again.
    fetch(make_fetcher(map_settings), map_settings, KEYS[:2])
    assert tile_server.count() == 2


def test_a_longer_upstream_lifetime_beats_the_min_ttl(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    settings = tile_settings(tile_server, tmp_path, tile_min_ttl=60)
    tile_server.set_mode(headers={"Cache-Control": "max-age=86400"})
    fetcher = make_fetcher(settings)
    fetch(fetcher, settings, [(2, 2, 2)])
    tile = fetcher.memory.get(fetcher_key(fetcher, settings, (2, 2, 2)))
    assert tile is not None
    assert tile.expires > time.time() + 86_000


def test_expired_tiles_are_revalidated_with_etag(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    settings = tile_settings(tile_server, tmp_path, tile_min_ttl=0)
    tile_server.set_mode(headers={"Cache-Control": "public, max-age=0"}, etag=True)
    fetcher = make_fetcher(settings)
    key = KEYS[5]
    drain_after(fetcher, settings, [key])
    etag = tile_server.requests[0].headers.get("If-None-Match")
    assert etag is None
    # Expired: a conditional request, answered 304, renews the tile for max-age=3600.
    tile_server.set_mode(headers={"Cache-Control": "max-age=3600"}, etag=True)
    batch = fetch(fetcher, settings, [key])
    assert same(batch.images[key], expected(key))
    second = tile_server.requests[1]
    assert second.headers["If-None-Match"].startswith('"')
    assert answered(second) == 304
    drain_after(fetcher, settings, [key])
    assert tile_server.count() == 2
    # The renewed expiry reached the disk as well.
    fresh = make_fetcher(settings)
    fetch(fresh, settings, [key])
    assert tile_server.count() == 2


def test_expires_header_and_if_modified_since(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    settings = tile_settings(tile_server, tmp_path, tile_min_ttl=0)
    tile_server.set_mode(headers={"Expires": "Thu, 01 Jan 2015 00:00:00 GMT"}, last_modified=True)
    fetcher = make_fetcher(settings)
    fetch(fetcher, settings, [(3, 1, 1)])
    batch = fetch(fetcher, settings, [(3, 1, 1)])
    assert batch.failed == 0
    assert tile_server.requests[1].headers["If-Modified-Since"] == LAST_MODIFIED
    assert answered(tile_server.requests[1]) == 304


def test_changed_tile_replaces_the_cached_one(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    settings = tile_settings(tile_server, tmp_path, tile_min_ttl=0)
    tile_server.set_mode(headers={"Cache-Control": "max-age=0"}, etag=True, conditional=False)
    fetcher = make_fetcher(settings)
    fetch(fetcher, settings, [(3, 1, 1)])
    batch = fetch(fetcher, settings, [(3, 1, 1)])
    assert answered(tile_server.requests[1]) == 200
    assert same(batch.images[(3, 1, 1)], expected((3, 1, 1)))


def test_expired_tile_is_kept_when_revalidation_fails(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    settings = tile_settings(tile_server, tmp_path, tile_min_ttl=0)
    tile_server.set_mode(headers={"Cache-Control": "max-age=0"}, etag=True)
    fetcher = make_fetcher(settings)
    fetch(fetcher, settings, [(3, 2, 2)])
    tile_server.set_mode("status", status=503)
    batch = fetch(fetcher, settings, [(3, 2, 2)])
    assert batch.failed == 0
    assert same(batch.images[(3, 2, 2)], expected((3, 2, 2)))
    assert tile_server.count() == 2


def test_upstream_ttl() -> None:
    now = 1_700_000_000.0
    assert upstream_ttl({"Cache-Control": "public, max-age=600"}, now) == 600
    assert upstream_ttl({"Cache-Control": "max-age=600", "Age": "100"}, now) == 500
    assert upstream_ttl({"Cache-Control": "s-maxage=5, max-age=60"}, now) == 60
    assert upstream_ttl({"Expires": "Tue, 14 Nov 2023 23:13:20 GMT"}, now) == 3600
    assert upstream_ttl({"Expires": "0"}, now) == 0
    assert upstream_ttl({"Cache-Control": "no-cache"}, now) == 0
    assert upstream_ttl({}, now) == 0


def test_memory_cache_is_bounded_in_bytes(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    bound = 3 * (256 * 256 * 4 + 8_000)
    settings = tile_settings(tile_server, tmp_path, tile_cache_memory_bytes=bound, tile_cache_disk_bytes=0)
    fetcher = make_fetcher(settings)
    batch = fetch(fetcher, settings, KEYS)
    assert batch.failed == 0
    assert 0 < len(fetcher.memory) <= 3
    assert fetcher.memory.current_bytes <= bound
    assert disk_entries(tmp_path) == 0  # a zero disk bound turns the disk cache off


def fetcher_key(fetcher: TileFetcher, settings: Settings, key: TileKey) -> str:
    return cache_key(provider(settings), key, False)


# -- failures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "status"),
    [("status", 404), ("status", 500), ("status", 429), ("garbage", 0), ("truncated", 0)],
)
def test_broken_tiles_fail_and_are_never_cached(
    mode: str, status: int, tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    broken = {KEYS[1], KEYS[6]}
    tile_server.set_mode(mode, status=status, tiles=broken)
    fetcher = make_fetcher(map_settings)
    batch = drain_after(fetcher, map_settings, KEYS)
    assert (batch.failed, batch.total) == (2, 16)
    assert {k for k, image in batch.images.items() if image is None} == broken
    assert len(fetcher.memory) == 14
    assert disk_entries(cache_root(map_settings)) == 14
    for key in broken:
        assert fetcher.memory.get(fetcher_key(fetcher, map_settings, key)) is None
        assert fetcher.disk.get(fetcher_key(fetcher, map_settings, key)) is None
        assert tile_server.count(key) == 1  # no retry on an answer, good or bad
    # Once the server recovers the tiles are fetched again, not served from a cache.
    tile_server.set_mode()
    batch = fetch(fetcher, map_settings, KEYS)
    assert batch.failed == 0
    assert all(tile_server.count(key) == 2 for key in broken)


def test_a_dropped_connection_is_retried_once(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    tile_server.set_mode("close", tiles=[(2, 0, 0)], times=1)
    batch = fetch(make_fetcher(map_settings), map_settings, [(2, 0, 0)])
    assert batch.failed == 0
    assert tile_server.count((2, 0, 0)) == 2


def test_a_connection_dropped_twice_fails(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    tile_server.set_mode("close", tiles=[(2, 0, 0)])
    fetcher = make_fetcher(map_settings)
    batch = drain_after(fetcher, map_settings, [(2, 0, 0), (2, 1, 0)])
    assert batch.failed == 1
    assert batch.images[(2, 0, 0)] is None
    assert tile_server.count((2, 0, 0)) == 2
    assert len(fetcher.memory) == 1
    assert disk_entries(cache_root(map_settings)) == 1
    assert fetcher.disk.get(fetcher_key(fetcher, map_settings, (2, 0, 0))) is None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_refused_connection(tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher) -> None:
    dead = provider_entry(tile_server, "dead", url=f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png")
    settings = tile_settings(tile_server, tmp_path, providers=[dead])
    started = time.monotonic()
    batch = fetch(make_fetcher(settings), settings, KEYS[:4], name="dead")
    assert batch.failed == 4
    assert time.monotonic() - started < 1.0
    assert disk_entries(tmp_path) == 0


def test_a_hanging_server_does_not_outlast_the_deadline(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    # Read timeout far beyond the budget: the budget wins.
    settings = tile_settings(tile_server, tmp_path, tile_read_timeout=30.0)
    tile_server.set_mode("hang", tiles=KEYS[:3])
    fetcher = make_fetcher(settings)
    started = time.monotonic()
    batch = fetch(fetcher, settings, KEYS, budget=0.5)
    elapsed = time.monotonic() - started
    assert 0.45 <= elapsed < 0.7
    assert batch.failed == 3
    assert {k for k, image in batch.images.items() if image is None} == set(KEYS[:3])
    drain(fetcher)  # the hanging requests time out at the deadline too
    assert disk_entries(tmp_path) == 13


def test_hanging_tiles_queue_behind_the_limit_without_blocking_past_the_deadline(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    settings = tile_settings(tile_server, tmp_path, tile_read_timeout=0.3)
    tile_server.set_mode("hang")
    fetcher = make_fetcher(settings)
    started = time.monotonic()
    batch = fetch(fetcher, settings, KEYS, budget=0.8)
    assert time.monotonic() - started < 1.0
    assert batch.failed == 16
    # Once the workers give up, the fetcher serves the next map normally.
    tile_server.set_mode()
    assert wait_until(lambda: fetch(fetcher, settings, KEYS[:2], budget=2).failed == 0)


def test_a_slow_response_body_is_cut_at_the_deadline(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    tile_server.set_mode("drip", drip=0.2, tiles=[(2, 1, 1)])  # about 2 s for the whole body
    fetcher = make_fetcher(map_settings)
    started = time.monotonic()
    batch = fetch(fetcher, map_settings, [(2, 1, 1), (2, 0, 0)], budget=0.6)
    assert time.monotonic() - started < 0.8
    assert batch.images[(2, 1, 1)] is None
    assert batch.images[(2, 0, 0)] is not None
    # The worker gives up at the deadline and caches nothing.
    assert wait_until(lambda: disk_entries(cache_root(map_settings)) == 1)
    assert fetcher.memory.get(fetcher_key(fetcher, map_settings, (2, 1, 1))) is None


def test_a_slow_tile_within_the_budget_arrives(
    tile_server: TileServer, map_settings: Settings, make_fetcher: MakeFetcher
) -> None:
    tile_server.set_mode("drip", drip=0.02)
    batch = fetch(make_fetcher(map_settings), map_settings, KEYS[:4], budget=3)
    assert batch.failed == 0


# -- keys ----------------------------------------------------------------------------------


@pytest.fixture
def keyed(tile_server: TileServer, tmp_path: Path) -> Settings:
    entry = provider_entry(
        tile_server, "keyed", url=tile_server.url_template + "?api_key={key}", key_env="TEST_TILE_KEY"
    )
    return tile_settings(tile_server, tmp_path, providers=[entry])


@pytest.mark.parametrize("mode", ["ok", "status", "garbage", "close", "hang", "drip"])
def test_the_key_never_leaks(
    mode: str,
    tile_server: TileServer,
    keyed: Settings,
    make_fetcher: MakeFetcher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    tile_server.set_mode(mode, status=403)
    fetcher = make_fetcher(keyed, environ={"TEST_TILE_KEY": SECRET})
    batch = fetch(fetcher, keyed, KEYS[:3], budget=0.5, name="keyed")
    time.sleep(0.1)
    assert batch.failed == (0 if mode == "ok" else 3)
    assert tile_server.requests
    assert all(r.path.endswith(f"?api_key={SECRET}") for r in tile_server.requests)
    assert SECRET not in caplog.text
    if mode != "ok":
        assert "keyed" in caplog.text
    assert SECRET not in repr(provider(keyed, "keyed"))
    assert SECRET not in repr(batch)
    drain(fetcher)
    for path in Path(keyed.tile_cache_dir).rglob("*"):
        assert SECRET not in str(path)
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes()


def test_cache_is_shared_whatever_the_key(
    tile_server: TileServer, keyed: Settings, make_fetcher: MakeFetcher
) -> None:
    drain_after(make_fetcher(keyed, environ={"TEST_TILE_KEY": "one"}), keyed, KEYS[:2], name="keyed")
    batch = fetch(make_fetcher(keyed, environ={"TEST_TILE_KEY": "two"}), keyed, KEYS[:2], name="keyed")
    assert batch.failed == 0
    assert tile_server.count() == 2


def test_missing_key_fails_every_tile_without_a_request(
    tile_server: TileServer, keyed: Settings, make_fetcher: MakeFetcher, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    fetcher = make_fetcher(keyed, environ={})
    batch = fetch(fetcher, keyed, KEYS[:3], name="keyed")
    assert batch.failed == 3
    assert tile_server.count() == 0
    assert "TEST_TILE_KEY" in caplog.text
    assert not provider(keyed, "keyed").available({})


def test_key_is_read_from_the_environment(
    tile_server: TileServer, keyed: Settings, make_fetcher: MakeFetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_TILE_KEY", SECRET)
    batch = fetch(make_fetcher(keyed), keyed, KEYS[:1], name="keyed")
    assert batch.failed == 0
    assert os.environ["TEST_TILE_KEY"] == SECRET


# -- small parts ---------------------------------------------------------------------------


def png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def test_decode_tile() -> None:
    assert decode_tile(png((3000, 10)), 256) is None  # larger than any tile
    assert decode_tile(b"", 256) is None
    resized = decode_tile(png((128, 128), "P"), 256)
    assert resized is not None
    assert (resized.size, resized.mode) == ((256, 256), "RGBA")


def test_upstream_ttl_ignores_a_bad_age() -> None:
    assert upstream_ttl({"Cache-Control": "max-age=60", "Age": "soon"}, 0.0) == 60


def test_memory_cache_skips_oversized_tiles() -> None:
    image = Image.new("RGBA", (256, 256))
    cache = MemoryCache(1000)
    cache.put("a", Tile(image, b"x", time.time() + 60))
    assert len(cache) == 0
    cache = MemoryCache(10**6)
    cache.put("a", Tile(image, b"x", time.time() + 60))
    assert len(cache) == 1
    cache.clear()
    assert len(cache) == 0


def test_redaction_filter_leaves_other_records_alone() -> None:
    from api.maps.tiles import _RedactKeys

    record = logging.LogRecord("urllib3", logging.DEBUG, __file__, 1, "GET %s", ("/t?k=abc",), None)
    redact = _RedactKeys()
    assert redact.filter(record)
    assert record.getMessage() == "GET /t?k=abc"
    redact.add("abc")
    assert redact.filter(record)
    assert record.getMessage() == "GET /t?k=***"


# -- less common failures ------------------------------------------------------------------


def test_queued_tiles_are_not_requested_once_the_deadline_has_passed(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="api.maps.tiles")
    settings = tile_settings(tile_server, tmp_path, tile_concurrency_per_host=1, tile_read_timeout=5.0)
    tile_server.set_mode("hang")
    fetcher = make_fetcher(settings)
    started = time.monotonic()
    batch = fetch(fetcher, settings, KEYS[:4], budget=0.3)
    elapsed = time.monotonic() - started
    # At the 0.3 s deadline, not after the 5 s read timeout (slack for a busy machine).
    assert 0.25 <= elapsed < 2.0
    assert (batch.failed, batch.total) == (4, 4)
    assert "4 of 4 tiles failed (4 still loading at the deadline)" in caplog.text
    # The first request times out at the deadline (not after the 5 s read timeout) and is
    # not retried; the three queued behind it are never sent.
    assert wait_until(lambda: caplog.text.count("deadline passed before the request") == 3, timeout=2)
    assert "timed out" in caplog.text
    assert tile_server.count() == 1
    assert len(fetcher.memory) == 0
    assert disk_entries(tmp_path) == 0


def test_a_body_still_arriving_at_the_deadline_is_dropped(
    tile_server: TileServer,
    map_settings: Settings,
    make_fetcher: MakeFetcher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="api.maps.tiles")
    # Ten pieces 50 ms apart: no single read times out, but the whole body takes ~0.5 s.
    tile_server.set_mode("drip", drip=0.05)
    fetcher = make_fetcher(map_settings)
    started = time.monotonic()
    batch = fetch(fetcher, map_settings, [(3, 3, 3)], budget=0.25)
    assert time.monotonic() - started < 0.4
    assert batch.images[(3, 3, 3)] is None
    assert wait_until(lambda: "deadline passed while reading" in caplog.text, timeout=2)
    assert fetcher.memory.get(fetcher_key(fetcher, map_settings, (3, 3, 3))) is None
    assert disk_entries(cache_root(map_settings)) == 0


def test_an_oversized_response_is_not_a_tile(
    tile_server: TileServer,
    map_settings: Settings,
    make_fetcher: MakeFetcher,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from api.maps import tiles

    caplog.set_level(logging.INFO, logger="api.maps.tiles")
    monkeypatch.setattr(tiles, "MAX_TILE_BYTES", 1000)
    fetcher = make_fetcher(map_settings)
    batch = fetch(fetcher, map_settings, [(2, 1, 0)])
    assert batch.failed == 1
    assert "response too large" in caplog.text
    assert tile_server.count() == 1
    assert len(fetcher.memory) == 0
    assert disk_entries(cache_root(map_settings)) == 0


def test_a_protocol_error_fails_the_tile_without_a_retry(
    tile_server: TileServer,
    map_settings: Settings,
    make_fetcher: MakeFetcher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="api.maps.tiles")
    # A PNG announced as gzip cannot be decoded.
    tile_server.set_mode(headers={"Content-Encoding": "gzip"})
    fetcher = make_fetcher(map_settings)
    batch = fetch(fetcher, map_settings, [(2, 1, 1)])
    assert batch.failed == 1
    assert "ContentDecodingError" in caplog.text
    assert tile_server.count() == 1
    assert disk_entries(cache_root(map_settings)) == 0


def test_an_unexpected_error_fails_only_its_tile(
    tile_server: TileServer,
    keyed: Settings,
    make_fetcher: MakeFetcher,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from api.maps import tiles

    real = tiles.decode_tile

    def decode(data: bytes, pixels: int) -> Image.Image | None:
        if data == tile_png(1, 1, 1):
            raise RuntimeError(f"cannot decode the tile from ?api_key={SECRET}")
        return real(data, pixels)

    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(tiles, "decode_tile", decode)
    fetcher = make_fetcher(keyed, environ={"TEST_TILE_KEY": SECRET})
    batch = fetch(fetcher, keyed, [(1, 1, 1), (1, 0, 0)], name="keyed")
    assert batch.images[(1, 1, 1)] is None
    assert same(batch.images[(1, 0, 0)], expected((1, 0, 0)))
    assert "tile keyed 1/1/1 failed: RuntimeError" in caplog.text
    assert SECRET not in caplog.text  # the exception's text is never logged
    assert len(fetcher.memory) == 1


def test_revalidation_sends_both_validators(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    settings = tile_settings(tile_server, tmp_path, tile_min_ttl=0)
    tile_server.set_mode(headers={"Cache-Control": "max-age=0"}, etag=True, last_modified=True)
    fetcher = make_fetcher(settings)
    fetch(fetcher, settings, [(2, 3, 1)])
    first = tile_server.requests[0]
    assert "If-None-Match" not in first.headers
    assert "If-Modified-Since" not in first.headers
    batch = fetch(fetcher, settings, [(2, 3, 1)])
    assert batch.failed == 0
    second = tile_server.requests[1]
    assert second.headers["If-Modified-Since"] == LAST_MODIFIED
    assert second.headers["If-None-Match"].startswith('"')
    assert answered(second) == 304
    # A 304 without validators keeps the ones from before.
    tile = fetcher.memory.get(fetcher_key(fetcher, settings, (2, 3, 1)))
    assert tile is not None
    assert tile.last_modified == LAST_MODIFIED
    assert tile.etag == second.headers["If-None-Match"]


def test_the_memory_cache_keeps_the_recently_used(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    one = max(len(tile_png(*key)) for key in KEYS[:4]) + 256 * 256 * 4 + 256
    settings = tile_settings(
        tile_server, tmp_path, tile_cache_memory_bytes=3 * one + 100, tile_cache_disk_bytes=0
    )
    fetcher = make_fetcher(settings)
    a, b, c, d = KEYS[:4]
    for key in (a, b, c, a, d):  # the second a is a hit and makes b the least recently used
        fetch(fetcher, settings, [key])
    assert tile_server.count() == 4
    fetch(fetcher, settings, [a, c, d])
    assert tile_server.count() == 4
    fetch(fetcher, settings, [b])
    assert tile_server.count(b) == 2


def test_a_quoted_key_is_sent_and_never_logged(
    tile_server: TileServer, keyed: Settings, make_fetcher: MakeFetcher, caplog: pytest.LogCaptureFixture
) -> None:
    from urllib.parse import quote

    secret = "p@ss word/&key"
    caplog.set_level(logging.DEBUG)
    tile_server.set_mode("status", status=401)
    fetcher = make_fetcher(keyed, environ={"TEST_TILE_KEY": secret})
    batch = fetch(fetcher, keyed, [(1, 0, 1)], name="keyed")
    assert batch.failed == 1
    assert tile_server.requests[0].path.endswith("?api_key=" + quote(secret, safe=""))
    assert "HTTP 401" in caplog.text
    assert secret not in caplog.text
    assert quote(secret, safe="") not in caplog.text


def test_user_agent_names_the_configured_contact(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    contact = "https://maps.example.com/about#contact"
    settings = tile_settings(tile_server, tmp_path, contact_url=contact)
    fetch(make_fetcher(settings), settings, [(0, 0, 0)])
    agent = tile_server.requests[0].headers["User-Agent"]
    assert agent == f"chartmap/{__version__} (+{contact})"
    assert "python-requests" not in agent
    assert tile_server.requests[0].headers["Accept"].startswith("image/png")
