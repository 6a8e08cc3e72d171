"""Map spec -> image, through py-staticmaps (:mod:`api.maps.renderer`, :mod:`api.maps.objects`).

Two stages: :func:`render_map` runs in the request's process, fetches the tiles (network
and caches live there) and places them; it returns a :class:`RenderJob` for
:func:`draw_map`, which draws the offline basemap, the overlays and the attribution and
encodes the image, in the render pool where time and memory are bounded.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from PIL import Image as PILImage

from api.encode import MIMETYPES, Image, encode_pil
from api.maps.cost import estimate_map
from api.maps.geo import LatLng
from api.maps.objects import map_objects
from api.maps.projection import MapView
from api.maps.providers import TileProvider
from api.maps.renderer import MapRenderer, snaps
from api.maps.specs import MapSpec
from api.maps.tiles import TileFetcher
from api.maps.viewport import fit_max_zoom, view
from api.renderpool import RenderJob


def map_view(spec: MapSpec, provider: TileProvider, view_at: tuple[LatLng, int]) -> MapView:
    """The view of ``spec`` in device pixels; snapped to whole pixels when its tiles allow."""
    out = spec.output
    center, zoom = view_at
    snap = snaps(provider, center, zoom, out.scale)
    return MapView(center, zoom, out.width * out.scale, out.height * out.scale, out.scale, snap)


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
        renderer = MapRenderer(map_view(spec, provider, view_at))
        failed, total = renderer.render_tiles(provider, fetcher, started + budget_seconds * 0.8)
        base = renderer.image()
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
    image = draw_image(spec, provider, view_at, base, icons)
    encoded = encode_pil(image.convert("RGB"), spec.output.format)
    return Image(encoded, MIMETYPES[spec.output.format], warning)


def draw_image(
    spec: MapSpec,
    provider: TileProvider,
    view_at: tuple[LatLng, int],
    base: PILImage.Image | None = None,
    icons: Mapping[str, PILImage.Image] | None = None,
) -> PILImage.Image:
    """The map before encoding (RGBA): tiles, overlays, attribution."""
    renderer = MapRenderer(map_view(spec, provider, view_at), base)
    if base is None:
        renderer.render_tiles(provider, None, style=spec.style)
    objects = map_objects(spec.markers, spec.paths, spec.circles, spec.output.scale, dict(icons or {}))
    renderer.render_objects(objects)
    renderer.render_attribution(provider.attribution)
    image: PILImage.Image = renderer.image()
    return image
