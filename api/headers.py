"""Headers every response carries, whatever produced it (images, JSON, errors)."""

from __future__ import annotations

from flask import Flask, Response, request

from api.cors import cors_headers, cors_origin


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
        for name, value in cors_headers(origin):
            response.headers[name] = value
        return response
