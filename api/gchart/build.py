"""Parsed ``/chart`` parameters -> the chart spec the ``/charts`` renderers draw.

Everything Google drew is stated in the spec: data as fractions of the plot, axes as explicit
guides, markers as marks. A parameter that does not apply to the chart type is left out and
named (Google ignored it); a feature this service does not draw is an error naming the
parameter; nothing is silently dropped.
The chart type's family (``api.gchart.families``) builds the spec.
"""

from __future__ import annotations

from typing import Any

from api.charts.specs import ChartSpec
from api.gchart.families import BY_TYPE
from api.gchart.parsed import Family, ParsedChart, fail
from api.output import Output, fit_size
from api.settings import Limits


def build(params: dict[str, Any], limits: Limits) -> tuple[ChartSpec, tuple[str, ...]]:
    """The chart spec of a ``/chart`` request and the names of the parameters that changed
    nothing, or a ValidationError naming the parameter."""
    if params.get("chst"):
        from api.gchart.icons import icon_spec  # dynamic icons: no cht

        return icon_spec(params, limits)
    if not params.get("cht"):
        raise fail("cht", "Missing: the chart type cht (or chst, for a dynamic icon).")
    # cht=map may carry Google's zoom (map:fixed=..., map:auto=...), read by its family.
    cht = params["cht"].partition(":")[0] if params["cht"].startswith("map:") else params["cht"]
    family = BY_TYPE[cht]
    applied, ignored = _applicable(params, family)
    output = (
        Output(format=applied.get("chof", "png")) if family.sizes_itself else _output(applied, family, limits)
    )
    return family.build(ParsedChart(applied, cht, family, output, limits)), ignored


def _applicable(params: dict[str, Any], family: Family) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The parameters the family draws, and the names of the rest. Google accepted a parameter
    its chart type does not draw (chl on a bar chart, chls on a scatter) and ignored it; so
    does this service, naming it, and the spec (its ETag) is as if it was not given."""
    applied = {name: value for name, value in params.items() if name in family.parameters}
    ignored = tuple(name for name in params if name not in family.parameters and params[name] not in ((), ""))
    return applied, ignored


def _output(params: dict[str, Any], family: Family, limits: Limits) -> Output:
    default = fit_size(family.default_size, limits)
    width, height = params.get("chs", default)
    if width is None:
        raise fail("chs", f"chs={height}: a height alone is for formulas (cht=tx); give WIDTHxHEIGHT.")
    if not (1 <= width <= limits.max_width and 1 <= height <= limits.max_height):
        raise fail(
            "chs",
            f"Chart size {width}x{height} is out of range: width 1..{limits.max_width}, height 1..{limits.max_height}.",
        )
    if width * height > limits.max_pixels:
        raise fail(
            "chs", f"Chart size {width}x{height} is {width * height} pixels; at most {limits.max_pixels}."
        )
    return Output(width, height, 1, params.get("chof", "png"))
