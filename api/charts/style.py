"""Themes, the default palette, number formats and text fitting for charts (no matplotlib)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Okabe & Ito's colour-blind-safe palette (black left out: it vanishes on the dark theme).
# Past its seven colours, darker shades of six of them (not of sky blue: it would come out as
# the blue) and light tints of three: sixteen colours before any repeats, each at least
# about as far from the others (CIE76) as Okabe-Ito's blue is from its sky blue.
PALETTE = (
    *("#0072b2ff", "#e69f00ff", "#009e73ff", "#d55e00ff", "#56b4e9ff", "#cc79a7ff", "#f0e442ff"),
    *("#00446bff", "#8a5f00ff", "#005f45ff", "#803800ff", "#8d3666ff", "#aa9f0dff"),
    *("#ecb78cff", "#e8c3d7ff", "#8cd3c0ff"),
)

PAD_PT = 8.0  # outer margin: between the image's edge and any text
FONT_SIZE = 9.0  # points; tick labels, legend
TITLE_SIZE = 13.0
LABEL_SIZE = 10.0


@dataclass(frozen=True)
class TextSizes:
    """Text sizes and the margins around texts, in points."""

    font: float = FONT_SIZE  # tick labels, legend, slice labels
    title: float = TITLE_SIZE
    label: float = LABEL_SIZE  # axis titles
    pad: float = PAD_PT  # outer margin
    tick_pad: float = 4.0  # between an axis line and its labels
    gap: float = 6.0  # between stacked texts (title, tick labels, axis label)


PX = 0.72  # points per CSS pixel (figures have 100 dpi per unit of scale)
DEFAULT_TEXT = TextSizes()
# Google's Image Charts: 11 px labels and legends, a 14 px title, margins of a few pixels.
COMPACT_TEXT = TextSizes(font=11 * PX, title=14 * PX, label=11 * PX, pad=4 * PX, tick_pad=3 * PX, gap=4 * PX)


@dataclass(frozen=True)
class Theme:
    background: str
    text: str
    axis: str
    grid: str
    edge: str  # outlines between slices and cells


THEMES = {
    "light": Theme(background="#ffffff", text="#222222", axis="#555555", grid="#dddddd", edge="#ffffff"),
    "dark": Theme(background="#1e1e1e", text="#e6e6e6", axis="#aaaaaa", grid="#3c3c3c", edge="#1e1e1e"),
}


def series_colors(colors: Sequence[str], count: int) -> list[str]:
    """One colour per series (or slice): the given ones, or the palette, cycled."""
    source = colors or PALETTE
    return [source[i % len(source)] for i in range(count)]


def tick_decimals(step: float) -> int:
    """Decimals needed to tell ticks ``step`` apart (0 for whole steps)."""
    if step <= 0 or not math.isfinite(step):
        return 0
    decimals = 0
    while decimals < 12 and abs(round(step, decimals) - step) > step * 1e-9:
        decimals += 1
    return decimals


def format_number(value: float, style: str, decimals: int) -> str:
    """A tick or value label: plain (1500), thousands (1,500) or percent (values are percentages)."""
    if value == 0:
        value = 0.0  # no "-0"
    magnitude = abs(value)
    if magnitude >= 1e15 or (0 < magnitude < 1e-6):
        text = f"{value:.3g}"
    elif style == "thousands":
        text = f"{value:,.{decimals}f}"
    else:
        text = f"{value:.{decimals}f}"
    return text + "%" if style == "percent" else text
