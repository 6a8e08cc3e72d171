"""The disk tier of the tile cache (api/maps/tilecache_disk.py): one byte account for every
process sharing the folder, least recently used first out, entries checked on every read, a
private folder, and no failure of the disk ever raised to a map."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import pickle
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from PIL import Image

from api.maps.tilecache_disk import DiskCache, cache_dir
from api.maps.tiledata import HEADER, MAGIC, Tile, pack_entry
from api.settings import Settings
from tests.maps.test_tiles import KEYS, MakeFetcher, drain_after, expected, fetcher_key, make_fetcher, same
from tests.maps.tileserver import TileServer, tile_png, tile_settings

__all__ = ["make_fetcher"]  # the fixture, used here too

ROOT = Path(__file__).resolve().parents[2]


def noise_png(edge: int, seed: int) -> bytes:
    """An incompressible PNG tile (its size is about edge * edge * 3 bytes)."""
    data = hashlib.shake_256(seed.to_bytes(4, "big")).digest(edge * edge * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (edge, edge), data).save(out, format="PNG", compress_level=0)
    return out.getvalue()


def tile_of(data: bytes, **kwargs: object) -> Tile:
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    return Tile(image, data, time.time() + 3600, **kwargs)  # type: ignore[arg-type]


# -- one byte account ------------------------------------------------------------------------

# Puts tiles under its own keys into the shared folder, and after each put prints the bytes
# of the database and of the whole folder.
WRITER = """
import sys
from pathlib import Path
from tests.maps.test_tile_disk import noise_png, tile_of
from api.maps.tilecache_disk import DiskCache
root, bound, name, count = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
cache = DiskCache(root, bound)
for n in range(count):
    cache.put(f"{name}|{n}", tile_of(noise_png(96, hash((name, n)) % 10**6)))
    print(cache.total_bytes(), cache.folder_bytes(), flush=True)
"""


def test_two_processes_sharing_the_folder_stay_within_the_bound(tmp_path: Path) -> None:
    one = len(pack_entry(tile_of(noise_png(96, 1))))  # some 28 KB
    bound = 40 * one
    root = tmp_path / "shared"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), str(bound), name, "60"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    seen: list[tuple[int, int]] = []
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0
        seen.extend((int(line.split()[0]), int(line.split()[1])) for line in out.splitlines())
    # 120 entries of `one` bytes were written, three times the bound: each process counting
    # alone would have let the folder grow to twice the bound.
    assert len(seen) == 120
    assert max(database for database, _ in seen) <= bound
    # Beside it, only the journal of the other process's write in progress, if any.
    assert max(folder for _, folder in seen) <= bound + 4 * one
    cache = DiskCache(root, bound)
    assert cache.total_bytes() == cache.folder_bytes() <= bound
    entries = len(cache)
    assert 10 <= entries < 40
    # The survivors are the most recently written of both processes.
    assert cache.get("first|59") is not None or cache.get("second|59") is not None
    assert cache.get("first|0") is None
    assert cache.get("second|0") is None


def test_the_bound_counts_what_another_process_wrote(tmp_path: Path) -> None:
    tiles = [tile_of(noise_png(64, n)) for n in range(30)]
    big = DiskCache(tmp_path, 1 << 30)
    for n, tile in enumerate(tiles):
        big.put(f"old|{n}", tile)
    before = big.total_bytes()
    big.close()
    bound = before // 2
    small = DiskCache(tmp_path, bound)
    small.put("new", tiles[0])
    assert small.total_bytes() <= bound
    assert small.get("new") is not None
    assert small.get("old|0") is None  # the least recently used went first


def test_the_least_recently_used_go_first(tmp_path: Path) -> None:
    tiles = [tile_of(noise_png(64, n)) for n in range(60)]
    bound = 24 * len(pack_entry(tiles[0]))
    cache = DiskCache(tmp_path, bound)
    for n, tile in enumerate(tiles):
        cache.put(str(n), tile)
        assert cache.get("0") is not None  # read after every write: kept
        assert cache.total_bytes() <= bound
    assert cache.get("1") is None
    assert cache.get("59") is not None


def test_disk_tier_through_the_fetcher_is_bounded(
    tile_server: TileServer, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    bound = 256 * 1024
    settings = tile_settings(tile_server, tmp_path, tile_cache_disk_bytes=bound)
    fetcher = make_fetcher(settings)
    for key in KEYS:
        drain_after(fetcher, settings, [key])
        assert fetcher.disk.total_bytes() <= bound
    assert fetcher.disk.get(fetcher_key(fetcher, settings, KEYS[-1])) is not None
    assert 0 < len(fetcher.disk) <= 16


def test_an_entry_larger_than_the_bound_is_not_written(tmp_path: Path) -> None:
    tiny = DiskCache(tmp_path / "tiny", 200_000)
    tiny.put("k", tile_of(noise_png(300, 1)))  # 270 KB
    assert len(tiny) == 0
    assert tiny.get("k") is None


# -- checked on every read -------------------------------------------------------------------


def damaged(raw: bytes, damage: str, key: tuple[int, int, int]) -> object:  # noqa: PLR0911
    if damage == "flip a byte":
        return raw[:-10] + bytes([raw[-10] ^ 0xFF]) + raw[-9:]
    if damage == "truncate":
        return raw[: len(raw) // 2]
    if damage == "empty":
        return b""
    if damage == "bad magic":
        return b"XXXX" + raw[4:]
    if damage == "bad header":
        return HEADER.pack(MAGIC, 5) + b"{nope" + raw
    if damage == "a pickle":
        return {"a": "pickle, which the cache never loads"}
    if damage == "text":
        return "a string"
    # A consistent checksum over bytes that are no image, or an absurd size.
    data = b"not a png at all" if damage == "not an image" else tile_png(*key)
    meta = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "length": len(data),
        "expires": "soon" if damage == "bad expiry" else time.time() + 1e6,
        "etag": None,
        "last_modified": None,
        "pixels": 10**6 if damage == "huge pixels" else 256,
    }
    header = json.dumps(meta).encode()
    return HEADER.pack(MAGIC, len(header)) + header + data


@pytest.mark.parametrize(
    "damage",
    [
        "flip a byte",
        "truncate",
        "empty",
        "bad magic",
        "bad header",
        "not an image",
        "huge pixels",
        "bad expiry",
        "a pickle",
        "text",
    ],
)
def test_corrupt_disk_entries_are_a_miss_and_dropped(
    damage: str,
    tile_server: TileServer,
    map_settings: Settings,
    make_fetcher: MakeFetcher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    key = (3, 4, 5)
    fetcher = make_fetcher(map_settings)
    drain_after(fetcher, map_settings, [key])
    ckey = fetcher_key(fetcher, map_settings, key)
    store = fetcher.disk.store
    assert store is not None
    raw = store.get(ckey)
    assert isinstance(raw, bytes)
    store.set(ckey, damaged(raw, damage, key))
    caplog.set_level(logging.WARNING, logger="api.maps.tiles")
    fetcher = make_fetcher(map_settings)  # a new process: its memory is empty
    batch = drain_after(fetcher, map_settings, [key])
    assert same(batch.images[key], expected(key))
    assert tile_server.count() == 2  # the corrupt entry was dropped and the tile fetched again
    assert "corrupt tile cache entry" in caplog.text
    assert DiskCache(Path(map_settings.tile_cache_dir), 1 << 30).get(ckey) is not None


def test_a_damaged_database_is_a_miss_and_turns_the_disk_tier_off(
    tile_server: TileServer,
    map_settings: Settings,
    make_fetcher: MakeFetcher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    drain_after(make_fetcher(map_settings), map_settings, KEYS[:4])
    db = Path(map_settings.tile_cache_dir) / "cache.db"
    probe = DiskCache(db.parent, 1 << 30)
    probe.close()
    raw = bytearray(db.read_bytes())
    raw[100 : len(raw)] = os.urandom(len(raw) - 100)  # all but the file header scrambled
    db.write_bytes(bytes(raw))
    caplog.set_level(logging.WARNING, logger="api.maps.tiles")
    fetcher = make_fetcher(map_settings)
    batch = drain_after(fetcher, map_settings, KEYS[:4])
    assert batch.failed == 0
    assert all(same(batch.images[k], expected(k)) for k in KEYS[:4])
    assert tile_server.count() == 8  # fetched again: the disk had nothing usable
    assert "the disk cache is off" in caplog.text
    assert not fetcher.disk.enabled


def test_write_errors_are_logged_not_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"a file where the cache folder should be")
    cache = DiskCache(blocker, 10**6)
    cache.put("k", tile_of(tile_png(1, 0, 0)))
    assert cache.get("k") is None
    assert not cache.enabled
    assert "the disk cache is off" in caplog.text


def test_a_read_only_database_is_a_logged_miss(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = DiskCache(tmp_path / "ro", 10**6)
    cache.put("k", tile_of(tile_png(1, 0, 0)))
    cache.close()
    cache = DiskCache(tmp_path / "ro", 10**6)
    assert cache.store is not None
    cache.store._sql("PRAGMA query_only = ON")  # every write now fails as on a read-only disk
    cache.put("other", tile_of(tile_png(1, 1, 0)))
    assert "cannot write the tile cache" in caplog.text
    assert cache.get("other") is None


# -- a private folder ------------------------------------------------------------------------


def test_default_cache_dir_is_this_users_own_in_the_temp_dir() -> None:
    assert cache_dir(Settings()) == Path(tempfile.gettempdir()) / f"chartmap-tiles-{os.getuid()}"
    assert cache_dir(Settings(tile_cache_dir="/srv/tiles")) == Path("/srv/tiles")


def test_the_cache_folder_is_made_private(tmp_path: Path) -> None:
    root = tmp_path / "tiles"
    assert DiskCache(root, 10**6).enabled
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def test_a_folder_others_can_write_is_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = tmp_path / "shared"
    root.mkdir(mode=0o777)
    root.chmod(0o777)  # as a folder another user made first in /tmp would be
    cache = DiskCache(root, 10**6)
    assert not cache.enabled
    assert "not private to this user" in caplog.text
    cache.put("k", tile_of(tile_png(1, 0, 0)))
    assert cache.get("k") is None
    assert not any(root.iterdir())


def test_nothing_is_unpickled_from_the_folder(tmp_path: Path) -> None:
    class Bomb:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (print, ("unpickled!",))

    cache = DiskCache(tmp_path, 10**6)
    assert cache.store is not None
    cache.store.set("k", pickle.loads(pickle.dumps(Bomb())))  # what an attacker might store
    cache.store.set("k", Bomb())
    assert cache.get("k") is None
    assert len(cache) == 0  # dropped


def test_validators_and_expiry_survive_the_disk(tmp_path: Path) -> None:
    tile = tile_of(tile_png(2, 1, 1), etag='"e"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    cache = DiskCache(tmp_path, 10**6)
    cache.put("k", tile)
    again = DiskCache(tmp_path, 10**6).get("k")
    assert again is not None
    assert (again.etag, again.last_modified, again.expires, again.data) == (
        tile.etag,
        tile.last_modified,
        tile.expires,
        tile.data,
    )
