"""Venn diagrams of two or three sets (Google Image Charts' ``cht=v``).

Circle areas are proportional to the set sizes; each pair of circles is placed at the distance
whose lens has the area of that pair's intersection (solved numerically, as Google did). The
three-way intersection is given but only approximated: three circles cannot match every
combination of overlaps exactly.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from api.charts.frame import LegendEntry, bare_axes, plot_area
from api.charts.specs import LEGEND_POSITIONS, ChartKind, ChartSpec, SpecError
from api.charts.style import series_colors
from api.outputfields import choice_field
from api.plaintext import listing, number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from api.settings import Limits

# Google's order of the values; missing ones are 0.
PARTS = ("A", "B", "C", "A∩B", "A∩C", "B∩C", "A∩B∩C")
FILL_ALPHA = 0.45
BISECTIONS = 60  # halves the distance interval down to 1e-18 of its width


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "legend_position": choice_field(LEGEND_POSITIONS, "right", "Where the legend of circle labels goes.")
    }


def sizes(series: tuple[tuple[float, ...], ...]) -> tuple[float, ...]:
    values = series[0]
    return values + (0.0,) * (len(PARTS) - len(values))


def circle_count(values: tuple[float, ...]) -> int:
    return 3 if values[2] > 0 else 2


def check(spec: ChartSpec, limits: Limits) -> None:
    series = spec.series
    if len(series) != 1 or not 2 <= len(series[0]) <= len(PARTS):
        raise SpecError(
            "series", f"A Venn diagram takes one series of 2 to {len(PARTS)} values: {', '.join(PARTS)}."
        )
    values = sizes(series)
    if any(v < 0 for v in values):
        raise SpecError("series", "Set sizes cannot be negative.")
    if not (values[0] > 0 and values[1] > 0):
        raise SpecError("series", "A and B (the first two values) must be above 0.")
    within = {3: (0, 1), 4: (0, 2), 5: (1, 2), 6: (3, 4, 5)}
    for part, sets in within.items():
        largest = min(values[i] for i in sets)
        if values[part] > largest:
            smallest = min(sets, key=lambda i: values[i])
            raise SpecError(
                "series",
                f"{PARTS[part]} ({values[part]:g}) cannot be larger than {PARTS[smallest]} "
                f"({values[smallest]:g}).",
            )
    circles = circle_count(values)
    labels = spec.labels
    if labels and len(labels) != circles:
        raise SpecError("labels", f"Expected {circles} labels (one per circle), got {len(labels)}.")
    colors = spec.colors
    if colors and len(colors) not in (1, circles):
        raise SpecError("colors", f"Expected 1 or {circles} colours (one per circle), got {len(colors)}.")


def lens_area(r1: float, r2: float, d: float) -> float:
    """Area shared by two circles of radii r1, r2 whose centres are d apart."""
    if d >= r1 + r2:
        return 0.0
    if d <= abs(r1 - r2):
        return math.pi * min(r1, r2) ** 2
    a1 = math.acos(max(-1.0, min(1.0, (d * d + r1 * r1 - r2 * r2) / (2 * d * r1))))
    a2 = math.acos(max(-1.0, min(1.0, (d * d + r2 * r2 - r1 * r1) / (2 * d * r2))))
    kite = (-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2)
    return r1 * r1 * a1 + r2 * r2 * a2 - 0.5 * math.sqrt(max(kite, 0.0))


def distance_for(r1: float, r2: float, overlap: float) -> float:
    """Centre distance at which the circles share ``overlap`` (the lens shrinks as they part)."""
    low, high = abs(r1 - r2), r1 + r2
    for _ in range(BISECTIONS):
        middle = (low + high) / 2
        if lens_area(r1, r2, middle) > overlap:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def layout(values: tuple[float, ...]) -> list[tuple[float, float, float]]:
    """Circles as (x, y, radius): A on the left, B on the right, C below them."""
    scale = max(values[:3])  # sizes relative to the largest set: no overflow from huge values
    a, b, c, ab, ac, bc = (v / scale for v in values[:6])
    ra, rb = math.sqrt(a / math.pi), math.sqrt(b / math.pi)
    d_ab = distance_for(ra, rb, ab)
    circles = [(0.0, 0.0, ra), (d_ab, 0.0, rb)]
    if circle_count(values) == 3:
        rc = math.sqrt(c / math.pi)
        d_ac, d_bc = distance_for(ra, rc, ac), distance_for(rb, rc, bc)
        # The third corner of the triangle of distances; flattened where none exists.
        x = (d_ac * d_ac - d_bc * d_bc + d_ab * d_ab) / (2 * d_ab) if d_ab > 0 else d_ac
        y = -math.sqrt(max(d_ac * d_ac - x * x, 0.0))
        circles.append((x, y, rc))
    return circles


def render(spec: ChartSpec, fig: Figure) -> None:
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Circle

    circles = layout(sizes(spec.series))
    colors = series_colors(spec.colors, len(circles))
    legend = [LegendEntry(label, color) for label, color in zip(spec.labels, colors, strict=False)]
    ax = bare_axes(fig, plot_area(fig, spec, legend))
    ax.set_axis_off()
    ax.set_aspect("equal")
    rgba = [to_rgba(color) for color in colors]
    # Translucent fills first, outlines on top: every outline stays visible through the overlaps.
    for (x, y, radius), (r, g, b, alpha) in zip(circles, rgba, strict=True):
        ax.add_patch(Circle((x, y), radius, facecolor=(r, g, b, alpha * FILL_ALPHA), edgecolor="none"))
    for (x, y, radius), color in zip(circles, rgba, strict=True):
        ax.add_patch(Circle((x, y), radius, facecolor="none", edgecolor=color, linewidth=1.5))
    left = min(x - r for x, _, r in circles)
    right = max(x + r for x, _, r in circles)
    bottom = min(y - r for _, y, r in circles)
    top = max(y + r for _, y, r in circles)
    pad = 0.03 * max(right - left, top - bottom)
    ax.set_xlim(left - pad, right + pad)
    ax.set_ylim(bottom - pad, top + pad)


def describe(spec: ChartSpec, kind: ChartKind) -> list[str]:
    """Google's order: A, B, C, then the overlaps A∩B, A∩C, B∩C and A∩B∩C (missing ones 0)."""
    values = (*spec.series[0], *(0.0,) * 7)[:7] if spec.series else (0.0,) * 7
    circles = 3 if values[2] > 0 else 2
    names = [spec.labels[i] if i < len(spec.labels) else "ABC"[i] for i in range(circles)]
    fmt = spec.number_format
    sizes = [f"{names[i]} {number(values[i], fmt)}" for i in range(circles)]
    pairs = [(0, 1, 3), (0, 2, 4), (1, 2, 5)][: 1 if circles == 2 else 3]
    overlaps = [f"{names[a]} and {names[b]} {number(values[v], fmt)}" for a, b, v in pairs]
    if circles == 3:
        overlaps.append(f"all three {number(values[6], fmt)}")
    return [f"{circles} circles: {listing(sizes)}.", f"Overlaps: {listing(overlaps)}."]


KIND = ChartKind(
    name="venn",
    summary="Venn diagram",
    description="Two or three overlapping circles: data is one series of up to 7 values in Google's "
    "order A, B, C, A∩B, A∩C, B∩C, A∩B∩C (missing values are 0; C = 0 draws two circles). Circle "
    "areas follow A, B and C; each pair overlaps by its intersection, the three-way one approximately. "
    "An intersection larger than its sets is an error. labels name the circles in a legend.",
    render=render,
    describe=describe,
    groups=("base", "colors", "labels"),
    own_fields=own_fields,
    check=check,
    labels_for=None,
    colors_for=None,
    default_size=(480, 360),
    examples={
        "data": "100,80,60,30,25,20,10",
        "labels": "Email,Phone,Chat",
        "title": "Support channels used",
        "colors": "0072b2,e69f00,009e73",
    },
)
