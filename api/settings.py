"""Every setting, read from environment variables (prefix ``CHARTMAP_``) with defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

PREFIX = "CHARTMAP_"
_T = TypeVar("_T")


@dataclass(frozen=True)
class Limits:
    """Bounds checked by the schemas before anything is drawn."""

    max_width: int = 2048
    max_height: int = 2048
    max_pixels: int = 4_000_000
    max_scale: int = 4
    max_series: int = 20
    max_points: int = 2_000
    max_total_points: int = 10_000
    max_slices: int = 1_000  # in one pie, all rings together: each slice is its own shape
    max_text: int = 200
    max_markers: int = 200
    max_path_vertices: int = 10_000
    max_paths: int = 50
    max_url_length: int = 16_384
    # Estimated CPU time of one render (the cost model of api/cost.py), in milliseconds of a
    # typical core: a request over it is refused before anything is drawn.
    max_render_ms: int = 1_500


@dataclass(frozen=True)
class Settings:
    limits: Limits = Limits()
    cache_max_age: int = 86_400
    degraded_max_age: int = 60
    render_cache_bytes: int = 64 * 1024 * 1024
    # Maps: the provider used when a request names none ("naturalearth" needs no network).
    default_provider: str = "naturalearth"
    # Deployer-defined tile providers: a JSON list of objects with name, url (with {z},
    # {x}, {y}, optional {key} and {r} for "@2x"), attribution, max_zoom, tile_size, key_env.
    tile_providers: str = ""
    # Comma-separated provider names offered to requests; empty: every configured one.
    enabled_providers: str = ""
    tile_cache_dir: str = ""  # empty: a folder in the system's temporary directory
    tile_cache_disk_bytes: int = 512 * 1024 * 1024
    tile_cache_memory_bytes: int = 128 * 1024 * 1024
    tile_min_ttl: int = 7 * 86_400  # tiles are kept at least this long, whatever upstream says
    tile_connect_timeout: float = 3.0
    tile_read_timeout: float = 10.0
    map_time_budget: float = 15.0  # seconds for all tile fetching of one map
    tile_concurrency_per_host: int = 6
    # The blob tier of the tile cache, shared by every instance (api/maps/tilecache_blob.py):
    # on when an account URL (reached with a managed identity) or a connection string
    # (Azurite, development) is set; off when both are empty.
    tile_blob_account_url: str = ""  # e.g. https://<account>.blob.core.windows.net/
    tile_blob_connection_string: str = field(default="", repr=False)  # it may hold an account key
    tile_blob_container: str = "tiles"
    tile_blob_client_id: str = ""  # a user-assigned identity's client ID; empty: the default one
    tile_blob_timeout: float = 1.0  # connect and read timeout of one blob request, seconds
    tile_blob_cooldown: float = 30.0  # seconds the tier is skipped after a failure
    contact_url: str = "https://example.org/chartmap"  # named in the tile User-Agent
    # Google's maptype -> provider, e.g. "satellite:arcgis-imagery,hybrid:arcgis-imagery";
    # an unmapped maptype is drawn on the default provider (with a Warning).
    maptype_providers: str = ""
    # Custom marker icons: comma-separated host names they may be fetched from; empty: none
    # (the default pin is drawn instead). Only https, unless icon_allow_http.
    icon_hosts: str = ""
    icon_allow_http: bool = False
    icon_max_bytes: int = 256 * 1024
    icon_max_pixels: int = 128 * 128  # width x height of one icon
    icon_timeout: float = 3.0  # seconds for all the icons of one map
    icon_cache_bytes: int = 8 * 1024 * 1024
    # Addresses that icons may be fetched from although they are not public (loopback), so that
    # tests can run the fetcher against a server on 127.0.0.1. A tuple, so it is never read
    # from the environment (from_env reads str, int, float and bool fields only): it can only
    # be set in code, and only loopback addresses are honoured. Never set it in production.
    icon_test_addresses: tuple[str, ...] = ()
    # Custom providers may use plain http:// only when this is set (keys would travel in clear).
    allow_http_tiles: bool = False
    # Renders run in worker processes bounded in time and memory (api/renderpool.py).
    render_isolation: bool = True  # False: in the request's thread, unbounded (debugging only)
    render_processes: int = 0  # 0: one per CPU core, at least 2
    render_timeout: float = 10.0  # seconds one render may run before its worker is killed
    render_memory_mb: int = 512  # memory one worker may add to what it holds after start-up
    render_queue_timeout: float = 20.0  # seconds a request may wait for a free worker
    # Google-style URL signing (api/signing.py): URL-safe base64; empty: URLs need no signature.
    # Left out of repr so that logging the settings never shows it.
    url_signing_secret: str = field(default="", repr=False)
    # Access-Control-Allow-Origin of every response: "*", one origin, or empty for none.
    cors_origin: str = "*"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``CHARTMAP_<FIELD>`` for every field of Settings and Limits."""
        env = os.environ if environ is None else environ
        limits = _override(Limits(), env)
        return _override(cls(limits=limits), env)

    def with_overrides(self, values: Mapping[str, Any]) -> Settings:
        """Settings with some fields (or ``limits`` fields) replaced; used by tests."""
        limit_names = {f.name for f in fields(Limits)}
        limits = replace(self.limits, **{k: v for k, v in values.items() if k in limit_names})
        own = {k: v for k, v in values.items() if k not in limit_names}
        return replace(self, limits=limits, **own)


def _override(obj: _T, env: Mapping[str, str]) -> _T:
    changes: dict[str, Any] = {}
    for f in fields(obj):  # type: ignore[arg-type]
        raw = env.get(PREFIX + f.name.upper())
        if raw is None or f.type not in ("int", "str", "float", "bool"):
            continue
        changes[f.name] = _convert(f.name, f.type, raw)
    return replace(obj, **changes)  # type: ignore[type-var]


def _convert(name: str, type_name: str, raw: str) -> Any:
    try:
        if type_name == "int":
            value: Any = int(raw)
            if value < 0:
                raise ValueError("must not be negative")
            return value
        if type_name == "float":
            return float(raw)
        if type_name == "bool":
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return raw
    except ValueError as exc:
        raise ValueError(f"{PREFIX}{name.upper()}={raw!r}: {exc}") from None
