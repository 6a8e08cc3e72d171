"""Tile providers: the built-in registry plus the deployer's own, from settings.

A provider is immutable and carries no secret: its URL template holds a ``{key}``
placeholder and the name of the environment variable with the key. The key is read
from the server's environment when tiles are fetched, never from a request, and is
never part of a provider's ``repr``, an error message or a log line.
"""

from __future__ import annotations

import json
import os
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from api.maps.basemap import ATTRIBUTION as OFFLINE_ATTRIBUTION
from api.maps.basemap import MAX_ZOOM as OFFLINE_MAX_ZOOM
from api.settings import Settings

OFFLINE = "naturalearth"

_PLACEHOLDERS = frozenset({"z", "x", "y", "r", "key"})
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_OSM = "© OpenStreetMap contributors"
DEFAULT_CONCURRENCY = 6  # what browsers open per host
# tile.openstreetmap.org's usage policy: at most 2 parallel downloads over HTTP/1.1 (more only
# over one multiplexed HTTP/2 connection, which requests does not speak).
OSM_CONCURRENCY = 2


class ProviderUnavailable(LookupError):
    """A provider that cannot serve tiles here (its key is not configured); names the provider only."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"tile provider {name!r} is not available: {reason}")
        self.name = name


@dataclass(frozen=True)
class TileProvider:
    """Where a style's tiles come from. ``url_template`` is "" for the offline basemap."""

    name: str
    url_template: str
    attribution: str
    max_zoom: int = 19
    tile_size: int = 256
    hidpi_tiles: bool = False  # "{r}" becomes "@2x" and the tiles are twice tile_size
    key_env: str | None = None  # environment variable with the API key
    # Tiles fetched from this provider at once, at most (its usage policy; see the README's
    # "Tile providers"): the fetcher's per-host limit, CHARTMAP_TILE_CONCURRENCY_PER_HOST,
    # caps it further.
    concurrency: int = DEFAULT_CONCURRENCY

    @property
    def offline(self) -> bool:
        return self.url_template == ""

    @property
    def needs_key(self) -> bool:
        return "{key}" in self.url_template

    @property
    def host(self) -> str:
        """``scheme://host:port`` of the tile server ("" for the offline basemap)."""
        if self.offline:
            return ""
        parts = urlsplit(self.url_template)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname}{port}"  # never the user:password part

    def api_key(self, environ: Mapping[str, str] | None = None) -> str | None:
        """The provider's key from the environment, or None (also for keyless providers)."""
        if not self.needs_key or not self.key_env:
            return None
        env = os.environ if environ is None else environ
        return env.get(self.key_env) or None

    def available(self, environ: Mapping[str, str] | None = None) -> bool:
        """Whether tiles can be had: keyless, or its key variable is set."""
        return not self.needs_key or self.api_key(environ) is not None

    def tile_pixels(self, hidpi: bool) -> int:
        """Edge length in pixels of the tiles :meth:`tile_url` points at."""
        return self.tile_size * 2 if hidpi and self.hidpi_tiles else self.tile_size

    def tile_url(self, z: int, x: int, y: int, *, hidpi: bool, api_key: str | None) -> str:
        """The URL of one tile. The result may contain the key: never log or show it."""
        if self.offline:
            raise ValueError(f"tile provider {self.name!r} is drawn offline and has no tile URLs")
        if self.needs_key and not api_key:
            raise ProviderUnavailable(self.name, f"{self.key_env or 'its API key'} is not set")
        url = self.url_template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))
        url = url.replace("{r}", "@2x" if hidpi and self.hidpi_tiles else "")
        if api_key:
            url = url.replace("{key}", quote(api_key, safe=""))
        return url

    def __repr__(self) -> str:
        # The template holds no key, but a deployer may have pasted one in by mistake:
        # show the server only, never the query or path.
        return (
            f"TileProvider(name={self.name!r}, host={self.host!r}, attribution={self.attribution!r}, "
            f"max_zoom={self.max_zoom}, tile_size={self.tile_size}, hidpi_tiles={self.hidpi_tiles}, "
            f"key_env={self.key_env!r}, concurrency={self.concurrency})"
        )

    __str__ = __repr__


def _carto(name: str, style: str) -> TileProvider:
    return TileProvider(
        name=name,
        url_template=f"https://basemaps.cartocdn.com/{style}/{{z}}/{{x}}/{{y}}{{r}}.png",
        attribution=f"{_OSM} © CARTO",
        max_zoom=20,
        hidpi_tiles=True,
    )


BUILTIN: tuple[TileProvider, ...] = (
    TileProvider(
        "osm",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        _OSM,
        max_zoom=19,
        concurrency=OSM_CONCURRENCY,
    ),
    _carto("carto-light", "light_all"),
    _carto("carto-dark", "dark_all"),
    _carto("carto-light-nolabels", "light_nolabels"),
    _carto("carto-dark-nolabels", "dark_nolabels"),
    TileProvider(
        "arcgis-imagery",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles © Esri — Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community",
        max_zoom=19,
    ),
    TileProvider(
        "stadia",
        "https://tiles.stadiamaps.com/tiles/alidade_smooth/{z}/{x}/{y}{r}.png?api_key={key}",
        f"© Stadia Maps © OpenMapTiles {_OSM}",
        max_zoom=20,
        hidpi_tiles=True,
        key_env="CHARTMAP_STADIA_API_KEY",
    ),
    TileProvider(
        "jawg",
        "https://tile.jawg.io/jawg-streets/{z}/{x}/{y}{r}.png?access-token={key}",
        f"© JawgMaps {_OSM}",
        max_zoom=22,
        hidpi_tiles=True,
        key_env="CHARTMAP_JAWG_API_KEY",
    ),
    TileProvider(OFFLINE, "", OFFLINE_ATTRIBUTION, max_zoom=OFFLINE_MAX_ZOOM),
)

_FIELDS = {"name", "url", "attribution", "max_zoom", "tile_size", "hidpi_tiles", "key_env", "concurrency"}


def provider_registry(settings: Settings) -> dict[str, TileProvider]:
    """Built-in providers plus ``settings.tile_providers`` (a JSON list of objects).

    A custom entry may replace a built-in one of the same name (a mirror of osm, say),
    except the offline basemap. Raises ValueError naming the bad entry.
    """
    registry = {p.name: p for p in BUILTIN}
    if not settings.tile_providers.strip():
        return registry
    try:
        entries = json.loads(settings.tile_providers)
    except json.JSONDecodeError as exc:
        raise ValueError(f"CHARTMAP_TILE_PROVIDERS is not valid JSON: {exc.msg} at {exc.pos}") from None
    if not isinstance(entries, list):
        raise ValueError("CHARTMAP_TILE_PROVIDERS must be a JSON list of provider objects")
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        provider = _parse_entry(index, entry, allow_http=settings.allow_http_tiles)
        if provider.name in seen:
            raise ValueError(f"CHARTMAP_TILE_PROVIDERS entry {index}: duplicate name {provider.name!r}")
        seen.add(provider.name)
        registry[provider.name] = provider
    return registry


def _parse_entry(index: int, entry: Any, *, allow_http: bool) -> TileProvider:
    label = f"CHARTMAP_TILE_PROVIDERS entry {index}"
    if not isinstance(entry, dict):
        raise ValueError(f"{label}: must be an object")
    name = entry.get("name")
    if isinstance(name, str):
        label = f"{label} ({name!r})"
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise ValueError(f"{label}: unknown field(s) {', '.join(unknown)}")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"{label}: name must be 1-40 lowercase letters, digits, '-' or '_'")
    if name == OFFLINE:
        raise ValueError(f"{label}: {OFFLINE!r} is the offline basemap and cannot be replaced")
    url = _check_url(label, entry.get("url"), allow_http=allow_http)
    attribution = entry.get("attribution")
    if not isinstance(attribution, str) or not attribution.strip():
        raise ValueError(f"{label}: attribution is required (it is drawn on every map)")
    max_zoom = _int_field(label, entry, "max_zoom", 19, low=0, high=22)
    tile_size = _int_field(label, entry, "tile_size", 256, low=64, high=1024)
    hidpi = entry.get("hidpi_tiles", "{r}" in url)
    if not isinstance(hidpi, bool):
        raise ValueError(f"{label}: hidpi_tiles must be true or false")
    if hidpi and "{r}" not in url:
        raise ValueError(f"{label}: hidpi_tiles needs an {{r}} placeholder in the url")
    key_env = entry.get("key_env")
    if key_env is not None and (not isinstance(key_env, str) or not _ENV_NAME.match(key_env)):
        raise ValueError(f"{label}: key_env must be the name of an environment variable")
    if ("{key}" in url) != (key_env is not None):
        raise ValueError(f"{label}: a {{key}} placeholder in the url and key_env go together")
    concurrency = _int_field(label, entry, "concurrency", DEFAULT_CONCURRENCY, low=1, high=64)
    return TileProvider(name, url, attribution.strip(), max_zoom, tile_size, hidpi, key_env, concurrency)


def _check_url(label: str, url: Any, *, allow_http: bool) -> str:
    if not isinstance(url, str):
        raise ValueError(f"{label}: url is required")
    try:
        fields = {field for _, field, _, _ in string.Formatter().parse(url) if field is not None}
    except ValueError:
        raise ValueError(f"{label}: url has unbalanced braces") from None
    unknown = fields - _PLACEHOLDERS
    if unknown:
        raise ValueError(f"{label}: url has unknown placeholder(s) {', '.join(sorted(unknown))}")
    missing = {"z", "x", "y"} - fields
    if missing:
        raise ValueError(f"{label}: url lacks placeholder(s) {', '.join(sorted(missing))}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or "{" in parts.netloc:
        raise ValueError(f"{label}: url must be an http(s) URL with a fixed host")
    if parts.scheme == "http" and not allow_http:
        raise ValueError(
            f"{label}: url is plain http://, so tiles (and any key) would travel in clear; use "
            "https://, or set CHARTMAP_ALLOW_HTTP_TILES=true for a tile server on a trusted network"
        )
    return url


def _int_field(label: str, entry: Mapping[str, Any], key: str, default: int, *, low: int, high: int) -> int:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{label}: {key} must be an integer from {low} to {high}")
    return value
