"""Text marks on a series' points (value and text labels), and finding a point by its index."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from api.charts.explicit import PT_PER_PX, TextMark

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# A point of a series: x, y in data units, and which way its labels go ("up", "right").
Anchor = tuple[float, float, str]


def at_index(points: list[Anchor], index: float) -> Anchor | None:
    """The anchor at ``index``; between two points for a fraction."""
    if not points or index < 0 or index > len(points) - 1:
        return None
    low = math.floor(index)
    if low == index:
        return points[low]
    (x0, y0, way), (x1, y1, _) = points[low], points[low + 1]
    t = index - low
    return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, way)


def draw_texts(fig: Figure, ax: Axes, points: list[Anchor], mark: TextMark) -> None:
    from matplotlib.transforms import ScaledTranslation

    from api.charts.textsize import text_extent

    gap = 3 / 100  # inches: 3 CSS pixels
    right = ax.transData + ScaledTranslation(gap, 0, fig.dpi_scale_trans)
    size_pt = mark.size_px * PT_PER_PX
    for index, text in zip(mark.points, mark.texts, strict=True):
        point = at_index(points, index)
        if point is None or not math.isfinite(point[1]) or not math.isfinite(point[0]):
            continue
        x, y, way = point
        if mark.anchor is not None:
            draw_placed_text(fig, ax, (x, y), text, mark)
            continue
        if way == "up":
            # Moved sideways to stay whole inside the image (a label on a point at its edge).
            half = text_extent(text, size_pt, fig.dpi)[0] / 2
            at_px = ax.transData.transform((x, y))[0]
            shift = min(0.0, fig.bbox.width - 1 - (at_px + half))  # past the right edge
            shift = max(shift, 1 - (at_px - half))  # past the left edge
            up = ax.transData + ScaledTranslation(shift / fig.dpi, gap, fig.dpi_scale_trans)
        align: dict[str, Any] = (
            {"ha": "center", "va": "bottom", "transform": up}
            if way == "up"
            else {"ha": "left", "va": "center", "transform": right}
        )
        ax.text(
            x,
            y,
            text,
            fontsize=mark.size_px * PT_PER_PX,
            color=mark.color,
            zorder=5 if mark.above else 1.5,
            clip_on=False,
            **align,
        )


def draw_placed_text(fig: Figure, ax: Axes, at: tuple[float, float], text: str, mark: TextMark) -> None:
    """A label whose stated part (``mark.anchor``) is on the point, 3 px clear of it above or
    below, moved by ``mark.offset_px``."""
    from matplotlib.transforms import ScaledTranslation

    assert mark.anchor is not None
    across, upright = mark.anchor
    gap = {"bottom": 3.0, "top": -3.0}.get(upright, 0.0)
    dx, dy = mark.offset_px
    shift = ScaledTranslation(dx / 100, (dy + gap) / 100, fig.dpi_scale_trans)  # CSS px -> inches
    ax.text(
        at[0],
        at[1],
        text,
        fontsize=mark.size_px * PT_PER_PX,
        color=mark.color,
        zorder=5 if mark.above else 1.5,
        clip_on=False,
        ha=across,
        va=upright,
        transform=ax.transData + shift,
    )
