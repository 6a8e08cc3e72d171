"""Google-o-meters: cht=gom as the ``gauge`` kind."""

from __future__ import annotations

import math

from api.charts.kinds.gauge import GaugeOptions
from api.charts.specs import ChartSpec
from api.gchart.parsed import (
    COMMON,
    Family,
    ParsedChart,
    base_spec,
    check_texts,
    fail,
    printable,
)

MAX_NEEDLES = 5


def gauge_spec(request: ParsedChart) -> ChartSpec:
    chart_data = request.data()
    scaled = request.scaled(chart_data)
    values = tuple(v for row in scaled.fractions[: chart_data.visible] for v in row if not math.isnan(v))
    if not 1 <= len(values) <= MAX_NEEDLES:
        raise fail(
            "chd", f"A Google-o-meter takes 1 to {MAX_NEEDLES} values (one arrow each), got {len(values)}."
        )
    chl, chdl = request.get("chl"), request.get("chdl")
    labels = tuple(chl.split("|")) if chl is not None else ()
    check_texts(request, "chl", labels)
    if len(labels) > len(values):
        raise fail("chl", f"{len(labels)} labels for {len(values)} arrows.")
    if chdl is not None and (len(values) == 1 or chl is not None):
        raise fail("chdl", "A Google-o-meter's legend names several arrows, and not together with chl.")
    caption = printable(labels[0]) if len(values) == 1 and labels else ""
    drawn = range(chart_data.visible)
    given = tuple(
        v
        for i in drawn
        for f, v in zip(scaled.fractions[i], scaled.values[i], strict=True)
        if not math.isnan(f) and v is not None
    )
    return base_spec(
        request,
        "gauge",
        (values,),
        labels=tuple(printable(label) for label in labels) if len(values) > 1 else chdl or (),
        min=0.0,
        max=1.0,
        legend_position=request.legend_position(),
        options=GaugeOptions(arc_colors=request.colors().flat(), caption=caption, range_labels=False),
        # A single arrow's caption names it.
        extras=request.extras(
            stated=request.stated(
                (given,), scaled.ranges[: chart_data.visible], labels=(caption,) if caption else ()
            )
        ),
    )


FAMILY = Family("gauge", ("gom",), COMMON | {"chl"}, gauge_spec, (400, 260), area_fill=False)
