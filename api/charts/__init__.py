"""``GET /charts/<kind>``: one operation per chart kind, each with its own parameters."""

from __future__ import annotations

from apiflask import APIBlueprint, APIFlask
from flask import Response
from marshmallow import RAISE

from api.alttext import register_query_schema
from api.charts.cost import estimate_chart
from api.charts.kinds import KINDS
from api.charts.schemas import FORMATS, ChartQuery, build_schema
from api.charts.specs import ChartKind, ChartSpec
from api.encode import text_image
from api.openapi_responses import image_responses
from api.output import TEXT_FORMAT
from api.renderpool import RenderJob
from api.responses import image_response, pooled
from api.settings import Settings

CHART_RESPONSES = image_responses("The chart image, in the requested format.", (*FORMATS, TEXT_FORMAT))


def register_charts(app: APIFlask, settings: Settings) -> None:
    bp = APIBlueprint("charts", __name__, url_prefix="/charts", tag="Charts")
    for kind in KINDS.values():
        register_query_schema(app, f"/charts/{kind.name}", _add_route(bp, kind, settings))
    app.register_blueprint(bp)


def chart_response(spec: ChartSpec) -> Response:
    """The image of a chart spec, or with format=txt its description: both are outputs of the spec."""
    if spec.output.format == TEXT_FORMAT:
        from api.charts.describe import describe_chart

        return image_response(spec, lambda: text_image(describe_chart(spec)))
    from api.charts.render import render_chart

    cost = estimate_chart(spec, KINDS[spec.kind]).total_ms
    return image_response(spec, pooled(RenderJob(render_chart, (spec,), cost)))


def _add_route(bp: APIBlueprint, kind: ChartKind, settings: Settings) -> type[ChartQuery]:
    schema = build_schema(kind, settings.limits)

    def view(query_data: ChartSpec) -> Response:
        return chart_response(query_data)

    view.__name__ = f"{kind.name}_chart"
    # unknown=RAISE: a misspelt parameter is a 422 naming it (webargs would drop it).
    decorated = bp.input(schema, location="query", unknown=RAISE)(view)
    decorated = bp.doc(summary=kind.summary, description=kind.description, responses=CHART_RESPONSES)(
        decorated
    )
    bp.get(f"/{kind.name}")(decorated)
    return schema
