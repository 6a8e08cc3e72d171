"""Headers every response carries, whatever produced it."""

from __future__ import annotations

from flask import Flask, Response, request


def register_headers(app: Flask) -> None:
    @app.after_request
    def options_not_cached(response: Response) -> Response:
        # Flask answers OPTIONS itself (the allowed methods); nothing should keep that answer.
        if request.method == "OPTIONS":
            response.headers["Cache-Control"] = "no-store"
        return response
