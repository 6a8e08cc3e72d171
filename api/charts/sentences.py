"""Sentences that chart descriptions share: series names, extremes and where they are, and
the generic description of series (``api.charts.describe``; kinds with details of their own
describe them in their module, with these)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from api.charts.specs import ChartKind, ChartSpec
from api.plaintext import listing, number, plural, quoted

MAX_SERIES_DESCRIBED = 8  # series given a sentence of their own


def series_names(spec: ChartSpec) -> list[str]:
    count = len(spec.series)
    if len(spec.legend) == count:
        return [quoted(name) for name in spec.legend]
    return [f"series {i + 1}" for i in range(count)]


def point_name(spec: ChartSpec, kind: ChartKind | None, index: int) -> str:
    x = getattr(spec.options, "x", None)
    if isinstance(x, tuple) and index < len(x):
        return f"at x {number(x[index])}"
    if kind is not None and kind.labels_for == "points" and index < len(spec.labels):
        return spec.labels[index]
    return f"point {index + 1}"


def extremes(spec: ChartSpec, kind: ChartKind | None, values: Sequence[float], named: bool = True) -> str:
    """``from 28 (Q3) to 60 (Q4)``: the lowest and highest value and where they are
    (missing values, NaN, are left out)."""
    given = [i for i, v in enumerate(values) if not math.isnan(v)]
    low = min(given, key=values.__getitem__)
    high = max(given, key=values.__getitem__)
    fmt = spec.number_format
    if not named:
        return f"from {number(values[low], fmt)} to {number(values[high], fmt)}"
    return (
        f"from {number(values[low], fmt)} ({point_name(spec, kind, low)}) "
        f"to {number(values[high], fmt)} ({point_name(spec, kind, high)})"
    )


def series_details(spec: ChartSpec, kind: ChartKind | None) -> list[str]:
    """The generic description: how many series and points, their extremes, the categories."""
    series = [values for values in spec.series if any(not math.isnan(v) for v in values)]
    if not series:
        return []
    names = series_names(spec)
    lengths = {len(values) for values in series}
    points = (
        plural(lengths.pop(), "point") + (" each" if len(series) > 1 else "") if len(lengths) == 1 else ""
    )
    if len(series) == 1:
        sentences = [f"One series{' ' + names[0] if spec.legend else ''} of {points}."]
    else:
        shape = f" of {points}" if points else ""
        sentences = [f"{len(series)} series{shape}: {listing(names)}."]
    if spec.labels and kind is not None and kind.labels_for == "points":
        sentences.append(f"Categories: {listing(list(spec.labels))}.")
    # Lines tell a story over time: where they end matters as much as their extremes.
    ends = spec.kind in ("line", "area", "sparkline")
    given = [v for v in series[0] if not math.isnan(v)]
    if len(series) == 1 and min(given) == max(given):
        sentences.append(f"Every value is {number(given[0], spec.number_format)}.")
    elif len(series) == 1:
        last = f", ending at {number(series[0][-1], spec.number_format)}" if ends else ""
        sentences.append(f"Values range {extremes(spec, kind, series[0])}{last}.")
    else:
        for name, values in list(zip(names, series, strict=False))[:MAX_SERIES_DESCRIBED]:
            last = f", ending at {number(values[-1], spec.number_format)}" if ends else ""
            sentences.append(f"{name[0].upper()}{name[1:]} ranges {extremes(spec, kind, values)}{last}.")
        everything = [v for values in series for v in values]
        sentences.append(f"Overall, values run {extremes(spec, kind, everything, named=False)}.")
    if spec.min is not None or spec.max is not None:
        sentences.append(value_axis_range(spec))
    return sentences


def value_axis_range(spec: ChartSpec) -> str:
    fmt = spec.number_format
    if spec.min is not None and spec.max is not None:
        return f"The value axis runs from {number(spec.min, fmt)} to {number(spec.max, fmt)}."
    if spec.min is not None:
        return f"The value axis starts at {number(spec.min, fmt)}."
    return f"The value axis ends at {number(spec.max or 0.0, fmt)}."
