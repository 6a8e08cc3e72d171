"""Line charts: one line per series over the categories (or point numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from marshmallow import fields

from api.charts.frame import CategoryAxis, ValueAxis, add_axes, finish, is_compact, theme_of
from api.charts.kinds.bar import category_labels, legend_entries
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, options_of
from api.charts.style import FONT_SIZE, format_number, series_colors, tick_decimals

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from api.settings import Limits

MAX_VALUE_LABELS = 200  # beyond this many points, value labels would only be noise


@dataclass(frozen=True)
class LineOptions(KindOptions):
    markers: bool = False
    # x values: one tuple for every series, or one per series (of that series' length);
    # empty: the series run over the categories. x_range fixes the x axis's ends.
    x: tuple[tuple[float, ...], ...] = ()
    x_range: tuple[float, float] | None = None


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "markers": fields.Boolean(load_default=False, metadata={"description": "Mark each point with a dot."})
    }


def value_axis(spec: ChartSpec) -> ValueAxis:
    return ValueAxis(
        label=spec.ylabel,
        log=spec.log,
        number_format=spec.number_format,
        low=spec.min,
        high=spec.max,
        grid=spec.grid,
    )


def write_values(ax: Axes, spec: ChartSpec, tops: list[list[float]]) -> None:
    """Each value above its point (at ``tops``, e.g. stacked heights); skipped past
    MAX_VALUE_LABELS points."""
    if not spec.value_labels or is_compact(spec) or sum(len(s) for s in spec.series) > MAX_VALUE_LABELS:
        return
    from matplotlib.transforms import ScaledTranslation

    decimals = min(max((tick_decimals(abs(v)) for s in spec.series for v in s if v), default=0), 2)
    lift = ax.transData + ScaledTranslation(0, 3 / 72, ax.figure.dpi_scale_trans)
    color = theme_of(spec).text
    for values, heights in zip(spec.series, tops, strict=True):
        for i, (value, height) in enumerate(zip(values, heights, strict=True)):
            text = format_number(value, spec.number_format, decimals)
            ax.text(
                i,
                height,
                text,
                transform=lift,
                ha="center",
                va="bottom",
                fontsize=FONT_SIZE * 0.85,
                color=color,
            )


def render(spec: ChartSpec, fig: Figure) -> None:
    from api.charts.marks import series_gid

    opts = options_of(spec, LineOptions)
    ax = add_axes(fig, spec)
    colors = series_colors(spec.colors, len(spec.series))
    for i, (values, color) in enumerate(zip(spec.series, colors, strict=True)):
        positions = opts.x[i if len(opts.x) > 1 else 0] if opts.x else range(len(values))
        ax.plot(
            positions,
            values,
            color=color,
            linewidth=2,
            marker="o" if opts.markers else "",
            markersize=4,
            gid=series_gid(i),
        )
    write_values(ax, spec, [list(values) for values in spec.series])
    x: CategoryAxis | ValueAxis = CategoryAxis(category_labels(spec), label=spec.xlabel)
    if opts.x:
        low, high = opts.x_range or (None, None)
        x = ValueAxis(label=spec.xlabel, number_format=spec.number_format, low=low, high=high, grid=spec.grid)
    finish(fig, ax, spec, x=x, y=value_axis(spec), legend=legend_entries(spec, colors, "line"))


KIND = ChartKind(
    name="line",
    summary="Line chart",
    description="One line per series across the categories; optional point markers.",
    render=render,
    groups=("base", "colors", "labels", "legend", "range", "axes", "value_labels"),
    own_fields=own_fields,
    options=lambda params: LineOptions(markers=params["markers"]),
    examples={
        "data": "12,19,15,23,28,26|8,11,14,13,17,22",
        "labels": "Jan,Feb,Mar,Apr,May,Jun",
        "legend": "Visitors,Sign-ups",
        "title": "Traffic",
        "ylabel": "thousands",
        "xlabel": "2026",
        "colors": "0072b2,d55e00",
        "markers": True,
        "min": 0,
        "max": 30,
    },
)
