"""Pie and donut charts: the slices of one series."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.charts.frame import LegendEntry, bare_axes, centered_square, plot_area, text_sizes, theme_of
from api.charts.kinds import pie_labels
from api.charts.kinds.pie_walls import side_wall
from api.charts.options import KindOptions
from api.charts.sentences import MAX_SERIES_DESCRIBED
from api.charts.specs import LEGEND_POSITIONS, ChartKind, ChartSpec, SpecError, options_of
from api.charts.style import FONT_SIZE, TITLE_SIZE, format_number, series_colors
from api.charts.textsize import text_extent
from api.outputfields import choice_field
from api.plaintext import listing, number, plural, shorten

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.figure import Figure

    from api.settings import Limits

DONUT_RING = 0.38  # ring width as a share of the radius


@dataclass(frozen=True)
class PieOptions(KindOptions):
    donut: bool = False
    # Labels beside their slices with leader lines (Google's chl), not in the legend; the
    # legend then names ``legend`` (Google's chdl beside chl).
    slice_labels: bool = False
    legend: tuple[str, ...] = ()
    # Where the first slice starts, in turns clockwise from twelve o'clock (Google's pies
    # start at three o'clock, 0.25, and chp rotates them further).
    rotation: float = 0.0
    # A pie seen from above at an angle (Google's cht=p3): its height as a share of its width,
    # and the side wall's depth as a share of the radius; 1.0 and 0.0 draw it flat.
    tilt: float = 1.0
    depth: float = 0.0


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "legend_position": choice_field(LEGEND_POSITIONS, "right", "Where the legend of slice labels goes.")
    }


def check(spec: ChartSpec, limits: Limits, rings: bool) -> None:
    series = spec.series
    if len(series) != 1 and not rings:
        raise SpecError("series", f"A donut chart takes one series, got {len(series)}.")
    slices = sum(map(len, series))
    if slices > limits.max_slices:
        raise SpecError("series", f"At most {limits.max_slices} slices in one chart, got {slices}.")
    for ring, values in enumerate(series, start=1):
        if any(v < 0 for v in values):
            raise SpecError("series", "Slices cannot be negative.")
        if not any(values):
            where = f" of series {ring}" if len(series) > 1 else ""
            raise SpecError("series", f"At least one slice{where} must be above 0.")


def render(spec: ChartSpec, fig: Figure) -> None:
    if len(spec.series) > 1:
        _render_rings(spec, fig)
        return
    opts = options_of(spec, PieOptions)
    values = spec.series[0]
    theme = theme_of(spec)
    colors = series_colors(spec.colors, len(values))
    named = opts.legend if opts.slice_labels else spec.labels
    legend = [LegendEntry(label, color) for label, color in zip(named, colors, strict=False)]
    beside = None
    if opts.slice_labels or opts.tilt < 1:
        box = plot_area(fig, spec, legend)
        beside = pie_labels.layout(
            box,
            (fig.bbox.width, fig.bbox.height),
            dpi=fig.dpi,
            values=values,
            texts=spec.labels if opts.slice_labels else (),
            size_pt=text_sizes(spec).font,
            rotation=opts.rotation,
            tilt=opts.tilt,
            depth=opts.depth,
        )
        ax = bare_axes(fig, box)
    else:
        ax = bare_axes(fig, centered_square(plot_area(fig, spec, legend), fig))
    ax.set_axis_off()
    total = sum(values)
    wedge: dict[str, Any] = {"edgecolor": theme.edge, "linewidth": 1.2}
    if opts.donut:
        wedge["width"] = DONUT_RING
    draw_wedges(ax, values, colors, 1.0, wedge, rotation=opts.rotation, tilt=opts.tilt, depth=opts.depth)
    if beside is not None:
        beside.draw(ax, theme.text, theme.axis)
    if spec.value_labels and spec.output.width >= 120 and spec.output.height >= 120:
        _percentages(ax, values, total, opts.donut, opts.rotation)
    if opts.donut:
        decimals = 0 if all(float(v).is_integer() for v in values) else 2
        ax.text(
            0,
            0,
            shorten(format_number(total, spec.number_format, decimals), 12),
            ha="center",
            va="center",
            fontsize=TITLE_SIZE,
            color=theme.text,
        )


def draw_wedges(
    ax: Any,
    values: tuple[float, ...],
    colors: Sequence[str],
    radius: float,
    wedgeprops: dict[str, Any],
    *,
    rotation: float = 0.0,
    tilt: float = 1.0,
    depth: float = 0.0,
) -> None:
    """The slices clockwise from twelve o'clock (turned clockwise by ``rotation`` turns), as
    ``Axes.pie`` draws them (same arithmetic,
    same pixels), without its per-slice data-limit updates and empty label texts, which made a
    2,000-slice pie take over a second. With ``tilt`` below 1 the pie is seen at an angle: an
    ellipse ``tilt`` as tall as wide, over a side wall ``depth`` radii deep."""
    import itertools

    import numpy as np
    from matplotlib.patches import Wedge
    from matplotlib.transforms import Affine2D

    fractions = np.asarray(values) / np.asarray(values).sum()
    start = 90 / 360 - rotation  # in turns, anticlockwise from three o'clock
    top = Affine2D().scale(1.0, tilt).translate(0.0, depth * radius / 2) + ax.transData
    for fraction, color in zip(fractions, itertools.cycle(colors), strict=False):
        end = start - fraction
        wedge = Wedge((0, 0), radius, 360.0 * end, 360.0 * start, facecolor=color, clip_on=False)
        wedge.set(**wedgeprops)
        if tilt < 1:
            wedge.set_transform(top)
            side_wall(ax, radius, (360.0 * end, 360.0 * start), color, tilt, depth, wedgeprops)
        ax.add_artist(wedge)
        start = end
    if tilt < 1:
        return  # the labelled layout set the limits
    ax.set_aspect("equal")
    ax.set(frame_on=False, xticks=[], yticks=[], xlim=(-1.25, 1.25), ylim=(-1.25, 1.25))


def _percentages(ax: Any, values: tuple[float, ...], total: float, donut: bool, rotation: float) -> None:
    radius = 1 - DONUT_RING / 2 if donut else 0.65
    # A slice under 3% is too thin to hold its label.
    ring = (1 - DONUT_RING if donut else 0.0, 1.0)
    _write_shares(ax, values, total, radius, min_share=0.03, ring=ring, rotation=rotation)


def _write_shares(
    ax: Any,
    values: tuple[float, ...],
    total: float,
    radius: float,
    *,
    min_share: float,
    ring: tuple[float, float],
    rotation: float = 0.0,
) -> None:
    """Each slice's share of ``total`` at ``radius``, clockwise from twelve o'clock, on the
    slices of at least ``min_share`` whose label fits within the slice between the ``ring``'s
    inner and outer radius (a label on a thinner one would spill onto its neighbours)."""
    import math

    fig = ax.get_figure()
    # The axes show -1.25..1.25: pixels per unit of radius.
    unit_px = ax.get_position().width * fig.bbox.width / 2.5
    angle = 90.0 - 360.0 * rotation
    for value in values:
        share = value / total
        middle = math.radians(angle - share * 180)
        start, angle = angle, angle - share * 360
        label = f"{share:.0%}"
        center = (radius * math.cos(middle), radius * math.sin(middle))
        if share < min_share or not _fits(label, center, (start, share * 360), ring, (unit_px, fig.dpi)):
            continue
        ax.text(
            *center,
            label,
            ha="center",
            va="center",
            fontsize=FONT_SIZE,
            color="#ffffff",
            fontweight="bold",
        )


def _fits(
    label: str,
    center: tuple[float, float],
    arc: tuple[float, float],
    ring: tuple[float, float],
    scale: tuple[float, float],
) -> bool:
    """Whether the box of ``label`` centred at ``center`` (radius units) lies within the slice
    that runs clockwise ``arc[1]`` degrees from ``arc[0]``, between the ``ring`` radii."""
    import math

    unit_px, dpi = scale
    if arc[1] >= 360:
        return True
    width_px, height_px = text_extent(label, FONT_SIZE, dpi)
    # Bold digits run a little wider than the regular ones measured; keep a pixel clear.
    half_w, half_h = (width_px * 1.1 / 2 + 1) / unit_px, (height_px / 2 + 1) / unit_px
    for dx, dy in ((-half_w, -half_h), (-half_w, half_h), (half_w, -half_h), (half_w, half_h)):
        x, y = center[0] + dx, center[1] + dy
        if not ring[0] <= math.hypot(x, y) <= ring[1]:
            return False
        if (arc[0] - math.degrees(math.atan2(y, x))) % 360 > arc[1]:
            return False
    return True


def _render_rings(spec: ChartSpec, fig: Figure) -> None:
    """Several series as concentric rings of equal width, the first series innermost (as
    Google's cht=pc drew them); each ring's slices share its whole circle."""
    theme = theme_of(spec)
    rotation = options_of(spec, PieOptions).rotation
    series = spec.series
    total = sum(len(values) for values in series)
    labels = _per_slice(spec.labels, series, total)
    # Default colours by position, so that rings of the same categories match.
    colors = _per_slice(tuple(spec.colors) or tuple(series_colors((), max(map(len, series)))), series, total)
    legend = list(
        dict.fromkeys(LegendEntry(label, color) for label, color in zip(labels, colors, strict=False))
    )
    ax = bare_axes(fig, centered_square(plot_area(fig, spec, legend), fig))
    ax.set_axis_off()
    width = 1 / len(series)
    start = 0
    for ring, values in enumerate(series):
        wedge: dict[str, Any] = {"edgecolor": theme.edge, "linewidth": 1.2}
        if ring:
            wedge["width"] = width
        draw_wedges(
            ax, values, colors[start : start + len(values)], (ring + 1) * width, wedge, rotation=rotation
        )
        start += len(values)
    if spec.value_labels:
        # ax.pie shows -1.25..1.25: pixels per unit of radius.
        unit_px = ax.get_position().width * fig.bbox.width / 2.5
        _ring_percentages(ax, series, unit_px, FONT_SIZE * fig.dpi / 72, rotation)


def _ring_percentages(
    ax: Any, series: tuple[tuple[float, ...], ...], unit_px: float, em_px: float, rotation: float
) -> None:
    """Each slice's share of its ring, where the ring is wide and the slice long enough."""
    import math

    width = 1 / len(series)
    if width * unit_px < 1.6 * em_px:
        return
    for ring, values in enumerate(series):
        radius = (ring + 0.5) * width if ring else width * 0.6
        # A slice's arc must be long enough to hold "25%".
        arc_px = 2 * math.pi * radius * unit_px
        inner = ring * width
        _write_shares(
            ax,
            values,
            sum(values),
            radius,
            min_share=2.8 * em_px / arc_px,
            ring=(inner, inner + width),
            rotation=rotation,
        )


def _per_slice(items: tuple[str, ...], series: tuple[tuple[float, ...], ...], total: int) -> list[str]:
    """Labels or colours one per slice, in series order: given so, or one per position shared by
    every series, or one for all; empty when none are given."""
    if not items:
        return []
    if len(items) == total:
        return list(items)
    return [items[index % len(items)] for values in series for index in range(len(values))]


def describe(spec: ChartSpec, kind: ChartKind) -> list[str]:
    """Pie and donut: each slice with its value and share of the total (one ring per series)."""
    sentences = []
    rings = [values for values in spec.series if values]
    offset = 0
    for index, values in enumerate(rings):
        # Labels name the positions shared by every ring, or every slice of every ring in turn.
        start = offset if len(spec.labels) == sum(len(ring) for ring in rings) else 0
        offset += len(values)
        if index >= MAX_SERIES_DESCRIBED:
            continue
        total = sum(values)
        parts = [
            (spec.labels[start + i] if start + i < len(spec.labels) else f"slice {i + 1}")
            + f" {number(v, spec.number_format)}"
            + (f" ({v / total:.0%})" if total > 0 else "")
            for i, v in enumerate(values)
        ]
        prefix = f"Ring {index + 1}: " if len(rings) > 1 else ""
        sentences.append(
            f"{prefix}{plural(len(values), 'slice')}: {listing(parts)}; "
            f"total {number(total, spec.number_format)}."
        )
    return sentences


def _kind(name: str, donut: bool, summary: str) -> ChartKind:
    rings = (
        ""
        if donut
        else " Several series are drawn as concentric rings, the first innermost (Google's cht=pc); "
        "labels and colors then name every slice in series order, or one per position when all "
        "series have as many values."
    )
    return ChartKind(
        name=name,
        summary=summary,
        description="One series, one slice per value (values >= 0, not all 0); labels name the slices "
        "in a legend, value_labels writes each slice's share. One chart holds at most "
        "CHARTMAP_MAX_SLICES slices (1,000 unless the server sets another limit)."
        + (" The total stands in the middle." if donut else rings),
        render=render,
        describe=describe,
        groups=("base", "colors", "labels", "value_labels"),
        own_fields=own_fields,
        options=lambda params: PieOptions(donut=donut),
        check=lambda spec, limits: check(spec, limits, rings=not donut),
        equal_lengths=False,
        labels_for="slices",
        colors_for="slices",
        # Shares are written only on slices wide enough to hold them.
        max_value_labels=1_000,
        point_ms=0.45 if donut else 0.3,
        examples={
            "data": "45,30,15,10",
            "labels": "Rent,Food,Transport,Other",
            "title": "Monthly budget",
            "value_labels": True,
            "colors": "0072b2,e69f00,009e73,cc79a7",
        },
    )


KIND = _kind("pie", donut=False, summary="Pie chart")
DONUT = _kind("donut", donut=True, summary="Donut chart")
