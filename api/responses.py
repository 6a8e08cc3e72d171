"""The image response contract shared by every image endpoint.

A view hands over the canonical spec of its request and the spec type's outputs. This module
derives the strong ETag from the spec, answers ``If-None-Match`` with 304 before anything is
drawn, serves repeats from the render cache, runs renders in the render pool (an overrun is a
503), and sets the cache headers (short-lived for degraded images, ``no-store`` for errors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apiflask import abort
from flask import Response, current_app, request

from api.encode import Image, text_image
from api.notices import NO_NOTICES, Notices
from api.output import TEXT_FORMAT
from api.outputs import Outputs
from api.rendercache import RenderCache, cache_key
from api.renderpool import RenderOverrun, RenderPool

# Seconds a client is asked to wait before retrying a render that overran its bounds.
RETRY_AFTER = 10
# Query parameters whose values are never logged (a Google API key or a URL signature).
_SECRET_PARAMETERS = ("key", "signature", "client")


def loggable_query() -> str:
    args = [(k, "..." if k in _SECRET_PARAMETERS else v) for k, v in request.args.items(multi=True)]
    query = "&".join(f"{k}={v}" for k, v in args)
    return f"{request.path}?{query}"[:2000]


def image_response(spec: Any, outputs: Outputs, notices: Notices = NO_NOTICES) -> Response:
    """The full response for an image request: 304, cached image, or a fresh render of the
    output the spec's format names. ``notices`` (ignored parameters, persistent warnings) go
    in headers, 304 included."""
    render = _producer(spec, outputs)
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


def _producer(spec: Any, outputs: Outputs) -> Callable[[], Image]:
    """The output of ``spec`` its format names: the description in this thread; renders and
    image maps in the render pool, bounded in time and memory."""
    fmt = spec.output.format
    if fmt == TEXT_FORMAT:
        return lambda: text_image(outputs.describe(spec))
    job = outputs.image_map if fmt == "json" else outputs.render
    if job is None:
        raise ValueError(f"{type(spec).__name__} has no {fmt} output")  # the schemas offer none
    pool: RenderPool = current_app.extensions["render_pool"]
    label = loggable_query()

    def run() -> Image:
        image: Image = pool.run(job(spec).labelled(label))
        return image

    return run


def _set_cache_headers(response: Response, etag: str | None, max_age: int) -> None:
    if etag is not None:
        response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
