"""Crash safety of the tile disk tier: a writer process killed (SIGKILL) while it writes a
large tile, with the entry's bytes already in the database's log or not yet, or at any
moment of a run of writes, leaves nothing that a later reader serves, and what was written
before is served intact."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from api.maps.tilecache_disk import DiskCache

ROOT = Path(__file__).resolve().parents[2]
KEYS = [f"crash|template|1x|12/{i}/7" for i in range(3)]
EDGE = 1024

# The writer puts one large tile under each key. The first two writes complete; in the
# third it stops inside the write transaction, after the entry is written to the database
# but before the commit, announces it, and waits to be killed. "mid-write" gives SQLite a
# tiny page cache, so the entry's pages spill into the database file before the commit (a
# large part of an entry on disk, the pages it overwrote in the rollback journal);
# "before-commit" keeps them in memory. Before the third write it prints the database's size.
WRITER = """
import sys, time
from pathlib import Path
import diskcache
from api.maps import tilecache_disk
from api.maps.tiledata import Tile, decode_tile
root, payload, stop = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes(), sys.argv[3]
keys = sys.argv[4].split(",")
image = decode_tile(payload, int(sys.argv[5]))
cache = tilecache_disk.DiskCache(root, 1 << 30)
if stop == "mid-write":
    cache.store._sql("PRAGMA cache_size = 4")
    cache.store._sql("PRAGMA cache_spill = 4")
real_cull = diskcache.Cache._cull

def stop_here(self, *args, **kwargs):  # diskcache culls inside the write's transaction
    print(stop, flush=True)
    time.sleep(60)

for n, key in enumerate(keys):
    if n == 2:
        print((root / "cache.db").stat().st_size, flush=True)
        diskcache.Cache._cull = stop_here
    cache.put(key, Tile(image, payload, 4e9))
    print("stored", flush=True)
"""

# Writes tiles under keys 0, 1, 2... as fast as it can, announcing each one stored.
LOOP_WRITER = """
import sys
from pathlib import Path
from api.maps.tilecache_disk import DiskCache
from api.maps.tiledata import Tile, decode_tile
root, payload, first = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes(), int(sys.argv[3])
image = decode_tile(payload, int(sys.argv[4]))
cache = DiskCache(root, 1 << 30)
for n in range(first, first + 1000):
    cache.put(f"loop|{n}", Tile(image, payload, 4e9, etag=str(n)))
    print(n, flush=True)
"""


@pytest.fixture(scope="module")
def payload(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A 1024 px noise PNG of some 3 MB, about the largest tile the fetcher takes (4 MB)."""
    image = Image.frombytes("RGB", (EDGE, EDGE), os.urandom(EDGE * EDGE * 3))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=0)
    return out.getvalue()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("stop", ["mid-write", "before-commit"])
def test_a_writer_killed_mid_write_leaves_no_entry(tmp_path: Path, payload: bytes, stop: str) -> None:
    source = tmp_path / "tile.png"
    source.write_bytes(payload)
    root = tmp_path / "cache"
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), str(source), stop, ",".join(KEYS), str(EDGE)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        said = [process.stdout.readline().strip() for _ in range(4)]
        before = int(said.pop(2))
        written = (root / "cache.db").stat().st_size - before  # the third entry's, at the kill
        journal = (root / "cache.db-journal").exists()
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert said == ["stored", "stored", stop]
    assert process.returncode == -signal.SIGKILL
    if stop == "mid-write":
        assert written > len(payload) // 2  # a large part of the entry was on disk, uncommitted
        assert journal  # and what it overwrote in the journal, to be rolled back
    else:
        assert written == 0

    cache = DiskCache(root, 1 << 30)
    first, second, third = (cache.get(key) for key in KEYS)

    assert third is None
    for tile in (first, second):
        assert tile is not None
        assert tile.data == payload
        assert tile.image.size == (EDGE, EDGE)
    assert len(cache) == 2
    # The uncommitted bytes are not left behind to count against the bound for ever.
    cache.put("after|the|crash", first)  # type: ignore[arg-type]
    assert not (root / "cache.db-journal").exists()  # rolled back on the first read
    assert cache.total_bytes() < 4 * len(payload)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_writers_killed_at_random_moments_leave_only_whole_entries(tmp_path: Path, payload: bytes) -> None:
    source = tmp_path / "tile.png"
    source.write_bytes(payload)
    root = tmp_path / "cache"
    rng = random.Random(20261202)
    stored: set[int] = set()
    next_key = 0
    for _ in range(4):
        with subprocess.Popen(
            [sys.executable, "-c", LOOP_WRITER, str(root), str(source), str(next_key), str(EDGE)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        ) as process:
            assert process.stdout is not None
            first = int(process.stdout.readline())  # started, one entry stored
            stored.add(first)
            # Then killed somewhere in the following writes.
            for _ in range(rng.randrange(0, 4)):
                stored.add(int(process.stdout.readline()))
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
            # Entries announced before the kill but not read yet.
            stored.update(int(line) for line in process.stdout.read().split())
        next_key = max(stored) + 2  # the entry being written at the kill may or may not be there
        cache = DiskCache(root, 1 << 30)
        present = {n for n in range(next_key) if cache.get(f"loop|{n}") is not None}
        assert stored <= present  # every committed write survived the kill
        assert present - stored <= {max(stored) + 1}  # at most the one being written, whole
        for n in present:
            tile = cache.get(f"loop|{n}")
            assert tile is not None
            assert (tile.data, tile.etag) == (payload, str(n))
        cache.close()
