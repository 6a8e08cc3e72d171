"""Warm-up of the render workers, off the request path: matplotlib's font cache and text
machinery, Pillow's encoders and the embedded basemap are loaded by drawing once (in the
forkserver the workers are forked from: api/prewarm.py)."""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)

# A render allocates some 1,500 objects that live until the figure goes: at the default
# threshold of 700 the cyclic collector ran twice per chart, each time walking the young
# objects, then every tenth time all of gen 1 (about 0.5 ms of a 12 ms chart, bench/peers).
YOUNG_THRESHOLD = 20_000


def warm_up() -> None:
    try:
        _draw_once()
    except Exception:  # a worker that could not warm up still renders, only slower at first
        log.exception("render worker warm-up failed")
    tune_garbage_collector()


def tune_garbage_collector() -> None:
    """Everything loaded so far (matplotlib, fonts, the basemap) is kept out of the collector's
    walks for good, and young objects are collected less often. In the forkserver, before any
    worker is forked: the workers inherit both (and share those pages longer)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def _draw_once() -> None:
    from api.charts.kinds.bar import BarOptions
    from api.charts.render import render_chart
    from api.charts.specs import ChartSpec
    from api.maps.basemap import render_tile
    from api.output import Output

    # Large enough to draw every text (smaller charts leave them out), in the default format.
    spec = ChartSpec(
        kind="bar",
        series=((1.0, 2.0), (2.0, 1.5)),
        labels=("a", "b"),
        legend=("x", "y"),
        title="warm-up",
        xlabel="x",
        ylabel="y",
        output=Output(320, 240),
        options=BarOptions(),
    )
    render_chart(spec)
    render_tile(1, 0, 0, size=256)
