"""The ``/chart`` query schema: Google's parameters in, a chart spec out."""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from marshmallow import INCLUDE, ValidationError, post_load, pre_load

from api.charts.cost import estimate_chart
from api.charts.kinds import KINDS
from api.cost import check_cost
from api.gchart.build import build
from api.gchart.params import query_fields
from api.gchart.qrtext import rejoin_split_text
from api.notices import Notices, Parsed
from api.output import fit_size
from api.settings import Limits

# Google parameters this service does not draw: a clear error instead of "Unknown field".
NOT_SUPPORTED = {
    "chem": "Dynamic icon markers (chem) are not supported.",
    "chfd": "Data functions (chfd) are not supported.",
    "chli": "Google-o-meter inner labels (chli) are not supported.",
}


class GoogleChartQuery(Schema):
    """Base of the schema built for the limits in force (:func:`build_schema`)."""

    limits: Limits

    class Meta:
        # Google ignored parameters it did not know (the Markdown "&x=.png" trick, typos): they
        # are accepted, named in the Ignored-Parameters header and left out of the spec.
        unknown = INCLUDE

    @pre_load
    def refuse_unsupported(self, data: Any, **kwargs: Any) -> Any:
        errors = {name: [message] for name, message in NOT_SUPPORTED.items() if name in data}
        if errors:
            raise ValidationError(errors)
        return data

    def load(self, data: Any, **kwargs: Any) -> Any:
        joined, rejoined = rejoin_split_text(data, self.fields)
        parsed = super().load(joined, **kwargs)
        if rejoined and isinstance(parsed, Parsed):
            note = (
                f"chl: the text after an unencoded '&' ({', '.join(rejoined)}) is part of the QR code's text."
            )
            return Parsed(parsed.spec, parsed.notices + Notices(warnings=(note,)))
        return parsed

    @post_load
    def to_spec(self, params: dict[str, Any], **kwargs: Any) -> Parsed:
        unknown = tuple(name for name in params if name not in self.fields)
        known = {name: value for name, value in params.items() if name in self.fields}
        spec, ignored = build(known, self.limits)
        check_cost(estimate_chart(spec, KINDS[spec.kind]), self.limits.max_render_ms, COST_PARAMETERS, "chs")
        return Parsed(spec, Notices(unknown + ignored))


# The Google parameter that stands for each spec field of the cost model.
COST_PARAMETERS = {
    "output": "chs",
    "series": "chd",
    "labels": "chl",
    "legend": "chdl",
    "value_labels": "chm",
    "extras.axes": "chxl",
    "extras.marks": "chm",
    "extras.grid": "chg",
    "extras.background_fill": "chf",
    "extras.plot_fill": "chf",
    "extras.line_styles": "chls",
    "options.dial_labels": "chxl",
    "options.needle_styles": "chls",
}


def examples(limits: Limits) -> dict[str, str]:
    """A working bar chart using most parameters: the docs' "Try it out" draws it."""
    width, height = fit_size((500, 300), limits)
    return {
        "cht": "bvg",
        "chs": f"{width}x{height}",
        "chd": "t:30,45,28,60|20,25,35,40",
        "chds": "0,80",
        "chco": "0072B2,E69F00",
        "chdl": "2025|2026",
        "chdlp": "b",
        "chdls": "333333,12",
        "chtt": "Revenue|by quarter",
        "chts": "333333,14,c",
        "chxt": "x,y",
        "chxl": "0:|Q1|Q2|Q3|Q4",
        "chxr": "1,0,80,20",
        "chxs": "1N*f0*k,555555,11,1,lt",
        "chxp": "1,0,40,80",
        "chxtc": "1,4",
        "chf": "bg,s,FFFFFF|c,s,F7F7F7",
        "chma": "10,10,10,10",
        "chbh": "r,0.2,0.6",
        "chp": "0",
        "chg": "0,25,4,2",
        "chm": "N*f0*,333333,0,-1,10|N*f0*,333333,1,-1,10",
    }


def build_schema(limits: Limits) -> type[Schema]:
    declared: dict[str, Any] = query_fields(limits)
    for name, example in examples(limits).items():
        declared[name].metadata["example"] = example
    declared["chl"].metadata["default"] = ""
    declared["chls"].metadata["default"] = ""
    declared["chtm"].metadata["default"] = ""
    declared["chst"].metadata["default"] = ""
    return type("GoogleChartQuery", (GoogleChartQuery,), {**declared, "limits": limits})
