"""Text extents from the font's advance widths, without laying text out.

Margins only need sizes to a pixel or two; matplotlib's own measurement lays out and
rasterises each text (about 0.3 ms apiece), which dominated a chart's layout.
"""

from __future__ import annotations

import math
from functools import cache

from api.plaintext import MAX_LABEL_CHARS


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


def fit_middle(text: str, size_pt: float, dpi: float, max_px: float, tail: str) -> str:
    """``text`` shortened in the middle to at most ``max_px``: as much of its start as fits
    before an ellipsis and its end ``tail`` (the part that tells it from its neighbours)."""
    tail = tail.strip()
    if text_extent(text, size_pt, dpi)[0] <= max_px:
        return text
    head_room = text[: len(text) - len(tail)].rstrip().removesuffix("\u2026")
    low, high = 0, len(head_room)
    while low < high:  # longest start that fits with the ellipsis and the tail
        middle = (low + high + 1) // 2
        if text_extent(head_room[:middle].rstrip() + "\u2026 " + tail, size_pt, dpi)[0] <= max_px:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return fit_text("\u2026 " + tail, size_pt, dpi, max_px)
    return head_room[:low].rstrip() + "\u2026 " + tail


def fit_labels(
    labels: list[str], size_pt: float, dpi: float, max_px: float, max_chars: int = MAX_LABEL_CHARS
) -> list[str]:
    """Labels (legend entries) fitted to ``max_px`` and ``max_chars``, cut at the end; those
    whose cut forms would read alike keep their distinguishing end and lose their middle."""
    texts = [" ".join(label.split()) for label in labels]
    fitted = [_fit_end(text, size_pt, dpi, max_px, max_chars) for text in texts]
    groups: dict[str, list[int]] = {}
    for index, short in enumerate(fitted):
        groups.setdefault(short, []).append(index)
    for members in groups.values():
        originals = {texts[i] for i in members}
        if len(originals) < 2:
            continue
        for i in members:
            others = [texts[j] for j in members if texts[j] != texts[i]]
            common = max(len(_common_prefix(texts[i], other)) for other in others)
            start = texts[i].rfind(" ", 0, common) + 1  # the distinguishing word, whole
            tail = texts[i][start:]
            fitted[i] = _fit_middle_chars(texts[i], size_pt, dpi, max_px, tail, max_chars=max_chars)
    return fitted


def _fit_end(text: str, size_pt: float, dpi: float, max_px: float, max_chars: int) -> str:
    if len(text) > max_chars:
        text = text[: max(max_chars - 1, 1)].rstrip() + "\u2026"
    return fit_text(text, size_pt, dpi, max_px)


def _fit_middle_chars(
    text: str, size_pt: float, dpi: float, max_px: float, tail: str, *, max_chars: int
) -> str:
    short = fit_middle(text, size_pt, dpi, max_px, tail)
    if len(short) > max_chars:  # long even within the width: cut the start to the character limit
        keep = max(max_chars - 2 - len(tail.strip()), 1)
        short = text[:keep].rstrip() + "\u2026 " + tail.strip()
        short = fit_middle(short, size_pt, dpi, max_px, tail)
    return short


def _common_prefix(a: str, b: str) -> str:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return a[:length]
