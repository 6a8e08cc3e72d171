"""Sparklines: a word-sized line with no axes, for inline use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from marshmallow import fields

from api.charts.frame import ValueAxis, apply_scale, bare_axes, plot_area
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, options_of
from api.charts.style import series_colors

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from api.settings import Limits


@dataclass(frozen=True)
class SparklineOptions(KindOptions):
    fill: bool = True


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "fill": fields.Boolean(
            load_default=True, metadata={"description": "Shade the area under the first series."}
        )
    }


def render(spec: ChartSpec, fig: Figure) -> None:
    opts = options_of(spec, SparklineOptions)
    ax = bare_axes(fig, plot_area(fig, spec, []))
    ax.set_axis_off()
    colors = series_colors(spec.colors, len(spec.series))
    positions = list(range(len(spec.series[0])))
    for values, color in zip(spec.series, colors, strict=True):
        ax.plot(positions, values, color=color, linewidth=1.5, solid_capstyle="round")
    first = spec.series[0]
    if opts.fill:
        floor = spec.min if spec.min is not None else min(first)
        ax.fill_between(positions, floor, first, color=colors[0], alpha=0.2, linewidth=0)
    ax.plot([positions[-1]], [first[-1]], marker="o", markersize=3, color=colors[0])
    ax.margins(x=0.02, y=0.12)
    apply_scale(ax, ValueAxis(low=spec.min, high=spec.max), "y")


KIND = ChartKind(
    name="sparkline",
    summary="Sparkline",
    description="A small line without axes or labels, sized for text (default 160x40); the last point "
    "is marked. min and max fix the vertical range.",
    render=render,
    groups=("base", "colors", "range"),
    own_fields=own_fields,
    options=lambda params: SparklineOptions(fill=params["fill"]),
    default_size=(160, 40),
    examples={"data": "3,5,4,8,7,9,6,10,12,11", "title": "Trend", "colors": "0072b2", "min": 0, "max": 14},
)
