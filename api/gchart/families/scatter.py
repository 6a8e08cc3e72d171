"""Scatter charts: cht=s as the ``scatter`` kind (a third series gives point sizes)."""

from __future__ import annotations

import math
from dataclasses import replace

from api.charts.kinds.scatter import ScatterOptions
from api.charts.specs import ChartSpec
from api.gchart.markers import MarkTarget
from api.gchart.parsed import (
    AXES,
    COMMON,
    Family,
    ParsedChart,
    base_spec,
    fail,
)

SCATTER_POINT_PX = 10.0  # a scatter point without sizes: "10 pixels across" (Google's docs)
SCATTER_DEFAULT = "#4d89f9ff"  # without chco, Google's scatter points were blue circles
SCATTER_LARGEST_PX = 24.0  # the largest point when a third series gives sizes


def scatter_spec(request: ParsedChart) -> ChartSpec:
    chart_data = request.data()
    scaled = request.scaled(chart_data)
    if chart_data.visible < 2:
        raise fail("chd", "A scatter chart takes x values, y values and optionally point sizes.")
    x, y = scaled.fractions[0], scaled.fractions[1]
    sizes = scaled.fractions[2] if chart_data.visible >= 3 else None
    count = min(len(x), len(y), len(sizes) if sizes else len(y))
    colors = request.colors()
    if not colors.groups:
        colors = replace(colors, groups=((SCATTER_DEFAULT,),))
    point_colors = colors.points(1, count)
    options = ScatterOptions(
        x=x[:count],
        sizes=None if sizes is None else tuple(0.0 if math.isnan(s) else s for s in sizes[:count]),
        x_range=(0.0, 1.0),
        point_colors=point_colors[0] if point_colors else (),
        marker_px=SCATTER_LARGEST_PX if sizes else SCATTER_POINT_PX,
    )
    # Markers on the x, y or size series all mark the points.
    markers = tuple(replace(m, series=0 if 0 <= m.series <= 2 else m.series) for m in request.get("chm", ()))
    target = MarkTarget((scaled.values[1][:count],), x_values=scaled.values[0][:count], drawn=1)
    given_sizes = scaled.values[2][:count] if sizes else None
    stated = request.stated(
        (scaled.values[1][:count],),
        scaled.ranges[1:2],
        options=replace(
            options,
            x=tuple(math.nan if v is None else v for v in scaled.values[0][:count]),
            sizes=None if given_sizes is None else tuple(0.0 if v is None else v for v in given_sizes),
        ),
    )
    return base_spec(
        request,
        "scatter",
        (y[:count],),
        colors=colors.series(1),
        legend=request.legend(1),
        legend_position=request.legend_position(),
        min=0.0,
        max=1.0,
        options=options,
        extras=request.extras(
            axes_guides=request.axes(), marks=request.marks(target, markers), stated=stated
        ),
    )


FAMILY = Family("scatter", ("s",), COMMON | AXES, scatter_spec)
