"""Crash safety of the tile disk cache: a writer process killed (SIGKILL) in the middle of
writing a large tile, or between writing it and renaming it into place, leaves nothing
that a later reader serves, and what was written before is served intact."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from api.maps.tiles import DiskCache

ROOT = Path(__file__).resolve().parents[2]
KEYS = [f"crash|template|1x|12/{i}/7" for i in range(3)]

# The writer puts one large tile under each key. The first two writes complete; in the
# third it stops where the test says, announces it, and waits to be killed: "mid-write"
# after half the bytes are written and flushed to the file, "before-rename" with the whole
# file written but not yet renamed into place.
WRITER = """
import os, sys, time
from pathlib import Path
from api.maps import tiles
root, payload, stop = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes(), sys.argv[3]
keys = sys.argv[4].split(",")
real_fdopen, real_replace = tiles.os.fdopen, tiles.os.replace

def stop_here(where):
    print(where, flush=True)
    time.sleep(60)

class HalfWriter:
    def __init__(self, fd, mode):
        self.file = real_fdopen(fd, mode)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.file.close()
    def write(self, data):
        self.file.write(data[: len(data) // 2])
        self.file.flush()
        stop_here("mid-write")

image = tiles.decode_tile(payload, 2048)
cache = tiles.DiskCache(root, 1 << 34)
for n, key in enumerate(keys):
    if n == 2 and stop == "mid-write":
        tiles.os.fdopen = HalfWriter
    if n == 2 and stop == "before-rename":
        tiles.os.replace = lambda src, dst: stop_here("before-rename")
    cache.put(key, tiles._Tile(image, payload, 4e9))
    print("stored", flush=True)
"""


@pytest.fixture(scope="module")
def payload(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A 2048 px noise PNG of some 12 MB, a tile as large as the cache takes."""
    image = Image.frombytes("RGB", (2048, 2048), os.urandom(2048 * 2048 * 3))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=0)
    return out.getvalue()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("stop", ["mid-write", "before-rename"])
def test_a_writer_killed_mid_write_leaves_no_entry(tmp_path: Path, payload: bytes, stop: str) -> None:
    source = tmp_path / "tile.png"
    source.write_bytes(payload)
    root = tmp_path / "cache"
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), str(source), stop, ",".join(KEYS)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        said = [process.stdout.readline().strip() for _ in range(3)]
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert said == ["stored", "stored", stop]
    assert process.returncode == -signal.SIGKILL
    (leftover,) = root.glob("*/.tmp-*.part")  # killed while its temporary file was open
    written = leftover.stat().st_size
    assert written < len(payload) if stop == "mid-write" else written > len(payload)

    cache = DiskCache(root, 1 << 34)
    first, second, third = (cache.get(key) for key in KEYS)

    assert third is None
    for tile in (first, second):
        assert tile is not None
        assert tile.data == payload
        assert tile.image.size == (2048, 2048)
    # The leftover counts against the bound, so eviction removes it in time.
    assert cache.total_bytes() >= 2 * len(payload) + written
