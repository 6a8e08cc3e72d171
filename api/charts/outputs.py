"""The output table of chart specs: image formats -> a render in the pool, ``txt`` -> the text
twin, ``json`` -> Google's image map (also drawn in the pool)."""

from __future__ import annotations

from api.charts.cost import estimate_chart
from api.charts.describe import describe_chart
from api.charts.kinds import KINDS
from api.charts.specs import ChartSpec
from api.outputs import Outputs
from api.renderpool import RenderJob

# By name: the web process never imports the drawing code (nor matplotlib).
RENDER = "api.charts.render:render_chart"
IMAGE_MAP = "api.charts.imagemap:render_image_map"


def _job(function: str, spec: ChartSpec) -> RenderJob:
    return RenderJob(function, (spec,), estimate_chart(spec, KINDS[spec.kind]).total_ms)


CHART_OUTPUTS = Outputs(
    render=lambda spec: _job(RENDER, spec),
    describe=describe_chart,
    image_map=lambda spec: _job(IMAGE_MAP, spec),
)
