"""Histograms: the values of each series counted into bins on the server."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from marshmallow import fields
from marshmallow import validate as validators

from api.charts.frame import ValueAxis, add_axes, finish
from api.charts.kinds.bar import legend_entries
from api.charts.options import KindOptions
from api.charts.sentences import extremes, series_names
from api.charts.specs import ChartKind, ChartSpec, options_of
from api.charts.style import series_colors
from api.plaintext import listing, plural

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from api.settings import Limits

MAX_BINS = 100


@dataclass(frozen=True)
class HistogramOptions(KindOptions):
    bins: int | None = None


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "bins": fields.Integer(
            validate=validators.Range(min=1, max=MAX_BINS),
            metadata={"description": f"Number of equal-width bins, 1..{MAX_BINS}. Default: Sturges' rule."},
        )
    }


def bin_count(spec: ChartSpec) -> int:
    """The requested bins, or Sturges' rule on the longest series (never numpy's 'auto',
    whose bin count grows without bound on outliers)."""
    opts = options_of(spec, HistogramOptions)
    if opts.bins:
        return opts.bins
    longest = max(len(values) for values in spec.series)
    return min(MAX_BINS, math.ceil(math.log2(longest)) + 1)


def render(spec: ChartSpec, fig: Figure) -> None:
    import numpy as np

    ax = add_axes(fig, spec)
    colors = series_colors(spec.colors, len(spec.series))
    everything = np.concatenate([np.asarray(values) for values in spec.series])
    low, high = float(everything.min()), float(everything.max())
    if low == high:  # one distinct value: a bin of width 1 around it
        low, high = low - 0.5, high + 0.5
    edges = np.linspace(low, high, bin_count(spec) + 1)
    overlap = len(spec.series) > 1
    for values, color in zip(spec.series, colors, strict=True):
        counts, _ = np.histogram(values, bins=edges)
        artist = ax.stairs(counts, edges, fill=True, color=color, alpha=0.45 if overlap else 1.0, zorder=2)
        artist.sticky_edges.y.append(0.0)
        if overlap:  # a solid outline tells overlapping series apart
            ax.stairs(counts, edges, color=color, linewidth=1.5, zorder=3)
    x = ValueAxis(label=spec.xlabel, number_format=spec.number_format, grid=False)
    y = ValueAxis(label=spec.ylabel or "count", log=spec.log, grid=spec.grid, integer=True)
    finish(fig, ax, spec, x=x, y=y, legend=legend_entries(spec, colors))


def describe(spec: ChartSpec, kind: ChartKind) -> list[str]:
    series = [values for values in spec.series if values]
    if not series:
        return []
    names = series_names(spec)
    counted = listing(
        [f"{name}: {plural(len(values), 'value')}" for name, values in zip(names, series, strict=False)]
    )
    everything = [v for values in series for v in values]
    return [
        f"{plural(len(series), 'series', 'series')} counted into {plural(bin_count(spec), 'bin')} "
        f"({counted}).",
        f"Values run {extremes(spec, kind, everything, named=False)}.",
    ]


KIND = ChartKind(
    name="histogram",
    summary="Histogram",
    description="Counts the values of each series into equal-width bins shared by all series.",
    render=render,
    describe=describe,
    groups=("base", "colors", "legend", "axes"),
    own_fields=own_fields,
    options=lambda params: HistogramOptions(bins=params.get("bins")),
    equal_lengths=False,
    examples={
        "data": "2.1,2.5,2.7,3.0,3.1,3.2,3.3,3.5,3.6,3.8,4.0,4.1,4.4,4.9,5.5|3.0,3.4,3.9,4.2,4.5,4.6,4.8,5.0,5.2,5.9",
        "bins": 8,
        "legend": "Before,After",
        "title": "Response times",
        "xlabel": "seconds",
        "ylabel": "requests",
        "colors": "0072b2,e69f00",
    },
)
