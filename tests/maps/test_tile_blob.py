"""The blob tier of the tile cache (api/maps/tilecache_blob.py) against a real Azurite: a
tile fetched from upstream once per fleet, the same lifetime rules as the other tiers,
conditional writes, checked reads, and a tier that is down or frozen costing a map nothing
but a short timeout."""

from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api import create_app
from api.maps.tilecache_blob import BlobTier, Found, blob_name
from api.maps.tiledata import Tile
from api.maps.tiles import TileFetcher
from api.settings import Settings
from tests.azurite_server import Azurite
from tests.maps.test_tiles import KEYS, expected, fetch, fetcher_key, same
from tests.maps.tileserver import TileServer, tile_png, tile_settings

ROOT = Path(__file__).resolve().parents[2]
MAP = "/maps/static?center=48.8566,2.3522&zoom=5&size=640x480&provider=loopback"
BUDGET = 3.0  # map_time_budget of tile_settings


@pytest.fixture
def container(azurite: Azurite) -> str:
    return azurite.new_container()


def blob_settings(
    tile_server: TileServer, cache: Path, azurite: Azurite | None, container: str, **overrides: Any
) -> Settings:
    """Settings of one instance: its own disk folder, the shared container (none: no blob tier)."""
    values: dict[str, Any] = {"tile_blob_timeout": 0.5, "tile_blob_cooldown": 30.0}
    if azurite is not None:
        values.update(tile_blob_connection_string=azurite.connection_string, tile_blob_container=container)
    values.update(overrides)
    return tile_settings(tile_server, cache, **values)


@pytest.fixture
def fetchers() -> Iterator[list[TileFetcher]]:
    made: list[TileFetcher] = []
    yield made
    for fetcher in made:
        fetcher.close()


def instance(settings: Settings, fetchers: list[TileFetcher]) -> TileFetcher:
    fetcher = TileFetcher(settings)
    fetchers.append(fetcher)
    return fetcher


def settle(fetcher: TileFetcher) -> None:
    """Wait for the fetcher's background blob writes."""
    assert fetcher.blob is not None
    assert fetcher.blob.flush(10)


def upstream_counts(server: TileServer) -> Counter[tuple[int, int, int] | None]:
    return Counter(request.tile for request in server.requests)


# -- once per fleet --------------------------------------------------------------------------


def serve_maps(
    tile_server: TileServer, tmp_path: Path, azurite: Azurite | None, container: str, instances: int
) -> Counter[tuple[int, int, int] | None]:
    """The same map drawn by ``instances`` apps in turn, each with its own memory and disk
    caches; how often upstream was asked for each tile."""
    for n in range(instances):
        settings = blob_settings(tile_server, tmp_path / f"instance-{n}", azurite, container)
        app = create_app({"TESTING": True, "SETTINGS": settings})
        response = app.test_client().get(MAP)
        assert response.status_code == 200
        assert "Warning" not in response.headers  # no tile failed
        fetcher = app.extensions["tile_fetcher"]
        if azurite is not None:
            settle(fetcher)
        fetcher.close()
    return upstream_counts(tile_server)


@pytest.mark.parametrize("instances", [2, 4])
def test_instances_sharing_the_blob_tier_fetch_each_tile_once(
    tile_server: TileServer, tmp_path: Path, azurite: Azurite, container: str, instances: int
) -> None:
    counts = serve_maps(tile_server, tmp_path, azurite, container, instances)
    assert len(counts) >= 4  # the map has several tiles
    assert set(counts.values()) == {1}


@pytest.mark.parametrize("instances", [2, 4])
def test_without_the_blob_tier_each_instance_fetches_each_tile(
    tile_server: TileServer, tmp_path: Path, instances: int
) -> None:
    counts = serve_maps(tile_server, tmp_path, None, "", instances)
    assert len(counts) >= 4
    assert set(counts.values()) == {instances}


def test_the_blob_tier_is_off_by_default() -> None:
    settings = Settings()
    fetcher = TileFetcher(settings)
    try:
        assert fetcher.blob is None
    finally:
        fetcher.close()
    # And nothing of the Azure SDK is loaded for it.
    code = (
        "import sys; from api.settings import Settings; from api.maps.tiles import TileFetcher; "
        "TileFetcher(Settings()).close(); print(any(m.startswith('azure') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- lifetimes -------------------------------------------------------------------------------


def test_a_blob_carries_the_tiles_lifetime_and_validators(
    tile_server: TileServer, tmp_path: Path, azurite: Azurite, container: str, fetchers: list[TileFetcher]
) -> None:
    tile_server.set_mode(etag=True, last_modified=True)
    settings = blob_settings(tile_server, tmp_path / "a", azurite, container)
    before = time.time()
    fetcher = instance(settings, fetchers)
    fetch(fetcher, settings, [(3, 1, 2)])
    settle(fetcher)
    ckey = fetcher_key(fetcher, settings, (3, 1, 2))
    blob = azurite.container(container).get_blob_client(blob_name(ckey))  # type: ignore[attr-defined]
    properties = blob.get_blob_properties()
    meta = properties.metadata
    assert before <= float(meta["fetched"]) <= time.time()
    assert float(meta["expires"]) >= before + settings.tile_min_ttl
    assert meta["sha256"] == hashlib.sha256(tile_png(3, 1, 2)).hexdigest()
    assert meta["pixels"] == "256"
    assert blob.download_blob().readall() == tile_png(3, 1, 2)
    # Another instance reads the validators back.
    other = instance(blob_settings(tile_server, tmp_path / "b", azurite, container), fetchers)
    assert other.blob is not None
    found = other.blob.get(ckey, 256)
    assert found is not None
    assert found.tile is not None
    assert found.tile.etag == '"' + hashlib.sha256(tile_png(3, 1, 2)).hexdigest()[:16] + '"'  # as sent
    assert found.tile.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_an_expired_blob_is_revalidated_and_refreshed_for_the_fleet(
    tile_server: TileServer, tmp_path: Path, azurite: Azurite, container: str, fetchers: list[TileFetcher]
) -> None:
    tile_server.set_mode(headers={"Cache-Control": "max-age=1"}, etag=True)
    key = (2, 1, 1)
    first = blob_settings(tile_server, tmp_path / "a", azurite, container, tile_min_ttl=0)
    a = instance(first, fetchers)
    fetch(a, first, [key])
    settle(a)
    time.sleep(1.1)  # expired everywhere
    second = blob_settings(tile_server, tmp_path / "b", azurite, container, tile_min_ttl=0)
    tile_server.set_mode(headers={"Cache-Control": "max-age=3600"}, etag=True)
    b = instance(second, fetchers)
    batch = fetch(b, second, [key])
    assert same(batch.images[key], expected(key))
    settle(b)
    # Instance b had only the blob's expired copy: it revalidated it with its ETag (a 304)...
    assert tile_server.count(key) == 2
    assert tile_server.requests[1].headers.get("If-None-Match")
    assert tile_server.requests[1].status == 304
    assert b.blob is not None
    assert b.blob.stats["stale"] == 1
    assert b.blob.stats["writes"] == 1
    # ...and refreshed the blob's lifetime, so a third instance takes it without asking upstream.
    third = blob_settings(tile_server, tmp_path / "c", azurite, container, tile_min_ttl=0)
    c = instance(third, fetchers)
    batch = fetch(c, third, [key])
    assert same(batch.images[key], expected(key))
    assert tile_server.count(key) == 2
    assert c.blob is not None
    assert c.blob.stats["hits"] == 1


def test_an_expired_blob_beats_no_tile_when_upstream_fails(
    tile_server: TileServer, tmp_path: Path, azurite: Azurite, container: str, fetchers: list[TileFetcher]
) -> None:
    tile_server.set_mode(headers={"Cache-Control": "max-age=1"})
    key = (2, 2, 1)
    a_settings = blob_settings(tile_server, tmp_path / "a", azurite, container, tile_min_ttl=0)
    a = instance(a_settings, fetchers)
    fetch(a, a_settings, [key])
    settle(a)
    time.sleep(1.1)
    tile_server.set_mode("status", status=503)
    b_settings = blob_settings(tile_server, tmp_path / "b", azurite, container, tile_min_ttl=0)
    batch = fetch(instance(b_settings, fetchers), b_settings, [key])
    assert batch.failed == 0
    assert same(batch.images[key], expected(key))


# -- conditional writes ----------------------------------------------------------------------


def tier(azurite: Azurite, container: str) -> BlobTier:
    settings = Settings(tile_blob_connection_string=azurite.connection_string, tile_blob_container=container)
    made = BlobTier.from_settings(settings)
    assert made is not None
    return made


def tile_of(key: tuple[int, int, int], expires: float, etag: str | None = None) -> Tile:
    return Tile(expected(key), tile_png(*key), expires, etag)


def test_a_new_blob_never_overwrites_one_another_instance_wrote(azurite: Azurite, container: str) -> None:
    first, second = tier(azurite, container), tier(azurite, container)
    mine, theirs = tile_of((1, 0, 0), time.time() + 60), tile_of((1, 1, 1), time.time() + 60)
    first.put_later("k", mine, None)
    assert first.flush()
    second.put_later("k", theirs, None)  # both saw no blob: If-None-Match: * lets only the first in
    assert second.flush()
    assert (first.stats["writes"], second.stats["conflicts"], second.stats["writes"]) == (1, 1, 0)
    found = second.get("k", 256)
    assert found is not None
    assert found.tile is not None
    assert found.tile.data == mine.data


def test_a_refresh_replaces_only_the_version_it_read(azurite: Azurite, container: str) -> None:
    first, second = tier(azurite, container), tier(azurite, container)
    first.put_later("k", tile_of((1, 0, 0), time.time() - 1), None)
    assert first.flush()
    read_by_first, read_by_second = first.get("k", 256), second.get("k", 256)
    assert read_by_first is not None
    assert read_by_second is not None
    second.put_later("k", tile_of((1, 1, 1), time.time() + 60), read_by_second)  # replaces it
    assert second.flush()
    first.put_later("k", tile_of((1, 0, 1), time.time() + 60), read_by_first)  # too late: If-Match fails
    assert first.flush()
    assert (second.stats["writes"], first.stats["conflicts"]) == (1, 1)
    found = first.get("k", 256)
    assert found is not None
    assert found.tile is not None
    assert found.tile.data == tile_png(1, 1, 1)


@pytest.mark.parametrize("damage", ["checksum", "truncated", "not an image", "no metadata", "wrong size"])
def test_a_blob_that_does_not_check_out_is_a_miss_and_replaced(
    damage: str,
    *,
    tile_server: TileServer,
    tmp_path: Path,
    azurite: Azurite,
    container: str,
    fetchers: list[TileFetcher],
    caplog: pytest.LogCaptureFixture,
) -> None:
    key = (3, 3, 3)
    settings = blob_settings(tile_server, tmp_path / "a", azurite, container)
    ckey = fetcher_key(instance(settings, fetchers), settings, key)
    data = tile_png(*key)
    meta = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "pixels": "256",
        "expires": str(time.time() + 3600),
        "fetched": str(time.time()),
    }
    if damage == "checksum":
        data = data[:-1] + bytes([data[-1] ^ 1])
    elif damage == "truncated":
        data = data[: len(data) // 2]
        meta["sha256"] = hashlib.sha256(data).hexdigest()
    elif damage == "not an image":
        data = b"no tile at all"
        meta["sha256"] = hashlib.sha256(data).hexdigest()
    elif damage == "no metadata":
        meta = {}
    else:
        meta["pixels"] = "512"
    client = azurite.container(container).get_blob_client(blob_name(ckey))  # type: ignore[attr-defined]
    client.upload_blob(data, metadata=meta)
    caplog.set_level(logging.WARNING, logger="api.maps.tiles")
    fetcher = instance(settings, fetchers)
    batch = fetch(fetcher, settings, [key])
    assert same(batch.images[key], expected(key))
    assert tile_server.count(key) == 1  # from upstream
    assert "does not check out" in caplog.text
    settle(fetcher)
    assert fetcher.blob is not None
    assert (fetcher.blob.stats["corrupt"], fetcher.blob.stats["writes"]) == (1, 1)
    assert client.download_blob().readall() == tile_png(*key)  # replaced with the good tile


# -- faults ----------------------------------------------------------------------------------


def assert_renders_from_upstream(client: Any, caplog: pytest.LogCaptureFixture, limit: float) -> float:
    started = time.monotonic()
    response = client.get(MAP)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert "Warning" not in response.headers  # every tile came, from upstream
    assert elapsed < limit
    assert "tile blob tier: read failed" in caplog.text
    return elapsed


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_a_blob_tier_down_or_frozen_costs_a_map_a_timeout_at_most(
    fault: str,
    tile_server: TileServer,
    tmp_path: Path,
    own_azurite: Azurite,
    caplog: pytest.LogCaptureFixture,
) -> None:
    container = own_azurite.new_container()
    settings = blob_settings(tile_server, tmp_path / "a", own_azurite, container)
    app = create_app({"TESTING": True, "SETTINGS": settings})
    client = app.test_client()
    if fault == "stopped":
        own_azurite.stop()
    else:
        own_azurite.pause()
    caplog.set_level(logging.INFO, logger="api.maps.tiles")
    try:
        # One blob timeout (0.5 s) for the lookups under way, then upstream: well within the budget.
        assert_renders_from_upstream(client, caplog, BUDGET * 0.8)
        fetcher = app.extensions["tile_fetcher"]
        assert fetcher.blob.stats["errors"] >= 1
        # In its cool-down the tier is skipped: the next map does not wait for it at all.
        settings2 = settings.with_overrides({"tile_cache_memory_bytes": 1, "tile_cache_disk_bytes": 0})
        other = create_app({"TESTING": True, "SETTINGS": settings2})
        other_client = other.test_client()
        other_client.get("/maps/static?center=10,10&zoom=2&size=100x100&provider=loopback")  # trips it
        started = time.monotonic()
        response = other_client.get("/maps/static?center=-30,100&zoom=3&size=100x100&provider=loopback")
        assert response.status_code == 200
        assert time.monotonic() - started < 0.4
        assert other.extensions["tile_fetcher"].blob.stats["skipped"] >= 1
        for made in (app, other):
            made.extensions["tile_fetcher"].close()
    finally:
        if fault == "frozen":
            own_azurite.resume()


def test_a_misconfigured_tier_is_off_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(tile_blob_connection_string="not a connection string")
    assert BlobTier.from_settings(settings) is None
    assert "tile blob tier not set up" in caplog.text
    assert "not a connection string" not in caplog.text


def test_found_names_the_version() -> None:
    assert Found(None, '"0x1"').etag == '"0x1"'
    assert blob_name("x").startswith("v1/")
    assert len(blob_name("x")) == 3 + 64
    assert KEYS  # the shared fixtures' keys are importable from here


def test_every_tile_cache_setting_is_in_the_readme_configuration_table() -> None:
    from dataclasses import fields

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = [f"`CHARTMAP_{f.name.upper()}`" for f in fields(Settings) if f.name.startswith("tile_")]
    assert len(names) >= 13
    missing = [name for name in names if name not in table and name.replace("`", "") not in table]
    assert missing == []
