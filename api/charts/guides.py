"""Axes and grid a request states explicitly (:class:`~api.charts.explicit.ChartExtras`).

They replace the frame's automatic axes: each axis is a line, tick marks and labels at given
fractions of the plot, stacked outwards when a side has several; the frame then sizes the
margins around them like around its own axes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from api.charts.explicit import AxisGuide, ChartExtras, GridGuide, dash_pattern
from api.charts.textsize import text_extent

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.transforms import Transform

    from api.charts.style import TextSizes, Theme

TICK_PX = 4.0  # tick mark length
LABEL_GAP_PX = 3.0  # between a tick mark and its label
STACK_GAP_PX = 4.0  # between two axes on the same side
# Where the labels of an axis sit against their positions when the request does not say.
_DEFAULT_ALIGN = {"bottom": "center", "top": "center", "left": "end", "right": "start"}


class GuideLayout(Protocol):
    """What the frame's layout hands over: the figure, the theme and the margins to grow."""

    fig: Figure
    theme: Theme
    margin: dict[str, float]
    sizes: TextSizes


def draw_guides(layout: GuideLayout, ax: Axes, extras: ChartExtras, outset_px: float = 0.0) -> None:
    """Hide the kind's spines, draw the stated axes and grid, and grow the margins to fit.

    ``outset_px`` (device pixels) keeps the axes that far out from the plot on every side, with
    room for it in the margins: markers centred on the plot's edge then show whole.
    """
    for spine in ax.spines.values():
        spine.set_visible(False)
    scale = layout.fig.dpi / 100  # device pixels per CSS pixel
    depth = dict.fromkeys(layout.margin, outset_px)
    for guide in extras.axes or ():
        first = depth[guide.side] == outset_px
        depth[guide.side] += _draw_axis(layout, ax, guide, (depth[guide.side], first), scale)
    for side, used in depth.items():
        layout.margin[side] += used
    if extras.grid is not None:
        _draw_grid(layout, ax, extras.grid, scale)


def _draw_axis(
    layout: GuideLayout, ax: Axes, guide: AxisGuide, offset: tuple[float, bool], scale: float
) -> float:
    """One axis, ``offset[0]`` px out from the plot (``offset[1]``: the first on its side);
    returns the depth it takes."""
    from matplotlib.lines import Line2D
    from matplotlib.transforms import ScaledTranslation

    offset_px, first = offset
    side = guide.side
    horizontal = side in ("bottom", "top")
    edge = 0.0 if side in ("bottom", "left") else 1.0
    line_color = guide.line_color or layout.theme.axis
    out = offset_px / layout.fig.dpi * (-1 if side in ("bottom", "left") else 1)
    shifted = ax.transAxes + ScaledTranslation(
        0 if horizontal else out, out if horizontal else 0, layout.fig.dpi_scale_trans
    )
    if guide.line and first:
        xs, ys = ([0.0, 1.0], [edge, edge]) if horizontal else ([edge, edge], [0.0, 1.0])
        ax.add_line(
            Line2D(xs, ys, transform=shifted, color=line_color, linewidth=0.8, clip_on=False, zorder=2.5)
        )
    # Tick marks on the axis next to the plot only: further ones would fall on them.
    lengths = guide.tick_lengths_px or (TICK_PX,)
    marked = guide.tick_marks and first
    tick = max(0.0, *lengths) * scale if marked else 0.0
    if marked and guide.ticks:
        _draw_tick_marks(
            ax, guide, lengths=lengths, px=(scale, layout.fig.dpi), color=guide.tick_color or line_color,
            transform=shifted,
        )  # fmt: skip
    size_pt = layout.sizes.font if guide.font_px is None else guide.font_px * 0.72
    labels = [(p, text) for p, text in guide.ticks if text]
    if not labels:
        return tick + (0.0 if first else STACK_GAP_PX * scale)
    sizes = [text_extent(text, size_pt, layout.fig.dpi) for _, text in labels]
    gap = offset_px + tick + LABEL_GAP_PX * scale
    column = max(w for w, _ in sizes)
    align = guide.align or _DEFAULT_ALIGN[side]
    for (position, text), (w, _h) in zip(labels, sizes, strict=True):
        _place_label(
            layout,
            ax,
            guide,
            label=(position, text),
            reach_px=(gap, gap + column),
            align=align,
            size_pt=size_pt,
        )
        _reach_past_ends(layout, side, position, (w, _h), centered=align == "center")
    thickness = max(h for _, h in sizes) if horizontal else column
    return gap - offset_px + thickness + STACK_GAP_PX * scale


def _draw_tick_marks(
    ax: Axes,
    guide: AxisGuide,
    *,
    lengths: tuple[float, ...],
    px: tuple[float, float],
    color: str,
    transform: Transform,
) -> None:
    """Tick marks of ``lengths`` (CSS pixels, cycled) at the guide's ticks along the axis drawn
    with ``transform``: outwards, or below 0 into the plot and cut at its edges. ``px``: device
    pixels per CSS pixel, and the dpi. One artist per distinct length."""
    from matplotlib.markers import TICKDOWN, TICKLEFT, TICKRIGHT, TICKUP

    side = guide.side
    outward = {"bottom": TICKDOWN, "top": TICKUP, "left": TICKLEFT, "right": TICKRIGHT}[side]
    inward = {"bottom": TICKUP, "top": TICKDOWN, "left": TICKRIGHT, "right": TICKLEFT}[side]
    edge = 0.0 if side in ("bottom", "left") else 1.0
    scale, dpi = px
    by_length: dict[float, list[float]] = {}
    for i, (position, _) in enumerate(guide.ticks):
        by_length.setdefault(lengths[i % len(lengths)], []).append(position)
    for length, positions in by_length.items():
        if length == 0:
            continue
        xs, ys = (
            (positions, [edge] * len(positions))
            if side in ("bottom", "top")
            else ([edge] * len(positions), positions)
        )
        ax.plot(
            xs,
            ys,
            linestyle="",
            marker=outward if length > 0 else inward,
            markersize=abs(length) * scale * 72 / dpi,
            markeredgewidth=0.8,
            color=color,
            transform=transform,
            clip_on=length < 0,  # into the plot: cut at its edges
            scalex=False,
            scaley=False,
        )


_HA = {"start": "left", "center": "center", "end": "right"}


def _place_label(
    layout: GuideLayout,
    ax: Axes,
    guide: AxisGuide,
    *,
    label: tuple[float, str],
    reach_px: tuple[float, float],
    align: str,
    size_pt: float,
) -> None:
    """A label ``reach_px`` (nearest, farthest extent of the axis's labels) out from the plot."""
    from matplotlib.transforms import ScaledTranslation

    position, text = label
    side, dpi = guide.side, layout.fig.dpi
    near, far = reach_px
    style = {"fontsize": size_pt, "color": guide.color or layout.theme.text, "ha": _HA[align]}
    if side in ("bottom", "top"):
        below = side == "bottom"
        shift = ScaledTranslation(0, (-near if below else near) / dpi, layout.fig.dpi_scale_trans)
        layout.fig.text(
            position, 0.0 if below else 1.0, text, transform=ax.transAxes + shift,
            va="top" if below else "bottom", **style,  # type: ignore[arg-type]
        )  # fmt: skip
        return
    # Side axes: the labels form a column between near and far; align within it.
    left = side == "left"
    inner, outer = (near, far)
    x_px = {"center": (inner + outer) / 2, "start": outer if left else inner, "end": inner if left else outer}
    shift = ScaledTranslation((-1 if left else 1) * x_px[align] / dpi, 0, layout.fig.dpi_scale_trans)
    layout.fig.text(
        0.0 if left else 1.0, position, text, transform=ax.transAxes + shift,
        va="center", **style,  # type: ignore[arg-type]
    )  # fmt: skip


def _reach_past_ends(
    layout: GuideLayout, side: str, position: float, size: tuple[float, float], *, centered: bool
) -> None:
    """A label at either end of an axis reaches past the plot into the next margin."""
    if side in ("left", "right"):
        ends, half = ("bottom", "top"), size[1] / 2
    elif centered:
        ends, half = ("left", "right"), size[0] / 2
    else:
        return
    # The outer margin stays clear beyond the label, as around every other text.
    reach = half + layout.sizes.pad * layout.fig.dpi / 72
    if position <= 0.0:
        layout.margin[ends[0]] = max(layout.margin[ends[0]], reach)
    if position >= 1.0:
        layout.margin[ends[1]] = max(layout.margin[ends[1]], reach)


def _draw_grid(layout: GuideLayout, ax: Axes, grid: GridGuide, scale: float) -> None:
    from matplotlib.collections import LineCollection

    segments = [[(x, 0.0), (x, 1.0)] for x in grid_positions(grid.x_step, grid.x_offset)]
    segments += [[(0.0, y), (1.0, y)] for y in grid_positions(grid.y_step, grid.y_offset)]
    if not segments:
        return
    to_pt = 72 / 100  # dash lengths are given in CSS pixels; matplotlib scales points with dpi
    width_pt = 0.8
    dashes: str | tuple[float, tuple[float, float]] = "solid"
    if grid.gap_px > 0 and grid.dash_px > 0:
        # matplotlib multiplies dash lengths by the line width.
        dash, gap = dash_pattern(grid.dash_px, grid.gap_px)
        dashes = (0.0, (dash * to_pt / width_pt, gap * to_pt / width_pt))
    ax.add_collection(
        LineCollection(
            segments,
            transform=ax.transAxes,
            colors=layout.theme.grid,
            linewidths=width_pt,
            linestyles=[dashes],
            zorder=0.5,
        ),
        autolim=False,
    )


def grid_positions(step: float, offset: float) -> list[float]:
    """Fractions of the plot where grid lines go: every ``step`` from ``offset``, inside 0..1."""
    if step <= 0:
        return []
    start = offset % step
    count = int((1.0 - start) / step + 1e-9) + 1
    return [start + i * step for i in range(count)]
