"""Overlays as py-staticmaps objects: a Google pin, a custom icon, a styled path, a polygon
and a circle, each built from the frozen spec's overlays.

Each gives py-staticmaps' ``bounds()`` (an s2sphere rectangle) and ``extra_pixel_bounds()``
(what it draws beyond its points, in CSS pixels: a pin's height, a line's width), which the
fit reads; and draws itself through :class:`api.maps.renderer.MapRenderer`, on a canvas the
size of its own bounding box (see ``MapRenderer.supersample``). Positions are plain
``(lat, lng)`` tuples; s2sphere points are made only when py-staticmaps asks for them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import s2sphere
import staticmaps
from PIL import Image, ImageDraw

from api.maps.draw import anchor_point, darker, font, rgba
from api.maps.geo import (
    CIRCLE_MAX_VERTICES,
    CIRCLE_MIN_VERTICES,
    LatLng,
    circle_points,
    geodesic_points,
    geodesic_steps,
)
from api.maps.overlays import MARKER_RADIUS, PIN_HEIGHT, Circle, Markers, Path
from api.maps.projection import MapView, Point

if TYPE_CHECKING:
    from api.maps.renderer import Color, MapRenderer, Painter

MIN_JOIN_PX = 3  # supersampled pixels: a thinner line's joins show no gap


def _color(color: str) -> Any:
    return staticmaps.Color(*rgba(color))


def _rect(points: Sequence[LatLng]) -> Any:
    """The s2sphere rectangle around ``points`` (py-staticmaps' bounds)."""
    rect = s2sphere.LatLngRect()
    for lat, lng in points:
        rect = rect.union(s2sphere.LatLngRect.from_point(staticmaps.create_latlng(lat, lng).normalized()))
    return rect


class Pin(staticmaps.Object):
    """Google's default marker: a round head on a point, ``size`` one of Google's five, an
    optional one-character label."""

    def __init__(self, point: LatLng, color: str, size: str, label: str, scale: int) -> None:
        super().__init__()
        self.point = point
        self.color = color
        self.size = size
        self.label = label
        self.scale = scale

    @property
    def radius(self) -> float:
        """Head radius in CSS pixels."""
        return MARKER_RADIUS[self.size]

    def bounds(self) -> Any:
        return _rect([self.point])

    def extra_pixel_bounds(self) -> tuple[int, int, int, int]:
        # The head's width either side and the whole pin above its point (py-staticmaps'
        # Marker reserves one radius above its point, though it draws three: a fitted pin
        # could lose its head at the top edge).
        r = self.radius
        return math.ceil(r), math.ceil(r * PIN_HEIGHT), math.ceil(r), 0

    def render_pillow(self, renderer: MapRenderer) -> None:
        x, y = renderer.view.xy(self.point)
        renderer.sprite(x + renderer.offset_x(), y, self._sprite_key(), self._paint_sprite)

    def _sprite_key(self) -> tuple[Any, ...]:
        return ("pin", self.color, self.size, self.label, self.scale)

    def _paint_sprite(self, factor: int, sub: Point) -> tuple[Image.Image, Point]:
        """The pin drawn ``factor`` times too large with its tip ``sub`` supersampled pixels
        right of and below a whole pixel; returns the canvas and the tip's pixel in it."""
        radius = self.radius * self.scale
        height = radius * PIN_HEIGHT
        pad = 2 * self.scale
        left, top = math.ceil(radius + pad), math.ceil(height + pad)
        size = (2 * left + 1) * factor, (top + math.ceil(pad) + 1) * factor
        canvas = Image.new("RGBA", size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(canvas)
        tip_x, tip_y = left * factor + sub[0], top * factor + sub[1]
        fill = rgba(self.color)
        edge = darker(fill)
        r = radius * factor
        cy = tip_y - height * factor + r
        outline = max(1, round(self.scale * factor * 0.8))
        draw.polygon(
            [(tip_x - r * 0.72, cy + r * 0.55), (tip_x + r * 0.72, cy + r * 0.55), (tip_x, tip_y)],
            fill=fill,
            outline=edge,
            width=outline,
        )
        draw.ellipse((tip_x - r, cy - r, tip_x + r, cy + r), fill=fill, outline=edge, width=outline)
        draw.polygon(
            [(tip_x - r * 0.62, cy + r * 0.45), (tip_x + r * 0.62, cy + r * 0.45), (tip_x, tip_y - outline)],
            fill=fill,
        )
        if self.label:
            ink = "#000000" if sum(fill[:3]) > 500 else "#ffffff"
            draw.text((tip_x, cy), self.label, fill=ink, anchor="mm", font=font(round(r * 1.3)))
        else:
            dot = r * 0.32
            draw.ellipse((tip_x - dot, cy - dot, tip_x + dot, cy + dot), fill=edge)
        return canvas, (left, top)


class Icon(Pin):
    """A custom marker icon (RGBA, as fetched) with its ``anchor`` on the point."""

    def __init__(self, point: LatLng, icon: Image.Image, anchor: str, scale: int, url: str) -> None:
        super().__init__(point, "#00000000", "normal", "", scale)
        self.icon = icon
        self.anchor = anchor
        self.url = url

    def extra_pixel_bounds(self) -> tuple[int, int, int, int]:
        ax, ay = anchor_point(self.anchor, self.icon.width, self.icon.height)
        return math.ceil(ax), math.ceil(ay), math.ceil(self.icon.width - ax), math.ceil(self.icon.height - ay)

    def render_pillow(self, renderer: MapRenderer) -> None:
        x, y = renderer.view.xy(self.point)
        ax, ay = anchor_point(self.anchor, self.icon.width, self.icon.height)
        key = ("icon", self.url, self.scale)
        image = renderer.cached(key, self._scaled)
        renderer.paste(image, round(x + renderer.offset_x() - ax * self.scale), round(y - ay * self.scale))

    def _scaled(self) -> Image.Image:
        if self.scale == 1:
            return self.icon
        size = (max(1, round(self.icon.width * self.scale)), max(1, round(self.icon.height * self.scale)))
        return self.icon.resize(size, Image.Resampling.LANCZOS)


class StyledPath(staticmaps.Line):
    """A path in Google's style: straight segments on the map (Google's default), or, with
    ``geodesic:true``, the shortest way on the ellipsoid in a number of steps bounded by its
    length on the map (py-staticmaps' Line bends every long segment into a geodesic)."""

    closed = False
    _interpolation_cache: list[Any] | None  # py-staticmaps' s2sphere points, made when asked for

    def __init__(self, path: Path, scale: int) -> None:
        points = list(path.points)
        # py-staticmaps wants two points at least; one point draws nothing, as at Google.
        # Called directly, not through super(): Area's constructor takes other arguments.
        staticmaps.Line.__init__(
            self, points if len(points) >= 2 else points * 2, _color(path.color), path.weight
        )
        self.path = path
        self.scale = scale
        self.drawn = len(points) >= (3 if self.closed else 2)
        self._ring = [*points, points[0]] if self.closed else points
        self._drawn_at: tuple[float, list[LatLng]] | None = None

    def vertices(self, view: MapView | None = None) -> list[LatLng]:
        """The points drawn (a closed ring repeats its first point last): geodesic steps are
        bounded by the segment's length in ``view`` (without one, the path's own points)."""
        if not self.path.geodesic or len(self._ring) < 2 or view is None:
            return self._ring
        if self._drawn_at is None or self._drawn_at[0] != view.world:
            world = view.world
            out = [
                p
                for a, b in itertools.pairwise(self._ring)
                for p in geodesic_points(a, b, max_steps=geodesic_steps(a, b, world))[:-1]
            ]
            out.append(self._ring[-1])
            self._drawn_at = (world, out)
        return self._drawn_at[1]

    def interpolate(self) -> list[Any]:
        # py-staticmaps' own interpolation is its geodesic one; ours is what is drawn.
        cached: list[Any] | None = self._interpolation_cache
        if cached is None:
            points = self._drawn_at[1] if self._drawn_at else self._ring
            cached = [staticmaps.create_latlng(lat, lng) for lat, lng in points]
            self._interpolation_cache = cached
        return cached

    def bounds(self) -> Any:
        return _rect(self._drawn_at[1] if self._drawn_at else self._ring)

    def extra_pixel_bounds(self) -> tuple[int, int, int, int]:
        half = math.ceil(self.path.weight / 2)
        return half, half, half, half

    def render_pillow(self, renderer: MapRenderer) -> None:
        if not self.drawn or self.path.weight <= 0:
            return
        width = self.path.weight * self.scale
        xy = renderer.placed(self, self.vertices(renderer.view), width)
        if xy is not None:
            renderer.supersample(xy, width, [(stroke(width, joins=slice(1, -1)), rgba(self.path.color))])


class Polygon(StyledPath, staticmaps.Area):
    """A filled path: the fill, then the outline over it (a translucent outline blends with
    the fill beneath it), every corner round, the closing one too."""

    closed = True

    def __init__(self, path: Path, scale: int) -> None:
        super().__init__(path, scale)
        self._fill_color = _color(path.fillcolor or "#00000000")

    def render_pillow(self, renderer: MapRenderer) -> None:
        width = self.path.weight * self.scale
        xy = renderer.placed(self, self.vertices(renderer.view), width) if self.drawn else None
        if xy is not None:
            draw_polygon(renderer, xy, self.path.fillcolor, self.path.color, width)


class CircleOverlay(staticmaps.Circle):
    """A circle of ``radius`` metres on the ellipsoid, drawn as a polygon with a vertex count
    bounded by its size on the map (py-staticmaps' Circle has 3,600 vertices at any size)."""

    def __init__(self, circle: Circle, scale: int) -> None:
        # Not Circle's constructor (it computes its 3,600 points); Area's, with the fit's ring.
        staticmaps.Area.__init__(
            self,
            [staticmaps.create_latlng(*p) for p in circle_points(circle.center, circle.radius, FIT_VERTICES)],
            _color(circle.fillcolor or "#00000000"),
            _color(circle.color),
            circle.weight,
        )
        self.circle = circle
        self.scale = scale

    def ring(self, view: MapView | None = None) -> list[LatLng]:
        count = FIT_VERTICES if view is None else circle_vertices(self.circle, view)
        points = circle_points(self.circle.center, self.circle.radius, count)
        return [*points, points[0]]

    def bounds(self) -> Any:
        return _rect(self.ring())

    def extra_pixel_bounds(self) -> tuple[int, int, int, int]:
        half = math.ceil(self.circle.weight / 2)
        return half, half, half, half

    @staticmethod
    def compute_circle(center: Any, radius_km: float) -> Any:
        """py-staticmaps' points of a circle, bounded (for callers of its API)."""
        lat, lng = center.lat().degrees, center.lng().degrees
        for point in circle_points((lat, lng), radius_km * 1000, CIRCLE_MAX_VERTICES):
            yield staticmaps.create_latlng(*point)

    def render_pillow(self, renderer: MapRenderer) -> None:
        c = self.circle
        width = c.weight * self.scale
        xy = renderer.placed(self, self.ring(renderer.view), width)
        if xy is not None:
            draw_polygon(renderer, xy, c.fillcolor, c.color, width)


FIT_VERTICES = 16  # a circle's points for the fit and its bounds


def circle_vertices(circle: Circle, view: MapView) -> int:
    """Vertices of a circle: one per 4 device pixels of its circumference, within bounds."""
    circumference = 2 * math.pi * circle.radius / view.metres_per_pixel(circle.center[0])
    return max(CIRCLE_MIN_VERTICES, min(CIRCLE_MAX_VERTICES, math.ceil(circumference / 4)))


def stroke(width: float, joins: slice) -> Painter:
    """A line ``width`` device pixels wide with round joins at the vertices ``joins`` selects
    (a disc each: Pillow's own round joints are drawn in Python, a few times slower)."""

    def paint(draw: ImageDraw.ImageDraw, p: list[Point], factor: int) -> None:
        pixels = max(1, round(width * factor))
        draw.line(p, fill=255, width=pixels)
        if pixels >= MIN_JOIN_PX:
            r = pixels / 2
            for x, y in p[joins]:
                draw.ellipse((x - r, y - r, x + r, y + r), fill=255)

    return paint


def fill(draw: ImageDraw.ImageDraw, p: list[Point], factor: int) -> None:
    draw.polygon(p, fill=255)


def draw_polygon(
    renderer: MapRenderer, xy: list[Point], fill_color: str | None, outline: str, width: float
) -> None:
    """A closed ring ``xy`` (its first point repeated last), ``width`` device pixels wide:
    the fill, then the outline over it, round at every corner (the closing one too)."""
    layers: list[tuple[Painter, Color]] = []
    if fill_color is not None:
        layers.append((fill, rgba(fill_color)))
    if width > 0:
        layers.append((stroke(width, joins=slice(None)), rgba(outline)))
    if layers and len(xy) >= 3:
        renderer.supersample(xy, width, layers)


def map_objects(
    markers: Sequence[Markers],
    paths: Sequence[Path],
    circles: Sequence[Circle],
    scale: int,
    icons: dict[str, Image.Image] | None = None,
) -> list[Any]:
    """The spec's overlays as objects in drawing order: paths and polygons, circles, then the
    markers, southern ones in front of northern ones."""
    objects: list[Any] = [
        Polygon(p, scale) if p.fillcolor is not None else StyledPath(p, scale) for p in paths
    ]
    objects += [CircleOverlay(c, scale) for c in circles]
    pins = [(point, group) for group in markers for point in group.points]
    pins.sort(key=lambda item: -item[0][0])
    for point, group in pins:
        icon = (icons or {}).get(group.icon) if group.icon else None
        if icon is not None and group.icon:
            objects.append(Icon(point, icon, group.anchor, scale, group.icon))
        else:
            objects.append(Pin(point, group.color, group.size, group.label, scale))
    return objects
