"""``GET /charts/<kind>``: one operation per chart kind, each with its own parameters."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, APIFlask
from flask import Response
from marshmallow import RAISE

from api.charts.kinds import KINDS
from api.charts.schemas import build_schema
from api.charts.specs import ChartKind, ChartSpec
from api.responses import image_response
from api.settings import Settings

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

IMAGE_RESPONSES: dict[int | str, Any] = {
    200: {
        "description": "The chart image, in the requested format.",
        "content": {
            mimetype: {"schema": {"type": "string", "format": "binary"}}
            for mimetype in ("image/png", "image/webp", "image/jpeg", "image/svg+xml")
        },
        "headers": {
            **_CACHE_HEADERS,
            "Warning": {
                "description": "Present when the image is degraded (served, but cached briefly).",
                "schema": {"type": "string"},
            },
        },
    },
    304: {
        "description": "Not modified: the image matching If-None-Match is still current.",
        "headers": _CACHE_HEADERS,
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


def register_charts(app: APIFlask, settings: Settings) -> None:
    bp = APIBlueprint("charts", __name__, url_prefix="/charts", tag="Charts")
    for kind in KINDS.values():
        _add_route(bp, kind, settings)
    app.register_blueprint(bp)


def _add_route(bp: APIBlueprint, kind: ChartKind, settings: Settings) -> None:
    schema = build_schema(kind, settings.limits)

    def view(query_data: ChartSpec) -> Response:
        from api.charts.render import render_chart

        return image_response(query_data, lambda: render_chart(query_data))

    view.__name__ = f"{kind.name}_chart"
    # unknown=RAISE: a misspelt parameter is a 422 naming it (webargs would drop it).
    decorated = bp.input(schema, location="query", unknown=RAISE)(view)
    decorated = bp.doc(summary=kind.summary, description=kind.description, responses=IMAGE_RESPONSES)(
        decorated
    )
    bp.get(f"/{kind.name}")(decorated)
