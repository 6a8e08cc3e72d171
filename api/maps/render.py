"""Map spec -> image: tiles (fetched or drawn offline), overlays, attribution.

Two stages: :func:`render_map` runs in the request's process, fetches the tiles (network
and caches live there) and puts them together; it returns a :class:`RenderJob` for
:func:`draw_map`, which draws the offline basemap, the overlays and the attribution and
encodes the image, in the render pool where time and memory are bounded.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterable, Mapping

from PIL import Image as PILImage

from api.encode import MIMETYPES, Image, encode_pil
from api.maps import basemap
from api.maps.cost import estimate_map, geodesic_steps
from api.maps.draw import OverlayLayer, attribution
from api.maps.geo import TILE, LatLng, circle_points, geodesic_points, unwrap, world_xy
from api.maps.providers import TileProvider
from api.maps.specs import MapSpec
from api.maps.tiles import TileFetcher, TileKey
from api.maps.viewport import fit_max_zoom, view
from api.renderpool import RenderJob

OUTSIDE_WORLD = basemap.WATER  # above and below Web Mercator's edge


def render_map(
    spec: MapSpec,
    provider: TileProvider,
    fetcher: TileFetcher,
    budget_seconds: float,
    icons: Mapping[str, PILImage.Image] | None = None,  # custom marker icons by URL, as fetched
) -> RenderJob:
    """Fetch and place the tiles (network providers); the drawing is left to the job."""
    started = time.monotonic()
    view_at = view(spec, fit_max_zoom(provider))
    base: PILImage.Image | None = None
    warning = None  # degraded (transient) only; the basemap's detail note is the schema's
    if not provider.offline:
        base, failed, total = _base_layer(spec, provider, fetcher, view_at, started + budget_seconds * 0.8)
        if failed:
            warning = f"{failed} of {total} tiles failed; they were filled from the offline basemap"
    if any(group.icon and group.icon not in (icons or {}) for group in spec.markers):
        icon_warning = "a custom marker icon could not be fetched; the default pin was drawn"
        warning = f"{warning}; {icon_warning}" if warning else icon_warning
    cost = estimate_map(spec, provider).total_ms
    return RenderJob(draw_map, (spec, provider, view_at, base, warning, dict(icons or {})), cost)


def draw_map(  # noqa: PLR0917  # positional: the pool calls function(*args)
    spec: MapSpec,
    provider: TileProvider,
    view_at: tuple[LatLng, int],
    base: PILImage.Image | None,
    warning: str | None,
    icons: Mapping[str, PILImage.Image] | None = None,  # custom marker icons by URL
) -> Image:
    """The map image: ``base`` (the placed tiles) or, without it, the offline basemap."""
    out = spec.output
    scale = out.scale
    width, height = out.width * scale, out.height * scale
    center, zoom = view_at
    if base is None:
        base, _, _ = _base_layer(spec, provider, None, view_at, 0.0)
    image = base.convert("RGBA")
    if spec.markers or spec.paths or spec.circles:
        image.alpha_composite(_overlays(spec, center, zoom, (width, height), icons or {}))
    attribution(image, provider.attribution, scale)
    encoded = encode_pil(image.convert("RGB"), out.format)
    return Image(encoded, MIMETYPES[out.format], warning)


def _base_layer(
    spec: MapSpec,
    provider: TileProvider,
    fetcher: TileFetcher | None,
    view_at: tuple[LatLng, int],
    deadline: float,
) -> tuple[PILImage.Image, int, int]:
    """The tiles under the view, at the output's pixel size; (image, failed, total)."""
    out = spec.output
    center, zoom = view_at
    width, height = out.width * out.scale, out.height * out.scale
    hidpi = out.scale >= 2 and provider.hidpi_tiles and not provider.offline
    # The offline basemap draws tiles at any size: 512 px ones serve hi-dpi directly.
    tile_px = TILE * (2 if out.scale >= 2 else 1) if provider.offline else provider.tile_pixels(hidpi)
    density = tile_px / TILE  # mosaic pixels per CSS pixel at the view's zoom
    extra = max(0, math.ceil(math.log2(out.scale / density))) if out.scale > density else 0
    tile_zoom = min(zoom + extra, provider.max_zoom)
    factor = tile_px * 2**tile_zoom / (TILE * 2**zoom * out.scale)  # mosaic px per output px
    world = tile_px * 2**tile_zoom
    cx, cy = world_xy(center, world)
    left, top = cx - width * factor / 2, cy - height * factor / 2
    first_x, first_y = math.floor(left / tile_px), math.floor(top / tile_px)
    last_x = math.floor((left + width * factor - 1e-9) / tile_px)
    last_y = math.floor((top + height * factor - 1e-9) / tile_px)
    count = 2**tile_zoom
    keys: dict[tuple[int, int], TileKey] = {}
    for ty in range(max(first_y, 0), min(last_y, count - 1) + 1):
        for tx in range(first_x, last_x + 1):
            keys[(tx, ty)] = (tile_zoom, tx % count, ty)
    unique = list(dict.fromkeys(keys.values()))
    failed = 0
    images: dict[TileKey, PILImage.Image] = {}
    if provider.offline or fetcher is None:
        images = {key: basemap.render_tile(*key, size=tile_px, style=spec.style) for key in unique}
    else:
        batch = fetcher.fetch_many(provider, unique, hidpi=hidpi, deadline=deadline)
        failed = batch.failed
        for key, tile in batch.images.items():
            images[key] = basemap.render_tile(*key, size=tile_px) if tile is None else tile
    mosaic = PILImage.new(
        "RGB", ((last_x - first_x + 1) * tile_px, (last_y - first_y + 1) * tile_px), OUTSIDE_WORLD
    )
    for (tx, ty), key in keys.items():
        mosaic.paste(images[key].convert("RGB"), ((tx - first_x) * tile_px, (ty - first_y) * tile_px))
    box = (left - first_x * tile_px, top - first_y * tile_px)
    crop = (box[0], box[1], box[0] + width * factor, box[1] + height * factor)
    if factor == 1 and all(float(v).is_integer() for v in crop):
        view_image = mosaic.crop((int(crop[0]), int(crop[1]), int(crop[2]), int(crop[3])))
    else:
        view_image = mosaic.resize((width, height), PILImage.Resampling.LANCZOS, box=crop)
    return view_image, failed, len(unique)


def _overlays(
    spec: MapSpec, center: LatLng, zoom: int, size: tuple[int, int], icons: Mapping[str, PILImage.Image]
) -> PILImage.Image:
    """Paths, circles and markers on a transparent layer the size of the output."""
    scale = spec.output.scale
    width, height = size
    # Supersampling for anti-aliased edges; less of it for very large images.
    layer = OverlayLayer(size, 4 if width * height <= 1_000_000 else 2)
    world = TILE * 2**zoom * scale
    cx, cy = world_xy(center, world)

    def pixels(points: Iterable[LatLng]) -> list[tuple[float, float]]:
        xy = [world_xy(p, world) for p in points]
        xs = unwrap([x for x, _ in xy], world, cx)
        return [(x - cx + width / 2, y - cy + height / 2) for x, (_, y) in zip(xs, xy, strict=True)]

    for path in spec.paths:
        points: list[LatLng] = list(path.points)
        if path.geodesic:
            closed = [*points, points[0]] if path.fillcolor else points
            points = [
                p
                for a, b in itertools.pairwise(closed)
                for p in geodesic_points(a, b, max_steps=geodesic_steps(a, b, world))[:-1]
            ]
            points.append(closed[-1])
        if path.fillcolor is not None:
            layer.polygon(pixels(points), path.fillcolor, path.color, path.weight * scale)
        else:
            layer.line(pixels(points), path.color, path.weight * scale)
    for circle in spec.circles:
        layer.polygon(
            pixels(circle_points(circle.center, circle.radius)),
            circle.fillcolor,
            circle.color,
            circle.weight * scale,
        )
    pins = [(p, group) for group in spec.markers for p in group.points]
    pins.sort(key=lambda item: -item[0][0])  # southern pins in front of northern ones
    for point, group in pins:
        icon = icons.get(group.icon) if group.icon else None
        if icon is not None:
            layer.icon(pixels([point])[0], icon, group.anchor, scale)
        else:
            layer.pin(pixels([point])[0], group.color, group.size, group.label, scale)
    return layer.flatten()
