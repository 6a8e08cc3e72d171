"""One map's view in device pixels: py-staticmaps' :class:`staticmaps.Transformer`, with Web
Mercator from :mod:`api.maps.geo` and plain ``(lat, lng)`` tuples.

The renderer, its objects, the cost model, the fit and the text twin all place points
through a :class:`MapView`. Imported on the first map drawn or described, never at start
(py-staticmaps takes a few hundred milliseconds to import).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import staticmaps

from api.maps.geo import EARTH_RADIUS_M, MAX_LAT, TILE, LatLng, to_latlng, world_xy

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom


class MapView(staticmaps.Transformer):
    """A ``width`` x ``height`` device-pixel view centred on ``center`` at ``zoom``, ``scale``
    device pixels per CSS pixel.

    With ``snap``, the centre moves (by at most half a device pixel) so that the image's
    edges fall on whole pixels of the world: tiles are then pasted where they are, without
    a resample, and the overlays, placed by the same view, stay registered with them.
    """

    def __init__(  # noqa: PLR0917  # the view's own parameters
        self,
        center: LatLng,
        zoom: int,
        width: int,
        height: int,
        scale: int = 1,
        snap: bool = False,
    ) -> None:
        tile = TILE * scale
        world = float(tile * 2**zoom)
        cx, cy = world_xy(center, world)
        if snap:
            cx = round(cx - width / 2) + width / 2
            cy = round(cy - height / 2) + height / 2
            center = to_latlng(cx, cy, world)
        super().__init__(width, height, zoom, staticmaps.create_latlng(*center), tile)
        # The exact centre (the transformer's own, from the s2sphere point, can be a
        # rounding error away from a snapped pixel).
        self._tile_center_x, self._tile_center_y = cx / tile, cy / tile
        self.center = center
        self.scale = scale
        self.world = world
        self.left = cx - width / 2  # world pixel of the image's left edge
        self.top = cy - height / 2

    # py-staticmaps' Mercator is unbounded at the poles (a point at 90° is at infinity) and its
    # inverse leaves longitudes unwrapped: both are replaced by the clamped maths of api.maps.geo.
    @staticmethod
    def mercator(latlng: Any) -> tuple[float, float]:
        return world_xy((latlng.lat().degrees, latlng.lng().degrees), 1.0)

    @staticmethod
    def mercator_inv(x: float, y: float) -> Any:
        lat, lng = to_latlng(x, y, 1.0)
        return staticmaps.create_latlng(lat, lng)

    # -- plain tuples (no s2sphere objects on the drawing path) ---------------------------

    def xy(self, point: LatLng) -> Point:
        """Device pixels of ``point`` on the copy of the world nearest the centre."""
        x, y = world_xy(point, self.world)
        x += round((self.left + self._width / 2 - x) / self.world) * self.world
        return x - self.left, y - self.top

    def pixels(self, points: Iterable[LatLng]) -> list[Point]:
        """Device pixels of a line's points, made continuous across the antimeridian (the
        first on the copy of the world nearest the centre, each next one on the copy nearest
        the one before): :func:`api.maps.geo.world_xy` for many points at once."""
        ll = np.asarray(list(points), dtype=np.float64).reshape(-1, 2)
        if not len(ll):
            return []
        lat = np.clip(ll[:, 0], -MAX_LAT, MAX_LAT)
        sin = np.sin(np.radians(lat))
        xs = (ll[:, 1] + 180.0) / 360.0 * self.world
        ys = (0.5 - np.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * self.world
        steps = np.diff(xs)
        steps -= np.round(steps / self.world) * self.world
        first = xs[0] + round((self.left + self._width / 2 - xs[0]) / self.world) * self.world
        xs = np.concatenate(([first], first + np.cumsum(steps))) - self.left
        return list(zip((xs).tolist(), (ys - self.top).tolist(), strict=True))

    def latlng(self, x: float, y: float) -> LatLng:
        """The position at device pixel (x, y), latitude clamped to Web Mercator's edge."""
        wy = min(max(y + self.top, 0.0), self.world)
        lat, lng = to_latlng(x + self.left, wy, self.world)
        return max(-MAX_LAT, min(MAX_LAT, lat)), lng

    def metres_per_pixel(self, lat: float) -> float:
        return 2 * math.pi * EARTH_RADIUS_M * math.cos(math.radians(min(abs(lat), MAX_LAT))) / self.world


def bounding_box(points: Iterable[Point], pad: Box = (0.0, 0.0, 0.0, 0.0)) -> Box | None:
    """The box around ``points``, grown by ``pad`` (left, top, right, bottom); None for no points."""
    xs, ys = [], []
    for x, y in points:
        xs.append(x)
        ys.append(y)
    if not xs:
        return None
    return min(xs) - pad[0], min(ys) - pad[1], max(xs) + pad[2], max(ys) + pad[3]
