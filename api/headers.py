"""Headers every response carries, whatever produced it (images, JSON, errors)."""

from __future__ import annotations

import re

from flask import Flask, Response, request

CORS_VARIABLE = "CHARTMAP_CORS_ORIGIN"
# Response headers a cross-origin script may read besides the CORS-safelisted ones.
EXPOSED_HEADERS = "ETag, Warning, Retry-After, Ignored-Parameters"
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?")


def cors_origin(value: str) -> str:
    """The configured Access-Control-Allow-Origin: ``*``, one origin, or empty (none)."""
    value = value.strip()
    if value in ("", "*") or _ORIGIN.fullmatch(value):
        return value
    raise ValueError(f"{CORS_VARIABLE} must be *, one origin such as https://example.org, or empty")


def register_headers(app: Flask) -> None:
    origin = cors_origin(app.config["SETTINGS"].cors_origin)

    @app.after_request
    def common_headers(response: Response) -> Response:
        # Flask answers OPTIONS itself (the allowed methods); nothing should keep that answer.
        if request.method == "OPTIONS":
            response.headers["Cache-Control"] = "no-store"
        # One fixed value, never the request's Origin echoed: the response does not vary by
        # Origin, so caches that key on the URL alone (Front Door) serve every page alike.
        # With it, pages may draw the images onto a canvas without tainting it, and read JSON.
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response
