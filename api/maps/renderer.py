"""The map renderer: py-staticmaps' :class:`staticmaps.PillowRenderer`, with our tiles and
anti-aliased overlays.

- ``render_tiles`` takes the tiles from our concurrent fetcher (:mod:`api.maps.tiles`, its
  deadline and the provider's concurrency limit, a failed tile drawn from the embedded
  basemap instead), or draws them offline,
  and pastes them where they fall: when the view's edges are within 0.001 px of whole
  pixels of the mosaic (a snapped view, see :class:`api.maps.projection.MapView`) no
  resample is made; otherwise (a scale the tiles do not come in) the mosaic is resampled.
- Objects are drawn by py-staticmaps' ``render_objects``, whose loop over the copies of the
  world places overlays across the antimeridian; each draws itself on a canvas the size of
  its own bounding box, supersampled and box-filtered down (:meth:`MapRenderer.supersample`),
  never on a supersampled layer the size of the map.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import staticmaps
from PIL import Image, ImageDraw

from api.maps import basemap
from api.maps.draw import attribution
from api.maps.geo import TILE
from api.maps.projection import MapView, Point
from api.maps.styles import BasemapStyle

if TYPE_CHECKING:
    from api.maps.providers import TileProvider
    from api.maps.tiles import TileFetcher, TileKey

OUTSIDE_WORLD = basemap.WATER  # above and below Web Mercator's edge
ALIGNED_PX = 0.001  # an offset this close to a whole pixel is one
Painter = Callable[[ImageDraw.ImageDraw, list[Point], int], None]  # draws with ink 255
Color = tuple[int, int, int, int]


def supersampling(width: int, height: int) -> int:
    """Samples per pixel edge for overlays: fewer on very large images."""
    return 4 if width * height <= 1_000_000 else 2


@dataclass(frozen=True)
class TileGrid:
    """The tiles under a view: their zoom and size, and where the view lies on them."""

    zoom: int
    size: int  # pixels of a tile
    factor: float  # mosaic pixels per output pixel
    left: float  # mosaic pixel of the view's left edge, in the world of ``zoom``
    top: float
    hidpi: bool

    @property
    def aligned(self) -> bool:
        """Whether the tiles fall on whole output pixels (a crop, no resample)."""
        return self.factor == 1 and all(abs(v - round(v)) <= ALIGNED_PX for v in (self.left, self.top))

    def span(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The first and last tile columns and rows under a ``width`` x ``height`` view."""
        first_x, first_y = math.floor(self.left / self.size), math.floor(self.top / self.size)
        last_x = math.floor((self.left + width * self.factor - 1e-9) / self.size)
        last_y = math.floor((self.top + height * self.factor - 1e-9) / self.size)
        return first_x, first_y, last_x, last_y

    def keys(self, width: int, height: int) -> dict[tuple[int, int], TileKey]:
        """The tile keys by (column, row) of the mosaic, x unwrapped (rows outside the world left out)."""
        first_x, first_y, last_x, last_y = self.span(width, height)
        count = 2**self.zoom
        return {
            (tx, ty): (self.zoom, tx % count, ty)
            for ty in range(max(first_y, 0), min(last_y, count - 1) + 1)
            for tx in range(first_x, last_x + 1)
        }


def tile_grid(view: MapView, provider: TileProvider) -> TileGrid:
    """Which tiles cover ``view``: hi-dpi ones when the provider has them, a deeper zoom when
    the scale needs more pixels than its tiles have (then the mosaic is resampled)."""
    scale = view.scale
    hidpi = scale >= 2 and provider.hidpi_tiles and not provider.offline
    # The offline basemap draws tiles at any size: 512 px ones serve hi-dpi directly.
    size = TILE * (2 if scale >= 2 else 1) if provider.offline else provider.tile_pixels(hidpi)
    density = size / TILE
    extra = max(0, math.ceil(math.log2(scale / density))) if scale > density else 0
    zoom = min(view.zoom() + extra, provider.max_zoom)
    factor = size * 2**zoom / view.world
    return TileGrid(zoom, size, factor, view.left * factor, view.top * factor, hidpi)


def snaps(provider: TileProvider, center: tuple[float, float], zoom: int, scale: int) -> bool:
    """Whether a view should be snapped to whole pixels: when its tiles need no resample."""
    return tile_grid(MapView(center, zoom, 0, 0, scale), provider).factor == 1


class MapRenderer(staticmaps.PillowRenderer):
    """Draws one map on ``base`` (the placed tiles) or on a new image the view's size."""

    def __init__(self, view: MapView, base: Image.Image | None = None) -> None:
        # Not PillowRenderer's constructor: it would allocate a blank image we do not use.
        staticmaps.renderer.Renderer.__init__(self, view)
        size = view.image_size()
        self._image = base.convert("RGBA") if base is not None else Image.new("RGBA", size, OUTSIDE_WORLD)
        self._draw = ImageDraw.Draw(self._image)
        self._offset_x = 0
        self.view = view
        self.factor = supersampling(*size)
        self.canvases: list[tuple[int, int]] = []  # every supersampled canvas made, by size
        self._cache: dict[Any, Any] = {}
        self._placed: dict[int, tuple[list[Point], tuple[float, float, float, float]]] = {}

    # -- tiles --------------------------------------------------------------------------

    def render_tiles(  # our tile source, not a download callable
        self,
        provider: TileProvider,
        fetcher: TileFetcher | None = None,
        deadline: float = 0.0,
        style: BasemapStyle | None = None,
    ) -> tuple[int, int]:
        """Tiles from ``fetcher`` (by ``deadline``, time.monotonic()) or drawn offline (no
        fetcher, or an offline provider); a failed tile is drawn offline. (failed, total)."""
        width, height = self.view.image_size()
        grid = tile_grid(self.view, provider)
        keys = grid.keys(width, height)
        unique = list(dict.fromkeys(keys.values()))
        failed = 0
        images: dict[TileKey, Image.Image]
        if provider.offline or fetcher is None:
            images = {key: basemap.render_tile(*key, size=grid.size, style=style) for key in unique}
        else:
            batch = fetcher.fetch_many(provider, unique, hidpi=grid.hidpi, deadline=deadline)
            failed = batch.failed
            images = {
                key: basemap.render_tile(*key, size=grid.size) if tile is None else tile
                for key, tile in batch.images.items()
            }
        if grid.aligned:
            # A crop: each tile pasted where it falls (the image is the outside-world colour).
            left, top = round(grid.left), round(grid.top)
            for (tx, ty), key in keys.items():
                # As decoded (RGBA, opaque as tiles are): a conversion per tile would cost
                # more than all the pasting.
                self._image.paste(images[key], (tx * grid.size - left, ty * grid.size - top))
        else:
            self._image.paste(resampled(grid, keys, images, width, height))
        return failed, len(unique)

    # -- objects ------------------------------------------------------------------------

    # render_objects is py-staticmaps' own: its loop over the copies of the world (-1, 0, 1
    # for a view narrower than the world) draws each object on each; an object skips the
    # copies its box misses (``placed``).

    def placed(self, obj: Any, points: Sequence[tuple[float, float]], pad: float) -> list[Point] | None:
        """``points`` (lat, lng) of ``obj`` in device pixels, continuous across the antimeridian,
        on the world copy being drawn (computed once per object); None when that copy, grown
        by ``pad``, misses the image."""
        found = self._placed.get(id(obj))
        if found is None:
            xy = self.view.pixels(points)
            xs, ys = [x for x, _ in xy], [y for _, y in xy]
            box = (min(xs), min(ys), max(xs), max(ys)) if xy else (0.0, 0.0, 0.0, 0.0)
            found = (xy, box)
            self._placed[id(obj)] = found
        xy, box = found
        if not xy or not self.bounds_hit(box, pad):
            return None
        dx = self.offset_x()
        return [(x + dx, y) for x, y in xy] if dx else xy

    def cached(self, key: Any, make: Callable[[], Any]) -> Any:
        """What ``make`` makes, made once per map for ``key``."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def supersample(self, xy: list[Point], pad: float, layers: Sequence[tuple[Painter, Color]]) -> None:
        """Draw over the box of ``xy`` (grown by ``pad``, clipped to the image), each layer
        a coverage mask ``factor`` times the resolution, box-filtered down and composited in
        its colour over the layer before (a translucent stroke blends with the fill under
        it). One colour per layer: a mask needs a quarter of an RGBA canvas's memory, and
        the edges take the colour, not a blend with the canvas's transparent black."""
        if not xy:
            return
        width, height = self._image.size
        xs, ys = [x for x, _ in xy], [y for _, y in xy]
        left = max(0, math.floor(min(xs) - pad))
        top = max(0, math.floor(min(ys) - pad))
        right = min(width, math.ceil(max(xs) + pad) + 1)
        bottom = min(height, math.ceil(max(ys) + pad) + 1)
        if right <= left or bottom <= top:
            return  # this copy of the world misses the image
        f = self.factor
        size = ((right - left) * f, (bottom - top) * f)
        points = [((x - left) * f, (y - top) * f) for x, y in xy]
        for paint, color in layers:
            mask = Image.new("L", size, 0)
            self.canvases.append(size)
            paint(ImageDraw.Draw(mask), points, f)
            coverage = mask.reduce(f) if f > 1 else mask
            if color[3] < 255:
                coverage = coverage.point([v * color[3] // 255 for v in range(256)])
            layer = Image.new("RGBA", coverage.size, (*color[:3], 0))
            layer.putalpha(coverage)
            self._image.alpha_composite(layer, (left, top))

    def bounds_hit(self, box: tuple[float, float, float, float], pad: float) -> bool:
        """Whether ``box`` (device pixels, on the world copy being drawn), grown by ``pad``,
        touches the image."""
        dx = self.offset_x()
        width, height = self._image.size
        return (
            box[0] + dx - pad < width and box[2] + dx + pad > 0 and box[1] - pad < height and box[3] + pad > 0
        )

    def sprite(
        self, x: float, y: float, key: Any, make: Callable[[int, Point], tuple[Image.Image, Point]]
    ) -> None:
        """A small supersampled drawing (a pin) with its anchor on (x, y): drawn once per
        position of the anchor within a pixel (``factor`` x ``factor`` of them) and kept."""
        f = self.factor
        qx, qy = round(x * f), round(y * f)
        sub = (qx % f, qy % f)

        def draw() -> tuple[Image.Image, Point]:
            canvas, anchor = make(f, sub)
            self.canvases.append(canvas.size)
            return canvas.reduce(f) if f > 1 else canvas, anchor

        image, (ax, ay) = self.cached((key, f, sub), draw)
        self.paste(image, qx // f - int(ax), qy // f - int(ay))

    def paste(self, image: Image.Image, left: int, top: int) -> None:
        """Composite ``image`` (RGBA) with its top left at (left, top), clipped to the map."""
        width, height = self._image.size
        box = (max(0, -left), max(0, -top), min(image.width, width - left), min(image.height, height - top))
        if box[2] > box[0] and box[3] > box[1]:
            self._image.alpha_composite(image, (left + box[0], top + box[1]), box)

    # -- attribution --------------------------------------------------------------------

    def render_attribution(self, attribution_text: str | None) -> None:
        # Ours: DejaVu Sans (py-staticmaps' default bitmap font lacks "©" and dashes), on a
        # box at the bottom right, shortened to fit.
        if attribution_text:
            attribution(self._image, attribution_text, self.view.scale)


def resampled(
    grid: TileGrid,
    keys: dict[tuple[int, int], TileKey],
    images: dict[TileKey, Image.Image],
    width: int,
    height: int,
) -> Image.Image:
    """The tiles put together and resampled (Lanczos) to the view: for scales the tiles do
    not come in, and views whose edges fall between pixels."""
    first_x, first_y, last_x, last_y = grid.span(width, height)
    mosaic = Image.new(
        "RGB", ((last_x - first_x + 1) * grid.size, (last_y - first_y + 1) * grid.size), OUTSIDE_WORLD
    )
    for (tx, ty), key in keys.items():
        mosaic.paste(images[key].convert("RGB"), ((tx - first_x) * grid.size, (ty - first_y) * grid.size))
    box_left, box_top = grid.left - first_x * grid.size, grid.top - first_y * grid.size
    box = (box_left, box_top, box_left + width * grid.factor, box_top + height * grid.factor)
    return mosaic.resize((width, height), Image.Resampling.LANCZOS, box=box)
