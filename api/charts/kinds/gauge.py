"""Gauges: a dial over a red-yellow-green arc with one needle per value (Google-o-meter)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.charts.explicit import PT_PER_PX, LineStyle
from api.charts.frame import LegendEntry, bare_axes, is_compact, plot_area, text_sizes, theme_of
from api.charts.marks import style_line
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
LABEL_GAP_PX = 4.0  # between the arc (or the caption) and the labels around (under) it
TIP = 0.9  # a needle's tip, in radius units from the hub
HEAD_PX = 10.0  # an arrow head's length and width when its style gives none


@dataclass(frozen=True)
class DialLabels:
    """An axis of the dial: texts at positions 0..1 from min to max, around the arc outside it
    (``around``), or under the dial from the arc's left end to its right one. Several around
    (or under) the dial are stacked outwards in order."""

    ticks: tuple[tuple[float, str], ...]
    around: bool = True
    color: str | None = None
    font_px: float | None = None


@dataclass(frozen=True)
class NeedleStyle:
    """A needle drawn as an arrow: a body ``width_px`` wide (0: none), dashed when ``dash_px``
    and ``gap_px`` are above 0, and a head ``head_px`` long and wide (None: HEAD_PX)."""

    width_px: float
    dash_px: float = 0.0
    gap_px: float = 0.0
    head_px: float | None = None


@dataclass(frozen=True)
class GaugeOptions(KindOptions):
    arc_colors: tuple[str, ...] = ()  # the arc's gradient, left to right; empty: red-yellow-green
    caption: str | None = None  # the text under the dial; None: the first value
    range_labels: bool = True  # min and max at the arc's ends
    dial_labels: tuple[DialLabels, ...] = ()
    needle_styles: tuple[NeedleStyle | None, ...] = ()  # per needle; None or missing: a wedge


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
    labels = _measured_labels(spec, opts, fig.dpi)
    decimals = min(max((tick_decimals(abs(v)) for v in (*values, low, high) if v), default=0), 2)
    caption = format_number(values[0], spec.number_format, decimals) if opts.caption is None else opts.caption
    x_half, y_low, y_high = _view(fig, ax, labels, caption)
    ax.set_xlim(-x_half, x_half)
    ax.set_ylim(y_low, y_high)
    # One colour is an even arc; several a gradient through them.
    arc = list(opts.arc_colors) * (2 if len(opts.arc_colors) == 1 else 1)
    ramp = LinearSegmentedColormap.from_list("arc", arc) if arc else colormaps["RdYlGn"]
    unit_px = _unit_px(fig, ax)
    count = max(MIN_BANDS, min(MAX_BANDS, math.ceil(math.pi * unit_px / BAND_PX)))
    ax.add_collection(PolyCollection(_bands(count), facecolors=ramp(np.linspace(0, 1, count)), linewidths=0))
    styles = opts.needle_styles
    for i, (value, color) in enumerate(zip(values, needles, strict=True)):
        angle = math.radians(180 - 180 * (value - low) / (high - low))
        style = styles[i] if i < len(styles) else None
        if style is not None:
            _draw_arrow(ax, angle, color, style, unit_px / (fig.dpi / 100))
            continue
        tip = (TIP * math.cos(angle), TIP * math.sin(angle))
        side = (0.035 * math.cos(angle + math.pi / 2), 0.035 * math.sin(angle + math.pi / 2))
        ax.add_patch(Polygon([tip, side, (-side[0], -side[1])], closed=True, color=color, zorder=3))
    ax.add_patch(Circle((0, 0), 0.07, color=theme.text, zorder=4))
    size = _caption_size(caption, unit_px, fig.dpi)
    if size >= MIN_CAPTION_PT:
        ax.text(0, -0.25, caption, ha="center", va="center", fontsize=size, color=theme.text)
    if labels:
        _draw_labels(
            ax, labels, theme.text, unit_px, caption_below=_caption_bottom(caption, unit_px, fig.dpi)
        )
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


@dataclass(frozen=True)
class _Measured:
    """An axis of the dial with its font size (points) and its labels' extents (device pixels)."""

    axis: DialLabels
    size_pt: float
    extents: tuple[tuple[float, float], ...]  # per tick: width, height


def _measured_labels(spec: ChartSpec, opts: GaugeOptions, dpi: float) -> list[_Measured]:
    from api.charts.textsize import text_extent

    if is_compact(spec):
        return []
    font = text_sizes(spec).font
    measured = []
    for axis in opts.dial_labels:
        if axis.font_px == 0 or not any(text for _, text in axis.ticks):
            continue  # font size 0 hides an axis's labels
        size = font if axis.font_px is None else axis.font_px * PT_PER_PX
        extents = tuple(text_extent(text, size, dpi) for _, text in axis.ticks)
        measured.append(_Measured(axis, size, extents))
    return measured


def _around_angle(position: float) -> float:
    """The angle (radians) of a position 0..1 from min (left) to max (right) along the arc."""
    return math.pi * (1 - position)


def _view(fig: Figure, ax: Any, labels: list[_Measured], caption: str) -> tuple[float, float, float]:
    """The view's x half-width and y range in radius units: the usual one, or one widened so
    that the labels around and under the dial fit in the axes."""
    view = (XSPAN / 2, YSPAN_LOW, YSPAN_LOW + YSPAN)
    if not labels:
        return view
    _, _, width, height = ax.get_position(original=True).bounds  # before the equal aspect shrinks it
    box_w, box_h = float(width * fig.bbox.width), float(height * fig.bbox.height)
    gap = LABEL_GAP_PX * fig.dpi / 100
    around = list(_around(labels, gap))
    under = sum(max(h for _, h in m.extents) + gap for m in labels if not m.axis.around)

    def view_at(radius: float) -> tuple[float, float, float]:
        x_half, y_low, y_high = view
        for cos, sin, depth, out_w, out_h in around:
            x_half = max(x_half, ((radius + depth) * abs(cos) + out_w) / radius)
            y_high = max(y_high, ((radius + depth) * sin + out_h) / radius)
        if under:
            y_low = min(y_low, -(_caption_bottom(caption, radius, fig.dpi) or UNDER_TOP) - under / radius)
        return x_half, y_low, y_high

    def fits(radius: float) -> bool:
        x_half, y_low, y_high = view_at(radius)
        return 2 * x_half * radius <= box_w and (y_high - y_low) * radius <= box_h

    # The largest radius (pixels) at which the dial and its labels fit.
    low, high = 1.0, min(box_w / XSPAN, box_h / YSPAN)
    if fits(high):
        return view_at(high)
    for _ in range(24):
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return view_at(low)


def _around(labels: list[_Measured], gap: float) -> Any:
    """Each label around the arc as (cos, sin of its angle, its distance out from the arc, how
    far it reaches across and up from its anchor), in pixels; axes stack outwards."""
    depth = gap
    for measured in labels:
        if not measured.axis.around:
            continue
        reach = 0.0
        for (position, text), (w, h) in zip(measured.axis.ticks, measured.extents, strict=True):
            angle = _around_angle(position)
            cos, sin = math.cos(angle), math.sin(angle)
            if text:
                yield cos, sin, depth, (w if abs(cos) > 0.3 else w / 2), (h if sin > 0.3 else h / 2)
                reach = max(reach, abs(cos) * w + sin * h)
        depth += reach + gap


UNDER_TOP = 0.1  # where labels under the dial start without a caption, in radius units below the hub


def _caption_bottom(caption: str, unit_px: float, dpi: float) -> float:
    """How far (radius units) below the hub the caption reaches; 0 without one."""
    from api.charts.textsize import text_extent

    size = _caption_size(caption, unit_px, dpi)
    if not caption or size < MIN_CAPTION_PT:
        return 0.0
    return 0.25 + text_extent(caption, size, dpi)[1] / 2 / unit_px


def _draw_labels(
    ax: Any, labels: list[_Measured], text_color: str, unit_px: float, caption_below: float
) -> None:
    """The labels around the arc (outwards from it) and under the dial (down from the caption)."""
    gap = LABEL_GAP_PX * ax.figure.dpi / 100
    placed = iter(_around(labels, gap))
    top = -(caption_below or UNDER_TOP) - gap / unit_px
    span = 1 - RING / 2  # the arc's ends, at the middle of the band
    for measured in labels:
        axis = measured.axis
        style = {"fontsize": measured.size_pt, "color": axis.color or text_color}
        texts = [(position, text) for position, text in axis.ticks if text]
        if not axis.around:
            for position, text in texts:
                ax.text(-span + 2 * span * position, top, text, ha="center", va="top", **style)
            top -= (max(h for _, h in measured.extents) + gap) / unit_px
            continue
        # One iterator over every axis around: each takes its own labels' places.
        for (_, text), (cos, sin, depth, _w, _h) in zip(texts, placed, strict=False):
            ha = "right" if cos < -0.3 else "left" if cos > 0.3 else "center"
            va = "bottom" if sin > 0.3 else "center"
            out = 1 + depth / unit_px
            ax.text(out * cos, out * sin, text, ha=ha, va=va, **style)


def _draw_arrow(ax: Any, angle: float, color: str, style: NeedleStyle, unit_css_px: float) -> None:
    """A needle as an arrow: its body from the hub, its head at the tip (sizes in CSS pixels,
    ``unit_css_px`` of them to the radius)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon

    head = (HEAD_PX if style.head_px is None else style.head_px) / unit_css_px
    head = min(head, TIP)
    direction, across = (math.cos(angle), math.sin(angle)), (-math.sin(angle), math.cos(angle))
    base = TIP - head
    if style.width_px > 0:
        line = Line2D([0, base * direction[0]], [0, base * direction[1]], color=color, zorder=3)
        line.set_solid_capstyle("butt")
        style_line(line, LineStyle(style.width_px, style.dash_px, style.gap_px))
        ax.add_line(line)
    if head > 0:
        tip = (TIP * direction[0], TIP * direction[1])
        corners = [
            (
                base * direction[0] + sign * head / 2 * across[0],
                base * direction[1] + sign * head / 2 * across[1],
            )
            for sign in (1, -1)
        ]
        ax.add_patch(Polygon([tip, *corners], closed=True, color=color, zorder=3))


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
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return float(min(width * fig.bbox.width / (x1 - x0), height * fig.bbox.height / (y1 - y0)))


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
    sentences = [
        f"The dial runs from {number(low, fmt)} to {number(high, fmt)}, "
        f"with {plural(len(values), 'needle')}: {listing(needles)}."
    ]
    opts = options_of(spec, GaugeOptions, GaugeOptions())
    for around, where in ((True, "Around the dial"), (False, "Under the dial")):
        texts = [t for axis in opts.dial_labels if axis.around == around for _, t in axis.ticks if t]
        if texts:
            sentences.append(f"{where}: {listing(texts)}.")
    return sentences


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
