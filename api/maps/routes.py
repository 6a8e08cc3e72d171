"""``GET /maps/static`` (Google Static Maps parameters) and ``GET /generate_map`` (older URLs)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from apiflask import APIBlueprint, APIFlask
from flask import Flask, Response
from marshmallow import INCLUDE, RAISE

from api.maps.describe import describe_map
from api.maps.legacy import build_legacy_schema
from api.maps.providers import provider_registry
from api.maps.schemas import FORMATS, build_map_schema
from api.maps.specs import MapSpec
from api.notices import Parsed
from api.openapi_responses import image_responses
from api.output import TEXT_FORMAT
from api.outputs import Outputs, register_operation, register_outputs
from api.renderpool import RenderJob
from api.responses import image_response
from api.settings import Settings

if TYPE_CHECKING:
    from api.maps.icons import IconFetcher
    from api.maps.tiles import TileFetcher

MAP_DESCRIPTION = (
    "The map image. When upstream tiles failed, they are filled from the offline basemap, a "
    "Warning header says how many, and max-age is short."
)
MAP_RESPONSES = image_responses(MAP_DESCRIPTION, (*FORMATS, TEXT_FORMAT))
LEGACY_RESPONSES = image_responses(MAP_DESCRIPTION, ("png", TEXT_FORMAT))  # /generate_map: PNG only


def register_maps(app: APIFlask, settings: Settings) -> None:
    registry = provider_registry(settings)
    # Keyed providers whose key is not configured are not offered at all.
    enabled = {name.strip() for name in settings.enabled_providers.split(",") if name.strip()}
    available = tuple(
        name
        for name, provider in registry.items()
        if provider.available() and (not enabled or name in enabled)
    )
    if settings.default_provider not in available:
        raise ValueError(
            f"CHARTMAP_DEFAULT_PROVIDER={settings.default_provider!r} is not an available provider"
        )
    app.extensions["tile_providers"] = registry
    app.extensions["tile_fetcher_lock"] = threading.Lock()

    bp = APIBlueprint("maps", __name__, tag="Maps")
    map_schema = build_map_schema(settings, available, registry)
    legacy_schema = build_legacy_schema(settings, available, registry)
    register_operation(app, "/maps/static", map_schema)
    register_operation(app, "/generate_map", legacy_schema)
    outputs = map_outputs(app)
    register_outputs(app, MapSpec, outputs)

    @bp.get("/maps/static")
    # INCLUDE: Google ignored parameters it did not know; they are named in Ignored-Parameters.
    @bp.input(map_schema, location="query", arg_name="parsed", unknown=INCLUDE)
    @bp.doc(summary="Static map", responses=MAP_RESPONSES)
    def static_map(parsed: Parsed) -> Response:
        """A map image with markers, paths, polygons and circles, in the Google Static Maps syntax.

        Without center and zoom the view fits every overlay and visible point. Parameters that
        change nothing here (key, sensor, unknown ones...) are accepted and named in the
        Ignored-Parameters header.
        """
        return image_response(parsed.spec, outputs, parsed.notices)

    @bp.get("/generate_map")
    @bp.input(legacy_schema, location="query", arg_name="spec", unknown=RAISE)
    @bp.doc(summary="Map (older parameters)", responses=LEGACY_RESPONSES)
    def generate_map(spec: Parsed) -> Response:
        """The earlier sample's parameters (center, zoom, width, height, tile_provider), kept so its
        URLs go on working."""
        return image_response(spec.spec, outputs, spec.notices)

    app.register_blueprint(bp)


def map_outputs(app: Flask) -> Outputs:
    """The output table of map specs for ``app`` (its providers, its tile and icon fetchers):
    the tiles and icons are fetched in the request's process, the drawing is a pool job."""
    settings: Settings = app.config["SETTINGS"]
    providers = app.extensions["tile_providers"]

    def render(spec: MapSpec) -> RenderJob:
        from api.maps.render import render_map

        wanted = [group.icon for group in spec.markers if group.icon]
        icons = icon_fetcher(app).fetch_all(wanted) if wanted else {}
        provider = providers[spec.provider]
        return render_map(spec, provider, tile_fetcher(app), settings.map_time_budget, icons=icons)

    return Outputs(render=render, describe=lambda spec: describe_map(spec, providers[spec.provider]))


def icon_fetcher(app: Flask) -> IconFetcher:
    """The app's one icon fetcher (its own pool and cache), made on the first map with an icon."""
    from api.maps.icons import IconFetcher

    fetcher: IconFetcher = _made_once(app, "icon_fetcher", IconFetcher)
    return fetcher


def tile_fetcher(app: Flask) -> TileFetcher:
    """The app's one fetcher (one HTTP pool, one cache), made on the first map: the HTTP
    stack is not loaded at start."""
    from api.maps.tiles import TileFetcher

    fetcher: TileFetcher = _made_once(app, "tile_fetcher", TileFetcher)
    return fetcher


def _made_once(app: Flask, name: str, make: Callable[[Settings], object]) -> Any:
    extensions = app.extensions
    with extensions["tile_fetcher_lock"]:
        if name not in extensions:
            extensions[name] = make(app.config["SETTINGS"])
        return extensions[name]
