"""Text extents from the font's advance widths, without laying text out.

Margins only need sizes to a pixel or two; matplotlib's own measurement lays out and
rasterises each text (about 0.3 ms apiece), which dominated a chart's layout.
"""

from __future__ import annotations

import math
from functools import cache


@cache
def _font_metrics() -> tuple[dict[str, float], float, float]:
    """Advance widths per character (in em), the font's line height and default advance."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties()))
    font.set_size(1, 72)  # 1 pt at 72 dpi: advances come out in em
    line_height = (font.ascender - font.descender) / font.units_per_EM
    default = font.load_char(ord("M")).linearHoriAdvance / 65536
    return {}, line_height, default


def _advance(char: str) -> float:
    advances, _, default = _font_metrics()
    width = advances.get(char)
    if width is None:
        from matplotlib.font_manager import FontProperties, findfont, get_font

        font = get_font(findfont(FontProperties()))
        font.set_size(1, 72)
        try:
            width = font.load_char(ord(char)).linearHoriAdvance / 65536
        except (RuntimeError, ValueError):  # a character the font lacks: drawn as a box
            width = default
        advances[char] = width
    return width


def text_extent(text: str, size_pt: float, dpi: float, rotation: float = 0.0) -> tuple[float, float]:
    """Width and height in pixels of ``text`` (lines split on newlines), rotated by degrees."""
    em_px = size_pt * dpi / 72
    lines = text.split("\n")
    width = max(sum(_advance(c) for c in line) for line in lines) * em_px
    line_height = _font_metrics()[1] * em_px
    height = line_height * (1 + 1.2 * (len(lines) - 1))
    if rotation:
        angle = math.radians(rotation)
        cos, sin = abs(math.cos(angle)), abs(math.sin(angle))
        return width * cos + height * sin, width * sin + height * cos
    return width, height


def fit_text(text: str, size_pt: float, dpi: float, max_px: float) -> str:
    """``text`` cut (with an ellipsis) to the longest prefix at most ``max_px`` wide."""
    if text_extent(text, size_pt, dpi)[0] <= max_px:
        return text
    text = text.removesuffix("\u2026")  # already shortened: one ellipsis is enough
    low, high = 0, len(text)
    while low < high:  # longest prefix whose shortened form fits
        middle = (low + high + 1) // 2
        if text_extent(text[:middle].rstrip() + "\u2026", size_pt, dpi)[0] <= max_px:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "\u2026" if low else ""
