"""One builder a chart family: Google's chart types as ``/charts`` kinds with their options."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from marshmallow import ValidationError

from api.charts.extras import LineStyle
from api.charts.kinds.bar import BarOptions
from api.charts.kinds.gauge import GaugeOptions
from api.charts.kinds.line import LineOptions
from api.charts.kinds.pie import KIND as PIE
from api.charts.kinds.pie import PieOptions
from api.charts.kinds.radar import RadarOptions
from api.charts.kinds.scatter import ScatterOptions
from api.charts.specs import ChartKind, ChartSpec
from api.gchart.axes import spread
from api.gchart.build import BARS, MAX_NEEDLES, Request, fail, series_values, spec
from api.gchart.markers import MarkTarget
from api.output import Output

GOOGLE_LINE_PX = 2.0  # Google's default line width
SCATTER_POINT_PX = 10.0  # a scatter point without sizes: "10 pixels across" (Google's docs)
SCATTER_DEFAULT = "#4d89f9ff"  # without chco, Google's scatter points were blue circles
SCATTER_LARGEST_PX = 24.0  # the largest point when a third series gives sizes
RADAR_LEAST_SPOKES = 4  # Google drew at least four segments


def bar_spec(request: Request) -> ChartSpec:
    chart_data = request.data()
    scaled = request.scaled(chart_data)
    series = series_values(scaled, chart_data.visible)
    count, shape = len(series[0]), BARS[request.cht]
    horizontal = bool(shape.get("horizontal"))
    together = bool(shape.get("stacked") or shape.get("overlapped"))
    colors = request.colors()
    width, gap, stated_px = _bar_sizes(request, 1 if together else len(series), count)
    options = BarOptions(
        horizontal=horizontal,
        stacked=bool(shape.get("stacked")),
        overlapped=bool(shape.get("overlapped")),
        base=scaled.baseline,
        bar_width=width,
        bar_gap=gap,
        point_colors=colors.points(len(series), count),
        bar_px=stated_px,
    )
    target = MarkTarget(scaled.values[: len(series)], drawn=len(series), total=len(scaled.values))
    guides = request.axes(category_sides=("left", "right") if horizontal else ("bottom", "top"), bars=count)
    stated = request.stated(
        scaled.values[: len(series)],
        scaled.ranges[: len(series)],
        labels=request.category_labels("yr" if horizontal else "xt", count),
    )
    return spec(
        request,
        "bar",
        series,
        colors=colors.series(len(series)),
        legend=request.legend(len(series)),
        legend_position=request.legend_position(),
        min=0.0,
        max=1.0,
        options=options,
        extras=request.extras(axes_guides=guides, marks=request.marks(target), stated=stated),
    )


def _bar_sizes(
    request: Request, per_group: int, categories: int
) -> tuple[float | None, float, tuple[float, float, float] | None]:
    """chbh as shares of a category's slot: bars fill the chart in the stated proportions; and
    the stated pixel sizes, which a plot too small for them keeps as far as it can."""
    sizes = request.get("chbh")
    if sizes is None:
        return None, 0.0, None
    stated = None
    mode, values = sizes
    if mode == "r":
        width = 1.0
        gap, group_gap = _nth(values, 0, 0.5), _nth(values, 1, 1.0)
        if not (gap <= 100 and group_gap <= 100):
            raise fail("chbh", "Relative gaps must be within 0..100 bar widths.")
        if gap < 0 or group_gap < 0:
            raise fail("chbh", "Gaps cannot be negative.")
    elif mode == "a":
        gap, group_gap = _nth(values, 0, 4.0), _nth(values, 1, 8.0)
        # Automatic width: what the gaps leave of an estimated plot width.
        across = request.output.height if request.cht.startswith("bh") else request.output.width
        slot = across * 0.8 / categories
        width = max((slot - group_gap - (per_group - 1) * gap) / per_group, 1.0)
    else:
        width, gap, group_gap = values[0], _nth(values, 1, 4.0), _nth(values, 2, 8.0)
        if width < 1:
            raise fail("chbh", "A bar is at least 1 pixel wide.")
        stated = (width, gap, group_gap)
    slot = per_group * width + (per_group - 1) * gap + group_gap
    return width / slot, gap / slot, stated


def _nth(values: tuple[float, ...], index: int, default: float) -> float:
    return values[index] if len(values) > index else default


def line_spec(request: Request) -> ChartSpec:
    chart_data = request.data()
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


def _xy_lines(request: Request, visible: int, scaled: Any) -> ChartSpec:
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
    request: Request,
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
    target = MarkTarget(shown, drawn=visible, fills=True)
    marks = request.marks(target, markers)
    drawn = shown[:visible]
    # Described over their points (x positions are fractions of the plot, not the data's).
    stated = request.stated(
        drawn,
        ranges[:visible],
        labels=request.category_labels("xt", len(drawn[0])) if request.cht != "lxy" else (),
        options=LineOptions(),
    )
    return spec(
        request,
        "line",
        rows,
        colors=colors.series(len(rows)),
        legend=request.legend(visible),
        legend_position=request.legend_position(),
        min=0.0,
        max=1.0,
        options=LineOptions(x=xs, x_range=(0.0, 1.0)),
        extras=request.extras(axes_guides=request.axes(), marks=marks, line_styles=styles, stated=stated),
    )


def scatter_spec(request: Request) -> ChartSpec:
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
    return spec(
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


def radar_spec(request: Request) -> ChartSpec:
    chart_data = request.data()
    scaled = request.scaled(chart_data)
    types: tuple[str, ...] = request.get("chxt", ())
    if any(t not in "xy" for t in types):
        raise fail("chxt", "Radar charts take an x axis (around) and a y axis (radial values) only.")
    labels = _radar_labels(request, types)
    rows = list(series_values(scaled, chart_data.visible))
    shown = list(scaled.values[: len(rows)])
    # Google needed the first value repeated at the end to close the line; ours always close.
    if all(len(r) > 1 and r[-1] == r[0] for r in rows) and (not labels or len(rows[0]) == len(labels) + 1):
        rows, shown = [r[:-1] for r in rows], [s[:-1] for s in shown]
    spokes = max(len(rows[0]), len(labels), RADAR_LEAST_SPOKES)
    # In Google's units (the radial axis reads 0..100), not fractions.
    rows = [tuple(v * 100 for v in r) + (math.nan,) * (spokes - len(r)) for r in rows]
    colors = request.colors()
    if colors.per_point:
        raise fail(
            "chco", "Colours per point ('|') apply to bar, pie and scatter charts; radar lines take one each."
        )
    target = MarkTarget(tuple(shown), drawn=len(rows), fills=True)
    return spec(
        request,
        "radar",
        tuple(rows),
        labels=labels + ("",) * (spokes - len(labels)),
        colors=colors.series(len(rows)),
        legend=request.legend(len(rows)),
        legend_position=request.legend_position(),
        min=0.0,
        max=100.0,
        options=RadarOptions(category_labels="x" in types, radial_labels="y" in types),
        extras=request.extras(
            marks=request.marks(target),
            line_styles=request.line_styles(len(rows)),
            stated=request.stated(tuple(shown), scaled.ranges[: len(shown)]),
        ),
    )


def _radar_labels(request: Request, types: tuple[str, ...]) -> tuple[str, ...]:
    labels: tuple[str, ...] = ()
    for index, axis_labels in request.get("chxl", ()):
        if index >= len(types):
            raise fail("chxl", f"Axis {index} is not in chxt ({','.join(types) or 'no axes'}).")
        if types[index] != "x":
            raise fail("chxl", "Labels of a radar's radial axis are not supported; it shows its values.")
        labels = axis_labels
    if "x" in types and not labels:
        raise fail("chxl", "A radar's x axis needs its labels in chxl (0:|a|b|c).")
    return labels


def pie_spec(request: Request) -> ChartSpec:
    chart_data = request.data()
    scaled = request.scaled(chart_data)
    rings = scaled.fractions[: chart_data.visible]
    if request.cht != "pc" and len(rings) > 1:
        raise fail("chd", f"cht={request.cht} draws one series; cht=pc draws several as rings.")
    rings = tuple(tuple(0.0 if math.isnan(v) else v for v in ring) for ring in rings)
    # The pie kind's own checks: a slice above 0 in every ring, the slice limit.
    kind_checks(PIE, {"data": rings}, request)
    slices = sum(len(ring) for ring in rings)
    labels, legend = _slice_labels(request, slices)
    # One pie: chl beside the slices with leader lines, chdl in the legend (as Google drew them).
    beside = len(rings) == 1 and request.get("chl") is not None
    return spec(
        request,
        "pie",
        rings,
        labels=labels,
        colors=request.colors().slices(slices),
        legend_position=request.legend_position(),
        options=PieOptions(donut=False, slice_labels=beside, legend=legend if beside else ()),
        # Slices as given (missing ones 0, as drawn): their shares are those of the drawing.
        extras=request.extras(stated=request.stated(scaled.values[: len(rings)], missing=0.0)),
    )


def _slice_labels(request: Request, slices: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """chl (else chdl) one per slice, and chdl for the legend when chl is given too."""
    chl, chdl = request.get("chl"), request.get("chdl")
    found: dict[str, tuple[str, ...]] = {}
    for name, given in (("chl", tuple(chl.split("|")) if chl is not None else None), ("chdl", chdl)):
        if given is None:
            continue
        if len(given) > slices:
            raise fail(name, f"{len(given)} labels for {slices} slices.")
        _check_texts(request, name, given)
        found[name] = tuple(_clean(label) for label in given)
    if "chl" in found:
        return found["chl"], found.get("chdl", ())
    return found.get("chdl", ()), ()


def gauge_spec(request: Request) -> ChartSpec:
    chart_data = request.data()
    scaled = request.scaled(chart_data)
    values = tuple(v for row in scaled.fractions[: chart_data.visible] for v in row if not math.isnan(v))
    if not 1 <= len(values) <= MAX_NEEDLES:
        raise fail(
            "chd", f"A Google-o-meter takes 1 to {MAX_NEEDLES} values (one arrow each), got {len(values)}."
        )
    chl, chdl = request.get("chl"), request.get("chdl")
    labels = tuple(chl.split("|")) if chl is not None else ()
    _check_texts(request, "chl", labels)
    if len(labels) > len(values):
        raise fail("chl", f"{len(labels)} labels for {len(values)} arrows.")
    if chdl is not None and (len(values) == 1 or chl is not None):
        raise fail("chdl", "A Google-o-meter's legend names several arrows, and not together with chl.")
    caption = _clean(labels[0]) if len(values) == 1 and labels else ""
    drawn = range(chart_data.visible)
    given = tuple(
        v
        for i in drawn
        for f, v in zip(scaled.fractions[i], scaled.values[i], strict=True)
        if not math.isnan(f) and v is not None
    )
    return spec(
        request,
        "gauge",
        (values,),
        labels=tuple(_clean(label) for label in labels) if len(values) > 1 else chdl or (),
        min=0.0,
        max=1.0,
        legend_position=request.legend_position(),
        options=GaugeOptions(arc_colors=request.colors().flat(), caption=caption, range_labels=False),
        # A single arrow's caption names it.
        extras=request.extras(
            stated=request.stated(
                (given,), scaled.ranges[: chart_data.visible], labels=(caption,) if caption else ()
            )
        ),
    )


def venn_spec(request: Request) -> ChartSpec:
    from api.charts.kinds.venn import KIND, PARTS, circle_count, sizes

    chart_data = request.data()
    scaled = request.scaled(chart_data)
    values = tuple(0.0 if math.isnan(v) else v for v in scaled.fractions[0])
    if len(values) > len(PARTS):
        raise fail(
            "chd", f"A Venn diagram takes up to {len(PARTS)} values ({', '.join(PARTS)}), got {len(values)}."
        )
    circles = circle_count(sizes((values,))) if len(values) >= 3 else 2
    colors = request.colors()
    labels = request.legend(circles)
    chosen = colors.flat()[:circles] if colors.flat() else colors.series(1)
    kind_checks(KIND, {"data": (values,), "labels": labels or None, "colors": chosen}, request)
    return spec(
        request,
        "venn",
        (values,),
        labels=labels,
        colors=chosen,
        legend_position=request.legend_position(),
        extras=request.extras(stated=request.stated(scaled.values[:1], missing=0.0)),
    )


def qr_spec(params: dict[str, Any], output: Output) -> ChartSpec:
    from api.charts.kinds.qr import KIND, MAX_MARGIN, QrOptions

    text = params.get("chl") or ""
    if not text:
        raise fail("chl", "cht=qr needs the text to encode in chl.")
    level, margin = params.get("chld", ("L", 4))
    if margin > MAX_MARGIN:
        raise fail("chld", f"A margin of {margin} modules is more than {MAX_MARGIN}.")
    try:
        KIND.validate({"text": text, "error_correction": level}, None)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise fail("chl", " ".join(str(m) for m in _messages(exc))) from None
    return ChartSpec(kind="qr", series=(), output=output, options=QrOptions(text, level, margin))


# Where a /charts parameter's value comes from in a /chart request.
_GOOGLE_NAMES = {"data": "chd", "labels": "chdl", "colors": "chco"}


def kind_checks(kind: ChartKind, params: dict[str, Any], request: Request) -> None:
    """A chart kind's own checks on the parameters built from a /chart request, its errors
    named by the Google parameter the value came from."""
    try:
        kind.validate(params, request.limits)
    except ValidationError as exc:
        field = exc.field_name if isinstance(exc.field_name, str) else "data"
        raise fail(_GOOGLE_NAMES.get(field, "chd"), " ".join(_messages(exc))) from None


def _messages(exc: ValidationError) -> list[str]:
    messages = exc.messages
    if isinstance(messages, dict):
        return [
            str(m) for value in messages.values() for m in (value if isinstance(value, list) else [value])
        ]
    return [str(m) for m in messages]


def _check_texts(request: Request, name: str, texts: tuple[str, ...]) -> None:
    limit = request.limits.max_text
    for number, text in enumerate(texts, start=1):
        if len(text) > limit:
            raise fail(name, f"Label {number} has {len(text)} characters; at most {limit}.")


def _clean(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text)


BUILDERS: dict[str, Callable[[Request], ChartSpec]] = {
    "bar": bar_spec,
    "line": line_spec,
    "scatter": scatter_spec,
    "radar": radar_spec,
    "pie": pie_spec,
    "gauge": gauge_spec,
    "venn": venn_spec,
}
