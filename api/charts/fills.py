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

MAX_SIDE = 1024  # pixels a side of a fill's image (stripes: their edges stay sharp)
GRADIENT_SIDE = 128  # a gradient is smooth: a small image, scaled up, looks the same


def draw_fills(fig: Figure, extras: ChartExtras) -> None:
    if extras.background_fill is not None:
        _draw(fig, None, extras.background_fill)
    if extras.plot_fill is not None and fig.axes:
        _draw(fig, fig.axes[0], extras.plot_fill)


def _draw(fig: Figure, ax: Axes | None, fill: AreaFill) -> None:
    from matplotlib.image import BboxImage

    box = fig.bbox if ax is None else ax.bbox
    side = GRADIENT_SIDE if fill.gradient else MAX_SIDE
    width = max(1, min(side, round(box.width)))
    height = max(1, min(side, round(box.height)))
    image = BboxImage(box, data=fill_image(fill, width, height), interpolation="bilinear", zorder=-100)
    if ax is None:
        fig.add_artist(image)
    else:
        image.set_clip_on(False)
        ax.add_artist(image)


def fill_image(fill: AreaFill, width: int, height: int) -> np.ndarray:
    """The fill as a ``height`` x ``width`` RGBA image (uint8), top row first."""
    import numpy as np

    angle = math.radians(fill.direction)
    dx, dy = round(math.cos(angle), 12), round(math.sin(angle), 12)
    corners = [x * dx + y * dy for x in (0.0, 1.0) for y in (0.0, 1.0)]
    low, high = min(corners), max(corners)
    span = high - low
    xs = ((np.arange(width, dtype=np.float32) + 0.5) / width) * dx
    ys = (1.0 - (np.arange(height, dtype=np.float32) + 0.5) / height) * dy  # 0 at the bottom
    # Along one axis the colour depends on a single coordinate: one row or column, repeated.
    if dy == 0:
        t = (xs[None, :] - low) / span
    elif dx == 0:
        t = (ys[:, None] - low) / span
    else:
        t = (xs[None, :] + ys[:, None] - low) / span
    row = _colors_at(fill, t)
    return np.ascontiguousarray(np.broadcast_to(row, (height, width, 4)))


def _colors_at(fill: AreaFill, t: np.ndarray) -> np.ndarray:
    """RGBA (uint8) at positions ``t`` (0..1 along the fill's direction)."""
    import numpy as np
    from matplotlib.colors import to_rgba_array

    colors = to_rgba_array([color for color, _ in fill.stops])
    if fill.gradient:
        positions = np.array([position for _, position in fill.stops])
        order = np.argsort(positions, kind="stable")
        positions, colors = positions[order], colors[order]
        channels = [np.interp(t, positions, colors[:, c]) for c in range(4)]
        return (np.stack(channels, axis=-1) * 255 + 0.5).astype(np.uint8)
    widths = np.array([max(w, 0.0) for _, w in fill.stops])
    edges = np.cumsum(widths)
    index = np.searchsorted(edges, np.mod(t, edges[-1]), side="right")
    palette = (colors * 255 + 0.5).astype(np.uint8)
    chosen: np.ndarray = palette[np.minimum(index, len(widths) - 1)]
    return chosen
