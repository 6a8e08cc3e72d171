"""The parts of dynamic icons (api/charts/kinds/icon.py): a small built-in set of icons as
vector glyphs, and the canvas they are drawn on (a figure, in CSS pixels)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.shapes import Point, star

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Icons in a unit square (y up): ("poly", points), ("circle", x, y, r), ("ring", x, y, r, width);
# a shape ending in "!" is cut out (drawn in the colour under the icon).
Shape = tuple[Any, ...]


def _star_points() -> list[Point]:
    return star((0.5, 0.52), 0.5)


GLYPHS: dict[str, tuple[Shape, ...]] = {
    "home": (
        ("poly", [(0.05, 0.5), (0.5, 0.92), (0.95, 0.5), (0.8, 0.5), (0.8, 0.08), (0.6, 0.08), (0.6, 0.36),
                  (0.4, 0.36), (0.4, 0.08), (0.2, 0.08), (0.2, 0.5)]),
    ),
    "star": (("poly", _star_points()),),
    "flag": (
        ("poly", [(0.15, 0.02), (0.25, 0.02), (0.25, 0.98), (0.15, 0.98)]),
        ("poly", [(0.25, 0.95), (0.9, 0.77), (0.25, 0.55)]),
    ),
    "cafe": (
        ("poly", [(0.1, 0.72), (0.72, 0.72), (0.64, 0.22), (0.18, 0.22)]),
        ("ring", 0.74, 0.55, 0.14, 0.08),
        ("poly", [(0.04, 0.08), (0.86, 0.08), (0.8, 0.16), (0.1, 0.16)]),
    ),
    "info": (
        ("ring", 0.5, 0.5, 0.44, 0.1),
        ("circle", 0.5, 0.74, 0.08),
        ("poly", [(0.43, 0.2), (0.57, 0.2), (0.57, 0.6), (0.43, 0.6)]),
    ),
    "caution": (
        ("poly", [(0.5, 0.96), (0.98, 0.06), (0.02, 0.06)]),
        ("poly!", [(0.45, 0.7), (0.55, 0.7), (0.53, 0.34), (0.47, 0.34)]),
        ("circle!", 0.5, 0.2, 0.06),
    ),
    "medical": (
        ("poly", [(0.36, 0.05), (0.64, 0.05), (0.64, 0.36), (0.95, 0.36), (0.95, 0.64), (0.64, 0.64),
                  (0.64, 0.95), (0.36, 0.95), (0.36, 0.64), (0.05, 0.64), (0.05, 0.36), (0.36, 0.36)]),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Canvas:
    """Where the icon's parts go: the figure, in CSS pixels from its bottom left."""

    fig: Figure
    pixels: Any  # a matplotlib transform: CSS pixels -> device pixels

    def polygon(self, points: list[Point], fill: str, edge: str | None, width: float = 1.0) -> None:
        from matplotlib.patches import Polygon

        self.fig.add_artist(
            Polygon(
                points,
                closed=True,
                facecolor=fill,
                edgecolor=edge or "none",
                linewidth=width * 0.72,
                joinstyle="round",
                transform=self.pixels,
            )
        )

    def circle(self, centre: Point, radius: float, fill: str, ring: float | None = None) -> None:
        from matplotlib.patches import Annulus, Circle

        patch = Circle(centre, radius) if ring is None else Annulus(centre, radius, ring)
        patch.set(facecolor=fill, edgecolor="none", transform=self.pixels)
        self.fig.add_artist(patch)

    def text(self, at: Point, text: str, px: float, color: str) -> None:
        self.fig.text(
            at[0],
            at[1],
            text,
            fontsize=px * 0.72,
            color=color,
            ha="center",
            va="center_baseline",
            transform=self.pixels,
        )


def draw_glyph(canvas: Canvas, name: str, centre: Point, size: float, *, color: str, under: str) -> None:
    left, bottom = centre[0] - size / 2, centre[1] - size / 2

    def at(x: float, y: float) -> Point:
        return (left + x * size, bottom + y * size)

    for shape in GLYPHS[name]:
        kind, cut = shape[0].rstrip("!"), shape[0].endswith("!")
        paint = under if cut else color
        if kind == "poly":
            canvas.polygon([at(x, y) for x, y in shape[1]], paint, None)
        elif kind == "circle":
            canvas.circle(at(shape[1], shape[2]), shape[3] * size, paint)
        elif kind == "ring":
            canvas.circle(at(shape[1], shape[2]), shape[3] * size, paint, ring=shape[4] * size)
