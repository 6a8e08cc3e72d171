"""Area charts: filled lines, overlapping or stacked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from marshmallow import fields

from api.charts.frame import CategoryAxis, add_axes, finish
from api.charts.kinds.bar import category_labels, legend_entries
from api.charts.kinds.line import value_axis, write_values
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, options_of
from api.charts.style import series_colors

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from api.settings import Limits


@dataclass(frozen=True)
class AreaOptions(KindOptions):
    stacked: bool = False


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "stacked": fields.Boolean(
            load_default=False,
            metadata={"description": "Stack the series on each other instead of overlapping."},
        )
    }


def render(spec: ChartSpec, fig: Figure) -> None:
    opts = options_of(spec, AreaOptions)
    ax = add_axes(fig, spec)
    colors = series_colors(spec.colors, len(spec.series))
    positions = list(range(len(spec.series[0])))
    base = [0.0] * len(positions)
    tops = []
    for values, color in zip(spec.series, colors, strict=True):
        top = [b + v for b, v in zip(base, values, strict=True)] if opts.stacked else list(values)
        low = base if opts.stacked else [0.0] * len(positions)
        ax.fill_between(positions, low, top, color=color, alpha=0.85 if opts.stacked else 0.35, linewidth=0)
        ax.plot(positions, top, color=color, linewidth=1.5)
        tops.append(top)
        if opts.stacked:
            base = top
    write_values(ax, spec, tops)
    x = CategoryAxis(category_labels(spec), label=spec.xlabel)
    finish(fig, ax, spec, x=x, y=value_axis(spec), legend=legend_entries(spec, colors))


KIND = ChartKind(
    name="area",
    summary="Area chart",
    description="Filled lines; several series overlap, or stack with stacked=true.",
    render=render,
    groups=("base", "colors", "labels", "legend", "range", "axes", "value_labels"),
    own_fields=own_fields,
    options=lambda params: AreaOptions(stacked=params["stacked"]),
    examples={
        "data": "5,7,9,8,12,14|3,4,4,6,7,9",
        "labels": "Mon,Tue,Wed,Thu,Fri,Sat",
        "legend": "Web,Mobile",
        "title": "Orders",
        "ylabel": "orders",
        "stacked": True,
        "xlabel": "weekday",
        "colors": "0072b2,e69f00",
        "min": 0,
        "max": 25,
    },
)
