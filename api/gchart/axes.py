"""Google's axes (``chxt``, ``chxl``, ``chxr``, ``chxp``, ``chxs``, ``chxtc``) as explicit axis guides.

Google's axes are labels only: they never move the data. Each axis has a range (``chxr``,
default 0..100); labels (``chxl``) are spread evenly along it, or sit at ``chxp`` positions
in the range's units; without labels, the range's numbers are written at a step. On a bar
chart's category axis evenly spread labels sit under the bars.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from api.charts.explicit import AxisGuide
from api.charts.style import tick_decimals
from api.gchart.grammar import AxisStyle

SIDE = {"x": "bottom", "t": "top", "y": "left", "r": "right"}
DEFAULT_RANGE = (0.0, 100.0)
MAX_TICKS = 200
MAX_TICK_OUT = 25.0  # Google's longest outward tick mark, in pixels
MAX_TICK_IN = 10000.0  # inward ones stop at the plot's edge anyway
_ALIGN = {-1: "start", 0: "center", 1: "end"}
_T = TypeVar("_T")


class AxisError(ValueError):
    """A rule broken by the axis parameters: (parameter, message)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class AxisRequest:
    """The axis parameters as parsed, by axis index."""

    types: tuple[str, ...]
    labels: dict[int, tuple[str, ...]]
    ranges: dict[int, tuple[float, float, float | None]]
    positions: dict[int, tuple[float, ...]]
    styles: dict[int, AxisStyle]
    tick_lengths: dict[int, tuple[float, ...]] | None = None  # chxtc, pixels (< 0: inwards)


def collect(
    types: tuple[str, ...],
    labels: tuple[tuple[int, tuple[str, ...]], ...],
    ranges: tuple[tuple[int, float, float, float | None], ...],
    positions: tuple[tuple[int, tuple[float, ...]], ...],
    styles: tuple[AxisStyle, ...],
    *,
    tick_lengths: tuple[tuple[int, tuple[float, ...]], ...] = (),
) -> AxisRequest:
    """Index every axis parameter by axis, checking each names an axis of ``chxt`` once."""
    request = AxisRequest(
        types,
        _by_axis("chxl", types, labels),
        _by_axis("chxr", types, [(i, (a, b, s)) for i, a, b, s in ranges]),
        _by_axis("chxp", types, positions),
        _by_axis("chxs", types, [(s.index, s) for s in styles]),
        _by_axis("chxtc", types, tick_lengths),
    )
    for index, (start, end, step) in request.ranges.items():
        if start == end:
            raise AxisError("chxr", f"Axis {index}: the range {start:g}..{end:g} is empty.")
        if step is not None and (step <= 0 or abs(end - start) / step > MAX_TICKS):
            raise AxisError(
                "chxr",
                f"Axis {index}: the step {step:g} must be above 0 and give at most {MAX_TICKS} labels.",
            )
    for index, places in request.positions.items():
        count = len(request.labels.get(index, places))
        if len(places) != count:
            raise AxisError("chxp", f"Axis {index}: {len(places)} positions for {count} labels.")
    for style in styles:
        # Font size 0 was Google's way to hide an axis's labels (its line and ticks stay).
        if style.font_px is not None and not (style.font_px == 0 or 1 <= style.font_px <= 72):
            raise AxisError(
                "chxs",
                f"Axis {style.index}: font size {style.font_px:g} is not 0 (no labels) or within 1..72.",
            )
    return request


def _by_axis(parameter: str, types: tuple[str, ...], items: Iterable[tuple[int, _T]]) -> dict[int, _T]:
    found: dict[int, _T] = {}
    for index, value in items:
        if index >= len(types):
            raise AxisError(
                parameter,
                f"Axis {index} is not in chxt ({','.join(types) or 'no axes'}); indexes start at 0.",
            )
        if index in found:
            raise AxisError(parameter, f"Axis {index} is given twice.")
        found[index] = value
    return found


def guides(request: AxisRequest, *, category_sides: tuple[str, ...], bars: int) -> tuple[AxisGuide, ...]:
    """The axis guides of ``chxt``; ``category_sides`` are the sides along a bar chart's
    categories, where evenly spread labels sit under ``bars`` bars."""
    result = []
    for index, kind in enumerate(request.types):
        side = SIDE[kind]
        style = request.styles.get(index)
        ticks = _ticks(request, index, under_bars=bars if side in category_sides else 0)
        hidden = style is not None and style.font_px == 0
        if hidden:
            ticks = tuple((place, "") for place, _ in ticks)
        drawn = "lt" if style is None else style.drawn
        result.append(
            AxisGuide(
                side=side,
                ticks=ticks,
                color=style.color if style else None,
                font_px=style.font_px if style and not hidden else None,
                align=None if style is None or style.align is None else _ALIGN[style.align],
                line="l" in drawn,
                tick_marks="t" in drawn,
                line_color=style.axis_color if style else None,
                tick_color=style.tick_color if style else None,
                tick_lengths_px=_tick_lengths((request.tick_lengths or {}).get(index, ())),
            )
        )
    return tuple(result)


def _tick_lengths(given: tuple[float, ...]) -> tuple[float, ...]:
    """chxtc lengths as Google drew them: outwards at most MAX_TICK_OUT pixels; inwards as far
    as asked, cut by the plot's edges (a long one crosses the plot like a grid line)."""
    return tuple(min(v, MAX_TICK_OUT) if v > 0 else max(v, -MAX_TICK_IN) for v in given)


def _ticks(request: AxisRequest, index: int, under_bars: int) -> tuple[tuple[float, str], ...]:
    start, end, step = request.ranges.get(index, (*DEFAULT_RANGE, None))
    style = request.styles.get(index)
    labels, places = request.labels.get(index), request.positions.get(index)
    if places is not None:
        texts = labels if labels is not None else tuple(_number(p, style, step or 1.0) for p in places)
        return tuple(((p - start) / (end - start), text) for p, text in zip(places, texts, strict=True))
    if labels is not None:
        return tuple(zip(spread(len(labels), under_bars), labels, strict=True))
    values = steps(start, end, step)
    spacing = abs(values[1] - values[0]) if len(values) > 1 else 1.0
    return tuple(((v - start) / (end - start), _number(v, style, spacing)) for v in values)


def spread(count: int, bars: int = 0) -> list[float]:
    """Evenly spread positions: under each of ``bars`` bars when there are as many labels, else
    from one end of the axis to the other."""
    if bars and count == bars:
        return [(i + 0.5) / count for i in range(count)]
    if count == 1:
        return [0.5] if bars else [0.0]
    return [i / (count - 1) for i in range(count)]


def steps(start: float, end: float, step: float | None) -> list[float]:
    """Values from start to end: every ``step``, or at a round step giving about six labels."""
    low, high = min(start, end), max(start, end)
    if step is None:
        raw = (high - low) / 5
        magnitude = 10 ** math.floor(math.log10(raw))
        step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
        first = math.ceil(low / step - 1e-9) * step
    else:
        first = low
    count = min(int((high - first) / step + 1e-9) + 1, MAX_TICKS + 1)
    values = [first + i * step for i in range(count)]
    return values if start <= end else values[::-1]


def _number(value: float, style: AxisStyle | None, step: float) -> str:
    if style is not None and style.number_format is not None:
        return style.number_format(value)
    decimals = min(tick_decimals(step), 6)
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text
