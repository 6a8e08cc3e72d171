"""The error drawn as a picture, for ``<img>`` tags: the message and every invalid parameter,
in the charts' font, at the size the request asked for when that size is valid (so the page
keeps its layout), every line wrapped rather than cut.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from api.fonts import dejavu_sans
from api.settings import Limits

DEFAULT_WIDTH = 480  # CSS pixels, when the request names no valid width
FONT_PX = 13  # CSS pixels; shrunk down to MIN_FONT_PX to fit a requested height
MIN_FONT_PX = 8
LINE_SPACING = 1.35
# A message may quote what the request sent: each line is cut to MAX_LINE_CHARACTERS, and the
# lines after MAX_TEXT_CHARACTERS in all are counted, not drawn (drawing glyphs is what costs;
# a page of text at the largest size took most of a second).
MAX_LINE_CHARACTERS = 400
MAX_TEXT_CHARACTERS = 4_000
BACKGROUND, BORDER, TITLE_COLOR, TEXT_COLOR = "#fff4f4", "#c62828", "#b71c1c", "#222222"


@dataclass(frozen=True)
class Canvas:
    """CSS pixel size and device-pixel ratio; ``height`` None: as tall as the text."""

    width: int = DEFAULT_WIDTH
    height: int | None = None
    scale: int = 1


def requested_canvas(args: Mapping[str, str], limits: Limits) -> Canvas:
    """The size the request asked for (``width``/``height``, ``size`` or ``chs`` as
    ``WxH``, ``scale``), where it is within the limits; the rest is the default."""
    width, height = _integer(args.get("width")), _integer(args.get("height"))
    for name in ("size", "chs"):
        given_width, sep, given_height = (args.get(name) or "").partition("x")
        if sep:  # both parts, or neither
            width, height = _integer(given_width), _integer(given_height)
            if width is None or height is None:
                width = height = None
    width = width if width is not None and 1 <= width <= limits.max_width else None
    height = height if height is not None and 1 <= height <= limits.max_height else None
    scale = _integer(args.get("scale"))
    scale = scale if scale is not None and 1 <= scale <= limits.max_scale else 1
    w = width or DEFAULT_WIDTH
    if w * (height or FONT_PX * 3) * scale * scale > limits.max_pixels:
        scale = 1
        if w * (height or FONT_PX * 3) > limits.max_pixels:
            width, height = None, None
    return Canvas(width or DEFAULT_WIDTH, height, scale)


def _integer(text: str | None) -> int | None:
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 6:
        return None
    return int(text)


def error_png(lines: list[str], canvas: Canvas = Canvas(), max_height: int = 2048) -> bytes:
    """``lines[0]`` (the status) in red, then the others, each wrapped with a hanging indent;
    ``max_height`` (CSS pixels) bounds a canvas as tall as its text. What does not fit at the
    smallest font is left out whole, and a last line says how many lines are not shown."""
    total = len(lines)
    lines = _within_budget(lines)
    scale = canvas.scale
    width = canvas.width * scale
    pad = max(2, min(10, canvas.width // 16, (canvas.height or max_height) // 6)) * scale
    inner_width = max(width - 2 * pad, 1)
    height_limit = (canvas.height or max_height) * scale - 2 * pad
    for size in range(FONT_PX, MIN_FONT_PX - 1, -1):
        font = _font(size * scale)
        line_height = round(size * scale * LINE_SPACING)
        capacity = max(height_limit // line_height, 0)
        # Rows past the canvas are never drawn: wrapping stops one past what fits.
        rows = wrap_lines(lines, font, inner_width, capacity + 1)
        needed = len(rows) + (len(lines) < total)  # and a last row counting lines left out
        if canvas.height is None or needed <= capacity:
            break
    if len(rows) > capacity or len(lines) < total:
        rows = _truncated(rows, capacity, total)
    height = canvas.height * scale if canvas.height is not None else 2 * pad + line_height * max(len(rows), 1)
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width - 1, height - 1), outline=BORDER, width=max(1, 2 * scale))
    indent = round(font.size)
    for i, row in enumerate(rows):
        x = pad + (indent if row.continued else 0)
        draw.text(
            (x, pad + i * line_height), row.text, fill=TITLE_COLOR if row.line == 0 else TEXT_COLOR, font=font
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@dataclass(frozen=True)
class Row:
    """One drawn row: its text, the index of the line it comes from, and whether it continues
    that line (drawn indented)."""

    text: str
    line: int
    continued: bool = False


def _within_budget(lines: list[str]) -> list[str]:
    """The first lines, each cut to MAX_LINE_CHARACTERS, up to MAX_TEXT_CHARACTERS in all."""
    kept: list[str] = []
    budget = MAX_TEXT_CHARACTERS
    for line in lines:
        cut = line if len(line) <= MAX_LINE_CHARACTERS else line[:MAX_LINE_CHARACTERS] + "…"
        if kept and len(cut) > budget:
            break
        kept.append(cut)
        budget -= len(cut)
    return kept


def _truncated(rows: list[Row], capacity: int, line_count: int) -> list[Row]:
    """The rows that fit with room for a last one counting the ``line_count`` lines not shown;
    a line cut part-way is left out whole, unless it is the only one shown."""
    if capacity <= 0:
        return []
    if len(rows) < capacity:  # every row fits: lines were left out before wrapping
        return [*rows, Row(f"… and {line_count - (rows[-1].line + 1 if rows else 0)} more", line_count)]
    kept = rows[: capacity - 1]
    cut_line = rows[len(kept)].line
    whole = [row for row in kept if row.line < cut_line]
    kept = whole or kept
    shown = (kept[-1].line + (0 if kept[-1].line == cut_line else 1)) if kept else 0
    return [*kept, Row(f"… and {line_count - shown} more", line_count)]


@cache
def _font(pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(dejavu_sans()), pixels)


def wrap_lines(
    lines: list[str], font: ImageFont.FreeTypeFont, width: int, max_rows: int = 1_000
) -> list[Row]:
    """Each line wrapped at spaces to ``width`` pixels, its continuation rows one font size
    narrower (they are indented); a word wider than a row is broken. At most ``max_rows``
    rows. Pillow's ImageText.wrap refuses words wider than the line (values often are), and
    measures every candidate row anew: this sums each character's advance, measured once."""
    indent = round(font.size)
    rows: list[Row] = []
    for index, line in enumerate(lines):
        pieces = _wrap(line, _advances(font), width, max(width - indent, 1), max_rows - len(rows))
        rows.extend(Row(text, index, i > 0) for i, text in enumerate(pieces))
        if len(rows) >= max_rows:
            return rows[:max_rows]
    return rows


class _Advances(dict[str, float]):
    """Character -> advance width in one font (kerning left out: it only narrows text)."""

    def __init__(self, font: ImageFont.FreeTypeFont) -> None:
        super().__init__()
        self.font = font

    def __missing__(self, character: str) -> float:
        self[character] = value = self.font.getlength(character)
        return value

    def of(self, text: str) -> float:
        return sum(self[c] for c in text)


@cache
def _advances(font: ImageFont.FreeTypeFont) -> _Advances:
    return _Advances(font)


def _wrap(text: str, advances: _Advances, first: int, rest: int, max_rows: int) -> list[str]:
    rows: list[str] = []
    row, row_width = "", 0.0
    space = advances[" "]
    for word in text.split():
        if len(rows) >= max_rows:
            return rows
        width = first if not rows else rest
        word_width = advances.of(word)
        if row and row_width + space + word_width <= width:
            row, row_width = f"{row} {word}", row_width + space + word_width
            continue
        if row:
            rows.append(row)
            width = rest
        left = word  # what of the word is not placed yet
        while word_width > width and len(left) > 1 and len(rows) < max_rows:
            cut, cut_width = _fitting(left, advances, width)
            rows.append(left[:cut])
            left, word_width = left[cut:], word_width - cut_width
            width = rest
        row, row_width = left, word_width
    rows.append(row)
    return rows


def _fitting(word: str, advances: _Advances, width: int) -> tuple[int, float]:
    """The longest prefix of ``word`` that fits (at least one character), and its width."""
    total = 0.0
    for i, character in enumerate(word):
        advance = advances[character]
        if total + advance > width and i > 0:
            return i, total
        total += advance
    return len(word), total
