"""A light cartesian frame: value and category axes, grid, titles and legend.

matplotlib's own ``Axis`` builds several artists per tick and its layout engines measure
everything twice; here each axis is one tick line, one grid collection and one text per
label, and the margins come from measuring just those texts once. A chart renders in
about half the time of a default matplotlib figure (bench/charts.py).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.charts.specs import ChartSpec
from api.charts.style import (
    FONT_SIZE,
    LABEL_SIZE,
    THEMES,
    TITLE_SIZE,
    Theme,
    format_number,
    shorten,
    tick_decimals,
    wrap,
)
from api.charts.textsize import text_extent

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.transforms import Transform

PAD_PT = 8.0  # outer margin
TICK_PAD_PT = 4.0  # between the axis line and its labels
GAP_PT = 6.0  # between stacked texts (title, tick labels, axis label)
COMPACT_PX = 120  # below this width or height, charts drop tick labels and titles


@dataclass(frozen=True)
class ValueAxis:
    """A numeric axis: ticks chosen from the data range, labelled in a number format."""

    label: str = ""
    log: bool = False
    number_format: str = "plain"
    low: float | None = None
    high: float | None = None
    grid: bool = True
    integer: bool = False  # ticks on whole numbers only (point indexes, counts)


@dataclass(frozen=True)
class CategoryAxis:
    """Categories at positions 0..n-1 (or ``positions``), labelled with ``labels``."""

    labels: tuple[str, ...]
    label: str = ""
    inverted: bool = False  # first category at the top (horizontal bars, heatmap rows)


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str
    shape: str = "box"  # box, line or dot


Axis = ValueAxis | CategoryAxis


def theme_of(spec: ChartSpec) -> Theme:
    return THEMES[spec.theme]


def is_compact(spec: ChartSpec) -> bool:
    return spec.output.width < COMPACT_PX or spec.output.height < COMPACT_PX


def add_axes(fig: Figure, spec: ChartSpec) -> Axes:
    """Axes whose own tick machinery is switched off; :func:`finish` draws the frame."""
    theme = theme_of(spec)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    ax.patch.set_visible(False)
    for side, spine in ax.spines.items():
        spine.set_visible(side in ("left", "bottom"))
        spine.set_color(theme.axis)
        spine.set_linewidth(0.8)
    return ax


def finish(fig: Figure, ax: Axes, spec: ChartSpec, *, x: Axis, y: Axis, legend: list[LegendEntry]) -> None:
    """Scales, ticks, grid, labels, title and legend; then place the axes to fit them."""
    _apply_scale(ax, x, "x")
    _apply_scale(ax, y, "y")
    compact = is_compact(spec)
    layout = _Layout(fig, spec)
    if not compact:
        layout.add_axis(ax, x, "x")
        layout.add_axis(ax, y, "y")
    else:
        _draw_grid(ax, spec, x, "x")
        _draw_grid(ax, spec, y, "y")
    layout.add_title(spec.title)
    layout.add_legend(legend)
    layout.place(ax)


def _apply_scale(ax: Axes, axis: Axis, which: str) -> None:
    set_scale, set_lim = (ax.set_xscale, ax.set_xlim) if which == "x" else (ax.set_yscale, ax.set_ylim)
    if isinstance(axis, CategoryAxis):
        count = max(len(axis.labels), 1)
        lim = (count - 0.5, -0.5) if axis.inverted else (-0.5, count - 0.5)
        set_lim(*lim)
        return
    if axis.log:
        set_scale("log")
    if axis.low is not None or axis.high is not None:
        set_lim(axis.low, axis.high)


def value_ticks(axis: ValueAxis, low: float, high: float, max_ticks: int) -> list[float]:
    from matplotlib.ticker import LogLocator, MaxNLocator

    low, high = min(low, high), max(low, high)
    if axis.log:
        locator = LogLocator(base=10, numticks=max_ticks)
        ticks = locator.tick_values(max(low, 1e-300), high)
    else:
        ticks = MaxNLocator(nbins=max_ticks, steps=[1, 2, 2.5, 5, 10], integer=axis.integer).tick_values(
            low, high
        )
    tolerance = (high - low) * 1e-9
    return [float(t) for t in ticks if low - tolerance <= t <= high + tolerance]


def tick_labels(axis: ValueAxis, ticks: list[float]) -> list[str]:
    if axis.log:
        places = [max(0, -math.floor(math.log10(t))) if t < 1 else 0 for t in ticks]
        return [format_number(t, axis.number_format, d) for t, d in zip(ticks, places, strict=True)]
    step = min((b - a for a, b in itertools.pairwise(ticks)), default=1.0)
    decimals = tick_decimals(step)
    return [format_number(t, axis.number_format, decimals) for t in ticks]


def _draw_grid(ax: Axes, spec: ChartSpec, axis: Axis, which: str) -> list[float]:
    """Grid lines and tick marks of a value axis; returns its ticks."""
    if not isinstance(axis, ValueAxis):
        return []
    from matplotlib.collections import LineCollection
    from matplotlib.markers import TICKDOWN, TICKLEFT

    theme = theme_of(spec)
    lim = ax.get_xlim() if which == "x" else ax.get_ylim()
    length_px = (spec.output.width if which == "x" else spec.output.height) * 0.75
    ticks = value_ticks(axis, lim[0], lim[1], max(2, min(8, int(length_px // 45))))
    transform = ax.get_xaxis_transform() if which == "x" else ax.get_yaxis_transform()
    if axis.grid:
        segments = [[(t, 0), (t, 1)] if which == "x" else [(0, t), (1, t)] for t in ticks]
        ax.add_collection(
            LineCollection(segments, transform=transform, colors=theme.grid, linewidths=0.8, zorder=0.5),
            autolim=False,
        )
    zeros = [0.0] * len(ticks)
    xs, ys = (ticks, zeros) if which == "x" else (zeros, ticks)
    ax.plot(
        xs,
        ys,
        linestyle="",
        marker=TICKDOWN if which == "x" else TICKLEFT,
        markersize=3.5,
        markeredgewidth=0.8,
        color=theme.axis,
        transform=transform,
        clip_on=False,
        scalex=False,
        scaley=False,
    )
    return ticks


class _Layout:
    """Collects the texts around the axes, measures them once, and sizes the margins."""

    def __init__(self, fig: Figure, spec: ChartSpec) -> None:
        self.fig, self.spec, self.theme = fig, spec, theme_of(spec)
        self.px_per_pt = fig.dpi / 72.0
        self.width_px, self.height_px = fig.bbox.width, fig.bbox.height
        pad = PAD_PT * self.px_per_pt
        self.margin = {"left": pad, "right": pad, "top": pad, "bottom": pad}
        self.title: Text | None = None
        self.legend_spec: list[LegendEntry] = []

    # -- measuring -------------------------------------------------------------------
    def _size(self, text: Text) -> tuple[float, float]:
        return text_extent(text.get_text(), text.get_fontsize(), self.fig.dpi, text.get_rotation())

    def _text(self, x: float, y: float, content: str, transform: Transform, **kwargs: object) -> Text:
        kwargs.setdefault("fontsize", FONT_SIZE)
        kwargs.setdefault("color", self.theme.text)
        return self.fig.text(x, y, content, transform=transform, **kwargs)  # type: ignore[arg-type]

    # -- axes ------------------------------------------------------------------------
    def add_axis(self, ax: Axes, axis: Axis, which: str) -> None:
        from matplotlib.transforms import ScaledTranslation

        offset_in = TICK_PAD_PT / 72.0
        if which == "x":
            base = ax.get_xaxis_transform()
            transform = base + ScaledTranslation(0, -offset_in, self.fig.dpi_scale_trans)
        else:
            base = ax.get_yaxis_transform()
            transform = base + ScaledTranslation(-offset_in, 0, self.fig.dpi_scale_trans)

        if isinstance(axis, ValueAxis):
            ticks = _draw_grid(ax, self.spec, axis, which)
            positions, labels = ticks, tick_labels(axis, ticks)
            rotate = False
        else:
            positions, labels, rotate = self._category_labels(axis, which)

        texts = []
        for position, label in zip(positions, labels, strict=True):
            if which == "x":
                kwargs: dict[str, object] = (
                    {"ha": "right", "va": "top", "rotation": 45, "rotation_mode": "anchor"}
                    if rotate
                    else {"ha": "center", "va": "top"}
                )
                texts.append(self._text(position, 0, label, transform, **kwargs))
            else:
                texts.append(self._text(0, position, label, transform, ha="right", va="center"))
        sizes = [self._size(t) for t in texts]
        tick_pad = TICK_PAD_PT * self.px_per_pt
        if which == "x":
            depth = max((h for _, h in sizes), default=0.0) + tick_pad
            if texts and not rotate:
                # The last label may reach past the axes' right end.
                self.margin["right"] = max(self.margin["right"], sizes[-1][0] / 2)
        else:
            depth = max((w for w, _ in sizes), default=0.0) + tick_pad
            if texts:
                self.margin["top"] = max(self.margin["top"], sizes[-1][1] / 2)
        if axis.label:
            gap_in = (depth / self.px_per_pt + GAP_PT) / 72.0
            text = self._axis_label(ax, axis.label, which, gap_in)
            w, h = self._size(text)
            depth += (h if which == "x" else w) + GAP_PT * self.px_per_pt
        self.margin["bottom" if which == "x" else "left"] += depth

    def _category_labels(self, axis: CategoryAxis, which: str) -> tuple[list[float], list[str], bool]:
        """Positions and shortened labels; thinned out when they cannot all fit."""
        count = len(axis.labels)
        if count == 0:
            return [], [], False
        axis_px = (self.width_px if which == "x" else self.height_px) * 0.75
        line_px = FONT_SIZE * self.px_per_pt * 1.4
        step = max(1, math.ceil(count * line_px / axis_px))
        indexes = list(range(0, count, step))
        labels = [shorten(axis.labels[i]) for i in indexes]
        rotate = False
        if which == "x":
            # Rotate when the longest label is wider than its slot.
            slot_px = axis_px / count * step
            longest = max(len(label) for label in labels)
            rotate = longest * FONT_SIZE * self.px_per_pt * 0.6 > slot_px * 0.95
        return [float(i) for i in indexes], labels, rotate

    def _axis_label(self, ax: Axes, label: str, which: str, gap_in: float) -> Text:
        from matplotlib.transforms import ScaledTranslation, blended_transform_factory

        length_px = (self.width_px if which == "x" else self.height_px) * 0.7
        content = shorten(label, max(4, int(length_px / (LABEL_SIZE * self.px_per_pt * 0.6))))
        if which == "x":
            transform = blended_transform_factory(ax.transAxes, ax.transAxes) + ScaledTranslation(
                0, -gap_in, self.fig.dpi_scale_trans
            )
            return self._text(0.5, 0, content, transform, ha="center", va="top", fontsize=LABEL_SIZE)
        transform = ax.transAxes + ScaledTranslation(-gap_in, 0, self.fig.dpi_scale_trans)
        return self._text(
            0, 0.5, content, transform, ha="right", va="center", rotation=90, fontsize=LABEL_SIZE
        )

    # -- title and legend ------------------------------------------------------------
    def add_title(self, title: str) -> None:
        if not title or is_compact(self.spec):
            return
        chars = int(self.width_px * 0.9 / (TITLE_SIZE * self.px_per_pt * 0.58))
        top = self.margin["top"]
        text = self._text(
            0.5,
            1 - top / self.height_px,
            wrap(title, chars, 2),
            self.fig.transFigure,
            ha="center",
            va="top",
            fontsize=TITLE_SIZE,
        )
        self.title = text
        self.margin["top"] = top + self._size(text)[1] + GAP_PT * self.px_per_pt

    def add_legend(self, entries: list[LegendEntry]) -> None:
        self.legend_spec = entries

    def _draw_legend(self, entries: list[LegendEntry]) -> None:
        position = self.spec.legend_position
        if not entries or position == "none" or is_compact(self.spec):
            return
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        handles: list[Artist] = []
        for entry in entries:
            if entry.shape == "line":
                handles.append(Line2D([], [], color=entry.color, linewidth=2))
            elif entry.shape == "dot":
                handles.append(Line2D([], [], color=entry.color, marker="o", linestyle=""))
            else:
                handles.append(Patch(facecolor=entry.color))
        labels = [shorten(entry.label) for entry in entries]
        common: dict[str, Any] = {
            "fontsize": FONT_SIZE,
            "frameon": False,
            "labelcolor": self.theme.text,
            "handlelength": 1.2,
            "handletextpad": 0.5,
            "borderaxespad": 0.0,
            "borderpad": 0.0,
        }
        w, h = self.width_px, self.height_px
        m = self.margin
        row_px = FONT_SIZE * self.px_per_pt * 1.6
        if position in ("right", "left"):
            rows = max(1, int((h - m["top"] - m["bottom"]) // row_px))
            ncols = math.ceil(len(entries) / rows)
            x = 1 - m["right"] / w if position == "right" else m["left"] / w
            loc = "center right" if position == "right" else "center left"
            self.fig.legend(
                handles, labels, **{**common, "loc": loc, "bbox_to_anchor": (x, 0.5), "ncols": ncols}
            )
            m[position] += self._legend_size(labels, ncols)[0] + GAP_PT * self.px_per_pt
        elif position in ("top", "bottom"):
            widest = max(len(label) for label in labels) * FONT_SIZE * self.px_per_pt * 0.6 + 3 * row_px
            ncols = max(1, min(len(entries), int((w - m["left"] - m["right"]) // widest)))
            y = 1 - m["top"] / h if position == "top" else m["bottom"] / h
            loc = "upper center" if position == "top" else "lower center"
            self.fig.legend(
                handles, labels, **{**common, "loc": loc, "bbox_to_anchor": (0.5, y), "ncols": ncols}
            )
            m[position] += self._legend_size(labels, ncols)[1] + GAP_PT * self.px_per_pt
        else:  # inside
            self.fig.axes[0].legend(handles, labels, loc="upper right", **{**common, "borderaxespad": 0.5})

    def _legend_size(self, labels: list[str], ncols: int) -> tuple[float, float]:
        """The legend's extent from matplotlib's spacing rules (in em of the font size)."""
        em = FONT_SIZE * self.px_per_pt
        widest = max(text_extent(label, FONT_SIZE, self.fig.dpi)[0] for label in labels)
        rows = math.ceil(len(labels) / ncols)
        # handlelength 1.2 + handletextpad 0.5 per entry, columnspacing 2.0 between columns.
        width = ncols * (1.7 * em + widest) + (ncols - 1) * 2.0 * em
        line = text_extent("lp", FONT_SIZE, self.fig.dpi)[1]
        height = rows * line + (rows - 1) * 0.5 * em  # labelspacing 0.5
        return width, height

    def place(self, ax: Axes) -> None:
        """Draw the legend into the remaining room, then fit the axes between the margins."""
        self._draw_legend(self.legend_spec)
        m = self.margin
        w, h = self.width_px, self.height_px
        # Tiny images: never let the margins take more than 60% of either side.
        for a, b, total in (("left", "right", w), ("bottom", "top", h)):
            excess = m[a] + m[b] - total * 0.6
            if excess > 0:
                shrink = (total * 0.6) / (m[a] + m[b])
                m[a] *= shrink
                m[b] *= shrink
        ax.set_position(
            (
                m["left"] / w,
                m["bottom"] / h,
                1 - (m["left"] + m["right"]) / w,
                1 - (m["top"] + m["bottom"]) / h,
            )
        )
