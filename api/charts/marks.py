"""Marks and line styles over a drawn chart (:class:`~api.charts.explicit.ChartExtras`).

Kinds tag the artist that draws series ``i`` with the gid ``series<i>``; marks find their
points through those artists after the kind has drawn, so no kind needs to know about them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from api.charts import pointmarks
from api.charts.explicit import (
    PT_PER_PX,
    ArrowMark,
    CandleMark,
    ChartExtras,
    ErrorBarMark,
    FillMark,
    FlagMark,
    LineMark,
    LineStyle,
    PlacedMark,
    RuleMark,
    ShapeMark,
    TextMark,
    dash_pattern,
)
from api.charts.textmarks import Anchor, at_index, draw_texts

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SERIES_GID = "series{}"
WEB_GID = "web"  # the axes of a radar's web, whose series close on themselves
_MARKERS = {"circle": "o", "square": "s", "diamond": "D", "cross": "P", "x": "X"}


def series_gid(index: int) -> str:
    """The gid a kind gives the artist that draws series ``index``."""
    return SERIES_GID.format(index)


def series_artists(fig: Figure) -> dict[int, Artist]:
    """Series index -> the artist drawing it, from the gids the kinds set."""
    found: dict[int, Artist] = {}
    for ax in fig.axes:
        for artist in [*ax.lines, *ax.collections]:
            gid = artist.get_gid()
            if gid and gid.startswith("series") and gid[6:].isdigit():
                found.setdefault(int(gid[6:]), artist)
    return found


def anchors(artist: Artist) -> list[Anchor]:
    """The points of a series artist: line vertices, scatter offsets, or bar ends."""
    from matplotlib.collections import PathCollection, PolyCollection
    from matplotlib.lines import Line2D

    if isinstance(artist, Line2D):
        return [(x, y, "up") for x, y in _pairs(artist.get_xydata())]
    if isinstance(artist, PathCollection):
        return [(x, y, "up") for x, y in _pairs(artist.get_offsets())]
    if isinstance(artist, PolyCollection):
        points: list[Anchor] = []
        for path in artist.get_paths():
            (x0, _), (x1, y1), (x2, y2), (x3, _) = _pairs(path.vertices)[:4]
            if x0 != x3:  # a vertical bar: corners (c0, v0), (c0, v1), (c1, v1), (c1, v0)
                points.append(((x1 + x2) / 2, y1, "up"))
            else:  # horizontal: (v0, c0), (v1, c0), (v1, c1), (v0, c1)
                points.append((x1, (y1 + y2) / 2, "right"))
        return points
    return []


def _pairs(array: Any) -> list[tuple[float, float]]:
    import numpy as np

    return [(float(x), float(y)) for x, y in np.asarray(array, dtype=float).reshape(-1, 2)]


def draw_extras(fig: Figure, extras: ChartExtras) -> None:
    if extras.background_fill is not None or extras.plot_fill is not None:
        from api.charts.fills import draw_fills

        draw_fills(fig, extras)
    artists = series_artists(fig)
    for index, style in enumerate(extras.line_styles):
        if style is not None and index in artists:
            style_line(artists[index], style)
    boxes = pointmarks.Boxes()  # annotations keep clear of those drawn before them
    for mark in extras.marks:
        if isinstance(mark, RuleMark | LineMark | CandleMark | PlacedMark | ErrorBarMark):
            _draw_on_plot(fig.axes[0] if fig.axes else None, mark)
            continue
        artist = artists.get(mark.series)
        ax = _axes_of(artist)
        if artist is None or ax is None:
            continue  # the series is not drawn by this kind (checked by the parser)
        if isinstance(mark, ArrowMark | FlagMark):
            _draw_pointing(fig, ax, artist, mark, boxes)
        elif isinstance(mark, ShapeMark):
            _draw_shapes(ax, anchors(artist), mark)
        elif isinstance(mark, TextMark):
            on_bars = pointmarks.bar_points(artist, mark.bar_place) if mark.bar_place else []
            draw_texts(fig, ax, on_bars or anchors(artist), mark)
        else:
            _draw_fill(ax, artists, mark)


def _draw_on_plot(
    ax: Axes | None, mark: RuleMark | LineMark | CandleMark | PlacedMark | ErrorBarMark
) -> None:
    """A mark placed on the plot itself, not through a series' artist."""
    if ax is None:
        return
    if isinstance(mark, RuleMark):
        _draw_rule(ax, mark)
    elif isinstance(mark, LineMark):
        _draw_line(ax, mark)
    elif isinstance(mark, CandleMark):
        _draw_candles(ax, mark)
    elif isinstance(mark, PlacedMark):
        _draw_placed(ax, mark)
    else:
        pointmarks.draw_error_bars(ax, mark)


def _draw_pointing(
    fig: Figure, ax: Axes, artist: Artist, mark: ArrowMark | FlagMark, boxes: pointmarks.Boxes
) -> None:
    """Arrows, flags and annotations at the chosen points (a bar's base, centre or end)."""
    place = mark.bar_place if isinstance(mark, FlagMark) else None
    points = pointmarks.bar_points(artist, place) if place else []
    found = [at_index(points or anchors(artist), i) for i in mark.points]
    at = [(p[0], p[1]) for p in found if p is not None and math.isfinite(p[0]) and math.isfinite(p[1])]
    if isinstance(mark, ArrowMark):
        pointmarks.draw_arrows(fig, ax, at, mark)
    else:
        pointmarks.draw_flags(fig, ax, at, mark, boxes)


def _axes_of(artist: Artist | None) -> Axes | None:
    from matplotlib.axes import Axes

    owner = None if artist is None else artist.axes
    return owner if isinstance(owner, Axes) else None


def style_line(artist: Artist, style: LineStyle) -> None:
    """A series line (or a gauge's needle) drawn with ``style``: its width, its dashes; width 0 hides it."""
    from matplotlib.lines import Line2D

    if not isinstance(artist, Line2D):
        return
    if style.width_px <= 0:
        artist.set_visible(False)  # a hidden series: marks still find its points
        return
    width = style.width_px * PT_PER_PX
    artist.set_linewidth(width)
    if style.dash_px > 0 and style.gap_px > 0:
        # matplotlib scales dash lengths by the line width.
        dash, gap = dash_pattern(style.dash_px, style.gap_px)
        artist.set_linestyle((0, (dash * PT_PER_PX / width, gap * PT_PER_PX / width)))


def _draw_shapes(ax: Axes, points: list[Anchor], mark: ShapeMark) -> None:
    found = [p for p in (at_index(points, i) for i in mark.points) if p is not None and math.isfinite(p[1])]
    if not found:
        return
    xs, ys = [p[0] for p in found], [p[1] for p in found]
    zorder = 4.0 if mark.above else 1.5
    width = mark.size_px * PT_PER_PX
    if mark.shape == "vline":
        bottom = min(ax.get_ylim())
        ax.vlines(xs, bottom, ys, colors=mark.color, linewidths=width, zorder=zorder)
    elif mark.shape in ("vline_full", "hline_full") and mark.length_px is not None:
        pointmarks.short_lines(
            ax,
            list(zip(xs, ys, strict=True)),
            vertical=mark.shape == "vline_full",
            length_px=mark.length_px,
            width_pt=width,
            color=mark.color,
            zorder=zorder,
        )
    elif mark.shape == "vline_full":
        for x in xs:
            ax.axvline(x, color=mark.color, linewidth=width, zorder=zorder)
    elif mark.shape == "hline_full":
        for y in ys:
            ax.axhline(y, color=mark.color, linewidth=width, zorder=zorder)
    else:
        ax.plot(
            xs,
            ys,
            linestyle="",
            marker=_MARKERS[mark.shape],
            markersize=width,
            markeredgewidth=0,
            color=mark.color,
            zorder=zorder,
            clip_on=False,
            scalex=False,
            scaley=False,
        )


def _draw_fill(ax: Axes, artists: dict[int, Artist], mark: FillMark) -> None:
    from matplotlib.patches import Polygon

    top = _outline(artists[mark.series])
    if mark.to is None or mark.to not in artists:
        bottom = min(ax.get_ylim())
        # A radar's series closes on itself: its area is the polygon; a line's reaches down.
        lower = [] if ax.get_gid() == WEB_GID else [(x, bottom) for x, _ in reversed(top)]
    else:
        lower = _outline(artists[mark.to])[::-1]
    outline = top + lower
    if len(outline) < 3:
        return
    ax.add_patch(Polygon(outline, closed=True, facecolor=mark.color, edgecolor="none", zorder=1.5))


def _outline(artist: Artist) -> list[tuple[float, float]]:
    """The points a fill follows: a line as it is drawn (a spline radar's curve; a straight
    line's path is its points), other series through their anchors."""
    from matplotlib.lines import Line2D

    if isinstance(artist, Line2D):
        return [
            (x, y) for x, y in _pairs(artist.get_path().vertices) if math.isfinite(x) and math.isfinite(y)
        ]
    return [(x, y) for x, y, _ in anchors(artist) if math.isfinite(y)]


def _draw_line(ax: Axes | None, mark: LineMark) -> None:
    if ax is None or not mark.points:
        return
    xs, ys = zip(*mark.points, strict=True)
    ax.plot(
        xs,
        ys,
        color=mark.color,
        linewidth=mark.width_px * PT_PER_PX,
        zorder=3.5 if mark.above else 1.5,
        clip_on=False,
        scalex=False,
        scaley=False,
    )


def _draw_candles(ax: Axes | None, mark: CandleMark) -> None:
    from matplotlib.collections import LineCollection

    if ax is None:
        return
    wicks, bodies = [], []
    for position, low, open_, close, high in mark.candles:
        if not all(math.isfinite(v) for v in (position, low, open_, close, high)):
            continue  # a candle missing a value is not drawn
        if mark.horizontal:
            wicks.append([(low, position), (high, position)])
            bodies.append([(open_, position), (close, position)])
        else:
            wicks.append([(position, low), (position, high)])
            bodies.append([(position, open_), (position, close)])
    zorder = 3.6 if mark.above else 1.5
    for segments, width in ((wicks, 1.0), (bodies, mark.width_px)):
        lines = LineCollection(
            segments,
            colors=mark.color,
            linewidths=width * PT_PER_PX,
            capstyle="butt",
            zorder=zorder,
            clip_on=False,
        )
        ax.add_collection(lines, autolim=False)


def _draw_placed(ax: Axes | None, mark: PlacedMark) -> None:
    if ax is None:
        return
    zorder = 4.0 if mark.above else 1.5
    if mark.shape == "text":
        ax.text(
            mark.x, mark.y, mark.text, transform=ax.transAxes, ha="center", va="center",
            fontsize=mark.size_px * PT_PER_PX, color=mark.color, zorder=zorder + 1, clip_on=False,
        )  # fmt: skip
        return
    ax.plot(
        [mark.x], [mark.y], linestyle="", marker=_MARKERS[mark.shape], markersize=mark.size_px * PT_PER_PX,
        markeredgewidth=0, color=mark.color, transform=ax.transAxes, zorder=zorder, clip_on=False,
        scalex=False, scaley=False,
    )  # fmt: skip


def _draw_rule(ax: Axes | None, mark: RuleMark) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    if ax is None:
        return
    if mark.end is None:
        line = Line2D(
            [0, 1], [mark.position] * 2, transform=ax.transAxes, color=mark.color, zorder=1.6,
            linewidth=mark.width_px * PT_PER_PX,
        )  # fmt: skip
        ax.add_line(line)
        return
    low, high = sorted((mark.position, mark.end))
    if ax.get_gid() == WEB_GID:
        _draw_web_range(ax, mark, low, high)
        return
    # A band at least a pixel wide, inside the plot (an edge band of 0.998..1 would vanish).
    across_px = ax.bbox.width if mark.vertical else ax.bbox.height
    least = ax.figure.dpi / 100 / across_px if across_px > 0 else 0.0
    if high - low < least:
        middle = min(max((low + high) / 2, least / 2), 1 - least / 2)
        low, high = middle - least / 2, middle + least / 2
    box = (low, 0.0, high - low, 1.0) if mark.vertical else (0.0, low, 1.0, high - low)
    ax.add_patch(
        Rectangle(
            box[:2],
            box[2],
            box[3],
            transform=ax.transAxes,
            facecolor=mark.color,
            edgecolor="none",
            zorder=0.8,
        )
    )


WEB_RANGE_STEPS = 96  # segments of a full circle in a radar range


def _draw_web_range(ax: Axes, mark: RuleMark, low: float, high: float) -> None:
    """A radar's range: a ring between two radii (0..1 outwards), or a sector between two
    angles (``vertical``: 0..1 clockwise from the top), in web units (the outer ring is 1)."""
    from matplotlib.patches import Polygon

    low, high = max(low, 0.0), min(high, 1.0)
    if high <= low:
        return

    def arc(radius: float, start: float, end: float) -> list[tuple[float, float]]:
        steps = max(2, math.ceil(WEB_RANGE_STEPS * (end - start)))
        angles = [2 * math.pi * (start + (end - start) * k / steps) for k in range(steps + 1)]
        return [(radius * math.sin(a), radius * math.cos(a)) for a in angles]

    if mark.vertical:
        outline = [(0.0, 0.0), *arc(1.0, low, high)]
    else:
        outline = arc(high, 0.0, 1.0) + arc(low, 0.0, 1.0)[::-1]
    ax.add_patch(Polygon(outline, closed=True, facecolor=mark.color, edgecolor="none", zorder=0.8))
