"""A chart spec described in plain language: the text twin of a chart (``format=txt``, alt text).

Works from the spec alone, as the renderer does, so every parser that makes chart specs gets
descriptions for free. A kind may describe its data itself (``ChartKind.describe``); the others
get the generic description (series, points, extremes, labels), which never assumes more about
the data than ``ChartSpec`` says.
"""

from __future__ import annotations

from dataclasses import replace

from api.charts.kinds import KINDS
from api.charts.sentences import series_details
from api.charts.specs import ChartSpec
from api.plaintext import a, bounded, quoted

PROPER_NAMES = ("Venn", "Gantt", "Sankey", "Pareto", "Marimekko")


def describe_chart(spec: ChartSpec) -> str:
    """What the chart shows: kind, title, series, points, extremes, labels and axes."""
    spec = as_stated(spec)
    kind = KINDS.get(spec.kind)
    if kind is not None and kind.describe is not None:
        details = kind.describe(spec, kind)
    else:
        details = series_details(spec, kind)
    sentences = [_headline(spec), *_encoded_text(spec), *details, *_axes(spec)]
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
