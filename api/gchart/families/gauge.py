"""Google-o-meters: cht=gom as the ``gauge`` kind.

Axes label the dial: ``chxt=y`` (and ``r``) labels go around the arc from its minimum to its
maximum, ``x`` (and ``t``) ones under the dial, as in Google's example
``chxt=x,y&chxl=0:|Groovy|1:|slow|faster|crazy``. ``chls`` styles the arrows with Google's
syntax for this chart: first one ``<width>[,<dash>,<space>]`` body per series, then one
``<head size>`` per series (``chd=t:20,40|60&chls=3|3,5,5|15|10``).
"""

from __future__ import annotations

import math
from dataclasses import replace

from api.charts.kinds.gauge import DialLabels, GaugeOptions, NeedleStyle
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
MAX_HEAD_PX = 100.0


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
    per_series = [sum(1 for v in row if not math.isnan(v)) for row in scaled.fractions[: chart_data.visible]]
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
        options=GaugeOptions(
            arc_colors=request.colors().flat(),
            caption=caption,
            range_labels=False,
            dial_labels=_dial_labels(request),
            needle_styles=_needle_styles(request, per_series),
        ),
        # A single arrow's caption names it.
        extras=request.extras(
            stated=request.stated(
                (given,), scaled.ranges[: chart_data.visible], labels=(caption,) if caption else ()
            )
        ),
    )


def _dial_labels(request: ParsedChart) -> tuple[DialLabels, ...]:
    """The axes of chxt as labels around the arc (y, r) and under the dial (x, t)."""
    positioned = {index for index, _ in request.get("chxp", ())}
    result = []
    for index, guide in enumerate(request.axes(bare=False)):
        around = guide.side in ("left", "right")
        ticks = guide.ticks
        if not around and len(ticks) == 1 and index not in positioned:
            ticks = ((0.5, ticks[0][1]),)  # a single label under the dial is centred on it
        result.append(DialLabels(ticks, around, guide.color, guide.font_px))
    return tuple(result)


def _needle_styles(request: ParsedChart, per_series: list[int]) -> tuple[NeedleStyle | None, ...]:
    """chls as Google read it on this chart: a body per series, then a head size per series;
    each applies to every arrow of its series."""
    given: tuple[tuple[float, ...], ...] = request.get("chls", ())
    count = len(per_series)
    if len(given) > 2 * count:
        raise fail(
            "chls",
            f"{len(given)} arrow styles for {count} series: at most a body "
            "(<width>[,<dash>,<space>]) and then a head size per series.",
        )
    bodies, heads = given[:count], given[count:]
    styles: list[NeedleStyle | None] = []
    for series, arrows in enumerate(per_series):
        style = None
        if series < len(bodies):
            width, dash, gap = (*bodies[series], 0.0, 0.0)[:3]
            if len(bodies[series]) == 2:
                gap = dash  # Google: a dash length alone is also the gap
            if not (0 <= width <= 50 and 0 <= dash <= 100 and 0 <= gap <= 100):
                raise fail(
                    "chls", "Arrow widths must be within 0..50 pixels, dashes and spaces within 0..100."
                )
            style = NeedleStyle(width, dash, gap)
        if series < len(heads) and style is not None:  # heads follow every series' body
            head = heads[series]
            if len(head) != 1 or not 0 <= head[0] <= MAX_HEAD_PX:
                text = ",".join(f"{v:g}" for v in head)
                raise fail(
                    "chls",
                    f"Arrow head {series + 1} ({text}): one size within 0..{MAX_HEAD_PX:g} pixels, "
                    f"after the {count} arrow bodies.",
                )
            style = replace(style, head_px=head[0])
        styles.extend([style] * arrows)
    return tuple(styles) if any(styles) else ()


FAMILY = Family(
    "gauge",
    ("gom",),
    COMMON | {"chl", "chxt", "chxl", "chxr", "chxp", "chxs", "chls"},
    gauge_spec,
    (400, 260),
    area_fill=False,
)
