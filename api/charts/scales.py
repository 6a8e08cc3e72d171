"""Cartesian axes as data: value and category axes, their scales, ticks and grid lines."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from api.charts.specs import ChartSpec
from api.charts.style import THEMES, format_number, tick_decimals

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@dataclass(frozen=True)
class ValueAxis:
    """A numeric axis: ticks chosen from the data range, labelled in a number format."""

    label: str = ""
    log: bool = False
    number_format: str = "plain"
    low: float | None = None
    high: float | None = None
    grid: bool = True
    integer: bool = False  # ticks on whole numbers only (point indexes, counts)


@dataclass(frozen=True)
class CategoryAxis:
    """Categories at positions 0..n-1 (or ``positions``), labelled with ``labels``."""

    labels: tuple[str, ...]
    label: str = ""
    inverted: bool = False  # first category at the top (horizontal bars, heatmap rows)


Axis = ValueAxis | CategoryAxis


def apply_scale(ax: Axes, axis: Axis, which: str) -> None:
    set_scale, set_lim = (ax.set_xscale, ax.set_xlim) if which == "x" else (ax.set_yscale, ax.set_ylim)
    if isinstance(axis, CategoryAxis):
        count = max(len(axis.labels), 1)
        lim = (count - 0.5, -0.5) if axis.inverted else (-0.5, count - 0.5)
        set_lim(*lim)
        return
    if axis.log:
        set_scale("log")
    if axis.low is not None or axis.high is not None:
        auto_low, auto_high = ax.get_xlim() if which == "x" else ax.get_ylim()
        low = auto_low if axis.low is None else axis.low
        high = auto_high if axis.high is None else axis.high
        if not low < high:
            # One end given beyond the data (max=0 over positive values): keep the
            # given end and open a range on the other side instead of a zero range.
            if axis.high is None:
                high = low * 10 if axis.log else low + (abs(low) or 1.0)
            else:
                low = high / 10 if axis.log else high - (abs(high) or 1.0)
        set_lim(low, high)


def value_ticks(axis: ValueAxis, low: float, high: float, max_ticks: int) -> list[float]:
    from matplotlib.ticker import LogLocator, MaxNLocator

    low, high = min(low, high), max(low, high)
    if axis.log:
        locator = LogLocator(base=10, numticks=max_ticks)
        ticks = locator.tick_values(max(low, 1e-300), high)
    else:
        ticks = MaxNLocator(nbins=max_ticks, steps=[1, 2, 2.5, 5, 10], integer=axis.integer).tick_values(
            low, high
        )
    tolerance = (high - low) * 1e-9
    return [float(t) for t in ticks if low - tolerance <= t <= high + tolerance]


def tick_labels(axis: ValueAxis, ticks: list[float]) -> list[str]:
    if axis.log:
        places = [max(0, -math.floor(math.log10(t))) if t < 1 else 0 for t in ticks]
        return [format_number(t, axis.number_format, d) for t, d in zip(ticks, places, strict=True)]
    step = min((b - a for a, b in itertools.pairwise(ticks)), default=1.0)
    decimals = tick_decimals(step)
    return [format_number(t, axis.number_format, decimals) for t in ticks]


def draw_grid(ax: Axes, spec: ChartSpec, axis: Axis, which: str) -> list[float]:
    """Grid lines and tick marks of a value axis; returns its ticks."""
    if not isinstance(axis, ValueAxis):
        return []
    from matplotlib.collections import LineCollection
    from matplotlib.markers import TICKDOWN, TICKLEFT

    theme = THEMES[spec.theme]
    lim = ax.get_xlim() if which == "x" else ax.get_ylim()
    length_px = (spec.output.width if which == "x" else spec.output.height) * 0.75
    ticks = value_ticks(axis, lim[0], lim[1], max(2, min(8, int(length_px // 45))))
    transform = ax.get_xaxis_transform() if which == "x" else ax.get_yaxis_transform()
    if axis.grid:
        segments = [[(t, 0), (t, 1)] if which == "x" else [(0, t), (1, t)] for t in ticks]
        ax.add_collection(
            LineCollection(segments, transform=transform, colors=theme.grid, linewidths=0.8, zorder=0.5),
            autolim=False,
        )
    zeros = [0.0] * len(ticks)
    xs, ys = (ticks, zeros) if which == "x" else (zeros, ticks)
    ax.plot(
        xs,
        ys,
        linestyle="",
        marker=TICKDOWN if which == "x" else TICKLEFT,
        markersize=3.5,
        markeredgewidth=0.8,
        color=theme.axis,
        transform=transform,
        clip_on=False,
        scalex=False,
        scaley=False,
    )
    return ticks
