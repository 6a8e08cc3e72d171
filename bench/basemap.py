"""Map render time on the embedded basemap, 640x480 PNG, at every zoom (target <= 60 ms).

    python -m bench.basemap [--rounds N]

Each round renders, zoom after zoom (interleaved, so machine noise hits every zoom alike),
a view at a place that changes every round, so no tile is drawn twice: a coast, a lake
shore or a river in a city, as real URLs are. Prints min and median per zoom, and the load.
"""

from __future__ import annotations

import argparse
import statistics
import time

from api.maps import basemap, basemap_tiles
from api.maps.providers import OFFLINE, provider_registry
from api.maps.render import render_map
from api.maps.specs import MapSpec
from api.maps.tiles import TileFetcher
from api.output import Output
from api.settings import Settings
from bench.common import machine

PLACES = [
    (40.7128, -74.0060),  # New York harbour
    (59.3293, 18.0686),  # Stockholm
    (46.2044, 6.1432),  # Geneva
    (41.8781, -87.6298),  # Chicago
    (41.0082, 28.9784),  # Istanbul
    (-33.8688, 151.2093),  # Sydney
    (51.5074, -0.1278),  # London
    (60.1699, 24.9384),  # Helsinki
]
ZOOMS = range(21)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    settings = Settings()
    provider = provider_registry(settings)[OFFLINE]
    fetcher = TileFetcher(settings)
    for _first, last in basemap.BANDS:  # read every band first: a process does it once
        basemap_tiles.band_for(last)
    times: dict[int, list[float]] = {zoom: [] for zoom in ZOOMS}
    for round_ in range(args.rounds):
        for zoom in ZOOMS:
            lat, lng = PLACES[round_ % len(PLACES)]
            # Shifted by a fraction of the view each round: new tiles, fractional offsets.
            shift = 0.37 * (round_ // len(PLACES) + 1) * 360 / 2**zoom / 256 * 640
            spec = MapSpec(
                provider=OFFLINE, output=Output(640, 480, 1, "png"), center=(lat, lng + shift), zoom=zoom
            )
            start = time.perf_counter()
            render_map(spec, provider, fetcher, 30.0).run_here()
            times[zoom].append((time.perf_counter() - start) * 1000)
    fetcher.close()
    print(machine())
    print(f"640x480 PNG on the embedded basemap, {args.rounds} rounds, ms (target <= 60)")
    print("zoom   min  median   max")
    for zoom in ZOOMS:
        samples = times[zoom]
        print(f"{zoom:4d} {min(samples):5.1f} {statistics.median(samples):7.1f} {max(samples):5.1f}")
    worst = max(statistics.median(samples) for samples in times.values())
    print(f"worst median {worst:.1f} ms: {'met' if worst <= 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
