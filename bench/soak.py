"""Memory over many renders: RSS growth after warm-up (target: <= 5 MB after 5,000).

    python -m bench.soak [--renders N]

Mixed chart kinds and offline maps, each URL distinct so every request renders. The
render cache is kept small (1 MB) so that it is full after warm-up: what grows after that
is not the bounded cache but a leak (or the bounded text tables filling: their weight is
printed). Renders run in this process, as in a render worker, so their memory is measured.
"""

from __future__ import annotations

import argparse
import gc
import os
import time

from api import create_app
from api.charts.kinds import KINDS
from bench.common import Row, print_rows

WARM_UP = 500


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def urls(count: int) -> list[str]:
    """``count`` distinct requests cycling through every chart kind and maps."""
    from tests.charts.test_baselines import example

    out = []
    kinds = list(KINDS)
    for i in range(count):
        if i % 5 == 4:
            lat, lng = (i * 7) % 140 - 70, (i * 13) % 340 - 170
            out.append(
                f"/maps/static?center={lat},{lng}&zoom={i % 6}&size=320x240&markers=label:A|{lat},{lng}"
            )
            continue
        kind = kinds[i % len(kinds)]
        params = example(kind)
        params["title"] = f"Render {i}"
        out.append(f"/charts/{kind}?" + "&".join(f"{k}={v}" for k, v in params.items()))
    return out


def run(count: int = 5000) -> list[Row]:
    from api.charts import textcache

    settings = {"render_cache_bytes": 1_000_000, "render_isolation": False}
    client = create_app({"SETTINGS": settings}).test_client()
    requests = urls(WARM_UP + count)
    started = time.perf_counter()
    for url in requests[:WARM_UP]:
        assert client.get(url).status_code == 200, url
    gc.collect()
    before = rss_mb()
    for url in requests[WARM_UP:]:
        assert client.get(url).status_code == 200, url
    gc.collect()
    after = rss_mb()
    elapsed = time.perf_counter() - started
    print(f"{count} renders after {WARM_UP} warm-up renders, {elapsed:.0f} s in all")
    print(f"RSS after warm-up {before:.1f} MB, at the end {after:.1f} MB")
    print(
        f"text tables: {len(textcache.MEASURED)} sizes of {textcache.MAX_MEASURED}, "
        f"{textcache.LAID_OUT.weight} glyphs laid out of {textcache.MAX_LAID_OUT_GLYPHS}, "
        f"glyph bitmaps {textcache.GLYPHS.weight / 1e6:.1f} of {textcache.MAX_GLYPH_BYTES / 1e6:.1f} MB"
    )
    growth = after - before
    trimmed = _trimmed_rss_mb()
    rows = [
        Row(
            f"RSS growth over {count:,} mixed renders after {WARM_UP} warm-up renders",
            "<= 5 MB",
            f"{growth:+.1f} MB ({before:.0f} -> {after:.0f} MB)",
            growth <= 5,
        )
    ]
    if trimmed is not None:
        # What is left once the allocator hands its free pages back: growth above this is
        # freed memory glibc keeps (fragmentation), not objects still alive.
        rows.append(Row("same, after glibc's malloc_trim(0)", "", f"{trimmed - before:+.1f} MB", None))
    return rows


def _trimmed_rss_mb() -> float | None:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        ctypes.CDLL(name).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        return None
    return rss_mb()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=5000)
    print_rows(run(parser.parse_args().renders))


if __name__ == "__main__":
    main()
