"""Scatter and bubble charts: y series against shared x values, optional bubble sizes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.charts.frame import ValueAxis, add_axes, finish
from api.charts.kinds.bar import legend_entries
from api.charts.kinds.line import value_axis
from api.charts.options import KindOptions
from api.charts.sentences import series_details
from api.charts.specs import ChartKind, ChartSpec, SpecError, options_of
from api.charts.style import series_colors
from api.fields import Numbers
from api.plaintext import number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from api.settings import Limits

MIN_AREA, MAX_AREA = 12.0, 600.0  # marker areas in points², smallest and largest bubble


@dataclass(frozen=True)
class ScatterOptions(KindOptions):
    x: tuple[float, ...]
    sizes: tuple[float, ...] | None = None
    x_range: tuple[float, float] | None = None  # the x axis's ends; None: from the data
    point_colors: tuple[str, ...] = ()  # one per point, over the series colours
    marker_px: float | None = None  # diameter of a point of size 1 (or without sizes)


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "x": Numbers(
            required=True,
            max_items=limits.max_points,
            metadata={
                "description": "The x value of every point, comma-separated; each data series gives the y values."
            },
        ),
        "sizes": Numbers(
            max_items=limits.max_points,
            metadata={
                "description": "Bubble sizes, one per point (above 0): areas are drawn proportional to them."
            },
        ),
    }


def check(spec: ChartSpec, limits: Limits) -> None:
    opts = options_of(spec, ScatterOptions)
    x, sizes = opts.x, opts.sizes
    count = len(spec.series[0])
    if len(x) != count:
        raise SpecError("options.x", f"Expected {count} x values (one per point), got {len(x)}.")
    if sizes is not None:
        if len(sizes) != count:
            raise SpecError("options.sizes", f"Expected {count} sizes (one per point), got {len(sizes)}.")
        if any(size <= 0 for size in sizes):
            raise SpecError("options.sizes", "Sizes must be above 0.")


def _areas(opts: ScatterOptions) -> list[float] | float:
    """Marker areas in points²: bubbles between MIN_AREA and MAX_AREA, or all alike."""
    if opts.marker_px is not None:
        # Diameters in CSS pixels (a size of 1 is the given diameter), as areas in points².
        side = opts.marker_px * 0.72
        return [side * side * s for s in opts.sizes] if opts.sizes else side * side
    if opts.sizes:
        largest = max(opts.sizes)
        return [MIN_AREA + (MAX_AREA - MIN_AREA) * s / largest for s in opts.sizes]
    return 30.0


def render(spec: ChartSpec, fig: Figure) -> None:
    from api.charts.marks import series_gid

    opts = options_of(spec, ScatterOptions)
    ax = add_axes(fig, spec)
    colors = series_colors(spec.colors, len(spec.series))
    areas = _areas(opts)
    # Stated axes (fixed ends) sit outside the largest marker's radius, and markers on the
    # plot's edge are drawn whole; automatic axes leave room through the data margins.
    stated = spec.extras is not None and spec.extras.axes is not None
    largest_pt = math.sqrt(max(areas, default=0.0) if isinstance(areas, list) else areas)
    outset_px = largest_pt / 2 * fig.dpi / 72 if stated else 0.0
    for i, (values, color) in enumerate(zip(spec.series, colors, strict=True)):
        ax.scatter(
            opts.x,
            values,
            s=areas,
            color=list(opts.point_colors) if opts.point_colors else color,
            alpha=0.6 if opts.sizes else 0.9,
            linewidths=0,
            zorder=2,
            gid=series_gid(i),
            clip_on=not stated,
        )
    ax.margins(x=0.08, y=0.12 if opts.sizes else 0.06)  # room for whole markers at the edges
    low, high = opts.x_range or (None, None)
    x = ValueAxis(label=spec.xlabel, number_format=spec.number_format, grid=spec.grid, low=low, high=high)
    finish(
        fig,
        ax,
        spec,
        x=x,
        y=value_axis(spec),
        legend=legend_entries(spec, colors, "dot"),
        outset_px=outset_px,
    )


def describe(spec: ChartSpec, kind: ChartKind) -> list[str]:
    sentences = series_details(spec, kind)
    x = getattr(spec.options, "x", None)
    if x:
        sentences.insert(1, f"x values run from {number(min(x))} to {number(max(x))}.")
    sizes = getattr(spec.options, "sizes", None)
    if sizes:
        sentences.insert(2, f"Bubble sizes run from {number(min(sizes))} to {number(max(sizes))}.")
    return sentences


KIND = ChartKind(
    name="scatter",
    summary="Scatter or bubble chart",
    description="Points at (x, y): x from the x parameter, y from each data series; sizes makes bubbles.",
    render=render,
    describe=describe,
    groups=("base", "colors", "legend", "range", "axes"),
    own_fields=own_fields,
    options=lambda params: ScatterOptions(x=params["x"], sizes=params.get("sizes")),
    check=check,
    examples={
        "data": "3.1,4.2,5.0,6.3,7.7|2.0,2.9,4.4,4.9,6.1",
        "x": "1,2,3,4,5",
        "sizes": "10,20,15,40,25",
        "legend": "North,South",
        "title": "Price and demand",
        "xlabel": "price",
        "ylabel": "demand",
        "colors": "0072b2,e69f00",
        "min": 0,
        "max": 10,
    },
)
