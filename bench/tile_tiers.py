"""The blob tile tier against a real Azurite and a loopback tile server.

    python -m bench.tile_tiers [--rounds N]

Prints how many tiles upstream served for the same 640x480 map drawn by N = 2 and 4 app
instances in turn (each with its own memory and disk caches), with and without the shared
blob tier; and the time one tile takes a fetcher with empty memory and disk tiers, from a blob
tier hit and from the loopback tile server (no added delay), interleaved, min and median.
Needs Azurite (``npm ci --prefix tests/azurite``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from api import create_app
from api.maps.providers import provider_registry
from api.maps.tiles import TileFetcher
from tests.azurite_server import start_azurite
from tests.maps.tileserver import TileServer, start_tile_server, tile_png, tile_settings

MAP = "/maps/static?center=48.8566,2.3522&zoom=5&size=640x480&provider=loopback"


def fleet(server: TileServer, root: Path, connection: str | None, container: str, instances: int) -> int:
    server.reset()
    for n in range(instances):
        blob: dict[str, Any] = (
            {"tile_blob_connection_string": connection, "tile_blob_container": container}
            if connection
            else {}
        )
        settings = tile_settings(server, root / f"{container or 'none'}-{instances}-{n}", **blob)
        app = create_app({"TESTING": True, "SETTINGS": settings})
        assert app.test_client().get(MAP).status_code == 200
        fetcher = app.extensions["tile_fetcher"]
        if fetcher.blob is not None:
            fetcher.blob.flush(30)
        fetcher.close()
    return sum(Counter(r.tile for r in server.requests if r.tile).values())


def one_tile(settings: Any, key: tuple[int, int, int]) -> float:
    fetcher = TileFetcher(settings)
    provider = provider_registry(settings)["loopback"]
    try:
        started = time.perf_counter()
        batch = fetcher.fetch_many(provider, [key], hidpi=False, deadline=time.monotonic() + 5)
        elapsed = time.perf_counter() - started
        assert batch.failed == 0
        return elapsed * 1000
    finally:
        fetcher.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    with (
        tempfile.TemporaryDirectory() as tmp,
        start_tile_server() as server,
        start_azurite(Path(tmp) / "az") as az,
    ):
        root = Path(tmp)
        print("tiles served by upstream for one map drawn by N instances in turn:")
        for instances in (2, 4):
            without = fleet(server, root, None, "", instances)
            with_blob = fleet(server, root, az.connection_string, az.new_container(), instances)
            print(f"  N={instances}: without the blob tier {without}, with it {with_blob}")
        container = az.new_container()
        keys = [(12, 100 + n, 200) for n in range(args.rounds)]
        for key in keys:
            tile_png(*key)  # drawn once by the server, before timing
        base = {"tile_cache_disk_bytes": 0}
        blob = tile_settings(
            server,
            root / "b",
            tile_blob_connection_string=az.connection_string,
            tile_blob_container=container,
            **base,
        )
        upstream = tile_settings(server, root / "u", **base)
        warm = TileFetcher(blob)  # fills the blob tier
        warm.fetch_many(
            provider_registry(blob)["loopback"], keys, hidpi=False, deadline=time.monotonic() + 30
        )
        assert warm.blob is not None
        warm.blob.flush(30)
        warm.close()
        hits, fetched = [], []
        for key in keys:
            hits.append(one_tile(blob, key))
            fetched.append(one_tile(upstream, key))
        print(f"one tile, empty memory and disk tiers ({args.rounds} rounds, interleaved):")
        print(f"  blob tier hit (Azurite): min {min(hits):.2f} ms, median {statistics.median(hits):.2f} ms")
        print(
            f"  upstream (loopback):     min {min(fetched):.2f} ms, median {statistics.median(fetched):.2f} ms"
        )


if __name__ == "__main__":
    main()
