"""Gauges: a dial over a red-yellow-green arc with one needle per value (Google-o-meter)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.charts.frame import LegendEntry, bare_axes, is_compact, plot_area, theme_of
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, SpecError, options_of
from api.charts.style import FONT_SIZE, TITLE_SIZE, format_number, series_colors, tick_decimals
from api.plaintext import listing, number, plural

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from api.settings import Limits

MAX_NEEDLES = 5
MIN_BANDS, MAX_BANDS = 60, 256  # arc segments of the colour ramp (256: every colour of a ramp)
BAND_PX = 1.5  # widest band at the arc's outer edge, in device pixels: no visible steps
RING = 0.28  # arc width as a share of the radius
XSPAN, YSPAN, YSPAN_LOW = 2.3, 1.55, -0.45  # the view, in units of the radius
CAPTION_BOX = (1.6, 0.36)  # room for the caption under the hub (width, height), in radius units
MIN_CAPTION_PT = 5.0


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
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Circle, Polygon

    opts = options_of(spec, GaugeOptions, GaugeOptions())
    theme = theme_of(spec)
    values = spec.series[0]
    low, high = value_range(spec)
    needles = series_colors(spec.colors, len(values)) if spec.colors else [theme.text] * len(values)
    legend = [LegendEntry(label, color) for label, color in zip(spec.labels, needles, strict=False)]
    ax = bare_axes(fig, plot_area(fig, spec, legend if len(values) > 1 else []))
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(-XSPAN / 2, XSPAN / 2)
    ax.set_ylim(YSPAN_LOW, YSPAN_LOW + YSPAN)
    # One colour is an even arc; several a gradient through them.
    arc = list(opts.arc_colors) * (2 if len(opts.arc_colors) == 1 else 1)
    ramp = LinearSegmentedColormap.from_list("arc", arc) if arc else colormaps["RdYlGn"]
    unit_px = _unit_px(fig, ax)
    count = max(MIN_BANDS, min(MAX_BANDS, math.ceil(math.pi * unit_px / BAND_PX)))
    ax.add_collection(PolyCollection(_bands(count), facecolors=ramp(np.linspace(0, 1, count)), linewidths=0))
    for value, color in zip(values, needles, strict=True):
        angle = math.radians(180 - 180 * (value - low) / (high - low))
        tip = (0.9 * math.cos(angle), 0.9 * math.sin(angle))
        side = (0.035 * math.cos(angle + math.pi / 2), 0.035 * math.sin(angle + math.pi / 2))
        ax.add_patch(Polygon([tip, side, (-side[0], -side[1])], closed=True, color=color, zorder=3))
    ax.add_patch(Circle((0, 0), 0.07, color=theme.text, zorder=4))
    decimals = min(max((tick_decimals(abs(v)) for v in (*values, low, high) if v), default=0), 2)
    caption = format_number(values[0], spec.number_format, decimals) if opts.caption is None else opts.caption
    size = _caption_size(caption, unit_px, fig.dpi)
    if size >= MIN_CAPTION_PT:
        ax.text(0, -0.25, caption, ha="center", va="center", fontsize=size, color=theme.text)
    if is_compact(spec):
        return  # the value only: no room for the range's ends
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


def _bands(count: int) -> Any:
    """The arc as ``count`` quadrilaterals from left to right: at under two pixels wide their
    straight ends trace the circle, and each reaches half a band under the next (no seams)."""
    import numpy as np

    step = np.pi / count
    start = np.pi - step * np.arange(count)  # each band's left end, in radians
    end = start - step * 1.5
    inner, outer = 1 - RING, 1.0
    corners = [(outer, start), (outer, end), (inner, end), (inner, start)]
    return np.stack([np.stack([r * np.cos(a), r * np.sin(a)], axis=-1) for r, a in corners], axis=1)


def _unit_px(fig: Figure, ax: Any) -> float:
    """Device pixels per unit of radius once the equal aspect fits the view into the axes."""
    _, _, width, height = ax.get_position().bounds
    return float(min(width * fig.bbox.width / XSPAN, height * fig.bbox.height / YSPAN))


def _caption_size(caption: str, unit_px: float, dpi: float) -> float:
    """The caption's font size: the usual one, or smaller to fit under the hub and inside the arc."""
    from api.charts.textsize import text_extent

    width_px, height_px = text_extent(caption, 1.0, dpi)  # at 1 pt: sizes scale linearly
    room_w, room_h = CAPTION_BOX[0] * unit_px, CAPTION_BOX[1] * unit_px
    return float(min(TITLE_SIZE * 1.3, room_w / max(width_px, 1e-9), room_h / max(height_px, 1e-9)))


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
