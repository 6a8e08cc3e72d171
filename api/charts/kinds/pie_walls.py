"""The side wall of a pie seen at an angle (Google's cht=p3): the front of each slice's rim,
extruded downwards in a darker shade of the slice's colour."""

from __future__ import annotations

import math
from typing import Any

WALL_SHADE = 0.72  # a slice's side wall is its colour this much as bright
WALL_STEP_DEGREES = 4.0


def side_wall(  # noqa: PLR0917
    ax: Any,
    radius: float,
    span: tuple[float, float],
    color: str,
    tilt: float,
    depth: float,
    wedgeprops: dict[str, Any],
) -> None:
    """The part of a slice's rim wall that faces the viewer: the front half of the ellipse
    (180..360 degrees, anticlockwise from three o'clock), extruded ``depth`` radii down."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Polygon

    red, green, blue, alpha = to_rgba(color)
    shade = (red * WALL_SHADE, green * WALL_SHADE, blue * WALL_SHADE, alpha)
    low, high = span
    shift = depth * radius / 2
    first = math.floor((low - 180.0) / 360.0)
    for turn in range(first, first + 3):
        a, b = max(low, 180.0 + 360.0 * turn), min(high, 360.0 + 360.0 * turn)
        if b <= a:
            continue
        steps = max(2, math.ceil((b - a) / WALL_STEP_DEGREES) + 1)
        angles = [math.radians(a + (b - a) * k / (steps - 1)) for k in range(steps)]
        rim = [(radius * math.cos(t), tilt * radius * math.sin(t) + shift) for t in angles]
        below = [(x, y - depth * radius) for x, y in reversed(rim)]
        ax.add_patch(
            Polygon(
                rim + below,
                closed=True,
                facecolor=shade,
                edgecolor=wedgeprops.get("edgecolor"),
                linewidth=0.6,
                clip_on=False,
                zorder=0.9,
            )
        )
