"""Radar (spider) charts: each series a closed polygon over the categories."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from api.charts.frame import bare_axes, is_compact, plot_area, text_sizes, theme_of
from api.charts.kinds.bar import category_labels, legend_entries
from api.charts.marks import WEB_GID, series_gid
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, SpecError, options_of
from api.charts.style import format_number, series_colors, tick_decimals
from api.charts.textsize import fit_text, text_extent

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from api.settings import Limits

LABEL_GAP_PX = 6.0  # between the web's outer ring and the category labels
MIN_WEB_SHARE = 0.5  # the web keeps at least this share of the square, however long the labels
SPOKES_UP_TO = 72  # more categories than this draw no spokes (they would fill the disc)
RING_STEPS = 96  # segments of a grid ring


@dataclass(frozen=True)
class RadarOptions(KindOptions):
    category_labels: bool = True  # the labels around the web
    radial_labels: bool = True  # the values along the radius
    smooth: bool = False  # each series a closed spline through its points (Google's cht=rs)


def check(spec: ChartSpec, limits: Limits) -> None:
    if len(spec.series[0]) < 3:
        raise SpecError("series", "A radar chart needs at least 3 points per series.")


def radius_range(spec: ChartSpec) -> tuple[float, float]:
    values = [v for series in spec.series for v in series]
    low = spec.min if spec.min is not None else min(0.0, *values)
    high = spec.max if spec.max is not None else max(values) * 1.05
    if not high > low:
        high = low + (abs(low) or 1.0)
    return low, high


def web_xy(angle: float, radius: float) -> tuple[float, float]:
    """A point of the web: ``angle`` clockwise from the top, ``radius`` 0..1 outwards."""
    return radius * math.sin(angle), radius * math.cos(angle)


def render(spec: ChartSpec, fig: Figure) -> None:
    """Drawn on plain axes in web coordinates (the outer ring has radius 1): polar axes make a
    tick, a grid line and a label artist per category, which 2,000 categories made seconds."""
    import numpy as np
    from matplotlib.collections import LineCollection
    from matplotlib.ticker import MaxNLocator

    opts = options_of(spec, RadarOptions, RadarOptions())
    theme = theme_of(spec)
    colors = series_colors(spec.colors, len(spec.series))
    box = plot_area(fig, spec, legend_entries(spec, colors, "line"))
    box_px = (box[2] * fig.bbox.width, box[3] * fig.bbox.height)
    count = len(spec.series[0])
    angles = [2 * math.pi * i / count for i in range(count)]
    font = text_sizes(spec).font
    labels = _labels(spec, opts, count, box_px, (font, fig.dpi))
    radius_px = _web_radius(labels, angles, box_px, (font, fig.dpi))
    ax = bare_axes(fig, box, gid=WEB_GID)
    ax.set_axis_off()
    # Web units (the outer ring is 1) at the same scale both ways: circles stay round.
    ax.set_xlim(-box_px[0] / 2 / radius_px, box_px[0] / 2 / radius_px)
    ax.set_ylim(-box_px[1] / 2 / radius_px, box_px[1] / 2 / radius_px)
    low, high = radius_range(spec)

    def radius(value: float) -> float:
        return min(max((value - low) / (high - low), 0.0), 1.0)

    ticks = [t for t in MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high) if low < t <= high]
    rings = [[web_xy(2 * math.pi * k / RING_STEPS, radius(t)) for k in range(RING_STEPS + 1)] for t in ticks]
    spokes = [[(0.0, 0.0), web_xy(a, 1.0)] for a in angles] if count <= SPOKES_UP_TO else []
    ax.add_collection(LineCollection(rings + spokes, colors=theme.grid, linewidths=0.8, zorder=0.5))
    outline = [web_xy(2 * math.pi * k / RING_STEPS, 1.0) for k in range(RING_STEPS + 1)]
    ax.plot(*zip(*outline, strict=True), color=theme.axis, linewidth=0.8, zorder=0.6)
    for i, (values, color) in enumerate(zip(spec.series, colors, strict=True)):
        points = [web_xy(a, radius(v)) for a, v in zip(angles, values, strict=True)]
        xs, ys = zip(*points, points[0], strict=False)
        if opts.smooth:
            line = spline_line(points, color=color, linewidth=2, gid=series_gid(i), zorder=2)
            ax.add_line(line)
            curve = np.asarray(line.get_path().vertices)  # the spline the line computed
            ax.fill(curve[:, 0], curve[:, 1], color=color, alpha=0.15, zorder=1.5)
        else:
            ax.plot(xs, ys, color=color, linewidth=2, gid=series_gid(i), zorder=2)
            ax.fill(xs, ys, color=color, alpha=0.15, zorder=1.5)
    em_px = font * fig.dpi / 72
    gap = LABEL_GAP_PX * fig.dpi / 100 / radius_px  # in web units
    for index, text in labels:
        lx, ly = web_xy(angles[index], 1 + gap)
        ax.text(lx, ly, text, fontsize=font, color=theme.text, clip_on=False, **_align(angles[index]))
    if opts.radial_labels and not is_compact(spec) and radius_px > 4 * em_px:
        # Along the gap between spokes that the polygons reach least into, on a backing.
        scaled = [[radius(v) for v in values] for values in spec.series]
        at = _emptiest_gap(scaled, angles)
        for tick in ticks:
            tx, ty = web_xy(at, radius(tick))
            ax.text(
                tx, ty, format_number(tick, spec.number_format, min(tick_decimals(tick), 2)),
                fontsize=font, color=theme.axis, ha="center", va="center", zorder=3,
                bbox={"boxstyle": "square,pad=0.15", "facecolor": theme.background, "edgecolor": "none", "alpha": 0.8},
            )  # fmt: skip


SPLINE_STEPS = 12  # segments of a spline between two points


def closed_spline(points: list[tuple[float, float]], steps: int = SPLINE_STEPS) -> np.ndarray:
    """A closed uniform Catmull-Rom spline through ``points``: it passes through each point,
    with ``steps`` segments between two, and ends where it starts."""
    import numpy as np

    p = np.asarray(points, dtype=float)
    before, after, after2 = np.roll(p, 1, axis=0), np.roll(p, -1, axis=0), np.roll(p, -2, axis=0)
    t = np.linspace(0.0, 1.0, steps, endpoint=False)[:, None, None]  # (steps, 1, 1)
    # Catmull-Rom basis, every segment (point i to i+1) at once: shape (steps, points, 2).
    curve = 0.5 * (
        2 * p
        + (after - before) * t
        + (2 * before - 5 * p + 4 * after - after2) * t**2
        + (3 * p - before - 3 * after + after2) * t**3
    )
    ordered = curve.transpose(1, 0, 2).reshape(-1, 2)  # segment by segment
    return np.vstack([ordered, ordered[:1]])


def spline_line(points: list[tuple[float, float]], **style: Any) -> Line2D:
    """A line whose data are ``points`` closed (what markers find, as on a straight radar) but
    which draws the closed spline through them."""
    xs, ys = zip(*points, points[0], strict=False)
    return _spline_line_class()(xs, ys, **style)


@cache
def _spline_line_class() -> type[Line2D]:
    from matplotlib.lines import Line2D
    from matplotlib.path import Path

    class SplineLine(Line2D):
        def recache(self, always: bool = False) -> None:
            super().recache(always)
            import numpy as np

            closed = np.asarray(self.get_xydata(), dtype=float)
            self._path = Path(closed_spline([(x, y) for x, y in closed[:-1]]))

    return SplineLine


def _emptiest_gap(radii: list[list[float]], angles: list[float]) -> float:
    """The angle halfway between the two neighbouring spokes where the farthest polygon edge
    comes nearest the centre (the first such gap on a tie)."""
    count = len(angles)
    half = math.pi / count

    def reach(k: int) -> float:
        # A straight edge between radii r0 and r1 crosses the bisector at 2 r0 r1 cos(half) / (r0 + r1).
        ends = ((r[k], r[(k + 1) % count]) for r in radii)
        return max((2 * a * b * math.cos(half) / (a + b) if a + b else 0.0 for a, b in ends), default=0.0)

    best = min(range(count), key=lambda k: (round(reach(k), 9), k))
    return angles[best] + half


def _labels(
    spec: ChartSpec, opts: RadarOptions, count: int, box_px: tuple[float, float], text: tuple[float, float]
) -> list[tuple[int, str]]:
    """The category labels drawn, as (index, text): thinned to what fits around the web
    (``text``: the font size and the dpi)."""
    size, dpi = text
    if is_compact(spec) or not opts.category_labels:
        return []
    texts = category_labels(spec)
    smallest = MIN_WEB_SHARE * min(box_px) / 2  # the web's least radius
    line_px = size * dpi / 72 * 1.5
    step = max(1, math.ceil(count * line_px / (2 * math.pi * smallest)))
    room = max(box_px[0] / 2 - smallest - LABEL_GAP_PX * dpi / 100, size * dpi / 72 * 3)
    return [(i, fit_text(texts[i], size, dpi, room)) for i in range(0, count, step) if texts[i]]


def _web_radius(
    labels: list[tuple[int, str]], angles: list[float], box_px: tuple[float, float], text: tuple[float, float]
) -> float:
    """The web's radius in pixels: as large as the plot and the labels around it allow."""
    size, dpi = text
    half_x, half_y = box_px[0] / 2, box_px[1] / 2
    base = min(half_x, half_y)
    radius = 0.92 * base
    gap = LABEL_GAP_PX * dpi / 100
    for index, label in labels:
        width, height = text_extent(label, size, dpi)
        sx, sy = (abs(v) for v in web_xy(angles[index], 1.0))
        # A label reaches |s| * radius + gap + its extent outwards (half of it when centred).
        extra_x = gap + (width if sx >= 0.3 else width / 2)
        extra_y = gap + (height if sy >= 0.3 else height / 2)
        if sx > 1e-9:
            radius = min(radius, (half_x - extra_x) / sx)
        if sy > 1e-9:
            radius = min(radius, (half_y - extra_y) / sy)
    return max(MIN_WEB_SHARE * base, radius, 1.0)


def _align(angle: float) -> dict[str, Any]:
    sx, sy = web_xy(angle, 1.0)
    return {
        "ha": "center" if abs(sx) < 0.3 else ("left" if sx > 0 else "right"),
        "va": "center" if abs(sy) < 0.3 else ("bottom" if sy > 0 else "top"),
    }


KIND = ChartKind(
    name="radar",
    summary="Radar chart",
    description="Each series is a closed polygon over the categories (at least 3); min and max set "
    "the radius range (default from 0, or the smallest value, to just above the largest).",
    render=render,
    groups=("base", "colors", "labels", "legend", "range"),
    check=check,
    # A point is a spoke and a polygon vertex (bench.worst_cases: 4 x 2,000 points, 537 ms CPU).
    point_ms=0.07,
    examples={
        "data": "4,3,5,2,4|3,5,3,4,2",
        "labels": "Speed,Comfort,Price,Range,Safety",
        "legend": "Model X,Model Y",
        "title": "Car comparison",
        "min": 0,
        "max": 5,
        "colors": "0072b2,e69f00",
    },
)
