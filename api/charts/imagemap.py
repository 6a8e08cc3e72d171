"""A chart's image map: the region of every bar, slice and point, in image pixels.

The format is Google Image Charts' ``chof=json``: ``{"chartshape": [{"name": "bar0_1",
"type": "RECT", "coords": [x1, y1, x2, y2]}, ...]}`` with y growing downwards, ready for
``<area>`` elements. Regions come from the drawn figure itself (the series artists the kinds
tag, and pie wedges), so they match the picture.
"""

from __future__ import annotations

import json
import math
import warnings
from typing import TYPE_CHECKING, Any

from api.charts.marks import WEB_GID, series_artists
from api.charts.specs import ChartSpec
from api.encode import Image

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

MIN_POINT_RADIUS = 4  # px: a point's region is at least this big, to be clickable

Shape = dict[str, Any]


def render_image_map(spec: ChartSpec) -> Image:
    from api.charts.render import _RENDER_LOCK, render_figure

    with _RENDER_LOCK, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig = render_figure(spec)
        shapes = regions(fig)
    body = json.dumps({"chartshape": shapes}, separators=(",", ":")).encode()
    return Image(body, "application/json")


def regions(fig: Figure) -> list[Shape]:
    height = fig.bbox.height
    shapes: list[Shape] = []
    for index, artist in sorted(series_artists(fig).items()):
        if artist.get_visible():
            shapes.extend(_series_regions(index, artist, height))
    shapes.extend(_wedge_regions(fig, height))
    return shapes


def _series_regions(index: int, artist: Artist, height: float) -> list[Shape]:
    from matplotlib.collections import PathCollection, PolyCollection
    from matplotlib.lines import Line2D

    transform = artist.get_transform()
    if isinstance(artist, PolyCollection):
        shapes = []
        for point, path in enumerate(artist.get_paths()):
            corners = transform.transform(path.vertices)
            x0, x1 = corners[:, 0].min(), corners[:, 0].max()
            y0, y1 = height - corners[:, 1].max(), height - corners[:, 1].min()
            if x1 - x0 >= 0.5 and y1 - y0 >= 0.5:  # a missing value is a bar of no size
                shapes.append(_shape(f"bar{index}_{point}", "RECT", [x0, y0, x1, y1]))
        return shapes
    if isinstance(artist, Line2D):
        points = transform.transform(artist.get_xydata())
        if artist.axes is not None and artist.axes.get_gid() == WEB_GID and len(points) > 1:
            points = points[:-1]  # a radar line ends where it began
        radius = max(
            artist.get_markersize() * artist.figure.dpi / 72 / 2 if artist.figure else 0, MIN_POINT_RADIUS
        )
        return _circles(index, points, [radius] * len(points), height)
    if isinstance(artist, PathCollection):
        points = artist.get_offset_transform().transform(artist.get_offsets())
        dpi = artist.figure.dpi if artist.figure else 100.0
        sizes = list(artist.get_sizes()) or [0.0]
        radii = [
            max(math.sqrt(sizes[i % len(sizes)]) * dpi / 72 / 2, MIN_POINT_RADIUS) for i in range(len(points))
        ]
        return _circles(index, points, radii, height)
    return []


def _circles(index: int, points: Any, radii: list[float], height: float) -> list[Shape]:
    return [
        _shape(f"point{index}_{i}", "CIRCLE", [x, height - y, r])
        for i, ((x, y), r) in enumerate(zip(points, radii, strict=True))
        if math.isfinite(x) and math.isfinite(y)
    ]


def _wedge_regions(fig: Figure, height: float) -> list[Shape]:
    """Pie slices, ring by ring from the centre out (a plain pie is ring 0)."""
    from matplotlib.patches import Wedge

    wedges = [p for ax in fig.axes for p in ax.patches if isinstance(p, Wedge)]
    radii = sorted({round(w.r, 9) for w in wedges})
    counters = dict.fromkeys(radii, 0)
    shapes = []
    for wedge in wedges:
        ring = radii.index(round(wedge.r, 9))
        slice_index = counters[round(wedge.r, 9)]
        counters[round(wedge.r, 9)] += 1
        polygon = wedge.get_path().to_polygons(closed_only=False)
        if not polygon or abs(wedge.theta2 - wedge.theta1) < 1e-9:
            continue
        outline = wedge.get_transform().transform(polygon[0])
        coords = [v for x, y in outline for v in (x, height - y)]
        shapes.append(_shape(f"pie{ring}_{slice_index}", "POLY", coords))
    return shapes


def _shape(name: str, kind: str, coords: list[float]) -> Shape:
    return {"name": name, "type": kind, "coords": [round(float(c)) for c in coords]}
