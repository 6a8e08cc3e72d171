"""The cost model of charts (see :mod:`api.cost`): estimated from the spec, by spec field.

The unit costs were measured on one core of the reference machine with
``python -m bench.worst_cases`` and rounded up.
"""

from __future__ import annotations

import itertools
import math

from api.charts.explicit import (
    ArrowMark,
    CandleMark,
    ChartExtras,
    ErrorBarMark,
    FillMark,
    FlagMark,
    GridGuide,
    LineMark,
    Mark,
    PlacedMark,
    ShapeMark,
    TextMark,
    dash_pattern,
)
from api.charts.fills import MAX_SIDE
from api.charts.kinds.gauge import GaugeOptions
from api.charts.kinds.pie import PieOptions
from api.charts.specs import ChartKind, ChartSpec
from api.cost import Cost
from api.output import Output

BASE_MS = 10.0  # a figure, its frame and an encoder, however small
# Filling and encoding, per output pixel, by format (SVG's cost is in its elements).
NS_PER_PIXEL = {"png": 35.0, "gif": 90.0, "webp": 70.0, "jpeg": 35.0, "svg": 10.0, "json": 0.0, "txt": 0.0}
TEXT_MS = 1.0  # one text laid out and drawn (a label, legend entry, value)
MARKER_MS = 0.02  # one marker shape
RULE_MS = 0.3  # a rule, band or fill polygon
DASH_US_PER_PX = 0.8  # one dash, per device pixel of line width
GRID_LINE_MS = 0.1
FILL_NS_PER_PIXEL = 60.0  # a gradient or stripes: computed, then scaled onto the area


def estimate_chart(spec: ChartSpec, kind: ChartKind) -> Cost:
    cost = Cost()
    out = spec.output
    pixels = out.width * out.height * out.scale**2
    cost.add("output", BASE_MS + pixels * NS_PER_PIXEL.get(out.format, 35.0) / 1e6)
    if kind.base_ms or kind.pixel_ns:
        cost.add("output", kind.base_ms + pixels * kind.pixel_ns / 1e6)
    points = sum(len(values) for values in spec.series)
    cost.add("series", points * kind.point_ms)
    # Pies list their slices in the legend; other kinds thin category labels to what fits.
    legend = len(spec.labels) if kind.labels_for == "slices" else len(spec.legend)
    cost.add("labels" if kind.labels_for == "slices" else "legend", legend * TEXT_MS)
    if spec.value_labels:
        cost.add("value_labels", min(points, kind.max_value_labels) * TEXT_MS)
    if spec.extras is not None:
        _extras(cost, spec, spec.extras)
    if isinstance(spec.options, GaugeOptions):
        _gauge(cost, spec.options, spec.output)
    if isinstance(spec.options, PieOptions) and spec.options.tilt < 1:
        # A tilted pie's side wall: a polygon per slice facing the viewer (at most about all).
        cost.add("options.tilt", points * kind.point_ms)
    return cost


def _gauge(cost: Cost, opts: GaugeOptions, out: Output) -> None:
    """A dial's labels, and its dashed arrows (each shorter than the image is wide or high)."""
    cost.add("options.dial_labels", sum(len(axis.ticks) for axis in opts.dial_labels) * TEXT_MS)
    for style in opts.needle_styles:
        if style is not None and style.width_px > 0 and style.dash_px > 0 and style.gap_px > 0:
            dash, gap = dash_pattern(style.dash_px, style.gap_px)
            dashes = max(out.width, out.height) / (dash + gap)
            cost.add("options.needle_styles", dashes * DASH_US_PER_PX * style.width_px * out.scale / 1000)


def _extras(cost: Cost, spec: ChartSpec, extras: ChartExtras) -> None:
    out = spec.output
    for guide in extras.axes or ():
        cost.add("extras.axes", len(guide.ticks) * TEXT_MS)
        # One tick mark artist per distinct length; long inward ones are rules across the plot.
        lengths = set(guide.tick_lengths_px)
        cost.add(
            "extras.axes",
            len(lengths) * RULE_MS + sum(1 for v in lengths if v < 0) * len(guide.ticks) * MARKER_MS,
        )
    for mark in extras.marks:
        cost.add("extras.marks", _mark_ms(spec, mark))
    for name, fill in (
        ("extras.background_fill", extras.background_fill),
        ("extras.plot_fill", extras.plot_fill),
    ):
        if fill is not None:
            area = min(out.width * out.scale, MAX_SIDE) * min(out.height * out.scale, MAX_SIDE)
            cost.add(name, RULE_MS + area * FILL_NS_PER_PIXEL / 1e6)
    if extras.grid is not None:
        cost.add("extras.grid", _grid_ms(extras.grid, out.width, out.height, out.scale))
    for style, values in zip(extras.line_styles, spec.series, strict=False):
        if style is None or style.width_px <= 0 or not (style.dash_px > 0 and style.gap_px > 0):
            continue
        dash, gap = dash_pattern(style.dash_px, style.gap_px)
        length = _line_length_px(values, spec, out.width, out.height)
        dashes = length / (dash + gap)
        cost.add("extras.line_styles", dashes * DASH_US_PER_PX * style.width_px * out.scale / 1000)


def _mark_ms(spec: ChartSpec, mark: Mark) -> float:
    """A mark's texts, or its rules and polygons and the points they pass."""
    if isinstance(mark, TextMark):
        return len(mark.texts) * TEXT_MS
    if isinstance(mark, FlagMark):
        # A text, its box and its line; an annotation also looks for room among earlier boxes.
        return len(mark.points) * (TEXT_MS + (4 if mark.annotation else 2) * RULE_MS)
    if isinstance(mark, ArrowMark):
        return len(mark.points) * RULE_MS
    if isinstance(mark, ErrorBarMark):
        return 3 * RULE_MS + 3 * len(mark.bars) * MARKER_MS  # a bar and two ends each
    if isinstance(mark, PlacedMark):
        return TEXT_MS if mark.shape == "text" else RULE_MS
    points = 0
    if isinstance(mark, ShapeMark | LineMark):
        points = len(mark.points)
    elif isinstance(mark, CandleMark):
        points = 2 * len(mark.candles)
    elif isinstance(mark, FillMark):
        points = len(spec.series[mark.series])
    return RULE_MS * (2 if isinstance(mark, CandleMark) else 1) + points * MARKER_MS


def _grid_ms(grid: GridGuide, width: int, height: int, scale: int) -> float:
    lines_x = math.floor(1 / grid.x_step) + 1 if grid.x_step > 0 else 0
    lines_y = math.floor(1 / grid.y_step) + 1 if grid.y_step > 0 else 0
    ms = (lines_x + lines_y) * GRID_LINE_MS
    if grid.dash_px > 0 and grid.gap_px > 0:
        dash, gap = dash_pattern(grid.dash_px, grid.gap_px)
        length = lines_x * height + lines_y * width
        ms += length / (dash + gap) * DASH_US_PER_PX * scale / 1000
    return ms


def _line_length_px(values: tuple[float, ...], spec: ChartSpec, width: int, height: int) -> float:
    """An upper bound of a series' drawn length in CSS pixels, over the whole image."""
    finite = [v for v in values if math.isfinite(v)]
    if len(finite) < 2:
        return 0.0
    low = spec.min if spec.min is not None else min(finite)
    high = spec.max if spec.max is not None else max(finite)
    span = (high - low) or 1.0
    # With x values of its own (lxy) a segment may cross the whole width.
    stated_x = bool(getattr(spec.options, "x", ()))
    step = width if stated_x else width / (len(values) - 1)
    length = 0.0
    for a, b in itertools.pairwise(values):
        if math.isfinite(a) and math.isfinite(b):
            length += math.hypot(step, min(abs(b - a) / span, 1.0) * height)
    return length
