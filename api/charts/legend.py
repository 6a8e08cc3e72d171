"""The legend: entries sized in columns, labels kept distinct, and drawn as plain artists.

matplotlib's ``Legend`` packs boxes in ways that cost more than the rest of a small chart's
layout; here the legend is a grid of handles and texts placed from measured extents.
``legend_position=inside`` puts it in the corner of the plot the data leaves emptiest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.charts.textsize import fit_labels, text_extent

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.path import Path

    from api.charts.style import Theme

# Corners of the plot in order of preference when the data leaves several equally empty.
CORNERS = ("upper right", "upper left", "lower right", "lower left")
SAMPLE_PX = 2.0  # spacing of the points sampled along lines when scoring corners


@dataclass(frozen=True)
class LegendStyle:
    """The legend's text as a request states it; None: the chart's own."""

    color: str | None = None  # "#rrggbbaa"
    font_px: float | None = None  # CSS pixels


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str
    shape: str = "box"  # box, line or dot


class LegendGrid:
    """Sizes of a legend laid out in columns (entries run down each column); ``packed``: a
    legend that fits in one row gives each entry its own width, closer together, with small
    square handles (as Google's chart legends)."""

    def __init__(self, labels: list[str], size_pt: float, dpi: float, *, packed: bool = False) -> None:
        self.labels = labels
        self.em = size_pt * dpi / 72
        self.handle, self.handle_gap, self.spacing = 1.2 * self.em, 0.5 * self.em, 2.0 * self.em
        if packed:
            self.handle, self.handle_gap = 0.8 * self.em, 0.4 * self.em
        self.widths = [text_extent(label, size_pt, dpi)[0] for label in labels]
        self.column_width = self.handle + self.handle_gap + max(self.widths)
        self.row_height = text_extent("lp", size_pt, dpi)[1] + 0.5 * self.em
        self.rows, self.columns = len(labels), 1
        self.packed, self.in_a_row = packed, False

    @classmethod
    def of(
        cls,
        entries: list[LegendEntry],
        size_pt: float,
        dpi: float,
        max_label_px: float,
        *,
        packed: bool = False,
    ) -> LegendGrid:
        """The grid of ``entries`` whose labels are fitted to ``max_label_px`` and stay told apart."""
        return cls(
            fit_labels([e.label for e in entries], size_pt, dpi, max_label_px), size_pt, dpi, packed=packed
        )

    def arrange(self, *, rows_room: float | None = None, columns_room: float | None = None) -> None:
        count = len(self.labels)
        self.in_a_row = False
        if rows_room is not None:
            rows = max(1, int(rows_room // self.row_height))
            self.columns = math.ceil(count / rows)
        else:
            room = columns_room or 0.0
            if self.packed and self._row_width() <= room:
                self.in_a_row, self.columns = True, count
            else:
                self.columns = max(
                    1, min(count, int((room + self.spacing) // (self.column_width + self.spacing)))
                )
        self.rows = math.ceil(count / self.columns)

    def _row_width(self) -> float:
        gaps = 0.8 * self.em * (len(self.labels) - 1)
        return sum(self.handle + self.handle_gap + w for w in self.widths) + gaps

    def column_x(self, column: int) -> float:
        """Where a column starts, from the legend's left edge."""
        if self.in_a_row:
            return sum(self.handle + self.handle_gap + w + 0.8 * self.em for w in self.widths[:column])
        return column * (self.column_width + self.spacing)

    @property
    def width(self) -> float:
        if self.in_a_row:
            return self._row_width()
        return self.columns * self.column_width + (self.columns - 1) * self.spacing

    @property
    def height(self) -> float:
        return self.rows * self.row_height


def inside_origin(
    ax: Axes | None, grid: LegendGrid, plot_px: tuple[float, float, float, float]
) -> tuple[float, float]:
    """The top-left corner (figure pixels) of a legend inside the plot ``(left, bottom, right,
    top)``: in the corner whose box covers the fewest data points, lines and bars."""
    left, bottom, right, top = plot_px
    em = grid.em
    # The backing drawn around the entries reaches em/2 left and right, em/4 up and em/2 down.
    boxes = {
        "upper right": (right - grid.width - em / 2, top - em / 2),
        "upper left": (left + em, top - em / 2),
        "lower right": (right - grid.width - em / 2, bottom + grid.height + em),
        "lower left": (left + em, bottom + grid.height + em),
    }
    if ax is None:
        return boxes["upper right"]
    points, filled = _data_extent(ax)

    def covered(corner: str) -> float:
        import numpy as np

        x0, y_top = boxes[corner]
        box = (x0 - em / 2, y_top - grid.height - em / 2, x0 + grid.width + em / 2, y_top + em / 4)
        xs_in = (points[:, 0] >= box[0]) & (points[:, 0] <= box[2])
        inside = int((xs_in & (points[:, 1] >= box[1]) & (points[:, 1] <= box[3])).sum())
        step = 2 * SAMPLE_PX
        xs, ys = np.meshgrid(np.arange(box[0], box[2], step), np.arange(box[1], box[3], step))
        probes = np.column_stack([xs.ravel(), ys.ravel()])
        under = np.zeros(len(probes), dtype=bool)
        for path in filled:
            under |= path.contains_points(probes)
        # A probe under a bar or area stands for as much as the line points in its cell.
        return inside + int(under.sum()) * (step / SAMPLE_PX) ** 2

    best = min(CORNERS, key=lambda corner: (covered(corner), CORNERS.index(corner)))
    return boxes[best]


def _data_extent(ax: Axes) -> tuple[Any, list[Path]]:
    """What the plot draws, in figure pixels: points along its lines and markers, and the
    outlines of its filled shapes (bars, areas, cells)."""
    import numpy as np
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Patch

    ax.get_xlim(), ax.get_ylim()  # settle the view limits before transforming
    data = ax.transData
    points: list[Any] = [np.empty((0, 2))]
    filled: list[Path] = []
    for line in ax.get_lines():
        if line.get_transform() is not data:
            continue  # tick marks, drawn in axes coordinates
        xy = data.transform(np.column_stack(line.get_data()).astype(float))
        points.append(_sample(xy, line.get_linestyle() not in ("", "None", " ")))
    for collection in ax.collections:
        if collection.get_transform() is data:  # areas, error bars, whiskers
            for path in collection.get_paths():
                if isinstance(collection, LineCollection):
                    points.append(_sample(data.transform(path.vertices), True))
                else:
                    filled.append(path.transformed(data))
        offsets = np.asarray(collection.get_offsets())
        if len(offsets) and collection.get_offset_transform() is data:  # markers
            points.append(data.transform(np.asarray(offsets, dtype=float)))
    for patch in ax.patches:
        if isinstance(patch, Patch) and patch.get_visible():
            filled.append(patch.get_path().transformed(patch.get_transform()))
    stacked = np.concatenate(points)
    return stacked[np.isfinite(stacked).all(axis=1)], filled


def _sample(xy: Any, joined: bool) -> Any:
    """The vertices, and when ``joined`` points every SAMPLE_PX along the segments between them."""
    import numpy as np

    vertices = np.asarray(xy, dtype=float).reshape(-1, 2)
    if not joined or len(vertices) < 2:
        return vertices
    a, b = vertices[:-1], vertices[1:]
    lengths = np.nan_to_num(np.hypot(*(b - a).T), nan=0.0, posinf=0.0)
    steps = np.clip((lengths / SAMPLE_PX).astype(int), 1, 2000)
    segment = np.repeat(np.arange(len(a)), steps)
    within = np.arange(len(segment)) - np.repeat(np.cumsum(steps) - steps, steps) + 1
    t = (within / steps[segment])[:, None]
    return np.concatenate([vertices[:1], a[segment] + (b[segment] - a[segment]) * t])


def draw_legend(
    fig: Figure,
    theme: Theme,
    entries: list[LegendEntry],
    grid: LegendGrid,
    origin: tuple[float, float],
    *,
    backing: bool,
    size_pt: float,
    text_color: str | None = None,
) -> None:
    """The entries in ``grid`` with their top-left corner at ``origin`` (figure pixels);
    ``backing`` draws a translucent box behind them (a legend over the data); ``text_color``:
    the labels' colour, else the theme's text colour."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    w, h = fig.bbox.width, fig.bbox.height
    em = grid.em
    to_fig = fig.transFigure
    if backing:
        x0, top = origin[0] - em / 2, origin[1] + em / 4
        fig.add_artist(
            Rectangle(
                (x0 / w, (top - grid.height - em / 2) / h),
                (grid.width + em) / w,
                (grid.height + em * 0.75) / h,
                transform=to_fig,
                facecolor=theme.background,
                alpha=0.85,
                edgecolor=theme.grid,
                linewidth=0.8,
            )
        )
    for i, (entry, label) in enumerate(zip(entries, grid.labels, strict=True)):
        column, row = divmod(i, grid.rows)
        x = origin[0] + grid.column_x(column)
        y = origin[1] - (row + 0.5) * grid.row_height
        handle: Artist
        if entry.shape == "box":
            handle = Rectangle(
                (x / w, (y - 0.4 * em) / h),
                grid.handle / w,
                0.8 * em / h,
                transform=to_fig,
                facecolor=entry.color,
            )
        elif entry.shape == "line":
            handle = Line2D(
                [x / w, (x + grid.handle) / w], [y / h] * 2, transform=to_fig, color=entry.color, linewidth=2
            )
        else:
            handle = Line2D(
                [(x + grid.handle / 2) / w],
                [y / h],
                transform=to_fig,
                color=entry.color,
                marker="o",
                markersize=5,
            )
        fig.add_artist(handle)
        fig.text(
            (x + grid.handle + grid.handle_gap) / w,
            y / h,
            label,
            transform=to_fig,
            ha="left",
            va="center",
            fontsize=size_pt,
            color=text_color or theme.text,
        )


def ordered_entries(
    entries: list[LegendEntry], order: str | tuple[int, ...], size_pt: float, dpi: float
) -> list[LegendEntry]:
    """The legend's entries in Google's chdlp orders (see ChartExtras.legend_order)."""
    if order == "r":
        return entries[::-1]
    if order == "a":  # shortest first, measured in 10 CSS pixel steps; ties as given
        return sorted(entries, key=lambda e: int(text_extent(e.label, size_pt, dpi)[0] * 100 / dpi // 10))
    return [entries[i] for i in order if isinstance(i, int) and i < len(entries)]
