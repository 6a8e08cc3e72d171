"""Map render speed against py-staticmaps itself, in the same run, on a loopback tile server
that adds 50 ms to every tile.

    python -m bench.maps [--rounds N] [--delay SECONDS]

800x600 maps at zoom 6 (20 tiles each). Warm (tiles cached: ours in memory, py-staticmaps'
on its disk cache): one marker, 200 markers, a 10,000-vertex path, each drawn by this API
(tiles placed, overlays drawn, attribution: the image before encoding) and by py-staticmaps'
``Context.render_pillow`` with the same overlays, interleaved round by round; CPU time of
the process, the ratio taken per round (min and median shown). Cold (empty tile caches):
this API's render against the floor, one tile's latency plus decoding the 20 tiles and
putting them together, measured here. Then the render cache: the same URL served again.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api import create_app
from api.maps.geo import TILE, LatLng, to_latlng
from api.maps.overlays import Markers
from api.maps.overlays import Path as MapPath
from api.maps.providers import TileProvider, provider_registry
from api.maps.render import draw_image, render_map
from api.maps.specs import MapSpec
from api.maps.tiles import TileFetcher, decode_tile
from api.output import Output
from api.settings import Settings
from bench.common import Row, machine, print_rows

WIDTH, HEIGHT, ZOOM = 800, 600, 6
# Views whose edges fall inside tiles, so each needs 5 x 4 = 20 tiles.
TILE_ORIGINS = [(x, y) for y in (15, 22, 29, 36) for x in (5, 12, 19, 26, 33, 40)]
CENTERS = [
    to_latlng(x * TILE + 240 + WIDTH / 2, y * TILE + 200 + HEIGHT / 2, TILE * 2**ZOOM)
    for x, y in TILE_ORIGINS
]
# The loopback server may take 20 tiles at once (ours: its provider entry, and the fetcher's
# per-host limit, which caps every provider's).
CONCURRENCY = 20


def remote_settings(url_template: str, cache_dir: Path) -> Settings:
    provider = {
        "name": "remote",
        "url": url_template,
        "attribution": "Test tiles",
        "max_zoom": 19,
        "concurrency": CONCURRENCY,
    }
    return Settings().with_overrides(
        {
            "tile_providers": json.dumps([provider]),
            "tile_cache_dir": str(cache_dir),
            "map_time_budget": 30.0,
            "allow_http_tiles": True,
            "tile_concurrency_per_host": CONCURRENCY,
        }
    )


def overlays(kind: str, center: LatLng) -> tuple[list[LatLng], list[LatLng]]:
    """(markers, path points) of a scenario, inside the view around ``center``."""
    rng = random.Random(kind)
    lat, lng = center
    if kind == "one marker":
        return [center], []
    if kind == "200 markers":
        return [(lat + rng.uniform(-4, 4), lng + rng.uniform(-6, 6)) for _ in range(200)], []
    # A random walk: steps far below a degree, so py-staticmaps draws it straight too.
    points = [center]
    for _ in range(9_999):
        a, b = points[-1]
        points.append(
            (
                max(lat - 4, min(lat + 4, a + rng.uniform(-0.2, 0.2))),
                max(lng - 6, min(lng + 6, b + rng.uniform(-0.3, 0.3))),
            )
        )
    return [], points


def ours(provider: TileProvider, fetcher: TileFetcher, center: LatLng, kind: str) -> Callable[[], Any]:
    markers, path = overlays(kind, center)
    spec = MapSpec(
        provider="remote",
        output=Output(WIDTH, HEIGHT, 1, "png"),
        center=center,
        zoom=ZOOM,
        markers=(Markers(tuple(markers)),) if markers else (),
        paths=(MapPath(tuple(path), color="#ff0000ff", weight=3),) if path else (),
    )

    def run() -> Any:
        job = render_map(spec, provider, fetcher, 30.0)
        _, _, view_at, base, _, _ = job.args
        return draw_image(spec, provider, view_at, base)

    return run


def theirs(url_template: str, cache_dir: Path, center: LatLng, kind: str) -> Callable[[], Any]:
    import staticmaps

    markers, path = overlays(kind, center)
    provider = staticmaps.TileProvider(
        "loopback",
        url_pattern=url_template.replace("{z}", "$z")
        .replace("{x}", "$x")
        .replace("{y}", "$y")
        .replace("{r}", ""),
        max_zoom=19,
        attribution="Test tiles",
    )

    def run() -> Any:
        context = staticmaps.Context()
        context.set_tile_provider(provider)
        context.set_cache_dir(str(cache_dir))
        context.set_center(staticmaps.create_latlng(*center))
        context.set_zoom(ZOOM)
        for point in markers:
            context.add_object(
                staticmaps.Marker(staticmaps.create_latlng(*point), color=staticmaps.RED, size=10)
            )
        if path:
            line = [staticmaps.create_latlng(*p) for p in path]
            context.add_object(staticmaps.Line(line, color=staticmaps.RED, width=3))
        return context.render_pillow(WIDTH, HEIGHT)

    return run


def cpu(fn: Callable[[], Any]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def ratios(a: Callable[[], Any], b: Callable[[], Any], rounds: int) -> tuple[list[float], list[float]]:
    """CPU seconds of ``a`` and ``b``, in turn round by round (one warm-up round each first)."""
    a(), b()
    times_a, times_b = [], []
    for _ in range(rounds):
        times_a.append(cpu(a))
        times_b.append(cpu(b))
    return times_a, times_b


def floor_ms(url_template: str, center_index: int) -> float:
    """The floor of a cold map: one tile's latency (the fastest of a few single requests for
    tiles not fetched yet, connection open) plus decoding its 20 tiles and putting them
    together, measured here."""
    import requests
    from PIL import Image

    x0, y0 = TILE_ORIGINS[center_index]
    urls = [
        url_template.format(z=ZOOM, x=x, y=y, r="")
        for x in range(x0 - 1, x0 + 4)
        for y in range(y0 - 1, y0 + 3)
    ]
    latency = float("inf")
    with requests.Session() as session:
        session.get(urls[0], timeout=10)  # the connection opened
        bodies = []
        for url in urls:
            start = time.perf_counter()
            bodies.append(session.get(url, timeout=10).content)
            latency = min(latency, time.perf_counter() - start)
    work = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        image = Image.new("RGBA", (WIDTH, HEIGHT))
        for i, body in enumerate(bodies):
            tile = decode_tile(body, TILE)
            assert tile is not None
            image.paste(tile, ((i // 4) * TILE - 240, (i % 4) * TILE - 200))
        work = min(work, time.perf_counter() - start)
    return (latency + work) * 1000


def run(rounds: int, delay: float, url: str) -> list[Row]:
    rows: list[Row] = []
    print(machine())
    targets = {"one marker": 0.6, "200 markers": 1.0, "10,000-vertex path": 1.0}
    with tempfile.TemporaryDirectory() as tmp:
        settings = remote_settings(url, Path(tmp) / "ours")
        provider = provider_registry(settings)["remote"]
        fetcher = TileFetcher(settings)
        center = CENTERS[0]
        for kind, target in targets.items():
            mine, others = ratios(
                ours(provider, fetcher, center, kind), theirs(url, Path(tmp) / "theirs", center, kind), rounds
            )
            each = [m / o for m, o in zip(mine, others, strict=True)]
            low, mid = min(each), statistics.median(each)
            print(
                f"warm, {kind}: ours {statistics.median(mine) * 1000:.1f} ms CPU, py-staticmaps "
                f"{statistics.median(others) * 1000:.1f} ms; ratio min {low:.2f}x, median {mid:.2f}x"
            )
            rows.append(
                Row(
                    f"{WIDTH}x{HEIGHT} map, warm tiles, {kind}, vs py-staticmaps render_pillow (CPU, min / median of ratios)",
                    f"<= {target:.1f}x",
                    f"{low:.2f}x / {mid:.2f}x ({statistics.median(mine) * 1000:.0f} vs {statistics.median(others) * 1000:.0f} ms)",
                    mid <= target,
                )
            )
        fetcher.close()

        # Cold tiles through the process's one fetcher, its connections open (kept alive by
        # the first map), as in a running server; each round a map of tiles not fetched yet.
        cold, floors = [], []
        cold_settings = remote_settings(url, Path(tmp) / "cold")
        cold_provider = provider_registry(cold_settings)["remote"]
        cold_fetcher = TileFetcher(cold_settings)
        for i in range(min(rounds, len(CENTERS) - 1) + 1):
            spec = MapSpec(
                provider="remote", output=Output(WIDTH, HEIGHT, 1, "png"), center=CENTERS[i], zoom=ZOOM
            )
            start = time.perf_counter()
            job = render_map(spec, cold_provider, cold_fetcher, 30.0)
            elapsed = (time.perf_counter() - start) * 1000
            assert job.args[4] is None, job.args[4]
            if i:
                cold.append(elapsed)
                floors.append(floor_ms(url, i))
            else:
                print(f"cold, new fetcher (connections opened too): {elapsed:.0f} ms")
        cold_fetcher.close()
        each = [c / f for c, f in zip(cold, floors, strict=True)]
        print(
            f"cold, 20 tiles at +{delay * 1000:.0f} ms: {statistics.median(cold):.0f} ms; floor "
            f"{statistics.median(floors):.0f} ms; ratio min {min(each):.2f}x, median {statistics.median(each):.2f}x"
        )
        rows.append(
            Row(
                f"{WIDTH}x{HEIGHT} map, 20 cold tiles at +{delay * 1000:.0f} ms each, vs the floor (one tile's latency + decode + compose; min / median of ratios)",
                "<= 1.5x",
                f"{min(each):.2f}x / {statistics.median(each):.2f}x ({statistics.median(cold):.0f} vs {statistics.median(floors):.0f} ms)",
                statistics.median(each) <= 1.5,
            )
        )

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
        rows.append(
            Row("same map URL again (render cache) vs first request", "", f"{first_ms / repeat_ms:.0f}x")
        )
    return rows


def measure(rounds: int = 6, delay: float = 0.05) -> list[Row]:
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
        assert server.stdout is not None
        return run(rounds, delay, server.stdout.readline().strip())
    finally:
        assert server.stdin is not None
        server.stdin.close()  # the server exits when its stdin closes
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    print_rows(measure(args.rounds, args.delay))


if __name__ == "__main__":
    main()
