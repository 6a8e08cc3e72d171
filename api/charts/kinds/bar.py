"""Bar charts: vertical or horizontal, grouped or stacked."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from marshmallow import fields

from api.charts.frame import CategoryAxis, LegendEntry, ValueAxis, add_axes, finish, is_compact, theme_of
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, options_of
from api.charts.style import FONT_SIZE, format_number, series_colors, tick_decimals

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from api.settings import Limits

GROUP_WIDTH = 0.8  # share of a category's slot taken by its bars


@dataclass(frozen=True)
class BarOptions(KindOptions):
    horizontal: bool = False
    stacked: bool = False
    overlapped: bool = False  # series drawn over each other, the first in front
    base: float = 0.0  # the value bars rise from
    # Share of a category's slot each bar takes, and the gap between the bars of a group;
    # None: GROUP_WIDTH for the whole group.
    bar_width: float | None = None
    bar_gap: float = 0.0
    # Per series, one colour per bar (overrides the series colour bar by bar).
    point_colors: tuple[tuple[str, ...], ...] = ()
    # The bar width, gap and group gap in CSS pixels these shares came from (Google's chbh):
    # a plot too small for them keeps the bars as thick as it can, the gaps giving way first.
    bar_px: tuple[float, float, float] | None = None


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "horizontal": fields.Boolean(load_default=False, metadata={"description": "Bars run left to right."}),
        "stacked": fields.Boolean(
            load_default=False, metadata={"description": "Stack the series instead of grouping them."}
        ),
    }


def options(params: dict[str, Any]) -> BarOptions:
    return BarOptions(horizontal=params["horizontal"], stacked=params["stacked"])


def category_labels(spec: ChartSpec) -> tuple[str, ...]:
    """The given labels, or 1..n."""
    points = len(spec.series[0])
    return spec.labels or tuple(str(i + 1) for i in range(points))


def legend_entries(spec: ChartSpec, colors: list[str], shape: str = "box") -> list[LegendEntry]:
    return [LegendEntry(name, color, shape) for name, color in zip(spec.legend, colors, strict=False)]


def render(spec: ChartSpec, fig: Figure) -> None:
    from matplotlib.collections import PolyCollection

    from api.charts.marks import series_gid

    opts = options_of(spec, BarOptions)
    ax = add_axes(fig, spec)
    colors = series_colors(spec.colors, len(spec.series))
    count = len(spec.series[0])
    width, offsets = _slots(opts, len(spec.series))
    # On a log axis bars rise from the decade below the smallest value, not from 0.
    floor = 10 ** math.floor(math.log10(min(v for vs in spec.series for v in vs))) if spec.log else opts.base
    base = [floor] * count
    lift = 0.0 if spec.log else floor  # stacked segments rise by v - lift
    bars: list[list[tuple[float, float, float]]] = []  # per series: (position, start, end)
    drawn: list[PolyCollection] = []
    for i, (values, color) in enumerate(zip(spec.series, colors, strict=True)):
        # A missing value (NaN) is a bar of no height, so bar i stays the i-th of its series.
        heights = [floor if math.isnan(v) else v for v in values]
        if opts.stacked:
            spans = [
                (p + offsets[i], b, b + v - lift) for p, (v, b) in enumerate(zip(heights, base, strict=True))
            ]
        else:
            spans = [(p + offsets[i], floor, v) for p, v in enumerate(heights)]
        # One collection per series: far cheaper than a Rectangle patch per bar.
        boxes = PolyCollection(
            [_box(p - width / 2, p + width / 2, start, end, opts.horizontal) for p, start, end in spans],
            facecolors=list(opts.point_colors[i]) if i < len(opts.point_colors) else color,
            edgecolors="none",
            # Overlapped series: the first in front.
            zorder=2 + (len(spec.series) - i) * 0.01 if opts.overlapped else 2,
            gid=series_gid(i),
        )
        (boxes.sticky_edges.x if opts.horizontal else boxes.sticky_edges.y).append(floor)
        ax.add_collection(boxes)
        drawn.append(boxes)
        bars.append(spans)
        if opts.stacked:
            base = [end for _, _, end in spans]
    value_axis = ValueAxis(
        label=spec.xlabel if opts.horizontal else spec.ylabel,
        log=spec.log,
        number_format=spec.number_format,
        low=spec.min,
        high=spec.max,
        grid=spec.grid,
    )
    categories = CategoryAxis(
        category_labels(spec), label=spec.ylabel if opts.horizontal else spec.xlabel, inverted=opts.horizontal
    )
    x, y = (value_axis, categories) if opts.horizontal else (categories, value_axis)
    if spec.value_labels:
        (ax.set_xmargin if opts.horizontal else ax.set_ymargin)(0.1)  # headroom for the labels
    if any(v < 0 for values in spec.series for v in values):
        zero = ax.axvline if opts.horizontal else ax.axhline
        zero(0.0, color=theme_of(spec).axis, linewidth=0.8, zorder=2.5)
    finish(fig, ax, spec, x=x, y=y, legend=legend_entries(spec, colors))
    fitted = _fit_pixels(fig, ax, opts, len(spec.series), count)
    if fitted is not None:
        bars = _resize(drawn, bars, (width, offsets), fitted, opts.horizontal)
    if (
        spec.value_labels
        and not is_compact(spec)
        and len(spec.series) * len(spec.series[0]) <= MAX_VALUE_LABELS
    ):
        _value_labels(fig, ax, spec, bars, opts)


def _slots(opts: BarOptions, series: int) -> tuple[float, list[float]]:
    """Bar width and each series' offset from its category's centre."""
    together = opts.stacked or opts.overlapped
    if opts.bar_width is None:
        width = GROUP_WIDTH if together else GROUP_WIDTH / series
        gap = 0.0
    else:
        width, gap = opts.bar_width, opts.bar_gap
    if together:
        return width, [0.0] * series
    group = series * width + (series - 1) * gap
    return width, [-group / 2 + width / 2 + i * (width + gap) for i in range(series)]


def _fit_pixels(
    fig: Figure, ax: Axes, opts: BarOptions, series: int, count: int
) -> tuple[float, list[float]] | None:
    """Bar width and offsets for stated pixel sizes that do not fit the plot's category slot:
    the gaps shrink first, then the bars (None: they fit, the shares stand)."""
    if opts.bar_px is None:
        return None
    box = ax.get_position()
    length_px = (
        (box.height * fig.bbox.height if opts.horizontal else box.width * fig.bbox.width) * 100 / fig.dpi
    )
    slot_px = length_px / max(count, 1)
    bar_px, gap_px, group_px = opts.bar_px
    per_group = 1 if opts.stacked or opts.overlapped else series
    bars_px = per_group * bar_px
    gaps_px = (per_group - 1) * gap_px + group_px
    if bars_px + gaps_px <= slot_px:
        return None
    if bars_px >= slot_px:
        width, gap = 1.0 / per_group, 0.0
    else:
        shrink = (slot_px - bars_px) / gaps_px
        width, gap = bar_px / slot_px, gap_px * shrink / slot_px
    return _slots(replace(opts, bar_width=width, bar_gap=gap), series)


def _resize(
    drawn: list[Any],
    bars: list[list[tuple[float, float, float]]],
    was: tuple[float, list[float]],
    now: tuple[float, list[float]],
    horizontal: bool,
) -> list[list[tuple[float, float, float]]]:
    """The bars redrawn at another width and offsets; returns their new spans."""
    width, offsets = now
    resized = []
    for boxes, spans, old, new in zip(drawn, bars, was[1], offsets, strict=True):
        moved = [(p - old + new, start, end) for p, start, end in spans]
        boxes.set_verts([_box(p - width / 2, p + width / 2, a, b, horizontal) for p, a, b in moved])
        resized.append(moved)
    return resized


def _box(c0: float, c1: float, v0: float, v1: float, horizontal: bool) -> list[tuple[float, float]]:
    """A bar's corners: c along the category axis, v along the value axis."""
    if horizontal:
        return [(v0, c0), (v1, c0), (v1, c1), (v0, c1)]
    return [(c0, v0), (c0, v1), (c1, v1), (c1, v0)]


def _value_labels(
    fig: Figure, ax: Axes, spec: ChartSpec, bars: list[list[tuple[float, float, float]]], opts: BarOptions
) -> None:
    from matplotlib.transforms import ScaledTranslation

    values = [abs(v) for series in spec.series for v in series if v]
    decimals = min(max((tick_decimals(v) for v in values), default=0), 2)
    theme = theme_of(spec)
    gap = 2 / 72  # inches between a bar's end and its label
    for spans, series in zip(bars, spec.series, strict=True):
        for (position, start, end), value in zip(spans, series, strict=True):
            label = format_number(value, spec.number_format, decimals)
            outward = 1 if value >= 0 else -1
            if opts.stacked:
                at, shift, color = (start + end) / 2, 0.0, "#ffffff"
            else:
                at, shift, color = end, gap * outward, theme.text
            if opts.horizontal:
                transform = ax.transData + ScaledTranslation(shift, 0, fig.dpi_scale_trans)
                align: dict[str, Any] = {
                    "ha": "center" if opts.stacked else ("left" if outward > 0 else "right"),
                    "va": "center",
                }
                ax.text(
                    at, position, label, transform=transform, fontsize=FONT_SIZE * 0.9, color=color, **align
                )
            else:
                transform = ax.transData + ScaledTranslation(0, shift, fig.dpi_scale_trans)
                align = {
                    "ha": "center",
                    "va": "center" if opts.stacked else ("bottom" if outward > 0 else "top"),
                }
                ax.text(
                    position, at, label, transform=transform, fontsize=FONT_SIZE * 0.9, color=color, **align
                )


MAX_VALUE_LABELS = 200  # more would be noise, each a text to lay out


KIND = ChartKind(
    name="bar",
    summary="Bar chart",
    description="Vertical or horizontal bars; several series are grouped side by side or stacked.",
    render=render,
    groups=("base", "colors", "labels", "legend", "range", "axes", "value_labels"),
    own_fields=own_fields,
    options=options,
    examples={
        "data": "30,45,28,60|20,25,35,40",
        "labels": "Q1,Q2,Q3,Q4",
        "legend": "2025,2026",
        "title": "Revenue by quarter",
        "ylabel": "EUR thousand",
        "colors": "0072b2,e69f00",
        "xlabel": "quarter",
        "min": 0,
        "max": 70,
    },
)
