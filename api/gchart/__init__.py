"""``GET /chart``: classic Google Image Charts URLs (``chart.googleapis.com/chart?cht=...``).

A second parser that turns Google's parameters into the chart specs of ``/charts``; the same
renderers draw them and the same response contract serves them.
"""

from __future__ import annotations

from apiflask import APIFlask
from flask import Response
from marshmallow import INCLUDE

from api.gchart.schema import build_schema
from api.notices import Parsed
from api.openapi_responses import image_responses
from api.outputs import outputs_for, register_operation
from api.responses import image_response
from api.settings import Settings

IMAGE_MAP_SCHEMA = {
    "type": "object",
    "required": ["chartshape"],
    "properties": {
        "chartshape": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "type", "coords"],
                "properties": {
                    "name": {"type": "string", "pattern": "^(?:bar|point|pie)[0-9]+_[0-9]+$"},
                    "type": {"type": "string", "enum": ["RECT", "CIRCLE", "POLY"]},
                    "coords": {"type": "array", "items": {"type": "integer"}},
                },
            },
        }
    },
}


def register_gchart(app: APIFlask, settings: Settings) -> None:
    # On the app, not a blueprint of its own: APIFlask would list a second "Charts" tag.
    schema = build_schema(settings.limits)
    responses = image_responses(
        "The chart image, or its image map (chof=json).", ("png", "gif", "webp", "txt")
    )
    responses[200]["content"]["application/json"] = {"schema": IMAGE_MAP_SCHEMA}
    # Google's output parameter is chof, not format.
    responses[200]["description"] = responses[200]["description"].replace("format=txt", "chof=txt")
    register_operation(app, "/chart", schema)

    @app.get("/chart")
    # INCLUDE: Google ignored parameters it did not know; they are named in Ignored-Parameters.
    @app.input(schema, location="query", arg_name="parsed", unknown=INCLUDE)
    @app.doc(
        tags=["Charts"],
        summary="Google Image Charts",
        description="Classic chart.googleapis.com/chart URLs: swap the host and the chart comes back. "
        "Google's parameters become the same chart specs as /charts; features not drawn here are "
        "errors naming the parameter. Parameters that change nothing here (unknown extras, one "
        "the chart type does not draw) are accepted and named in the Ignored-Parameters header. "
        "See the README's coverage table.",
        responses=responses,
    )
    def google_chart(parsed: Parsed) -> Response:
        return image_response(parsed.spec, outputs_for(parsed.spec), parsed.notices)
