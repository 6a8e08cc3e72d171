"""Venn diagrams: cht=v as the ``venn`` kind."""

from __future__ import annotations

import math

from api.charts.kinds.venn import KIND, PARTS, circle_count, sizes
from api.charts.specs import ChartSpec
from api.gchart.parsed import (
    COMMON,
    Family,
    ParsedChart,
    base_spec,
    fail,
)


def venn_spec(request: ParsedChart) -> ChartSpec:
    chart_data = request.data()
    scaled = request.scaled(chart_data)
    values = tuple(0.0 if math.isnan(v) else v for v in scaled.fractions[0])
    if len(values) > len(PARTS):
        raise fail(
            "chd", f"A Venn diagram takes up to {len(PARTS)} values ({', '.join(PARTS)}), got {len(values)}."
        )
    circles = circle_count(sizes((values,))) if len(values) >= 3 else 2
    colors = request.colors()
    labels = request.legend(circles)
    chosen = colors.flat()[:circles] if colors.flat() else colors.series(1)
    if 1 < len(chosen) < circles:
        # Google's colour rules: with fewer colours than circles, the last one is used again.
        chosen += (chosen[-1],) * (circles - len(chosen))
    # The venn kind's own checks, before the rest of the spec is built: their errors come first.
    request.check(KIND, ChartSpec(kind="venn", series=(values,), labels=labels, colors=chosen))
    return base_spec(
        request,
        "venn",
        (values,),
        labels=labels,
        colors=chosen,
        legend_position=request.legend_position(),
        extras=request.extras(stated=request.stated(scaled.values[:1], missing=0.0)),
    )


FAMILY = Family("venn", ("v",), COMMON, venn_spec, (300, 300), area_fill=False)
