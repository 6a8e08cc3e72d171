"""Parsed ``/chart`` parameters -> the chart spec the ``/charts`` renderers draw.

Everything Google drew is stated in the spec: data as fractions of the plot, axes as explicit
guides, markers as marks. A parameter that does not apply to the chart type, or a feature
this service does not draw, is an error naming the parameter; nothing is silently dropped.
The chart type's family (``api.gchart.families``) builds the spec.
"""

from __future__ import annotations

from typing import Any

from api.charts.specs import ChartSpec
from api.gchart.families import BY_TYPE
from api.gchart.params import DEFAULTS
from api.gchart.parsed import Family, ParsedChart, fail
from api.output import Output, fit_size
from api.settings import Limits


def build(params: dict[str, Any], limits: Limits) -> ChartSpec:
    """The chart spec of a ``/chart`` request, or a ValidationError naming the parameter."""
    cht = params["cht"]
    family = BY_TYPE[cht]
    _check_applies(params, cht, family)
    output = _output(params, family, limits)
    return family.build(ParsedChart(params, cht, family, output, limits))


def _check_applies(params: dict[str, Any], cht: str, family: Family) -> None:
    for name, value in params.items():
        if name in family.parameters or value in ((), "") or DEFAULTS.get(name) == _text(name, value):
            continue
        raise fail(name, f"{name} is not supported for cht={cht}.")


def _text(name: str, value: Any) -> str:
    """A parsed value as it was written, for the parameters that have a default."""
    if name == "chld":
        return f"{value[0]}|{value[1]}"
    return str(value)


def _output(params: dict[str, Any], family: Family, limits: Limits) -> Output:
    default = fit_size(family.default_size, limits)
    width, height = params.get("chs", default)
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
