"""Line charts: cht=lc, lc:nda, ls, lxy as the ``line`` kind."""

from __future__ import annotations

import math
from typing import Any

from api.charts.explicit import LineStyle
from api.charts.kinds.line import LineOptions
from api.charts.specs import ChartSpec
from api.gchart.axes import spread
from api.gchart.data import Scaled
from api.gchart.markers import MarkTarget
from api.gchart.parsed import (
    AXES,
    COMMON,
    Family,
    ParsedChart,
    base_spec,
    fail,
)

GOOGLE_LINE_PX = 2.0  # Google's default line width
WITHOUT_AXES = ("lc:nda", "ls")  # types drawn without axis lines unless chxt names some


def line_spec(request: ParsedChart) -> ChartSpec:
    chart_data = request.data(all_hidden=request.cht != "lxy")
    scaled = request.scaled(chart_data)
    if request.cht == "lxy":
        return _xy_lines(request, chart_data.visible, scaled)
    rows = scaled.fractions
    xs = tuple(tuple(spread(len(row))) for row in rows)
    return _lines(
        request,
        chart_data.visible,
        rows=rows,
        xs=xs,
        shown=scaled.values,
        ranges=scaled.ranges,
        markers=request.get("chm", ()),
    )


def _xy_lines(request: ParsedChart, visible: int, scaled: Scaled) -> ChartSpec:
    """lxy: series in pairs, x values then y values; a single missing x spaces points evenly."""
    rows, xs, shown = [], [], []
    pairs = len(scaled.fractions) // 2
    if visible // 2 == 0:
        raise fail("chd", "lxy takes series in pairs (x values, then y values); no pair is drawn.")
    for pair in range(pairs):
        x, y = scaled.fractions[2 * pair], scaled.fractions[2 * pair + 1]
        if len(x) == 1 and math.isnan(x[0]):
            x = tuple(spread(len(y)))
        length = min(len(x), len(y))
        rows.append(y[:length])
        xs.append(x[:length])
        shown.append(scaled.values[2 * pair + 1][:length])
    # As in Google's lxy example (markers on series 0 and 1 of two x,y pairs), a marker's
    # series index names a line: pair n (data series 2n and 2n+1) is line n.
    markers = request.get("chm", ())
    return _lines(
        request,
        visible // 2,
        rows=tuple(rows),
        xs=tuple(xs),
        shown=tuple(shown),
        ranges=scaled.ranges[1::2],
        markers=markers,
    )


def _lines(
    request: ParsedChart,
    visible: int,
    *,
    rows: tuple[tuple[float, ...], ...],
    xs: tuple[tuple[float, ...], ...],
    shown: tuple[tuple[float | None, ...], ...],
    ranges: tuple[tuple[float, float], ...],
    markers: tuple[Any, ...],
) -> ChartSpec:
    colors = request.colors()
    if colors.per_point:
        raise fail(
            "chco", "Colours per point ('|') apply to bar, pie and scatter charts; lines take one each."
        )
    given = request.line_styles(visible)
    # Hidden series are drawn invisibly: markers still find their points.
    styles = tuple(
        given[i] if i < len(given) else LineStyle(GOOGLE_LINE_PX) if i < visible else LineStyle(0.0)
        for i in range(len(rows))
    )
    lines = tuple(tuple(zip(x, y, strict=False)) for x, y in zip(xs, rows, strict=False))
    target = MarkTarget(shown, drawn=visible, fills=True, lines=lines)
    marks = request.marks(target, markers)
    # Described over their points (x positions are fractions of the plot, not the data's);
    # a chart of markers on hidden series only (a box chart) is described by those series.
    described = visible or len(shown)
    stated = request.stated(
        shown[:described],
        ranges[:described],
        labels=request.category_labels("xt", len(shown[0])) if request.cht != "lxy" else (),
        options=LineOptions(),
    )
    return base_spec(
        request,
        "line",
        rows,
        colors=colors.series(len(rows)),
        legend=request.legend(visible),
        legend_position=request.legend_position(),
        min=0.0,
        max=1.0,
        options=LineOptions(x=xs, x_range=(0.0, 1.0)),
        extras=request.extras(
            axes_guides=request.axes(bare=request.cht not in WITHOUT_AXES),
            marks=marks,
            line_styles=styles,
            stated=stated,
        ),
    )


FAMILY = Family("line", ("lc", "lc:nda", "ls", "lxy"), COMMON | AXES | {"chls"}, line_spec)
