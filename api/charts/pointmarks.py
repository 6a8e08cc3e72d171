"""Drawing of the marks that point at data: arrows, error bars, flags and annotations
(:class:`~api.charts.explicit.ArrowMark`, ``ErrorBarMark``, ``FlagMark``).

:mod:`api.charts.marks` finds the points (data coordinates) and hands them over; lengths here
are CSS pixels, drawn at the figure's dpi (100 per unit of scale).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from api.charts.explicit import PT_PER_PX, ArrowMark, CandleMark, ChartExtras, ErrorBarMark, FlagMark

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

POLE_PX = 10.0  # a flag's pole, and an annotation's shortest line
BOX_PAD = 0.3  # the box around a flag's text, in units of its font size
# An annotation whose box would cover an earlier one moves away from its point, a box height
# at a time, at most this many times; it is checked against at most this many earlier boxes.
MAX_LIFTS = 8
MAX_CHECKED = 64

# An arrow pointing down: its tip at (0, 0), 1 long (matplotlib scales a marker path by its
# largest coordinate and keeps its origin on the point).
_ARROW = (
    (0.0, 0.0), (-0.3, 0.45), (-0.09, 0.45), (-0.09, 1.0), (0.09, 1.0), (0.09, 0.45), (0.3, 0.45), (0.0, 0.0),
)  # fmt: skip

Point = tuple[float, float]  # data coordinates


@dataclass
class Boxes:
    """The annotation boxes drawn so far (device pixels: left, bottom, right, top)."""

    drawn: list[tuple[float, float, float, float]] = field(default_factory=list)

    def clear_of(self, box: tuple[float, float, float, float]) -> bool:
        return not any(
            box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
            for b in self.drawn[-MAX_CHECKED:]
        )


def overhang_px(extras: ChartExtras | None) -> float:
    """How far (CSS pixels) candles and error bars on the plot's left or right edge reach
    past it, so the plot leaves room for them to show whole."""
    reach = 0.0
    for mark in extras.marks if extras is not None else ():
        if isinstance(mark, CandleMark) and _on_edge([c[0] for c in mark.candles], mark):
            reach = max(reach, mark.width_px / 2)
        elif isinstance(mark, ErrorBarMark) and _on_edge([b[0] for b in mark.bars], mark):
            reach = max(reach, mark.cap_px / 2, mark.width_px / 2)
    return reach


def _on_edge(positions: list[float], mark: CandleMark | ErrorBarMark) -> bool:
    return mark.edge_to_edge and not mark.horizontal and any(p <= 0 or p >= 1 for p in positions)


def bar_points(artist: Artist, place: str) -> list[tuple[float, float, str]]:
    """The points at each bar's "base", "center" or "end" (vertical or horizontal bars)."""
    import numpy as np
    from matplotlib.collections import PolyCollection

    if not isinstance(artist, PolyCollection):
        return []
    share = {"base": 0.0, "center": 0.5, "end": 1.0}[place]
    points = []
    for path in artist.get_paths():
        (x0, y0), (x1, y1), (x2, y2), (x3, _) = (tuple(v) for v in np.asarray(path.vertices, float)[:4])
        if x0 != x3:  # vertical: corners (c0, v0), (c0, v1), (c1, v1), (c1, v0)
            points.append(((x1 + x2) / 2, y0 + (y1 - y0) * share, "up"))
        else:  # horizontal: (v0, c0), (v1, c0), (v1, c1), (v0, c1)
            points.append((x0 + (x1 - x0) * share, (y1 + y2) / 2, "right"))
    return points


def draw_arrows(fig: Figure, ax: Axes, points: list[Point], mark: ArrowMark) -> None:
    from matplotlib.path import Path
    from matplotlib.transforms import ScaledTranslation

    if not points:
        return
    dx, dy = mark.offset_px
    moved = ax.transData + ScaledTranslation(dx / 100, dy / 100, fig.dpi_scale_trans)
    ax.plot(
        [p[0] for p in points],
        [p[1] for p in points],
        linestyle="",
        marker=Path(_ARROW),
        markersize=2 * mark.size_px * PT_PER_PX,  # the path's half-size is 0.5
        markeredgewidth=0,
        color=mark.color,
        transform=moved,
        zorder=4.0 if mark.above else 1.5,
        clip_on=False,
        scalex=False,
        scaley=False,
    )


def draw_error_bars(ax: Axes, mark: ErrorBarMark) -> None:
    from matplotlib.collections import LineCollection

    bars = [b for b in mark.bars if all(math.isfinite(v) for v in b)]  # a bar missing a value is not drawn
    if not bars:
        return
    if mark.horizontal:
        segments = [[(low, at), (high, at)] for at, low, high in bars]
    else:
        segments = [[(at, low), (at, high)] for at, low, high in bars]
    zorder = 3.6 if mark.above else 1.5
    width = mark.width_px * PT_PER_PX
    lines = LineCollection(
        segments, colors=mark.color, linewidths=width, capstyle="butt", zorder=zorder, clip_on=False
    )
    ax.add_collection(lines, autolim=False)
    if mark.cap_px <= 0:
        return
    ends = [end for segment in segments for end in segment]
    # A line across the bar at each end, cap_px long.
    short_lines(
        ax,
        ends,
        vertical=mark.horizontal,
        length_px=mark.cap_px,
        width_pt=width,
        color=mark.color,
        zorder=zorder,
    )


def short_lines(
    ax: Axes,
    points: list[tuple[float, float]],
    *,
    vertical: bool,
    length_px: float,
    width_pt: float,
    color: str,
    zorder: float,
) -> None:
    """A line ``length_px`` long centred on each point (matplotlib's "|" and "_" markers):
    error bars' caps, box charts' whiskers and medians."""
    ax.plot(
        [p[0] for p in points],
        [p[1] for p in points],
        linestyle="",
        marker="|" if vertical else "_",
        markersize=length_px * PT_PER_PX,
        markeredgewidth=width_pt,
        color=color,
        zorder=zorder,
        clip_on=False,
        scalex=False,
        scaley=False,
    )


def draw_flags(fig: Figure, ax: Axes, points: list[Point], mark: FlagMark, boxes: Boxes) -> None:
    """Each text in a box at the end of a line from its point (see :class:`FlagMark`)."""
    from matplotlib.collections import LineCollection

    from api.charts.textsize import text_extent

    if not points:
        return
    px = fig.dpi / 100  # device pixels per CSS pixel
    size_pt = mark.size_px * PT_PER_PX
    text_w, text_h = text_extent(mark.text, size_pt, fig.dpi)
    pad = BOX_PAD * size_pt * fig.dpi / 72
    box_w, box_h = text_w + 2 * pad, text_h + 2 * pad
    across, upright = mark.anchor
    # Which way the line runs from the point to the box's anchor (none: the box on the point).
    if upright != "middle":
        way = (0.0, 1.0 if upright == "bottom" else -1.0)
    else:
        way = {"left": (1.0, 0.0), "right": (-1.0, 0.0)}.get(across, (0.0, 0.0))
    # The box's left and bottom edges relative to its anchor.
    left = {"left": 0.0, "center": -box_w / 2, "right": -box_w}[across]
    bottom = {"bottom": 0.0, "middle": -box_h / 2, "top": -box_h}[upright]
    zorder = 5.0 if mark.above else 1.6
    lines: list[list[Point]] = []
    for point in points:
        at_x, at_y = (float(v) for v in ax.transData.transform(point))
        start = (at_x + mark.offset_px[0] * px, at_y + mark.offset_px[1] * px)
        length = POLE_PX * px if way != (0.0, 0.0) else 0.0
        end = (start[0] + way[0] * length, start[1] + way[1] * length)
        if mark.annotation:
            # The leader grows until the box is clear of the annotations before it.
            step = (box_h if way[1] else box_w) + 2 * px
            for _ in range(MAX_LIFTS):
                if boxes.clear_of(_box(end, left, bottom, box_w, box_h)) or way == (0.0, 0.0):
                    break
                end = (end[0] + way[0] * step, end[1] + way[1] * step)
            boxes.drawn.append(_box(end, left, bottom, box_w, box_h))
            start = (at_x, at_y)  # a leader starts at the point itself
        if length:
            lines.append([start, end])
        x, y = _inside(fig, end[0] + left, end[1] + bottom, box_w, box_h)
        _text(fig, ax, mark, (x + pad, y + pad), zorder=zorder, size_pt=size_pt)
    if lines:
        width, height = fig.bbox.width, fig.bbox.height  # lines in figure fractions, as the boxes
        segments = [[(x / width, y / height) for x, y in line] for line in lines]
        ax.add_collection(
            LineCollection(
                segments,
                colors=mark.color,
                linewidths=PT_PER_PX,
                zorder=zorder - 0.1,
                clip_on=False,
                transform=fig.transFigure,
            ),
            autolim=False,
        )


def _box(
    end: Point, left: float, bottom: float, width: float, height: float
) -> tuple[float, float, float, float]:
    return (end[0] + left, end[1] + bottom, end[0] + left + width, end[1] + bottom + height)


def _inside(fig: Figure, x: float, y: float, width: float, height: float) -> tuple[float, float]:
    """A box's corner moved so the box stays whole inside the image (where it fits)."""
    x = max(min(x, fig.bbox.width - 1 - width), 1.0)
    y = max(min(y, fig.bbox.height - 1 - height), 1.0)
    return x, y


def _text(fig: Figure, ax: Axes, mark: FlagMark, at: Point, *, zorder: float, size_pt: float) -> None:
    box: dict[str, Any] = {
        "boxstyle": f"square,pad={BOX_PAD}",
        "facecolor": "#ffffff",
        "edgecolor": mark.color,
        "linewidth": PT_PER_PX,
    }
    ax.text(
        at[0] / fig.bbox.width,
        at[1] / fig.bbox.height,
        mark.text,
        transform=fig.transFigure,
        fontsize=size_pt,
        color=mark.color,
        ha="left",
        va="bottom",
        bbox=box,
        zorder=zorder,
        clip_on=False,
    )
