"""Radar charts: cht=r, rs as the ``radar`` kind."""

from __future__ import annotations

import math

from api.charts.kinds.radar import RadarOptions
from api.charts.specs import ChartSpec
from api.gchart.markers import MarkTarget
from api.gchart.parsed import (
    COMMON,
    Family,
    ParsedChart,
    base_spec,
    fail,
    series_values,
)

RADAR_LEAST_SPOKES = 4  # Google drew at least four segments


def radar_spec(request: ParsedChart) -> ChartSpec:
    chart_data = request.data()
    scaled = request.scaled(chart_data)
    types: tuple[str, ...] = request.get("chxt", ())
    if any(t not in "xy" for t in types):
        raise fail("chxt", "Radar charts take an x axis (around) and a y axis (radial values) only.")
    labels = _radar_labels(request, types)
    rows = list(series_values(scaled, chart_data.visible))
    shown = list(scaled.values[: len(rows)])
    # Google needed the first value repeated at the end to close the line; ours always close.
    if all(len(r) > 1 and r[-1] == r[0] for r in rows) and (not labels or len(rows[0]) == len(labels) + 1):
        rows, shown = [r[:-1] for r in rows], [s[:-1] for s in shown]
    spokes = max(len(rows[0]), len(labels), RADAR_LEAST_SPOKES)
    # In Google's units (the radial axis reads 0..100), not fractions.
    rows = [tuple(v * 100 for v in r) + (math.nan,) * (spokes - len(r)) for r in rows]
    colors = request.colors()
    if colors.per_point:
        raise fail(
            "chco", "Colours per point ('|') apply to bar, pie and scatter charts; radar lines take one each."
        )
    target = MarkTarget(tuple(shown), drawn=len(rows), fills=True)
    return base_spec(
        request,
        "radar",
        tuple(rows),
        labels=labels + ("",) * (spokes - len(labels)),
        colors=colors.series(len(rows)),
        legend=request.legend(len(rows)),
        legend_position=request.legend_position(),
        min=0.0,
        max=100.0,
        options=RadarOptions(
            category_labels="x" in types, radial_labels="y" in types, smooth=request.cht == "rs"
        ),
        extras=request.extras(
            marks=request.marks(target),
            line_styles=request.line_styles(len(rows)),
            stated=request.stated(tuple(shown), scaled.ranges[: len(shown)]),
        ),
    )


def _radar_labels(request: ParsedChart, types: tuple[str, ...]) -> tuple[str, ...]:
    labels: tuple[str, ...] = ()
    for index, axis_labels in request.get("chxl", ()):
        if index >= len(types):
            raise fail("chxl", f"Axis {index} is not in chxt ({','.join(types) or 'no axes'}).")
        if types[index] != "x":
            raise fail("chxl", "Labels of a radar's radial axis are not supported; it shows its values.")
        labels = axis_labels
    if "x" in types and not labels:
        raise fail("chxl", "A radar's x axis needs its labels in chxl (0:|a|b|c).")
    return labels


FAMILY = Family(
    "radar", ("r", "rs"), COMMON | {"chxt", "chxl", "chm", "chls"}, radar_spec, (300, 300), area_fill=False
)
