"""The exact grammar of every ``/chart`` parameter, as OpenAPI patterns, and its parsers.

Each parser takes text its pattern already matched and never rejects it: what a single
parameter can say wrong is in its pattern (so the spec and the parser agree), and rules that
involve the data or the chart type are checked later, naming the parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from api.gchart.numbers import FORMAT, NumberFormat, parse_format

# A decimal number as Google read it: as /charts numbers, but with up to 20 decimals (programs
# printing doubles write 16 or 17 of them; the digits beyond a double's precision change nothing).
NUMBER = r"-?(?:[0-9]{1,15}(?:\.[0-9]{0,20})?|\.[0-9]{1,20})(?:[eE][-+]?[0-9]{1,2})?"

COLOR = r"[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?"
INDEX = r"[0-9]{1,2}"
# A series or line index written as a decimal (1.0): Google read its whole part.
_LOOSE_INDEX = r"[0-9]{1,2}(?:\.[0-9]{0,4})?"
PIXELS = r"[0-9]{1,4}"

SIZE = r"^[0-9]{1,5}x[0-9]{1,5}$"
COLORS = rf"^{COLOR}(?:\|{COLOR})*(?:,{COLOR}(?:\|{COLOR})*)*$"
LEGEND_POSITION = r"^(?:b|bv|t|tv|r|l)?(?:\|(?:l|r|a|[0-9]{1,3}(?:,[0-9]{1,3}){0,99}))?$"
TITLE_STYLE = rf"^{COLOR}(?:,{NUMBER}(?:,[lcr])?)?$"
LEGEND_STYLE = rf"^{COLOR}(?:,{NUMBER})?$"
AXIS_TYPES = r"^[xytr](?:,[xytr]){0,7}$"
AXIS_RANGES = rf"^{INDEX},{NUMBER},{NUMBER}(?:,{NUMBER})?(?:\|{INDEX},{NUMBER},{NUMBER}(?:,{NUMBER})?)*$"
AXIS_POSITIONS = rf"^{INDEX}(?:,{NUMBER})+(?:\|{INDEX}(?:,{NUMBER})+)*$"
_AXIS_STYLE = rf"{INDEX}(?:N{FORMAT})?(?:,{COLOR}(?:,{NUMBER}(?:,(?:-1|0|1)(?:,(?:lt|l|t|_)(?:,{COLOR}(?:,{COLOR})?)?)?)?)?)?"
AXIS_STYLES = rf"^{_AXIS_STYLE}(?:\|{_AXIS_STYLE})*$"
_TICK_LENGTHS = rf"{INDEX}(?:,{NUMBER}){{1,50}}"
TICK_LENGTHS = rf"^{_TICK_LENGTHS}(?:\|{_TICK_LENGTHS})*$"
_FILL = (
    rf"(?:(?:bg|c|b{INDEX}|a),s,{COLOR}"
    rf"|(?:bg|c|b{INDEX}),l[gs],{NUMBER}(?:,{COLOR},{NUMBER}){{1,16}})"
)
FILLS = rf"^{_FILL}(?:\|{_FILL})*$"
MARGINS = rf"^(?:{PIXELS},{PIXELS},{PIXELS},{PIXELS}(?:\|{PIXELS},{PIXELS})?|\|{PIXELS},{PIXELS})$"
ZERO_LINES = rf"^{NUMBER}(?:,{NUMBER})*$"
BAR_SIZES = rf"^(?:(?:a|{PIXELS})(?:,{PIXELS}(?:,{PIXELS})?)?|r(?:,{NUMBER}(?:,{NUMBER})?)?)$"
GRID = rf"^{NUMBER},{NUMBER}(?:,{NUMBER}(?:,{NUMBER}(?:,{NUMBER}(?:,{NUMBER})?)?)?)?$"
_LINE_STYLE = rf"{NUMBER}(?:,{NUMBER}(?:,{NUMBER})?)?"
LINE_STYLES = rf"^{_LINE_STYLE}(?:\|{_LINE_STYLE})*$"
QR_OPTIONS = r"^[LMQH](?:\|[0-9]{1,2})?$"

# chm: shapes, value and text labels, fills between lines, and horizontal rules and bands.
_SERIES = r"-?[0-9]{1,2}"
_WHICH = r"(?:-?[0-9]{1,4}(?:\.[0-9]{1,4})?|[0-9]{0,4}:[0-9]{0,4}(?::[0-9]{1,4})?)?"
_TAIL = rf"{_SERIES},{_WHICH},{NUMBER}(?:,{NUMBER})?"
_FRACTION = r"-?(?:[0-9]{1,4}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})"  # @ positions: fractions of the plot
# Shape markers' pixel offset: <reserved>:<x>[:<y>] (the reserved part is empty).
_OFFSET = r":-?[0-9]{1,4}(?::-?[0-9]{1,4})?"
# Text markers' placement: horizontal anchor, vertical anchor, bar-relative place, offsets.
_PLACEMENT = rf"(?:[lhr][bvt]?[sce]?|[bvt][sce]?|[sce])(?:{_OFFSET})?|{_OFFSET}"
_Z = rf"(?:{NUMBER})?"  # an empty z-order before an offset or placement is the default
# A marker's text: up to 60 characters, a comma written as \, (Google's escape).
_MARKER_TEXT = r"(?:\\,|[^,|]){0,60}"
_MARKER = (
    rf"(?:[ocdsxvhD],{COLOR},{_TAIL}"
    rf"|[VH],{COLOR},{_SERIES},{_WHICH},{NUMBER}(?::{NUMBER})?(?:,{NUMBER})?"
    rf"|a,{COLOR},{_SERIES},{_WHICH},{NUMBER}(?:,{_Z}(?:,{_OFFSET})?)?"
    rf"|E,{COLOR},{_SERIES},{_WHICH},{NUMBER}(?::{NUMBER})?(?:,{_Z})?"
    rf"|[fA]{_MARKER_TEXT},{COLOR},{_SERIES},{_WHICH},{NUMBER}(?:,{_Z}(?:,(?:{_PLACEMENT}))?)?"
    rf"|F,(?:{COLOR})?,{_TAIL}"
    rf"|@(?:[ocdsx]|t{_MARKER_TEXT}),{COLOR},{_SERIES},{_FRACTION}:{_FRACTION},{NUMBER}(?:,{NUMBER})?"
    rf"|N{FORMAT},{COLOR},{_SERIES},{_WHICH},{NUMBER}(?:,{_Z}(?:,(?:{_PLACEMENT}))?)?"
    rf"|t{_MARKER_TEXT},{COLOR},{_SERIES},{_WHICH},{NUMBER}(?:,{_Z}(?:,(?:{_PLACEMENT}))?)?"
    rf"|[Bb],{COLOR},{_LOOSE_INDEX},{_LOOSE_INDEX},{NUMBER}(?:,{NUMBER})?"
    rf"|[rR],{COLOR},{INDEX},{NUMBER},{NUMBER}(?:,{NUMBER})?)"
)
MARKERS = rf"^{_MARKER}(?:\|{_MARKER})*$"
MARKER_TYPES = {
    "o": "circle",
    "c": "cross",
    "d": "diamond",
    "s": "square",
    "x": "x",
    "v": "vertical line from the x axis",
    "V": "vertical line across the chart",
    "h": "horizontal line across the chart",
    "D": "line through a series",
    "H": "horizontal line across the chart through a point",
    "@": "shape or text at an x:y position",
    "F": "candlestick",
    "N": "value label",
    "t": "text label",
    "B": "fill under a line",
    "b": "fill between two lines",
    "r": "horizontal band",
    "R": "vertical band",
    "a": "arrow",
    "E": "error bar",
    "f": "flag",
    "A": "annotation",
}
UNSUPPORTED_MARKERS = {
    "C": "rectangle",
    "y": "dynamic icon",
}


# The forms of the markers whose size or last fields differ from the shapes'.
_USAGE = {
    "a": "a,<RRGGBB[AA]>,<series>,<points>,<size>[,<z-order>[,:<x offset>:<y offset>]]",
    "E": "E,<RRGGBB[AA]>,<series>,<points>,<width>[:<cap width>][,<z-order>]",
    "f": "f<text>,<RRGGBB[AA]>,<series>,<points>,<size>[,<z-order>[,<placement>]], the placement "
    "[l|h|r][b|v|t][s|c|e][:<x offset>:<y offset>]",
}
_USAGE["A"] = "A" + _USAGE["f"][1:]


def text_list_pattern(max_text: int) -> str:
    """Texts separated by ``|``, each at most ``max_text`` characters."""
    return rf"^[^|]{{0,{max_text}}}(?:\|[^|]{{0,{max_text}}})*$"


def axis_labels_pattern(max_text: int) -> str:
    """``chxl``: ``<axis>:|label|label|<axis>:|label...``."""
    label = rf"\|[^|]{{0,{max_text}}}"
    return rf"^{INDEX}:(?:{label})+(?:\|{INDEX}:(?:{label})+)*$"


def color(text: str) -> str:
    """``RRGGBB[AA]`` as ``#rrggbbaa``."""
    return "#" + text.lower() + ("ff" if len(text) == 6 else "")


def parse_size(text: str) -> tuple[int, int]:
    width, height = text.split("x")
    return int(width), int(height)


def parse_colors(text: str) -> tuple[tuple[str, ...], ...]:
    """``chco``: per series (``,``), the colours of its elements (``|``)."""
    return tuple(tuple(color(c) for c in group.split("|")) for group in text.split(","))


def parse_legend_position(text: str) -> tuple[str, str]:
    position, _, order = text.partition("|")
    return position or "r", order or "l"


def parse_title_style(text: str) -> tuple[str, float | None, str | None]:
    parts = text.split(",")
    size = float(parts[1]) if len(parts) > 1 else None
    return color(parts[0]), size, parts[2] if len(parts) > 2 else None


def parse_legend_style(text: str) -> tuple[str, float | None]:
    """``chdls``: the legend text's colour and font size."""
    parts = text.split(",")
    return color(parts[0]), float(parts[1]) if len(parts) > 1 else None


def parse_axis_types(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


def parse_axis_labels(text: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """``chxl`` as (axis, labels) pairs; a token ``<n>:`` starts the labels of axis n."""
    axes: list[tuple[int, list[str]]] = []
    for token in text.split("|"):
        if re.fullmatch(rf"{INDEX}:", token):
            axes.append((int(token[:-1]), []))
        else:
            axes[-1][1].append(token)
    return tuple((axis, tuple(labels)) for axis, labels in axes)


def parse_axis_ranges(text: str) -> tuple[tuple[int, float, float, float | None], ...]:
    ranges = []
    for part in text.split("|"):
        index, start, end, *step = part.split(",")
        ranges.append((int(index), float(start), float(end), float(step[0]) if step else None))
    return tuple(ranges)


def parse_axis_positions(text: str) -> tuple[tuple[int, tuple[float, ...]], ...]:
    result = []
    for part in text.split("|"):
        index, *positions = part.split(",")
        result.append((int(index), tuple(float(p) for p in positions)))
    return tuple(result)


@dataclass(frozen=True)
class AxisStyle:
    index: int
    number_format: NumberFormat | None = None
    color: str | None = None
    font_px: float | None = None
    align: int | None = None  # -1 left, 0 centre, 1 right
    drawn: str = "lt"  # l: axis line, t: tick marks, _: neither
    tick_color: str | None = None
    axis_color: str | None = None


def parse_axis_styles(text: str) -> tuple[AxisStyle, ...]:
    styles = []
    for part in text.split("|"):
        head, *rest = part.split(",")
        index = re.match(r"[0-9]+", head)
        assert index is not None  # the pattern starts every style with its index
        number_format = parse_format(head[index.end() + 1 :]) if "N" in head else None
        styles.append(
            AxisStyle(
                index=int(index.group()),
                number_format=number_format,
                color=color(rest[0]) if rest else None,
                font_px=float(rest[1]) if len(rest) > 1 else None,
                align=int(rest[2]) if len(rest) > 2 else None,
                drawn=rest[3] if len(rest) > 3 else "lt",
                tick_color=color(rest[4]) if len(rest) > 4 else None,
                axis_color=color(rest[5]) if len(rest) > 5 else None,
            )
        )
    return tuple(styles)


@dataclass(frozen=True)
class Fill:
    """One ``chf`` fill: solid (``s``: one colour), gradient (``lg``: colours at positions) or
    stripes (``ls``: colours with widths), at an angle in degrees."""

    target: str  # bg, c, b<series>, a (the whole chart's transparency)
    kind: str  # s, lg, ls
    stops: tuple[tuple[str, float], ...]  # s: ((colour, 0),)
    angle: float = 0.0


def parse_fills(text: str) -> tuple[Fill, ...]:
    """``chf``: solid fills, gradients and stripes of bg, c or b<series>."""
    fills = []
    for part in text.split("|"):
        target, kind, *rest = part.split(",")
        if kind == "s":
            fills.append(Fill(target, kind, ((color(rest[0]), 0.0),)))
            continue
        pairs = rest[1:]
        stops = tuple((color(pairs[i]), float(pairs[i + 1])) for i in range(0, len(pairs), 2))
        fills.append(Fill(target, kind, stops, float(rest[0])))
    return tuple(fills)


def parse_margins(
    text: str,
) -> tuple[tuple[float, float, float, float] | None, tuple[float, float] | None]:
    """``chma``: least margins (left, right, top, bottom) and least legend size (width, height)."""
    margins, _, legend = text.partition("|")
    sides = parse_numbers(margins) if margins else ()
    size = parse_numbers(legend) if legend else ()
    return (
        (sides[0], sides[1], sides[2], sides[3]) if sides else None,
        (size[0], size[1]) if size else None,
    )


def parse_tick_lengths(text: str) -> tuple[tuple[int, tuple[float, ...]], ...]:
    """``chxtc``: (axis index, tick lengths) per axis."""
    parts = [part.split(",") for part in text.split("|")]
    return tuple((int(head), tuple(float(v) for v in rest)) for head, *rest in parts)


def parse_numbers(text: str) -> tuple[float, ...]:
    return tuple(float(v) for v in text.split(","))


def parse_line_styles(text: str) -> tuple[tuple[float, ...], ...]:
    return tuple(parse_numbers(part) for part in text.split("|"))


def parse_bar_sizes(text: str) -> tuple[str, tuple[float, ...]]:
    """``chbh``: ("a", gaps), ("r", relative gaps) or ("px", (width, gaps...))."""
    head, *rest = text.split(",")
    if head in ("a", "r"):
        return head, tuple(float(v) for v in rest)
    return "px", (float(head), *(float(v) for v in rest))


@dataclass(frozen=True)
class Marker:
    """One ``chm`` marker as written; what it means depends on the data (see markers.py)."""

    type: str  # a key of MARKER_TYPES
    color: str
    series: int
    which: str  # points: "", "-1", "-n", "n", "n.d", "start:end:step"; or two numbers for r/R
    size: float
    z: float = 0.0
    text: str = ""  # t markers: the text; N markers: the number format
    number_format: NumberFormat | None = None
    end: float | None = None  # r/R: the band's end; b/B: the second line
    cap: float | None = None  # E: the width of the bars' ends (<width>:<cap>)
    anchor: str = ""  # f, A, N, t: the placement's letters (l h r, b v t, s c e)
    offset: tuple[float, float] = (0.0, 0.0)  # a, f, A, N, t: pixels right and up
    length: float | None = None  # V, H: the line's length in pixels (<width>:<length>), else across


def parse_markers(text: str) -> tuple[Marker, ...]:
    return tuple(_marker(part) for part in _split_markers(text))


def _split_markers(text: str) -> list[str]:
    return text.split("|")


def _marker(part: str) -> Marker:
    head, rest = re.split(r"(?<!\\),", part, maxsplit=1)  # a text's escaped commas stay
    head = head.replace("\\,", ",")
    fields = rest.split(",")
    kind = head[0]
    if kind in "Bb":
        return Marker(
            kind,
            color(fields[0]),
            int(float(fields[1])),
            "",
            0.0,
            end=float(int(float(fields[2]))),
            z=_z(fields, 4),
        )
    if kind in "rR":
        return Marker(
            kind, color(fields[0]), int(fields[1]), fields[2], 0.0, end=float(fields[3]), z=_z(fields, 4)
        )
    if kind == "F" and not fields[0]:
        fields[0] = "000000"  # Google's candlesticks without a colour are black
    if kind in "aEfA":
        return _pointed(kind, head[1:], fields)
    if kind in "VH":
        width, _, length = fields[3].partition(":")
        return Marker(
            kind,
            color(fields[0]),
            int(fields[1]),
            fields[2],
            float(width),
            z=_z(fields, 4),
            length=float(length) if length else None,
        )
    marker = Marker(
        kind, color(fields[0]), int(fields[1]), fields[2], float(fields[3]), z=_z(fields, 4), text=head[1:]
    )
    if kind in "Nt" and len(fields) > 5:
        letters, offset = _placement(fields[5])
        marker = replace(marker, anchor=letters, offset=offset)
    if kind == "N":
        return replace(marker, number_format=parse_format(head[1:]))
    return marker


def _placement(text: str) -> tuple[str, tuple[float, float]]:
    """Text markers' ``[l|h|r][b|v|t][s|c|e][:<x>[:<y>]]``: the letters, and pixels right and up."""
    letters, _, shift = text.partition(":")
    moves = [float(v) for v in shift.split(":")] if shift else []
    return letters, (moves[0] if moves else 0.0, moves[1] if len(moves) > 1 else 0.0)


def _z(fields: list[str], index: int) -> float:
    return float(fields[index]) if len(fields) > index and fields[index] else 0.0


def _pointed(kind: str, text: str, fields: list[str]) -> Marker:
    """Arrows (a), error bars (E: ``<width>[:<cap>]``), flags (f) and annotations (A), with
    an offset (a) or a placement (f, A) after the z-order."""
    size, _, cap = fields[3].partition(":")
    letters, offset = _placement(fields[5]) if len(fields) > 5 else ("", (0.0, 0.0))
    return Marker(
        kind,
        color(fields[0]),
        int(fields[1]),
        fields[2],
        float(size),
        z=_z(fields, 4),
        text=text,
        cap=float(cap) if cap else None,
        anchor=letters,
        offset=offset,
    )


def describe_marker_error(text: str) -> str:
    """Why ``chm`` does not match, naming the marker and its type when that is the cause."""
    for number, part in enumerate(_split_markers(text), start=1):
        if re.fullmatch(MARKERS[1:-1], part):
            continue
        kind = part[:1]
        if kind in UNSUPPORTED_MARKERS:
            return f"chm type {kind!r} ({UNSUPPORTED_MARKERS[kind]}) is not supported."
        if kind not in MARKER_TYPES:
            known = ", ".join(sorted(MARKER_TYPES))
            return f"Marker {number} ({part[:40]!r}): unknown type {kind!r}; supported: {known}."
        usage = _USAGE.get(
            kind,
            "<type>,<RRGGBB[AA]>,<series>,<points>,<size>[,<z-order>] (B/b: <type>,<colour>,<line>,"
            "<line>,0; r/R: <type>,<colour>,0,<start>,<end>)",
        )
        return f"Marker {number} ({part[:40]!r}): expected {usage}."
    return "Markers are separated by '|'."
