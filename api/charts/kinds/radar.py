"""Radar (spider) charts: each series a closed polygon over the categories."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from marshmallow import ValidationError

from api.charts.frame import centered_square, is_compact, plot_area, theme_of
from api.charts.kinds.bar import category_labels, legend_entries
from api.charts.specs import ChartKind, ChartSpec
from api.charts.style import FONT_SIZE, series_colors
from api.charts.textsize import fit_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

    from api.settings import Limits

LABEL_ROOM = 0.72  # share of the square kept for the web; the rest holds the labels


@dataclass(frozen=True)
class RadarOptions:
    category_labels: bool = True  # the labels around the web
    radial_labels: bool = True  # the values along the radius


def validate(params: dict[str, Any], limits: Limits) -> None:
    if len(params["data"][0]) < 3:
        raise ValidationError("A radar chart needs at least 3 points per series.", "data")


def radius_range(spec: ChartSpec) -> tuple[float, float]:
    values = [v for series in spec.series for v in series]
    low = spec.min if spec.min is not None else min(0.0, *values)
    high = spec.max if spec.max is not None else max(values) * 1.05
    if not high > low:
        high = low + (abs(low) or 1.0)
    return low, high


def render(spec: ChartSpec, fig: Figure) -> None:
    from matplotlib.ticker import MaxNLocator

    from api.charts.marks import series_gid

    opts: RadarOptions = spec.options or RadarOptions()
    theme = theme_of(spec)
    colors = series_colors(spec.colors, len(spec.series))
    x, y, w, h = centered_square(plot_area(fig, spec, legend_entries(spec, colors, "line")), fig)
    inset = (1 - LABEL_ROOM) / 2
    ax = cast(
        "PolarAxes",
        fig.add_axes((x + w * inset, y + h * inset, w * LABEL_ROOM, h * LABEL_ROOM), projection="polar"),
    )
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.patch.set_visible(False)
    count = len(spec.series[0])
    angles = [2 * math.pi * i / count for i in range(count)]
    for i, (values, color) in enumerate(zip(spec.series, colors, strict=True)):
        ax.plot([*angles, angles[0]], [*values, values[0]], color=color, linewidth=2, gid=series_gid(i))
        ax.fill([*angles, angles[0]], [*values, values[0]], color=color, alpha=0.15)
    low, high = radius_range(spec)
    ax.set_ylim(low, high)
    ax.set_xticks(angles)
    room = fig.bbox.width * w * inset * 1.6
    labels = (
        []
        if is_compact(spec) or not opts.category_labels
        else [fit_text(t, FONT_SIZE, fig.dpi, room) for t in category_labels(spec)]
    )
    ax.set_xticklabels(labels or [""] * count, fontsize=FONT_SIZE, color=theme.text)
    ax.tick_params(axis="y", labelsize=FONT_SIZE * 0.8, labelcolor=theme.axis)
    ax.set_rlabel_position(0)
    ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
    if is_compact(spec) or not opts.radial_labels:
        ax.set_yticklabels([])
    ax.grid(color=theme.grid, linewidth=0.8)
    ax.spines["polar"].set_color(theme.axis)


KIND = ChartKind(
    name="radar",
    summary="Radar chart",
    description="Each series is a closed polygon over the categories (at least 3); min and max set "
    "the radius range (default from 0, or the smallest value, to just above the largest).",
    render=render,
    groups=("base", "colors", "labels", "legend", "range"),
    validate=validate,
    examples={
        "data": "4,3,5,2,4|3,5,3,4,2",
        "labels": "Speed,Comfort,Price,Range,Safety",
        "legend": "Model X,Model Y",
        "title": "Car comparison",
        "min": 0,
        "max": 5,
        "colors": "0072b2,e69f00",
    },
)
