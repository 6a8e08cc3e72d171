"""``GET /charts/<kind>``: one operation per chart kind, each with its own parameters."""

from __future__ import annotations

from apiflask import APIBlueprint, APIFlask
from flask import Response
from marshmallow import RAISE

from api.charts.kinds import KINDS
from api.charts.schemas import FORMATS, build_schema
from api.charts.specs import ChartKind, ChartSpec
from api.responses import image_response, image_responses
from api.settings import Settings

CHART_RESPONSES = image_responses("The chart image, in the requested format.", FORMATS)


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
    decorated = bp.doc(summary=kind.summary, description=kind.description, responses=CHART_RESPONSES)(
        decorated
    )
    bp.get(f"/{kind.name}")(decorated)
