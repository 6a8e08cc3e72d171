"""Gauges: a dial over a red-yellow-green arc with one needle per value (Google-o-meter)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from api.charts.frame import LegendEntry, bare_axes, is_compact, plot_area, theme_of
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, SpecError, options_of
from api.charts.style import FONT_SIZE, TITLE_SIZE, format_number, series_colors, tick_decimals
from api.plaintext import listing, number, plural

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from api.settings import Limits

MAX_NEEDLES = 5
BANDS = 60  # arc segments of the colour ramp
RING = 0.28  # arc width as a share of the radius


@dataclass(frozen=True)
class GaugeOptions(KindOptions):
    arc_colors: tuple[str, ...] = ()  # the arc's gradient, left to right; empty: red-yellow-green
    caption: str | None = None  # the text under the dial; None: the first value
    range_labels: bool = True  # min and max at the arc's ends


def value_range(spec: ChartSpec) -> tuple[float, float]:
    low, high = spec.min, spec.max
    return (0.0 if low is None else low), (100.0 if high is None else high)


def check(spec: ChartSpec, limits: Limits) -> None:
    series = spec.series
    if len(series) != 1 or not 1 <= len(series[0]) <= MAX_NEEDLES:
        raise SpecError("series", f"A gauge takes one series of 1 to {MAX_NEEDLES} values (one needle each).")
    low, high = value_range(spec)
    if not low < high:
        raise SpecError("max", f"min ({low:g}) must be less than max ({high:g}).")
    outside = [v for v in series[0] if not low <= v <= high]
    if outside:
        raise SpecError(
            "series", f"{outside[0]:g} is outside the dial's range {low:g}..{high:g}; set min and max."
        )


def render(spec: ChartSpec, fig: Figure) -> None:
    from matplotlib import colormaps
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Circle, Polygon, Wedge

    opts = options_of(spec, GaugeOptions, GaugeOptions())
    theme = theme_of(spec)
    values = spec.series[0]
    low, high = value_range(spec)
    needles = series_colors(spec.colors, len(values)) if spec.colors else [theme.text] * len(values)
    legend = [LegendEntry(label, color) for label, color in zip(spec.labels, needles, strict=False)]
    ax = bare_axes(fig, plot_area(fig, spec, legend if len(values) > 1 else []))
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(-1.15, 1.15)
    ax.set_ylim(-0.45, 1.1)
    # One colour is an even arc; several a gradient through them.
    arc = list(opts.arc_colors) * (2 if len(opts.arc_colors) == 1 else 1)
    ramp = LinearSegmentedColormap.from_list("arc", arc) if arc else colormaps["RdYlGn"]
    step = 180 / BANDS
    bands = [Wedge((0, 0), 1, 180 - (i + 1) * step, 180 - i * step + 0.3, width=RING) for i in range(BANDS)]
    ax.add_collection(
        PatchCollection(bands, facecolors=[ramp(i / (BANDS - 1)) for i in range(BANDS)], linewidths=0)
    )
    for value, color in zip(values, needles, strict=True):
        angle = math.radians(180 - 180 * (value - low) / (high - low))
        tip = (0.9 * math.cos(angle), 0.9 * math.sin(angle))
        side = (0.035 * math.cos(angle + math.pi / 2), 0.035 * math.sin(angle + math.pi / 2))
        ax.add_patch(Polygon([tip, side, (-side[0], -side[1])], closed=True, color=color, zorder=3))
    ax.add_patch(Circle((0, 0), 0.07, color=theme.text, zorder=4))
    if is_compact(spec):
        return
    decimals = min(max((tick_decimals(abs(v)) for v in (*values, low, high) if v), default=0), 2)
    caption = format_number(values[0], spec.number_format, decimals) if opts.caption is None else opts.caption
    ax.text(
        0,
        -0.25,
        caption,
        ha="center",
        va="center",
        fontsize=TITLE_SIZE * 1.3,
        color=theme.text,
    )
    for end, x in ((low, -1 + RING / 2), (high, 1 - RING / 2)) if opts.range_labels else ():
        ax.text(
            x,
            -0.08,
            format_number(end, spec.number_format, decimals),
            ha="center",
            va="top",
            fontsize=FONT_SIZE,
            color=theme.axis,
        )


def describe(spec: ChartSpec, kind: ChartKind) -> list[str]:
    values = spec.series[0] if spec.series else ()
    low = 0.0 if spec.min is None else spec.min
    high = 100.0 if spec.max is None else spec.max
    fmt = spec.number_format
    needles = [
        f"{spec.labels[i] if i < len(spec.labels) else f'needle {i + 1}'} at {number(v, fmt)}"
        for i, v in enumerate(values)
    ]
    return [
        f"The dial runs from {number(low, fmt)} to {number(high, fmt)}, "
        f"with {plural(len(values), 'needle')}: {listing(needles)}."
    ]


KIND = ChartKind(
    name="gauge",
    summary="Gauge",
    description="A dial from min to max (default 0..100) over a red-yellow-green arc, one needle per "
    f"value (1 to {MAX_NEEDLES}); values outside the range are an error. labels name the needles.",
    render=render,
    describe=describe,
    groups=("base", "colors", "labels", "range"),
    check=check,
    colors_for="points",
    default_size=(400, 260),
    examples={
        "data": "72",
        "labels": "Score",
        "title": "Customer satisfaction",
        "min": 0,
        "max": 100,
        "colors": "d55e00",
    },
)
