"""A chart spec described in plain language: the text twin of a chart (``format=txt``, alt text).

Works from the spec alone, as the renderer does, so every parser that makes chart specs gets
descriptions for free. Kinds without a describer of their own get the generic one (series,
points, extremes, labels), which never assumes more about the data than ``ChartSpec`` says.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import replace

from api.charts.kinds import KINDS
from api.charts.specs import ChartSpec
from api.plaintext import a, bounded, listing, number, plural, quoted

MAX_SERIES_DESCRIBED = 8  # series given a sentence of their own
PROPER_NAMES = ("Venn", "Gantt", "Sankey", "Pareto", "Marimekko")


def describe_chart(spec: ChartSpec) -> str:
    """What the chart shows: kind, title, series, points, extremes, labels and axes."""
    spec = as_stated(spec)
    kind = KINDS.get(spec.kind)
    own = kind.describe if kind is not None else None
    details = own or _DETAILS.get(spec.kind, _series_details)
    encoded = [] if own else _encoded_text(spec)
    sentences = [_headline(spec), *encoded, *details(spec), *_axes(spec)]
    return bounded(" ".join(sentence for sentence in sentences if sentence))


def as_stated(spec: ChartSpec) -> ChartSpec:
    """The spec with the data as the request gave them, where it drew them otherwise
    (``extras.stated``: /chart draws values as fractions of the plot, categories as axis labels)."""
    stated = spec.extras.stated if spec.extras is not None else None
    if stated is None:
        return spec
    return replace(
        spec,
        series=stated.series,
        labels=stated.labels or spec.labels,
        min=stated.min,
        max=stated.max,
        options=spec.options if stated.options is None else stated.options,
    )


def _noun(spec: ChartSpec) -> str:
    if spec.kind == "scatter":
        return "bubble chart" if getattr(spec.options, "sizes", None) else "scatter chart"
    kind = KINDS.get(spec.kind)
    summary = kind.summary if kind else f"{spec.kind} chart"
    # "Bar chart" becomes "bar chart"; names ("QR code", "Venn diagram") keep their capitals.
    head, _, rest = summary.partition(" ")
    head = head if head.isupper() or head in PROPER_NAMES else head.lower()
    return f"{head} {rest}".strip()


def _headline(spec: ChartSpec) -> str:
    traits = [name for name in ("stacked", "horizontal") if getattr(spec.options, name, False) is True]
    noun = " ".join([*traits, _noun(spec)])
    text = a(noun)
    text = text[0].upper() + text[1:]
    if spec.title:
        text += f" titled {quoted(spec.title, 200)}"
    backgrounds = []
    if spec.background == "transparent":
        backgrounds.append("on a transparent background")
    elif spec.theme == "dark":
        backgrounds.append("in dark colours")
    if spec.log:
        backgrounds.append("with a logarithmic value axis")
    return text + (", " + " and ".join(backgrounds) if backgrounds else "") + "."


def _encoded_text(spec: ChartSpec) -> list[str]:
    """Kinds that draw a text rather than data (QR codes) say what it is."""
    text = getattr(spec.options, "text", None)
    return [f"It encodes {quoted(text, 200)}."] if isinstance(text, str) and text else []


def _series_names(spec: ChartSpec) -> list[str]:
    count = len(spec.series)
    if len(spec.legend) == count:
        return [quoted(name) for name in spec.legend]
    return [f"series {i + 1}" for i in range(count)]


def _point_name(spec: ChartSpec, index: int) -> str:
    x = getattr(spec.options, "x", None)
    if isinstance(x, tuple) and index < len(x):
        return f"at x {number(x[index])}"
    kind = KINDS.get(spec.kind)
    if kind is not None and kind.labels_for == "points" and index < len(spec.labels):
        return spec.labels[index]
    return f"point {index + 1}"


def _extremes(spec: ChartSpec, values: Sequence[float], named: bool = True) -> str:
    """``from 28 (Q3) to 60 (Q4)``: the lowest and highest value and where they are
    (missing values, NaN, are left out)."""
    given = [i for i, v in enumerate(values) if not math.isnan(v)]
    low = min(given, key=values.__getitem__)
    high = max(given, key=values.__getitem__)
    fmt = spec.number_format
    if not named:
        return f"from {number(values[low], fmt)} to {number(values[high], fmt)}"
    return (
        f"from {number(values[low], fmt)} ({_point_name(spec, low)}) "
        f"to {number(values[high], fmt)} ({_point_name(spec, high)})"
    )


def _series_details(spec: ChartSpec) -> list[str]:
    """The generic description: how many series and points, their extremes, the categories."""
    series = [values for values in spec.series if any(not math.isnan(v) for v in values)]
    if not series:
        return []
    names = _series_names(spec)
    lengths = {len(values) for values in series}
    points = (
        plural(lengths.pop(), "point") + (" each" if len(series) > 1 else "") if len(lengths) == 1 else ""
    )
    if len(series) == 1:
        sentences = [f"One series{' ' + names[0] if spec.legend else ''} of {points}."]
    else:
        shape = f" of {points}" if points else ""
        sentences = [f"{len(series)} series{shape}: {listing(names)}."]
    if spec.labels and KINDS.get(spec.kind, None) is not None and KINDS[spec.kind].labels_for == "points":
        sentences.append(f"Categories: {listing(list(spec.labels))}.")
    # Lines tell a story over time: where they end matters as much as their extremes.
    ends = spec.kind in ("line", "area", "sparkline")
    given = [v for v in series[0] if not math.isnan(v)]
    if len(series) == 1 and min(given) == max(given):
        sentences.append(f"Every value is {number(given[0], spec.number_format)}.")
    elif len(series) == 1:
        last = f", ending at {number(series[0][-1], spec.number_format)}" if ends else ""
        sentences.append(f"Values range {_extremes(spec, series[0])}{last}.")
    else:
        for name, values in list(zip(names, series, strict=False))[:MAX_SERIES_DESCRIBED]:
            last = f", ending at {number(values[-1], spec.number_format)}" if ends else ""
            sentences.append(f"{name[0].upper()}{name[1:]} ranges {_extremes(spec, values)}{last}.")
        everything = [v for values in series for v in values]
        sentences.append(f"Overall, values run {_extremes(spec, everything, named=False)}.")
    if spec.min is not None or spec.max is not None:
        sentences.append(_value_axis_range(spec))
    return sentences


def _value_axis_range(spec: ChartSpec) -> str:
    fmt = spec.number_format
    if spec.min is not None and spec.max is not None:
        return f"The value axis runs from {number(spec.min, fmt)} to {number(spec.max, fmt)}."
    if spec.min is not None:
        return f"The value axis starts at {number(spec.min, fmt)}."
    return f"The value axis ends at {number(spec.max or 0.0, fmt)}."


def _axes(spec: ChartSpec) -> list[str]:
    named = [
        f"the {axis} axis is labelled {quoted(text)}"
        for axis, text in (("x", spec.xlabel), ("y", spec.ylabel))
        if text
    ]
    if not named:
        return []
    sentence = " and ".join(named)
    return [sentence[0].upper() + sentence[1:] + "."]


def _slices(spec: ChartSpec) -> list[str]:
    """Pie and donut: each slice with its value and share of the total (one ring per series)."""
    sentences = []
    rings = [values for values in spec.series if values]
    offset = 0
    for index, values in enumerate(rings):
        # Labels name the positions shared by every ring, or every slice of every ring in turn.
        start = offset if len(spec.labels) == sum(len(ring) for ring in rings) else 0
        offset += len(values)
        if index >= MAX_SERIES_DESCRIBED:
            continue
        total = sum(values)
        parts = [
            (spec.labels[start + i] if start + i < len(spec.labels) else f"slice {i + 1}")
            + f" {number(v, spec.number_format)}"
            + (f" ({v / total:.0%})" if total > 0 else "")
            for i, v in enumerate(values)
        ]
        prefix = f"Ring {index + 1}: " if len(rings) > 1 else ""
        sentences.append(
            f"{prefix}{plural(len(values), 'slice')}: {listing(parts)}; "
            f"total {number(total, spec.number_format)}."
        )
    return sentences


def _scatter(spec: ChartSpec) -> list[str]:
    sentences = _series_details(spec)
    x = getattr(spec.options, "x", None)
    if x:
        sentences.insert(1, f"x values run from {number(min(x))} to {number(max(x))}.")
    sizes = getattr(spec.options, "sizes", None)
    if sizes:
        sentences.insert(2, f"Bubble sizes run from {number(min(sizes))} to {number(max(sizes))}.")
    return sentences


def _histogram(spec: ChartSpec) -> list[str]:
    from api.charts.kinds.histogram import bin_count

    series = [values for values in spec.series if values]
    if not series:
        return []
    names = _series_names(spec)
    counted = listing(
        [f"{name}: {plural(len(values), 'value')}" for name, values in zip(names, series, strict=False)]
    )
    everything = [v for values in series for v in values]
    return [
        f"{plural(len(series), 'series', 'series')} counted into {plural(bin_count(spec), 'bin')} "
        f"({counted}).",
        f"Values run {_extremes(spec, everything, named=False)}.",
    ]


def _boxes(spec: ChartSpec) -> list[str]:
    names = (
        list(spec.labels)
        if len(spec.labels) == len(spec.series)
        else [f"series {i + 1}" for i in range(len(spec.series))]
    )
    fmt = spec.number_format
    parts = [
        f"{name}: {plural(len(values), 'value')}, median {number(statistics.median(values), fmt)}, "
        f"{_extremes(spec, values, named=False)}"
        for name, values in list(zip(names, spec.series, strict=False))[:MAX_SERIES_DESCRIBED]
        if values
    ]
    return [f"{plural(len(spec.series), 'box', 'boxes')}, one per series: " + "; ".join(parts) + "."]


def _gauge(spec: ChartSpec) -> list[str]:
    values = spec.series[0] if spec.series else ()
    low = 0.0 if spec.min is None else spec.min
    high = 100.0 if spec.max is None else spec.max
    fmt = spec.number_format
    needles = [
        f"{spec.labels[i] if i < len(spec.labels) else f'needle {i + 1}'} at {number(v, fmt)}"
        for i, v in enumerate(values)
    ]
    return [
        f"The dial runs from {number(low, fmt)} to {number(high, fmt)}, "
        f"with {plural(len(values), 'needle')}: {listing(needles)}."
    ]


def _heatmap(spec: ChartSpec) -> list[str]:
    series = [values for values in spec.series if values]
    if not series:
        return []
    rows = list(getattr(spec.options, "rows", ()) or ()) or [f"row {i + 1}" for i in range(len(series))]
    columns = list(spec.labels) or [f"column {i + 1}" for i in range(len(series[0]))]
    cells = [(v, r, c) for r, values in enumerate(series) for c, v in enumerate(values)]
    low, high = min(cells), max(cells)
    fmt = spec.number_format

    def where(cell: tuple[float, int, int]) -> str:
        _, r, c = cell
        row = rows[r] if r < len(rows) else f"row {r + 1}"
        column = columns[c] if c < len(columns) else f"column {c + 1}"
        return f"{row}, {column}"

    return [
        f"{plural(len(series), 'row')} ({listing(rows)}) by {plural(len(series[0]), 'column')} "
        f"({listing(columns)}).",
        f"Cell values run from {number(low[0], fmt)} ({where(low)}) to {number(high[0], fmt)} ({where(high)}).",
    ]


def _venn(spec: ChartSpec) -> list[str]:
    """Google's order: A, B, C, then the overlaps A∩B, A∩C, B∩C and A∩B∩C (missing ones 0)."""
    values = (*spec.series[0], *(0.0,) * 7)[:7] if spec.series else (0.0,) * 7
    circles = 3 if values[2] > 0 else 2
    names = [spec.labels[i] if i < len(spec.labels) else "ABC"[i] for i in range(circles)]
    fmt = spec.number_format
    sizes = [f"{names[i]} {number(values[i], fmt)}" for i in range(circles)]
    pairs = [(0, 1, 3), (0, 2, 4), (1, 2, 5)][: 1 if circles == 2 else 3]
    overlaps = [f"{names[a]} and {names[b]} {number(values[v], fmt)}" for a, b, v in pairs]
    if circles == 3:
        overlaps.append(f"all three {number(values[6], fmt)}")
    return [f"{circles} circles: {listing(sizes)}.", f"Overlaps: {listing(overlaps)}."]


_DETAILS: dict[str, Callable[[ChartSpec], list[str]]] = {
    "venn": _venn,
    "pie": _slices,
    "donut": _slices,
    "scatter": _scatter,
    "histogram": _histogram,
    "box": _boxes,
    "gauge": _gauge,
    "heatmap": _heatmap,
}
