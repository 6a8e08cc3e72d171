"""Pie charts: cht=p, p3 (seen at an angle), pc (concentric rings) as the ``pie`` kind."""

from __future__ import annotations

import math

from api.charts.kinds.pie import KIND as PIE
from api.charts.kinds.pie import PieOptions
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

HOLE = "#00000000"  # an empty ring: a transparent slice


# Google's 3D pie, as its pictures show it: an ellipse about half as tall as wide on a side
# wall about a fifth of the radius deep.
P3_VIEW = {"tilt": 0.5, "depth": 0.2}


def pie_spec(request: ParsedChart) -> ChartSpec:
    chart_data = request.data()
    scaled = request.scaled(chart_data)
    rings = scaled.fractions[: chart_data.visible]
    if request.cht != "pc" and len(rings) > 1:
        raise fail("chd", f"cht={request.cht} draws one series; cht=pc draws several as rings.")
    rings = tuple(tuple(0.0 if math.isnan(v) else v for v in ring) for ring in rings)
    holes = _holes(request.cht, rings)
    # The pie kind's own checks (a slice above 0 in every ring, the slice limit), on the
    # data before the rest of the spec is built: their errors come first.
    request.check(PIE, ChartSpec(kind="pie", series=tuple(r for i, r in enumerate(rings) if i not in holes)))
    slices = sum(len(ring) for ring in rings)
    labels, legend = _slice_labels(request, slices)
    # One pie: chl beside the slices with leader lines, chdl in the legend (as Google drew them).
    beside = len(rings) == 1 and request.get("chl") is not None
    colors = iter(request.colors().slices(sum(len(r) for i, r in enumerate(rings) if i not in holes)))
    slice_colors = tuple(HOLE if i in holes else next(colors) for i, ring in enumerate(rings) for _ in ring)
    # A hole is one whole transparent slice (the pie kind draws no empty ring).
    rings = tuple((1.0, *(0.0,) * (len(r) - 1)) if i in holes else r for i, r in enumerate(rings))
    return base_spec(
        request,
        "pie",
        rings,
        labels=labels,
        colors=slice_colors,
        legend_position=request.legend_position(),
        options=PieOptions(
            donut=False,
            slice_labels=beside,
            legend=legend if beside else (),
            rotation=_rotation(request),
            **(P3_VIEW if request.cht == "p3" else {}),
        ),
        # Slices as given (missing ones 0, as drawn): their shares are those of the drawing.
        extras=request.extras(stated=request.stated(scaled.values[: len(rings)], missing=0.0)),
    )


def _rotation(request: ParsedChart) -> float:
    """Google's first slice starts at three o'clock; chp turns the pie clockwise by that many
    radians. In turns clockwise from twelve o'clock, as the pie kind takes it."""
    given: tuple[float, ...] | None = request.get("chp")
    if given is not None and len(given) > 1:
        raise fail("chp", "A pie takes one rotation, in radians.")
    radians = given[0] if given else 0.0
    return (0.25 + radians / (2 * math.pi)) % 1.0


def _holes(cht: str, rings: tuple[tuple[float, ...], ...]) -> frozenset[int]:
    """The rings of a concentric pie with no slice above 0 (``chd=t:-1|64,36``): Google left
    them empty, which makes the rings outside them a donut. Not all of them: that is no chart."""
    empty = frozenset(i for i, ring in enumerate(rings) if not any(v > 0 for v in ring))
    return empty if cht == "pc" and len(empty) < len(rings) else frozenset()


def _slice_labels(request: ParsedChart, slices: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """chl (else chdl) one per slice, and chdl for the legend when chl is given too."""
    chl, chdl = request.get("chl"), request.get("chdl")
    found: dict[str, tuple[str, ...]] = {}
    for name, given in (("chl", tuple(chl.split("|")) if chl is not None else None), ("chdl", chdl)):
        if given is None:
            continue
        if len(given) > slices:
            raise fail(name, f"{len(given)} labels for {slices} slices.")
        check_texts(request, name, given)
        found[name] = tuple(printable(label) for label in given)
    if "chl" in found:
        return found["chl"], found.get("chdl", ())
    return found.get("chdl", ()), ()


FAMILY = Family("pie", ("p", "p3", "pc"), COMMON | {"chl", "chp"}, pie_spec, (300, 300), area_fill=False)
