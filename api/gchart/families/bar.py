"""Bar charts: cht=bvs, bvg, bhs, bhg, bvo as the ``bar`` kind."""

from __future__ import annotations

from api.charts.kinds.bar import BarOptions
from api.charts.specs import ChartSpec
from api.gchart.markers import MarkTarget
from api.gchart.parsed import (
    AXES,
    COMMON,
    Family,
    ParsedChart,
    base_spec,
    fail,
    series_values,
)

BARS = {
    "bvs": {"stacked": True},
    "bvg": {},
    "bhs": {"horizontal": True, "stacked": True},
    "bhg": {"horizontal": True},
    "bvo": {"overlapped": True},
}


def bar_spec(request: ParsedChart) -> ChartSpec:
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
        base=_zero_line(request, len(series), scaled.baseline),
        bar_width=width,
        bar_gap=gap,
        point_colors=colors.points(len(series), count),
        bar_px=stated_px,
    )
    # Line markers (D) run through the category centres, at the values of any series.
    lines = tuple(
        tuple((v, float(p)) if horizontal else (float(p), v) for p, v in enumerate(row[:count]))
        for row in scaled.fractions
    )
    target = MarkTarget(
        scaled.values[: len(series)],
        drawn=len(series),
        total=len(scaled.values),
        lines=lines,
        horizontal=horizontal,
        bars=True,
    )
    guides = request.axes(category_sides=("left", "right") if horizontal else ("bottom", "top"), bars=count)
    stated = request.stated(
        scaled.values[: len(series)],
        scaled.ranges[: len(series)],
        labels=request.category_labels("yr" if horizontal else "xt", count),
    )
    return base_spec(
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


def _zero_line(request: ParsedChart, count: int, baseline: float) -> float:
    """chp: the fraction of the plot height bars rise from (one for all, or one a series)."""
    given: tuple[float, ...] | None = request.get("chp")
    if given is None:
        return baseline
    if any(not 0 <= v <= 1 for v in given):
        raise fail("chp", "A zero line is a fraction of the plot height, within 0..1.")
    if len(given) > count:
        raise fail("chp", f"{len(given)} zero lines for {count} series.")
    if len(set(given)) > 1:
        raise fail("chp", "Zero lines that differ by series are not supported; give one for all.")
    return given[0]


def _bar_sizes(
    request: ParsedChart, per_group: int, categories: int
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


FAMILY = Family("bar", tuple(BARS), COMMON | AXES | {"chbh", "chp"}, bar_spec, series_fills=True)
