"""Map render speed against a loopback tile server that adds 50 ms to every tile.

    python -m bench.maps [--rounds N] [--delay SECONDS]

Prints, for an 800x600 map (20 tiles): this API's cold render (empty tile caches) and
py-staticmaps' own ``Context.render_pillow`` with its default downloader, measured in the
same run (target <= 0.25x); the warm render (tiles cached); and the speedup of the same URL
served again from the render cache.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from api import create_app
from api.maps.geo import TILE, to_latlng
from api.maps.providers import provider_registry
from api.maps.render import render_map
from api.maps.specs import MapSpec
from api.maps.tiles import TileFetcher
from api.output import Output
from api.settings import Settings
from bench.common import Row, print_rows

WIDTH, HEIGHT, ZOOM = 800, 600, 6
# Views whose edges fall inside tiles, so each needs 5 x 4 = 20 tiles.
TILE_ORIGINS = [(30, 20), (10, 25), (50, 22), (40, 35), (20, 15), (55, 28)]
CENTERS = [
    to_latlng(x * TILE + 240 + WIDTH / 2, y * TILE + 200 + HEIGHT / 2, TILE * 2**ZOOM)
    for x, y in TILE_ORIGINS
]


def ours_cold(settings: Settings, center: tuple[float, float]) -> tuple[float, float]:
    """A cold render (new fetcher, empty caches), then the same map again with tiles cached."""
    fetcher = TileFetcher(settings)
    provider = provider_registry(settings)["remote"]
    spec = MapSpec(provider="remote", output=Output(WIDTH, HEIGHT, 1, "png"), center=center, zoom=ZOOM)
    start = time.perf_counter()
    image = render_map(spec, provider, fetcher, 30.0)
    cold = time.perf_counter() - start
    assert image.warning is None, image.warning
    start = time.perf_counter()
    render_map(spec, provider, fetcher, 30.0)
    warm = time.perf_counter() - start
    fetcher.close()
    return cold, warm


def remote_settings(url_template: str, cache_dir: Path) -> Settings:
    provider = {"name": "remote", "url": url_template, "attribution": "Test tiles", "max_zoom": 19}
    return Settings().with_overrides(
        {"tile_providers": json.dumps([provider]), "tile_cache_dir": str(cache_dir), "map_time_budget": 30.0}
    )


def staticmaps_cold(url_template: str, cache_dir: Path, center: tuple[float, float]) -> float:
    import staticmaps

    provider = staticmaps.TileProvider(
        "loopback", url_pattern=url_template, max_zoom=19, attribution="Test tiles"
    )
    context = staticmaps.Context()
    context.set_tile_provider(provider)
    context.set_cache_dir(str(cache_dir))
    context.set_center(staticmaps.create_latlng(*center))
    context.set_zoom(ZOOM)
    start = time.perf_counter()
    context.render_pillow(WIDTH, HEIGHT)
    return time.perf_counter() - start


def measure(rounds: int = 4, delay: float = 0.05) -> list[Row]:
    # The tile server runs in its own process, as a real one would: its work must not
    # compete with the measured renderers for this interpreter's lock. It draws every tile
    # before serving, so neither renderer pays for the drawing.
    tiles = [
        f"{ZOOM}/{x}/{y}"
        for x0, y0 in TILE_ORIGINS
        for x in range(x0 - 1, x0 + 6)
        for y in range(y0 - 1, y0 + 5)
    ]
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.maps.tileserver", "--delay", str(delay), "--draw", *tiles],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        return run(rounds, delay, server)
    finally:
        assert server.stdin is not None
        server.stdin.close()  # the server exits when its stdin closes
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    print_rows(measure(args.rounds, args.delay))


def run(rounds: int, delay: float, server: subprocess.Popen[str]) -> list[Row]:
    assert server.stdout is not None
    url = server.stdout.readline().strip()
    staticmaps_url = url.replace("{z}", "$z").replace("{x}", "$x").replace("{y}", "$y").replace("{r}", "")
    ours, theirs, warm = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(rounds):
            center = CENTERS[i % len(CENTERS)]
            cold, warm_time = ours_cold(remote_settings(url, Path(tmp) / f"ours{i}"), center)
            ours.append(cold)
            warm.append(warm_time)
            theirs.append(staticmaps_cold(staticmaps_url, Path(tmp) / f"theirs{i}", center))
        print(f"800x600 map at zoom {ZOOM}: 20 tiles, {delay * 1000:.0f} ms added per tile")
        ours_ms, theirs_ms = statistics.median(ours) * 1000, statistics.median(theirs) * 1000
        print(f"this API, cold tile caches:             {ours_ms:.0f} ms")
        print(f"py-staticmaps render_pillow, cold:      {theirs_ms:.0f} ms")
        print(f"ratio: {ours_ms / theirs_ms:.2f}x (target <= 0.25x)")
        print(f"this API, warm (tiles cached):          {statistics.median(warm) * 1000:.1f} ms")

        client = create_app({"SETTINGS": remote_settings(url, Path(tmp) / "app")}).test_client()
        first, repeat = [], []
        for i in range(rounds * 3):
            lat, lng = CENTERS[i % len(CENTERS)]
            query = f"center={lat:.5f},{lng + i:.5f}&zoom={ZOOM}&size={WIDTH}x{HEIGHT}&provider=remote"
            start = time.perf_counter()
            assert client.get(f"/maps/static?{query}").status_code == 200
            first.append(time.perf_counter() - start)
            start = time.perf_counter()
            assert client.get(f"/maps/static?{query}").status_code == 200
            repeat.append(time.perf_counter() - start)
        first_ms, repeat_ms = statistics.median(first) * 1000, statistics.median(repeat) * 1000
        print(f"first request: {first_ms:.0f} ms; same URL again (render cache): {repeat_ms:.2f} ms")
        print(f"cached-repeat speedup: {first_ms / repeat_ms:.0f}x")
    ratio = ours_ms / theirs_ms
    return [
        Row(
            f"{WIDTH}x{HEIGHT} map, 20 cold tiles at +{delay * 1000:.0f} ms each, vs py-staticmaps render_pillow",
            "<= 0.25x",
            f"{ratio:.2f}x ({ours_ms:.0f} vs {theirs_ms:.0f} ms)",
            ratio <= 0.25,
        ),
        Row("same map, tiles cached", "", f"{statistics.median(warm) * 1000:.0f} ms"),
        Row("same map URL again (render cache) vs first request", "", f"{first_ms / repeat_ms:.0f}x"),
    ]


if __name__ == "__main__":
    main()
