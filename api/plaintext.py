"""Plain-language pieces shared by the renderers and describers: shortened and wrapped texts,
numbers, lists, colours, lengths."""

from __future__ import annotations

import colorsys
from collections.abc import Sequence

ELLIPSIS = "\u2026"
MAX_LABEL_CHARS = 24  # category labels and legend entries are shortened beyond this
MAX_DESCRIPTION = 1500  # characters: alt text is read aloud, so it stays short
MAX_LISTED = 12  # items of a list named before "and N more"
MAX_ITEM = 40  # characters of one listed label

# Hue ranges (upper bound in degrees) and their names, for colours of medium lightness.
_HUES = (
    (12, "red"),
    (45, "orange"),
    (70, "yellow"),
    (165, "green"),
    (190, "teal"),
    (255, "blue"),
    (305, "purple"),
    (340, "pink"),
    (360, "red"),
)


def number(value: float, style: str = "plain") -> str:
    """A value as a person would say it: whole numbers without decimals, others to six digits."""
    if value == 0:
        value = 0.0  # no "-0"
    if float(value).is_integer() and abs(value) < 1e15:
        text = f"{int(value):,}" if style == "thousands" else str(int(value))
    else:
        text = f"{value:,.6g}" if style == "thousands" else f"{value:.6g}"
    return text + "%" if style == "percent" else text


def quoted(text: str, limit: int = MAX_ITEM) -> str:
    return f"\u201c{shorten(text, limit)}\u201d"


def listing(items: Sequence[str], limit: int = MAX_LISTED) -> str:
    """``a, b and c``; past ``limit`` items, ``a, b, ... and 7 more``."""
    items = [shorten(item, MAX_ITEM) for item in items]
    if len(items) > limit:
        shown = items[: limit - 1]
        return ", ".join(shown) + f" and {len(items) - len(shown)} more"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def a(phrase: str) -> str:
    """``phrase`` with its indefinite article: "an orange line", "a blue line"."""
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def color_name(color: str) -> str:
    """A rough everyday name for ``#rrggbb[aa]`` ("dark blue", "orange")."""
    text = color.lstrip("#")
    red, green, blue = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    if saturation < 0.15 or lightness < 0.08 or lightness > 0.95:
        return _grey(lightness)
    degrees = hue * 360
    name = next(label for bound, label in _HUES if degrees < bound or bound == 360)
    if name in ("orange", "red") and lightness < 0.35:
        return "brown" if name == "orange" else "dark red"
    shade = "dark " if lightness < 0.25 else "light " if lightness > 0.75 else ""
    return shade + name


def _grey(lightness: float) -> str:
    for bound, name in ((0.15, "black"), (0.35, "dark grey"), (0.7, "grey"), (0.9, "light grey")):
        if lightness < bound:
            return name
    return "white"


def bounded(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """At most ``limit`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + ELLIPSIS


def shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """At most ``limit`` characters, with an ellipsis where text was cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + ELLIPSIS


def wrap(text: str, width_chars: int, max_lines: int) -> str:
    """Words wrapped to ``width_chars`` per line; past ``max_lines`` the rest is cut."""
    import textwrap

    width_chars = max(width_chars, 4)
    lines = textwrap.wrap(" ".join(text.split()), width_chars, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1] if len(lines[-1]) < width_chars else lines[-1][: width_chars - 1]
        lines[-1] = last.rstrip() + ELLIPSIS
    return "\n".join(lines)
