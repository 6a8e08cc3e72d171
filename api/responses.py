"""The image response contract shared by every image endpoint.

A view hands over the canonical spec of its request and a function that renders it.
This module derives the strong ETag from the spec, answers ``If-None-Match`` with 304
before anything is drawn, serves repeats from a bounded in-process cache, and sets the
cache headers (short-lived for degraded images, ``no-store`` for errors).
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from apiflask import abort
from cachetools import LRUCache
from flask import Response, current_app, request

from api.notices import NO_NOTICES, NOTICE_HEADERS, WARNING_DESCRIPTION, Notices
from api.renderpool import RenderJob, RenderOverrun

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

# Bump when a renderer changes its output for the same spec: it is part of every ETag.
RENDERER_VERSION = "2"

MIMETYPES = {
    "png": "image/png",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "svg": "image/svg+xml",
    "gif": "image/gif",
    # Not an image: the image's description in plain language (its alt text), from the same spec.
    "txt": "text/plain",  # Flask adds "; charset=utf-8"
}


@dataclass(frozen=True)
class Image:
    """An encoded image; ``warning`` marks a degraded render (served, but briefly cached)."""

    body: bytes
    mimetype: str
    warning: str | None = None


@cache
def _library_versions() -> str:
    # Output bytes depend on these libraries, so their versions belong in the ETag.
    return ",".join(f"{name}={version(name)}" for name in ("matplotlib", "pillow", "py-staticmaps", "segno"))


def cache_key(spec: Any) -> str:
    """Hex digest of the canonical spec (a frozen dataclass) and the renderer versions."""
    text = f"{RENDERER_VERSION}|{_library_versions()}|{type(spec).__qualname__}|{spec!r}"
    return hashlib.sha256(text.encode()).hexdigest()


class RenderCache:
    """Encoded images by cache key: LRU bounded in bytes, one render per key at a time."""

    def __init__(self, max_bytes: int) -> None:
        self._items: LRUCache[str, Image] = LRUCache(maxsize=max(max_bytes, 1), getsizeof=_size)
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._in_flight: dict[str, threading.Lock] = {}

    def get_or_render(self, key: str, render: Callable[[], Image]) -> Image:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                return hit
            key_lock = self._in_flight.setdefault(key, threading.Lock())
        # Concurrent requests for the same key wait here for the first one's render.
        with key_lock:
            with self._lock:
                hit = self._items.get(key)
            if hit is not None:
                return hit
            try:
                image = render()
            finally:
                with self._lock:
                    self._in_flight.pop(key, None)
            if image.warning is None and _size(image) <= self._max_bytes:
                with self._lock:
                    self._items[key] = image
            return image

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    @property
    def current_bytes(self) -> int:
        return int(self._items.currsize)


def text_image(text: str) -> Image:
    """A description served through the image contract (same ETag rules, 304, HEAD, caching)."""
    return Image(text.encode("utf-8"), MIMETYPES["txt"])


def _size(image: Image) -> int:
    return len(image.body)


# Seconds a client is asked to wait before retrying a render that overran its bounds.
RETRY_AFTER = 10
# Query parameters whose values are never logged (a Google API key or a URL signature).
_SECRET_PARAMETERS = ("key", "signature", "client")


def pooled(job: RenderJob) -> Callable[[], Image]:
    """A render to run in the app's render pool, bounded in time and memory."""
    pool = current_app.extensions["render_pool"]
    labelled = job.labelled(loggable_query())
    return lambda: pool.run(labelled)


def loggable_query() -> str:
    args = [(k, "..." if k in _SECRET_PARAMETERS else v) for k, v in request.args.items(multi=True)]
    query = "&".join(f"{k}={v}" for k, v in args)
    return f"{request.path}?{query}"[:2000]


def image_response(spec: Any, render: Callable[[], Image], notices: Notices = NO_NOTICES) -> Response:
    """The full response for an image request: 304, cached image, or a fresh render.
    ``notices`` (ignored parameters, persistent warnings) go in headers, 304 included."""
    settings = current_app.config["SETTINGS"]
    etag = cache_key(spec)[:32]
    # RFC 9110: If-None-Match uses the weak comparison (W/"..." matches; so do lists and *).
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        _set_cache_headers(response, etag, settings.cache_max_age)
        notices.apply(response.headers)
        return response
    render_cache: RenderCache = current_app.extensions["render_cache"]
    try:
        image = render_cache.get_or_render(etag, render)
    except RenderOverrun as exc:
        message = {
            "time": "The image took too long to draw.",
            "memory": "The image needed more memory than a render may use.",
            "crash": "The renderer stopped while drawing the image.",
            "busy": "Every renderer is busy.",
        }[exc.reason]
        abort(
            503,
            message,
            detail={"request": [f"{message} Try again later, or ask for a smaller or simpler image."]},
            headers={"Retry-After": str(RETRY_AFTER)},
        )
    response = Response(image.body, mimetype=image.mimetype)
    if image.warning is None:
        _set_cache_headers(response, etag, settings.cache_max_age)
    else:
        # No validator: a client revalidating a degraded image must get the full one.
        _set_cache_headers(response, None, settings.degraded_max_age)
        response.headers["Warning"] = f'199 - "{image.warning}"'
    notices.apply(response.headers)
    return response


def _set_cache_headers(response: Response, etag: str | None, max_age: int) -> None:
    if etag is not None:
        response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"


def encode_pil(image: PILImage, fmt: str) -> bytes:
    """Deterministic bytes for a Pillow image (no timestamps or software tags)."""
    out = io.BytesIO()
    if fmt == "png":
        # zlib's run-length strategy (3): flat chart and map colours compress better
        # than with the default strategy, in the same time.
        image.save(out, format="PNG", compress_level=6, compress_type=3)
    elif fmt == "webp":
        image.save(out, format="WEBP", quality=90, method=4)
    elif fmt == "jpeg":
        _flatten(image).save(out, format="JPEG", quality=90, optimize=False)
    elif fmt == "gif":
        from PIL import Image as PILModule

        # An adaptive palette of the picture's own colours (charts have few).
        method = PILModule.Quantize.FASTOCTREE if image.mode == "RGBA" else PILModule.Quantize.MEDIANCUT
        image.quantize(256, method=method).save(out, format="GIF")
    else:  # the schemas only let the formats of MIMETYPES through
        raise ValueError(f"cannot encode {fmt} from a raster image")
    return out.getvalue()


def _flatten(image: PILImage) -> PILImage:
    """JPEG has no alpha: composite transparent parts onto white instead of black."""
    if image.mode != "RGBA":
        return image.convert("RGB")
    from PIL import Image as PILModule

    white = PILModule.new("RGB", image.size, "white")
    white.paste(image, mask=image.getchannel("A"))
    return white


# -- the contract as documented in the OpenAPI spec ----------------------------

_CACHE_HEADERS: dict[str, Any] = {
    "ETag": {
        "description": "Strong validator of the canonical request; send it back in If-None-Match. "
        "Absent on degraded images (a Warning header), so that they are never revalidated.",
        "required": False,
        "schema": {"type": "string", "pattern": '^"[0-9a-f]+"$'},
    },
    "Cache-Control": {
        "description": "How long caches may keep the image.",
        "required": True,
        "schema": {"type": "string", "pattern": "^public, max-age=[0-9]+$"},
    },
}
_ERROR_HEADERS: dict[str, Any] = {
    "Cache-Control": {
        "description": "Errors are never cached.",
        "required": True,
        "schema": {"type": "string", "enum": ["no-store"]},
    },
}
# Clients that rank images above JSON (an <img> tag) get the message drawn in a PNG instead.
_ERROR_IMAGE = {"image/png": {"schema": {"type": "string", "format": "binary"}}}
_HTTP_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"message": {"type": "string"}, "detail": {"type": "object"}},
    "required": ["message"],
}


def _media_type(fmt: str) -> tuple[str, dict[str, Any]]:
    if fmt == "txt":
        return "text/plain", {"schema": {"type": "string"}}
    return MIMETYPES[fmt], {"schema": {"type": "string", "format": "binary"}}


def image_responses(description: str, formats: tuple[str, ...]) -> dict[int | str, Any]:
    """The documented responses of an image operation delivering ``formats`` (with "txt":
    its description in plain language)."""
    text = " With format=txt: the image described in plain language (for alt text)."
    return {
        200: {
            "description": description + (text if "txt" in formats else ""),
            "content": dict(_media_type(fmt) for fmt in formats),
            "headers": {
                **_CACHE_HEADERS,
                **NOTICE_HEADERS,
                "Warning": {"description": WARNING_DESCRIPTION, "schema": {"type": "string"}},
            },
        },
        304: {
            "description": "Not modified: the image matching If-None-Match is still current.",
            "headers": {**_CACHE_HEADERS, **NOTICE_HEADERS},
        },
        # Merged with the JSON body APIFlask documents for 422.
        422: {
            "description": "Invalid parameters: the detail names each one and the reason.",
            "content": _ERROR_IMAGE,
            "headers": _ERROR_HEADERS,
        },
        414: {
            "description": "The URL is longer than the server accepts.",
            "content": {"application/json": {"schema": _HTTP_ERROR_SCHEMA}, **_ERROR_IMAGE},
            "headers": _ERROR_HEADERS,
        },
    }
