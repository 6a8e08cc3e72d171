"""``chm`` markers as chart marks: shapes, value and text labels, fills, lines, rules and bands."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from api.charts.explicit import (
    ArrowMark,
    CandleMark,
    ErrorBarMark,
    FillMark,
    FlagMark,
    LineMark,
    Mark,
    PlacedMark,
    RuleMark,
    ShapeMark,
    TextMark,
)
from api.gchart.grammar import MARKER_TYPES, Marker

SHAPES = {
    "o": "circle",
    "s": "square",
    "d": "diamond",
    "c": "cross",
    "x": "x",
    "v": "vline",
    "V": "vline_full",
    "H": "hline_full",
}
PLACED = {"o": "circle", "s": "square", "d": "diamond", "c": "cross", "x": "x"}
MAX_SIZE_PX = 100.0


class MarkerError(ValueError):
    pass


@dataclass(frozen=True)
class MarkTarget:
    """What markers can point at: per series, the values to write (None where missing), and
    the x values of scatter points; ``fills`` says whether the series are lines."""

    values: tuple[tuple[float | None, ...], ...]
    x_values: tuple[float | None, ...] = ()
    fills: bool = False
    drawn: int = 0  # series drawn by the chart; markers on others need lines (hidden series)
    total: int = 0  # series in the data, hidden ones included
    # Every series (hidden ones included) as points in the data coordinates of the chart's
    # axes, for line markers (D); empty where the chart type takes none.
    lines: tuple[tuple[tuple[float, float], ...], ...] = ()
    horizontal: bool = False  # lines run across: (value, position) pairs
    bars: bool = False  # a bar chart: text markers may stand at a bar's base, centre or end


def to_marks(markers: tuple[Marker, ...], target: MarkTarget) -> tuple[Mark, ...]:
    marks: list[Mark] = []
    for number, marker in enumerate(markers, start=1):
        try:
            marks.extend(_convert(marker, target))
        except MarkerError as exc:
            raise MarkerError(f"Marker {number} ({MARKER_TYPES[marker.type]}): {exc}") from None
    return tuple(marks)


def _convert(marker: Marker, target: MarkTarget) -> list[Mark]:
    above = marker.z >= 0
    if not -1 <= marker.z <= 1:
        raise MarkerError(f"the z-order {marker.z:g} is not within -1..1.")
    if marker.type in "rR":
        start, end = float(marker.which), marker.end
        return [RuleMark(marker.color, start, end, vertical=marker.type == "R")]
    if marker.type == "h":
        return [RuleMark(marker.color, _fraction(marker.which), width_px=_size(marker.size))]
    if marker.type in "BbD@FE":
        return [_WHOLE[marker.type](marker, target)]
    series = _series(marker.series, target)
    size = _size(marker.size)
    marks: list[Mark] = []
    for index in series:
        values = target.values[index]
        points = _points(marker.which, len(values))
        present = [p for p in points if _present(values, p)]
        if marker.type in SHAPES:
            length = None if marker.length is None else _size(marker.length)
            marks.append(
                ShapeMark(SHAPES[marker.type], marker.color, index, tuple(present), size, above, length)
            )
            continue
        if marker.type == "a":
            marks.append(ArrowMark(marker.color, index, tuple(present), size, marker.offset, above))
            continue
        if marker.type in "fA":
            marks.append(_flag(marker, target, index, tuple(present), size))
            continue
        whole = [int(p) for p in present if float(p).is_integer()]
        if marker.type == "t":
            texts = tuple(marker.text for _ in whole)
        else:
            assert marker.number_format is not None  # N markers carry their format
            use_x = marker.number_format.coordinate == "x" and target.x_values
            source = target.x_values if use_x else values
            texts = tuple(marker.number_format(source[p] or 0.0) for p in whole)
        marks.append(_text_mark(marker, target, index, tuple(whole), texts, size))
    return marks


def _text_mark(  # noqa: PLR0917
    marker: Marker,
    target: MarkTarget,
    series: int,
    points: tuple[int, ...],
    texts: tuple[str, ...],
    size: float,
) -> TextMark:
    """Value (N) and text (t) labels, placed as Google's placement field says: l/h/r and
    b/v/t name the part of the text on the point, s/c/e a bar's base, centre or end."""
    across, upright, on_bar = _placement(marker, target)
    placed = across is not None or upright is not None or on_bar is not None or marker.offset != (0.0, 0.0)
    # Without a vertical letter: centred in the bar for "c", else just above the point.
    vertical = {"bottom": "bottom", "middle": "center", "top": "top"}.get(
        upright or "", "center" if on_bar == "center" else "bottom"
    )
    anchor = (across or "center", vertical) if placed else None
    return TextMark(marker.color, series, points, texts, size, marker.z >= 0, anchor, on_bar, marker.offset)


_ACROSS = {"l": "left", "h": "center", "r": "right"}
_UPRIGHT = {"b": "bottom", "v": "middle", "t": "top"}
_ON_BAR = {"s": "base", "c": "center", "e": "end"}


def _placement(marker: Marker, target: MarkTarget) -> tuple[str | None, str | None, str | None]:
    """The placement's letters (None where not given): across, upright, and the place on a bar
    (bar charts only: elsewhere s/c/e change nothing)."""
    letters = marker.anchor
    across = next((_ACROSS[c] for c in letters if c in _ACROSS), None)
    upright = next((_UPRIGHT[c] for c in letters if c in _UPRIGHT), None)
    on_bar = next((_ON_BAR[c] for c in letters if c in _ON_BAR), None) if target.bars else None
    return across, upright, on_bar


def _flag(
    marker: Marker, target: MarkTarget, series: int, points: tuple[float, ...], size: float
) -> FlagMark:
    """A flag (f) or annotation (A): Google's placement letters say which part of the box is
    at the end of its line: l/h/r across, b/v/t up (b: the box above); s/c/e put the point at
    a bar's base, centre or end (bar charts only: elsewhere they change nothing)."""
    across, upright, on_bar = _placement(marker, target)
    return FlagMark(
        marker.color,
        series,
        points,
        marker.text,
        size,
        annotation=marker.type == "A",
        anchor=(across or ("center" if marker.type == "A" else "left"), upright or "bottom"),
        bar_place=on_bar,
        offset_px=marker.offset,
        above=marker.z >= 0,
    )


def _error_bars(marker: Marker, target: MarkTarget) -> ErrorBarMark:
    """Google's error bars: series ``series`` gives each chosen point's bottom and the next
    series its top (usually hidden series); the size is ``<width>[:<cap width>]``."""
    bottoms, tops = _series_run(marker, target, ("an error bar", "error bars"), ("bottom", "top"))
    value = 0 if target.horizontal else 1  # the coordinate that holds the value
    bars = []
    for p in _points(marker.which, min(len(bottoms), len(tops))):
        if not float(p).is_integer():
            continue  # error bars stand on points, not between them
        i = int(p)
        bars.append((bottoms[i][1 - value], bottoms[i][value], tops[i][value]))
    cap = 0.0 if marker.cap is None else _size(marker.cap)
    edges = not target.bars  # line charts: positions are fractions of the plot
    return ErrorBarMark(
        marker.color, tuple(bars), _size(marker.size), cap, target.horizontal, marker.z >= 0, edges
    )


_COUNTS = {2: "two", 4: "four"}


def _series_run(
    marker: Marker, target: MarkTarget, names: tuple[str, str], roles: tuple[str, ...]
) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The consecutive series from ``marker.series`` that give each point's ``roles`` (the
    lines of bar and line charts, hidden series included); ``names``: the mark, one and several."""
    what, plural = names
    if not target.lines:
        raise MarkerError(f"{plural} apply to bar and line charts only.")
    count, first, need = len(target.lines), marker.series, len(roles)
    if first < 0 or first + need > count:
        raise MarkerError(
            f"{what} takes {_COUNTS[need]} series ({', '.join(roles)}) from series {first}; the data have {count}."
        )
    return target.lines[first : first + need]


def _placed_mark(marker: Marker, target: MarkTarget) -> PlacedMark:
    return _placed(marker)


def _candles(marker: Marker, target: MarkTarget) -> CandleMark:
    """Google's candlesticks: four series from ``series`` give each point's low, open, close
    and high (usually hidden series); ``which`` chooses the points."""
    rows = _series_run(marker, target, ("a candlestick", "candlesticks"), ("low", "open", "close", "high"))
    length = min(len(row) for row in rows)
    value = 0 if target.horizontal else 1  # the coordinate that holds the value
    candles = []
    for p in _points(marker.which, length):
        if not float(p).is_integer():
            continue  # candles stand on points, not between them
        i = int(p)
        low, open_, close, high = (row[i][value] for row in rows)
        candles.append((rows[0][i][1 - value], low, open_, close, high))
    edges = not target.bars  # line charts: positions are fractions of the plot
    return CandleMark(
        marker.color, tuple(candles), _size(marker.size), target.horizontal, marker.z >= 0, edges
    )


def _placed(marker: Marker) -> PlacedMark:
    """``@<shape>`` or ``@t<text>`` at ``x:y``, fractions of the plot; the series is not used."""
    x, y = (float(v) for v in marker.which.split(":"))
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise MarkerError(f"the position {marker.which} must be x:y fractions of the chart, 0..1 each.")
    size = _size(marker.size)
    if marker.text.startswith("t"):
        return PlacedMark("text", marker.color, x, y, size, text=marker.text[1:], above=marker.z >= 0)
    return PlacedMark(PLACED[marker.text], marker.color, x, y, size, above=marker.z >= 0)


def _line(marker: Marker, target: MarkTarget) -> LineMark:
    """Google's line marker: the series (often a hidden one) drawn as a line over the chart."""
    if not target.lines:
        raise MarkerError("line markers apply to bar and line charts only.")
    count = len(target.lines)
    if not 0 <= marker.series < count:
        raise MarkerError(f"series {marker.series} does not exist; the data have {count} (0..{count - 1}).")
    return LineMark(marker.color, target.lines[marker.series], _size(marker.size), marker.z >= 0)


def _fill(marker: Marker, target: MarkTarget) -> FillMark:
    if not target.fills:
        raise MarkerError("fills apply to line and radar charts only.")
    assert marker.end is not None  # B and b markers carry their second line
    _series(marker.series, target)
    if marker.type == "B":
        # Google's B fills from the line down; its second index is not used.
        return FillMark(marker.color, marker.series)
    to = int(marker.end)
    _series(to, target)
    return FillMark(marker.color, marker.series, to)


def _series(index: int, target: MarkTarget) -> list[int]:
    count = len(target.values)
    if index == -1:
        return list(range(target.drawn))
    if count <= index < target.total:
        raise MarkerError(
            f"series {index} is hidden; markers on hidden series are drawn on line charts only."
        )
    if not 0 <= index < count:
        raise MarkerError(f"series {index} does not exist; the data have {count} (0..{count - 1}).")
    return [index]


def _points(which: str, count: int) -> list[float]:
    """Google's point selection: all (empty or -1), every n-th (-n), one index (fractions lie
    between points), or start:end:step (all parts optional, end included)."""
    if which in ("", "-1"):
        return [float(i) for i in range(count)]
    if ":" in which:
        start_text, end_text, *step_text = which.split(":")
        start = int(start_text) if start_text else 0
        end = int(end_text) if end_text else count - 1
        step = int(step_text[0]) if step_text and step_text[0] else 1
        if step < 1:
            raise MarkerError(f"the step in {which!r} must be at least 1.")
        return [float(i) for i in range(start, min(end, count - 1) + 1, step)]
    value = float(which)
    if value < 0:
        if not value.is_integer():
            raise MarkerError(f"{which!r}: a negative selection takes every n-th point, a whole n.")
        return [float(i) for i in range(0, count, int(-value))]
    if value > count - 1:
        raise MarkerError(f"point {which} does not exist; the series has {count} (0..{count - 1}).")
    return [value]


def _present(values: tuple[float | None, ...], index: float) -> bool:
    """A point (or the two around a fraction) that has a value."""
    low, high = math.floor(index), math.ceil(index)
    return values[low] is not None and values[high] is not None


def _fraction(text: str) -> float:
    value = float(text) if text not in ("",) and ":" not in text else math.nan
    if not 0 <= value <= 1:
        raise MarkerError(f"the line's height {text!r} must be a fraction of the chart, 0..1.")
    return value


def _size(size: float) -> float:
    if not 0 <= size <= MAX_SIZE_PX:
        raise MarkerError(f"the size {size:g} is not within 0..{MAX_SIZE_PX:g} pixels.")
    return size


# Markers that are one mark whatever their series selects.
_WHOLE: dict[str, Callable[[Marker, MarkTarget], Mark]] = {
    "B": _fill,
    "b": _fill,
    "D": _line,
    "@": _placed_mark,
    "F": _candles,
    "E": _error_bars,
}
