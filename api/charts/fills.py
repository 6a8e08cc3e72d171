"""Gradients and stripes over a chart's background or plot area (:class:`AreaFill`).

The fill is computed as an image of the area's size in device pixels (at most
:data:`MAX_SIDE` a side, smoothly scaled beyond) and drawn below everything else there.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from api.charts.explicit import AreaFill, ChartExtras

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MAX_SIDE = 1024  # pixels a side of a fill's image


def draw_fills(fig: Figure, extras: ChartExtras) -> None:
    if extras.background_fill is not None:
        _draw(fig, None, extras.background_fill)
    if extras.plot_fill is not None and fig.axes:
        _draw(fig, fig.axes[0], extras.plot_fill)


def _draw(fig: Figure, ax: Axes | None, fill: AreaFill) -> None:
    from matplotlib.image import BboxImage

    box = fig.bbox if ax is None else ax.bbox
    width = max(1, min(MAX_SIDE, round(box.width)))
    height = max(1, min(MAX_SIDE, round(box.height)))
    image = BboxImage(box, data=fill_image(fill, width, height), interpolation="bilinear", zorder=-100)
    if ax is None:
        fig.add_artist(image)
    else:
        image.set_clip_on(False)
        ax.add_artist(image)


def fill_image(fill: AreaFill, width: int, height: int) -> np.ndarray:
    """The fill as a ``height`` x ``width`` RGBA image, top row first."""
    import numpy as np
    from matplotlib.colors import to_rgba_array

    angle = math.radians(fill.direction)
    dx, dy = math.cos(angle), math.sin(angle)
    xs = (np.arange(width) + 0.5) / width
    ys = 1.0 - (np.arange(height) + 0.5) / height  # 0 at the bottom
    along = xs[None, :] * dx + ys[:, None] * dy
    corners = [x * dx + y * dy for x in (0.0, 1.0) for y in (0.0, 1.0)]
    low, high = min(corners), max(corners)
    t = (along - low) / (high - low) if high > low else np.zeros_like(along)
    colors = to_rgba_array([color for color, _ in fill.stops])
    if fill.gradient:
        positions = np.array([position for _, position in fill.stops])
        order = np.argsort(positions, kind="stable")
        positions, colors = positions[order], colors[order]
        channels = [np.interp(t, positions, colors[:, c]) for c in range(4)]
        return np.stack(channels, axis=-1).astype(np.float32)
    widths = np.array([max(w, 0.0) for _, w in fill.stops])
    period = float(widths.sum())
    if period <= 0:
        return np.zeros((height, width, 4), np.float32)
    edges = np.cumsum(widths)
    index = np.searchsorted(edges, np.mod(t, period), side="right")
    return colors[np.minimum(index, len(widths) - 1)].astype(np.float32)
