"""Bar charts: vertical or horizontal, grouped or stacked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from apiflask import fields

from api.charts.frame import CategoryAxis, LegendEntry, ValueAxis, add_axes, finish, theme_of
from api.charts.specs import ChartKind, ChartSpec
from api.charts.style import FONT_SIZE, format_number, series_colors, tick_decimals

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from api.settings import Limits

GROUP_WIDTH = 0.8  # share of a category's slot taken by its bars


@dataclass(frozen=True)
class BarOptions:
    horizontal: bool = False
    stacked: bool = False


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
    opts: BarOptions = spec.options
    ax = add_axes(fig, spec)
    colors = series_colors(spec.colors, len(spec.series))
    count = len(spec.series[0])
    positions = list(range(count))
    draw = ax.barh if opts.horizontal else ax.bar
    bottoms = [0.0] * count
    width = GROUP_WIDTH if opts.stacked else GROUP_WIDTH / len(spec.series)
    containers = []
    for i, (values, color) in enumerate(zip(spec.series, colors, strict=True)):
        where = positions if opts.stacked else [p - GROUP_WIDTH / 2 + width * (i + 0.5) for p in positions]
        containers.append(draw(where, values, width, bottoms if opts.stacked else 0.0, color=color, zorder=2))
        if opts.stacked:
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    if spec.value_labels:
        _value_labels(ax, spec, containers, opts)
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
    finish(fig, ax, spec, x=x, y=y, legend=legend_entries(spec, colors))


def _value_labels(ax: Axes, spec: ChartSpec, containers: list[Any], opts: BarOptions) -> None:
    values = [abs(v) for series in spec.series for v in series if v]
    decimals = min(max((tick_decimals(v) for v in values), default=0), 2)
    theme = theme_of(spec)
    for container, series in zip(containers, spec.series, strict=True):
        labels = [format_number(v, spec.number_format, decimals) for v in series]
        ax.bar_label(
            container,
            labels=labels,
            label_type="center" if opts.stacked else "edge",
            padding=0 if opts.stacked else 2,
            fontsize=FONT_SIZE * 0.9,
            color="#ffffff" if opts.stacked else theme.text,
        )


KIND = ChartKind(
    name="bar",
    summary="Bar chart",
    description="Vertical or horizontal bars; several series are grouped side by side or stacked.",
    render=render,
    groups=("base", "labels", "legend", "range", "axes", "value_labels"),
    own_fields=own_fields,
    options=options,
    examples={
        "data": "30,45,28,60|20,25,35,40",
        "labels": "Q1,Q2,Q3,Q4",
        "legend": "2025,2026",
        "title": "Revenue by quarter",
        "ylabel": "EUR thousand",
        "colors": "0072b2,e69f00",
    },
)
