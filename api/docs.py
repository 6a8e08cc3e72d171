"""The docs page works offline: Swagger UI's files are served from an installed package."""

from __future__ import annotations

from pathlib import Path

from apiflask import APIFlask
from flask import Response, abort, redirect, request, send_from_directory
from werkzeug.wrappers import Response as WerkzeugResponse

# Markdown, shown at the top of the docs page. The link is relative to /docs, so it reaches
# the gallery wherever the app is mounted.
DESCRIPTION = (
    "Charts and static maps as images, from a URL: put it in an `<img src>`. Every operation "
    "below has a working example; *Try it out* draws it. Each image URL has a text twin "
    "(`format=txt`) for alt text.\n\n"
    "[Back to the gallery](./) of examples."
)
SWAGGER_FILES = (
    "swagger-ui.css",
    "swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js",
    "favicon-32x32.png",
)


def swagger_ui_dir() -> Path:
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)


def register_docs(app: APIFlask) -> None:
    prefix = "/docs/assets"
    app.config.update(
        # The installed Swagger UI (4.x) renders OpenAPI 3.0 only; a 3.1 spec shows an error page.
        OPENAPI_VERSION="3.0.3",
        # Relative: "Try it out" calls the host the page came from. APIFlask would otherwise
        # take the first request's Host header and keep it for every later reader of the spec.
        SERVERS=[{"url": "/", "description": "This server"}],
        SWAGGER_UI_CSS=f"{prefix}/swagger-ui.css",
        SWAGGER_UI_BUNDLE_JS=f"{prefix}/swagger-ui-bundle.js",
        SWAGGER_UI_STANDALONE_PRESET_JS=f"{prefix}/swagger-ui-standalone-preset.js",
        DOCS_FAVICON=f"{prefix}/favicon-32x32.png",
        # "Try it out" open for every operation, so an image is one click away.
        # validatorUrl None: Swagger UI would otherwise send the spec to validator.swagger.io.
        SWAGGER_UI_CONFIG={"tryItOutEnabled": True, "displayRequestDuration": True, "validatorUrl": None},
        DESCRIPTION=DESCRIPTION,
    )

    @app.get("/docs/")
    @app.doc(hide=True)
    def docs_with_slash() -> WerkzeugResponse:
        # Relative (werkzeug keeps it so), and the query kept: /docs/?x -> /docs?x.
        query = request.query_string.decode("latin-1")
        return redirect(f"{request.script_root}/docs" + (f"?{query}" if query else ""), 308)

    @app.get(f"{prefix}/<name>")
    @app.doc(hide=True)
    def docs_asset(name: str) -> Response:
        if name not in SWAGGER_FILES:
            abort(404)
        response = send_from_directory(swagger_ui_dir(), name, max_age=86_400)
        return response
