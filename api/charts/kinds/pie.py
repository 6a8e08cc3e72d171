"""Pie and donut charts: the slices of one series."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from marshmallow import ValidationError

from api.charts.frame import LegendEntry, centered_square, plot_area, theme_of
from api.charts.schemas import LEGEND_POSITIONS
from api.charts.specs import ChartKind, ChartSpec
from api.charts.style import FONT_SIZE, TITLE_SIZE, format_number, series_colors, shorten
from api.output import choice_field

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from api.settings import Limits

DONUT_RING = 0.38  # ring width as a share of the radius


@dataclass(frozen=True)
class PieOptions:
    donut: bool = False


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "legend_position": choice_field(LEGEND_POSITIONS, "right", "Where the legend of slice labels goes.")
    }


def validate(params: dict[str, Any], limits: Limits) -> None:
    series = params["data"]
    if len(series) != 1:
        raise ValidationError(f"A pie chart takes one series, got {len(series)}.", "data")
    values = series[0]
    if any(v < 0 for v in values):
        raise ValidationError("Slices cannot be negative.", "data")
    if not any(values):
        raise ValidationError("At least one slice must be above 0.", "data")


def render(spec: ChartSpec, fig: Figure) -> None:
    opts: PieOptions = spec.options
    values = spec.series[0]
    theme = theme_of(spec)
    colors = series_colors(spec.colors, len(values))
    legend = [LegendEntry(label, color) for label, color in zip(spec.labels, colors, strict=False)]
    ax = fig.add_axes(centered_square(plot_area(fig, spec, legend), fig))
    ax.set_axis_off()
    total = sum(values)
    wedge: dict[str, Any] = {"edgecolor": theme.edge, "linewidth": 1.2}
    if opts.donut:
        wedge["width"] = DONUT_RING
    ax.pie(values, colors=colors, startangle=90, counterclock=False, wedgeprops=wedge)
    if spec.value_labels and spec.output.width >= 120 and spec.output.height >= 120:
        _percentages(ax, values, total, opts.donut)
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


def _percentages(ax: Any, values: tuple[float, ...], total: float, donut: bool) -> None:
    import math

    radius = 1 - DONUT_RING / 2 if donut else 0.65
    angle = 90.0
    for value in values:
        share = value / total
        middle = math.radians(angle - share * 180)
        angle -= share * 360
        if share < 0.03:  # too thin a slice to hold its label
            continue
        ax.text(
            radius * math.cos(middle),
            radius * math.sin(middle),
            f"{share:.0%}",
            ha="center",
            va="center",
            fontsize=FONT_SIZE,
            color="#ffffff",
            fontweight="bold",
        )


def _kind(name: str, donut: bool, summary: str) -> ChartKind:
    return ChartKind(
        name=name,
        summary=summary,
        description="One series, one slice per value (values >= 0, not all 0); labels name the slices "
        "in a legend, value_labels writes each slice's share."
        + (" The total stands in the middle." if donut else ""),
        render=render,
        groups=("base", "colors", "labels", "value_labels"),
        own_fields=own_fields,
        options=lambda params: PieOptions(donut=donut),
        validate=validate,
        colors_for="points",
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
