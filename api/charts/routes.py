"""``GET /charts/<kind>``: one operation per chart kind, each with its own parameters."""

from __future__ import annotations

from apiflask import APIBlueprint, APIFlask
from flask import Response
from marshmallow import RAISE

from api.charts.kinds import KINDS
from api.charts.outputs import CHART_OUTPUTS
from api.charts.schemas import FORMATS, ChartQuery, build_schema
from api.charts.specs import ChartKind, ChartSpec
from api.openapi_responses import image_responses
from api.output import TEXT_FORMAT
from api.outputs import register_operation, register_outputs
from api.responses import image_response
from api.settings import Settings

CHART_RESPONSES = image_responses("The chart image, in the requested format.", (*FORMATS, TEXT_FORMAT))


def register_charts(app: APIFlask, settings: Settings) -> None:
    register_outputs(app, ChartSpec, CHART_OUTPUTS)
    bp = APIBlueprint("charts", __name__, url_prefix="/charts", tag="Charts")
    for kind in KINDS.values():
        register_operation(app, f"/charts/{kind.name}", _add_route(bp, kind, settings))
    app.register_blueprint(bp)


def _add_route(bp: APIBlueprint, kind: ChartKind, settings: Settings) -> type[ChartQuery]:
    schema = build_schema(kind, settings.limits)

    def view(query_data: ChartSpec) -> Response:
        return image_response(query_data, CHART_OUTPUTS)

    view.__name__ = f"{kind.name}_chart"
    # unknown=RAISE: a misspelt parameter is a 422 naming it (webargs would drop it).
    decorated = bp.input(schema, location="query", unknown=RAISE)(view)
    decorated = bp.doc(summary=kind.summary, description=kind.description, responses=CHART_RESPONSES)(
        decorated
    )
    bp.get(f"/{kind.name}")(decorated)
    return schema
