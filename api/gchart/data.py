"""Google's chart data (``chd``) and its scaling (``chds``).

Three encodings: text (``t:1.5,_,30|4,5,6``), simple (``s:Ab_9,XY``: one character a value,
0..61) and extended (``e:AAB.__,..``: two characters a value, 0..4095). ``_`` and ``__`` are
missing values. A digit after the letter (``t1:``) says how many series are drawn; the ones
after it are hidden and only carry markers.

Values are scaled into fractions of the plot (0 at the bottom, 1 at the top), as Google drew
them: text against 0..100 or the ``chds`` range of its series (lower values are missing,
higher ones are cut to the top), simple and extended against their whole alphabet.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from api.gchart.grammar import NUMBER

SIMPLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
EXTENDED = SIMPLE + "-."
SIMPLE_MAX = len(SIMPLE) - 1  # 61
EXTENDED_MAX = len(EXTENDED) ** 2 - 1  # 4095
TEXT_RANGE = (0.0, 100.0)

_TEXT_VALUE = rf"(?:_|{NUMBER})"
_TEXT_SERIES = rf"{_TEXT_VALUE}(?:,{_TEXT_VALUE})*"
_SIMPLE_SERIES = r"[A-Za-z0-9_]+"
_EXTENDED_SERIES = r"(?:[A-Za-z0-9.\-]{2}|__)+"


def data_pattern(max_series: int) -> str:
    """The exact grammar of ``chd``, with at most ``max_series`` series."""
    more = f"{{0,{max_series - 1}}}"
    return (
        rf"^(?:[ta][0-9]{{0,2}}:{_TEXT_SERIES}(?:\|{_TEXT_SERIES}){more}"
        rf"|s[0-9]{{0,2}}:{_SIMPLE_SERIES}(?:,{_SIMPLE_SERIES}){more}"
        rf"|e[0-9]{{0,2}}:{_EXTENDED_SERIES}(?:,{_EXTENDED_SERIES}){more})$"
    )


SCALE_PATTERN = rf"^(?:a|{NUMBER},{NUMBER}(?:,{NUMBER},{NUMBER})*)$"


@dataclass(frozen=True)
class ChartData:
    """``chd`` decoded: the values as written (None where missing), not yet scaled."""

    encoding: str  # "t", "s" or "e"
    series: tuple[tuple[float | None, ...], ...]
    visible: int  # series drawn; the rest only carry markers
    auto: bool = False  # a: text data scaled as chds=a unless chds says otherwise

    @property
    def hidden(self) -> int:
        return len(self.series) - self.visible


def parse_data(text: str) -> ChartData:
    """``text`` already matches :func:`data_pattern`."""
    head, _, body = text.partition(":")
    encoding, count = head[0], head[1:]
    if encoding == "a":  # text data, automatically scaled (as later Image Charts services read it)
        return replace(parse_data(f"t{count}:{body}"), auto=True)
    if encoding == "t":
        series = tuple(
            tuple(None if v == "_" else float(v) for v in part.split(",")) for part in body.split("|")
        )
    elif encoding == "s":
        series = tuple(tuple(_simple(c) for c in part) for part in body.split(","))
    else:
        series = tuple(
            tuple(_extended(part[i : i + 2]) for i in range(0, len(part), 2)) for part in body.split(",")
        )
    visible = len(series) if not count else min(int(count), len(series))
    return ChartData(encoding, series, visible)


def _simple(char: str) -> float | None:
    return None if char == "_" else float(SIMPLE.index(char))


def _extended(pair: str) -> float | None:
    if pair == "__":
        return None
    return float(EXTENDED.index(pair[0]) * len(EXTENDED) + EXTENDED.index(pair[1]))


def describe_data_error(text: str) -> str:
    """What is wrong with a ``chd`` that does not match the grammar, in Google's terms."""
    match = re.match(r"([tsea])([0-9]*):", text)
    if match is None:
        return (
            "Expected t: (text), a: (text, scaled automatically), s: (simple) or e: (extended) "
            "encoded data, e.g. t:10,20,30|5,15,25."
        )
    encoding, body = match.group(1), text[match.end() :]
    if encoding in "ta":
        return _describe_text_error(body)
    name, alphabet, rule = {
        "s": ("simple", SIMPLE, "A-Z, a-z, 0-9 are 0..61; _ is missing"),
        "e": ("extended", EXTENDED, "A-Z, a-z, 0-9, - and . in pairs; __ is missing"),
    }[encoding]
    bad = next((c for c in body if c not in alphabet + "_,"), None)
    if bad is not None:
        return f"{bad!r} is out of range for the {name} encoding ({rule})."
    each = "one character" if encoding == "s" else "two characters (__ for missing)"
    return f"{name.capitalize()} encoding: {each} a value, series separated by ','; no empty series."


def _describe_text_error(body: str) -> str:
    for value in re.split(r"[,|]", body):
        if value != "_" and not re.fullmatch(NUMBER, value):
            return (
                f"{value[:40]!r} is not a number: text data are decimal numbers (or _ for missing) "
                "separated by ',', series separated by '|'."
            )
    return "Text data: numbers separated by ',', series separated by '|'."


@dataclass(frozen=True)
class Scaled:
    """Series as fractions of the plot height (NaN where missing), the values to show in
    value labels, and the baseline bars rise from."""

    fractions: tuple[tuple[float, ...], ...]
    values: tuple[tuple[float | None, ...], ...]
    baseline: float  # fraction where the value 0 lies (0 unless a range runs below 0)
    ranges: tuple[tuple[float, float], ...] = ()  # (min, max) of each series, in the units of values


def parse_scale(text: str) -> tuple[tuple[float, float], ...] | str:
    """``chds``: ``"a"`` (automatic) or one (min, max) pair a series."""
    if text == "a":
        return "a"
    numbers = [float(v) for v in text.split(",")]
    return tuple((numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2))


def scale_ranges(
    data: ChartData, scale: tuple[tuple[float, float], ...] | str | None
) -> tuple[tuple[float, float], ...]:
    """The (min, max) of each series: its ``chds`` pair (the last pair repeats), the common
    data range for ``chds=a`` (0 included), or the encoding's whole range."""
    count = len(data.series)
    if data.encoding == "s":
        return ((0.0, float(SIMPLE_MAX)),) * count
    if data.encoding == "e":
        return ((0.0, float(EXTENDED_MAX)),) * count
    if scale is None:
        return (TEXT_RANGE,) * count
    if isinstance(scale, str):  # "a"
        values = [v for series in data.series for v in series if v is not None]
        low, high = min([0.0, *values]), max([0.0, *values])
        if high <= low:
            high = low + 1.0
        return ((low, high),) * count
    return tuple(scale[min(i, len(scale) - 1)] for i in range(count))


def scale(data: ChartData, chds: tuple[tuple[float, float], ...] | str | None) -> Scaled:
    """Fractions of the plot, as Google scaled each encoding."""
    if data.auto and chds is None:
        chds = "a"
    ranges = scale_ranges(data, chds)
    fractions = []
    for values, (low, high) in zip(data.series, ranges, strict=True):
        span = high - low
        row = []
        for value in values:
            if value is None or value < low:
                row.append(math.nan)  # below the range: missing, as Google drew it
            else:
                row.append((min(value, high) - low) / span)
        fractions.append(tuple(row))
    shown_ranges = (
        ranges
        if data.encoding == "t" or not isinstance(chds, tuple)
        else scale_ranges(ChartData("t", data.series, data.visible), chds)
    )
    return Scaled(tuple(fractions), _shown_values(data, chds), _baseline(ranges[0]), shown_ranges)


def _baseline(limits: tuple[float, float]) -> float:
    low, high = limits
    return 0.0 if low >= 0 else min(1.0, -low / (high - low))


def _shown_values(
    data: ChartData, chds: tuple[tuple[float, float], ...] | str | None
) -> tuple[tuple[float | None, ...], ...]:
    """Value labels show text data as written; encoded data as the encoded numbers, or
    mapped onto the ``chds`` range when one is given (as Google's markers did)."""
    if data.encoding == "t" or not isinstance(chds, tuple):
        return data.series
    top = SIMPLE_MAX if data.encoding == "s" else EXTENDED_MAX
    shown = []
    for i, values in enumerate(data.series):
        low, high = chds[min(i, len(chds) - 1)]
        shown.append(tuple(None if v is None else low + v / top * (high - low) for v in values))
    return tuple(shown)


def check_scale(scale: tuple[tuple[float, float], ...] | str) -> str | None:
    """The first (min, max) pair that is not a range, described."""
    if isinstance(scale, str):
        return None
    for i, (low, high) in enumerate(scale, start=1):
        if not low < high:
            return f"Pair {i} ({low:g},{high:g}): the minimum must be less than the maximum."
    return None
