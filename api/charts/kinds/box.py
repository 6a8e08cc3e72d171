"""Box plots: each series is a distribution (median, quartiles, whiskers, outliers)."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from api.charts.frame import CategoryAxis, add_axes, finish, theme_of
from api.charts.kinds.line import value_axis
from api.charts.sentences import MAX_SERIES_DESCRIBED, extremes
from api.charts.specs import ChartKind, ChartSpec
from api.charts.style import series_colors
from api.plaintext import number, plural

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def render(spec: ChartSpec, fig: Figure) -> None:
    ax = add_axes(fig, spec)
    theme = theme_of(spec)
    colors = series_colors(spec.colors, len(spec.series))
    parts = ax.boxplot(
        [list(values) for values in spec.series],
        positions=list(range(len(spec.series))),
        widths=0.5,
        patch_artist=True,
        manage_ticks=False,
        medianprops={"color": theme.text, "linewidth": 1.5},
        whiskerprops={"color": theme.axis},
        capprops={"color": theme.axis},
        flierprops={"marker": "o", "markersize": 3, "markeredgecolor": theme.axis},
    )
    for patch, color in zip(parts["boxes"], colors, strict=True):
        patch.set_facecolor(color)
        patch.set_edgecolor(theme.axis)
    names = spec.labels or tuple(str(i + 1) for i in range(len(spec.series)))
    x = CategoryAxis(names, label=spec.xlabel)
    finish(fig, ax, spec, x=x, y=value_axis(spec), legend=[])


def describe(spec: ChartSpec, kind: ChartKind) -> list[str]:
    names = (
        list(spec.labels)
        if len(spec.labels) == len(spec.series)
        else [f"series {i + 1}" for i in range(len(spec.series))]
    )
    fmt = spec.number_format
    parts = [
        f"{name}: {plural(len(values), 'value')}, median {number(statistics.median(values), fmt)}, "
        f"{extremes(spec, kind, values, named=False)}"
        for name, values in list(zip(names, spec.series, strict=False))[:MAX_SERIES_DESCRIBED]
        if values
    ]
    return [f"{plural(len(spec.series), 'box', 'boxes')}, one per series: " + "; ".join(parts) + "."]


KIND = ChartKind(
    name="box",
    summary="Box plot",
    description="One box per series: median, quartiles, whiskers at 1.5 IQR, outliers as dots. "
    "Series may have different lengths; labels name the series.",
    render=render,
    describe=describe,
    groups=("base", "colors", "labels", "range", "axes"),
    equal_lengths=False,
    labels_for="series",
    examples={
        "data": "12,15,14,19,22,17,16,30|10,11,13,13,14,15,18|20,22,25,21,28,26,24,23",
        "labels": "Team A,Team B,Team C",
        "title": "Lead time",
        "ylabel": "days",
        "xlabel": "team",
        "colors": "0072b2,e69f00,009e73",
        "min": 0,
        "max": 35,
    },
)
