"""Slice labels beside a pie, joined to their slices by leader lines (as Google's pie charts
drew ``chl``): the pie fills the height, the labels take the sides, a label that is too wide
is shortened and one that finds no row is left out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from api.charts.textsize import fit_text, text_extent

if TYPE_CHECKING:
    from matplotlib.axes import Axes

LEAD_PX = 10.0  # from the rim to the label column (CSS pixels, at scale 1)
GAP_PX = 3.0  # between a leader line's end and its text
EDGE_PX = 2.0  # between the pie and the top and bottom of its box
LEAST_PIE_SHARE = 0.55  # the pie keeps at least this share of the height for the labels' sake
LEAST_ROOM_EM = 2.0  # labels narrower than this are not drawn at all


@dataclass(frozen=True)
class SliceLabel:
    text: str
    side: int  # 1 right of the pie, -1 left
    rim: tuple[float, float]  # where the leader starts, pixels from the centre
    elbow: tuple[float, float]
    y: float  # the label's middle


@dataclass(frozen=True)
class LabelledPie:
    """Where the pie goes in its box and its labels, in pixels from the box's centre."""

    rect: tuple[float, float, float, float]  # the axes, figure fractions (the whole box)
    half_px: tuple[float, float]  # half the box's width and height
    radius_px: float
    labels: tuple[SliceLabel, ...]
    size_pt: float
    lead_px: float
    gap_px: float

    def draw(self, ax: Axes, text_color: str, line_color: str) -> None:
        """Set the axes' limits (a unit of radius is the pie's radius) and draw the labels."""
        from matplotlib.collections import LineCollection

        unit = self.radius_px
        ax.set(xlim=(-self.half_px[0] / unit, self.half_px[0] / unit))
        ax.set(ylim=(-self.half_px[1] / unit, self.half_px[1] / unit))
        lead, gap = self.lead_px, self.gap_px
        segments = []
        for label in self.labels:
            end_x = label.side * (unit + lead)
            segments.append([(x / unit, y / unit) for x, y in (label.rim, label.elbow, (end_x, label.y))])
            ax.text(
                (end_x + label.side * gap) / unit,
                label.y / unit,
                label.text,
                fontsize=self.size_pt,
                color=text_color,
                ha="left" if label.side > 0 else "right",
                va="center",
                clip_on=False,
            )
        if segments:
            ax.add_collection(LineCollection(segments, colors=line_color, linewidths=0.6, zorder=3))


def layout(
    box: tuple[float, float, float, float],
    figure_px: tuple[float, float],
    *,
    dpi: float,
    values: tuple[float, ...],
    texts: tuple[str, ...],
    size_pt: float,
    rotation: float = 0.0,
    tilt: float = 1.0,
    depth: float = 0.0,
) -> LabelledPie:
    """The pie as tall as ``box`` allows and its labels at the sides (``box`` in figure
    fractions); a tilted pie (``tilt``, ``depth``: see pie.draw_wedges) as wide as it may be."""
    scale = dpi / 100
    half_w, half_h = box[2] * figure_px[0] / 2, box[3] * figure_px[1] / 2
    lead, gap = LEAD_PX * scale, GAP_PX * scale
    em = size_pt * dpi / 72
    tallest = max(half_h - EDGE_PX * scale, 1.0)
    named = [(i, t) for i, t in enumerate(texts[: len(values)]) if t]
    widest = max((text_extent(t, size_pt, dpi)[0] for _, t in named), default=0.0)
    # At least the least room a label column takes: a wide pie (a tilted one) must leave it.
    beside = lead + gap + max(widest, LEAST_ROOM_EM * em) if named else 0.0
    tallest /= tilt + depth / 2  # the radius whose ellipse and wall fill the height
    radius = max(min(tallest, half_w - beside), LEAST_PIE_SHARE * min(tallest, half_w), 1.0)
    room = half_w - radius - lead - gap
    if room < LEAST_ROOM_EM * em:
        named = []
    row = text_extent("Ag", size_pt, dpi)[1] * 1.15
    placed = _place(
        named, values, radius, lead=lead, half_h=half_h, row=row, rotation=rotation, tilt=tilt, depth=depth
    )
    labels = tuple(
        SliceLabel(fit_text(text, size_pt, dpi, room), side, rim, elbow, y)
        for text, side, rim, elbow, y in placed
    )
    return LabelledPie(box, (half_w, half_h), radius, labels, size_pt, lead, gap)


_Placed = tuple[str, int, tuple[float, float], tuple[float, float], float]


def _place(
    named: list[tuple[int, str]],
    values: tuple[float, ...],
    radius: float,
    *,
    lead: float,
    half_h: float,
    row: float,
    rotation: float = 0.0,
    tilt: float = 1.0,
    depth: float = 0.0,
) -> list[_Placed]:
    """Each label's side, leader and height: at its slice's middle, moved apart into rows."""
    total = sum(values)
    if not named or total <= 0:
        return []
    middles, start = [], rotation
    for value in values:
        share = value / total
        middles.append(2 * math.pi * (start + share / 2))  # clockwise from twelve o'clock
        start += share
    rows = max(int(2 * half_h // row), 0)
    placed: list[_Placed] = []
    for side in (1, -1):
        mine = [(i, t) for i, t in named if (math.sin(middles[i]) >= 0) == (side > 0)]
        if len(mine) > rows:  # the largest slices keep their labels
            keep = sorted(mine, key=lambda item: -values[item[0]])[:rows]
            mine = [item for item in mine if item in keep]
        shift = depth * radius / 2  # a tilted pie's top sits this far above the centre
        wanted = sorted(
            ((i, t, (radius + lead / 2) * math.cos(middles[i]) * tilt + shift) for i, t in mine),
            key=lambda item: -item[2],
        )
        ys = _spread([y for _, _, y in wanted], row, half_h - row / 2)
        for (index, text, _), y in zip(wanted, ys, strict=True):
            sx, sy = math.sin(middles[index]), math.cos(middles[index]) * tilt
            elbow = radius + lead / 2
            rim, bend = (radius * sx, radius * sy + shift), (elbow * sx, elbow * sy + shift)
            placed.append((text, side, rim, bend, y))
    return placed


def _spread(wanted: list[float], row: float, limit: float) -> list[float]:
    """Heights (descending) moved apart to at least ``row`` within -limit..limit."""
    ys: list[float] = []
    for y in wanted:
        ys.append(min(y, limit) if not ys else min(y, ys[-1] - row, limit))
    # Pushed below the bottom: move the run up again from there.
    low = -limit
    for k in range(len(ys) - 1, -1, -1):
        ys[k] = max(ys[k], low)
        low = ys[k] + row
    return ys
