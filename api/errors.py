"""Error responses: APIFlask's JSON error format, or a small PNG for clients that prefer images.

An ``<img>`` tag cannot show JSON, so when the Accept header ranks images above JSON the
same status carries a picture of the message. Errors are never cached.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

from apiflask import APIFlask, HTTPError, abort
from flask import Response, request
from werkzeug.datastructures import Headers

ERROR_IMAGE_WIDTH = 480
ERROR_LINE_CHARS = 60
ERROR_MAX_LINES = 8


def error_lines(error: HTTPError) -> list[str]:
    """The message, then one ``parameter: reason`` line per invalid parameter."""
    lines = [f"{error.status_code} {error.message}"]
    lines.extend(f"{name}: {reason}" for name, reason in _flatten(error.detail))
    return lines


def _flatten(detail: Any, name: str = "") -> list[tuple[str, str]]:
    """APIFlask's nested ``detail`` ({location: {field: [messages]}}) as (field, message)."""
    if isinstance(detail, dict):
        pairs: list[tuple[str, str]] = []
        for key, value in detail.items():
            # The location level ("query", "view_args") is not part of the parameter name.
            inner = "" if key in ("query", "view_args", "json", "headers") and not name else str(key)
            pairs.extend(_flatten(value, f"{name}.{inner}" if name and inner else name or inner))
        return pairs
    if isinstance(detail, list):
        return [pair for item in detail for pair in _flatten(item, name)]
    return [(name or "request", str(detail))]


def prefers_image() -> bool:
    """True when the client ranks images above JSON, as ``<img>`` requests do.

    On a tie (``image/webp,*/*``: both match the wildcard) a client that names image
    types but not JSON is taken to want an image.
    """
    accept = request.accept_mimetypes
    image_q, json_q = accept.quality("image/png"), accept.quality("application/json")
    if image_q != json_q:
        return image_q > json_q
    named = [value for value, _ in accept]
    return image_q > 0 and any(v.startswith("image/") for v in named) and "application/json" not in named


def error_png(lines: list[str]) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    wrapped: list[str] = []
    for line in lines:
        wrapped.extend(textwrap.wrap(line, ERROR_LINE_CHARS) or [""])
    if len(wrapped) > ERROR_MAX_LINES:
        wrapped = [*wrapped[: ERROR_MAX_LINES - 1], "..."]
    font = ImageFont.load_default(size=13)
    line_height = 18
    height = 16 + line_height * len(wrapped)
    image = Image.new("RGB", (ERROR_IMAGE_WIDTH, height), "#fff4f4")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, ERROR_IMAGE_WIDTH - 1, height - 1), outline="#c62828", width=2)
    for i, line in enumerate(wrapped):
        draw.text((10, 8 + i * line_height), line, fill="#b71c1c" if i == 0 else "#222222", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def register_error_handling(app: APIFlask) -> None:
    limit = app.config["SETTINGS"].limits.max_url_length

    @app.before_request
    def check_url_length() -> None:
        # Checked before parsing: an over-long query is refused as a whole.
        if len(request.full_path) > limit:
            abort(
                414,
                f"The URL is longer than {limit} characters.",
                detail={"url": [f"At most {limit} characters."]},
            )

    @app.error_processor
    def handle_error(error: HTTPError) -> Response | tuple[dict[str, Any], int, Headers]:
        headers = Headers(error.headers or {})
        headers["Cache-Control"] = "no-store"
        headers["Vary"] = "Accept"
        if prefers_image():
            response = Response(error_png(error_lines(error)), status=error.status_code, mimetype="image/png")
            response.headers.update(headers)
            return response
        body = {"message": error.message, "detail": error.detail}
        return body, error.status_code, headers
