"""Charts drawn the plain way: ``Figure()``, the obvious Axes calls, ``savefig(BytesIO)``.

The baseline of the chart and throughput benchmarks: the same query parameters as this
API's ``/charts/<kind>`` (data, labels, legend, title, axis labels, colours, range, size),
drawn the way a single-file app would, with matplotlib's defaults (tick locators, one
artist per tick, the layout engine off, default PNG encoder). Kinds without an obvious
plain equivalent are left out (``PLAIN_KINDS``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping
from typing import Any

Params = Mapping[str, str]


def _series(params: Params, name: str = "data") -> list[list[float]]:
    return [[float(v) for v in part.split(",")] for part in params[name].split("|")]


def _list(params: Params, name: str) -> list[str]:
    value = params.get(name)
    return value.split(",") if value else []


def _colors(params: Params) -> list[str] | None:
    colors = _list(params, "colors")
    return ["#" + c.removeprefix("0x").removeprefix("#") for c in colors] or None


def _decorate(ax: Any, params: Params) -> None:
    if params.get("title"):
        ax.set_title(params["title"])
    if params.get("xlabel"):
        ax.set_xlabel(params["xlabel"])
    if params.get("ylabel"):
        ax.set_ylabel(params["ylabel"])
    if params.get("min") is not None or params.get("max") is not None:
        low = float(params["min"]) if params.get("min") is not None else None
        high = float(params["max"]) if params.get("max") is not None else None
        ax.set_ylim(low, high)
    if params.get("legend"):
        ax.legend()


def _color(colors: list[str] | None, index: int) -> str | None:
    return colors[index % len(colors)] if colors else None


def _bar(ax: Any, params: Params) -> None:
    series, labels, legend, colors = (
        _series(params),
        _list(params, "labels"),
        _list(params, "legend"),
        _colors(params),
    )
    width = 0.8 / len(series)
    for i, values in enumerate(series):
        xs = [x - 0.4 + width * (i + 0.5) for x in range(len(values))]
        ax.bar(xs, values, width, label=legend[i] if i < len(legend) else None, color=_color(colors, i))
    if labels:
        ax.set_xticks(range(len(labels)), labels)
    _decorate(ax, params)


def _line(ax: Any, params: Params, fill: bool = False) -> None:
    series, labels, legend, colors = (
        _series(params),
        _list(params, "labels"),
        _list(params, "legend"),
        _colors(params),
    )
    xs = list(range(len(series[0])))
    if fill:
        ax.stackplot(xs, series, labels=legend or None, colors=colors)
    else:
        for i, values in enumerate(series):
            label = legend[i] if i < len(legend) else None
            ax.plot(xs[: len(values)], values, marker="o", label=label, color=_color(colors, i))
    if labels:
        ax.set_xticks(range(len(labels)), labels)
    _decorate(ax, params)


def _scatter(ax: Any, params: Params) -> None:
    series, legend, colors = _series(params), _list(params, "legend"), _colors(params)
    xs = [float(v) for v in params["x"].split(",")]
    sizes = [float(v) * 10 for v in params["sizes"].split(",")] if params.get("sizes") else None
    for i, values in enumerate(series):
        label = legend[i] if i < len(legend) else None
        ax.scatter(xs[: len(values)], values, s=sizes, label=label, color=_color(colors, i))
    _decorate(ax, params)


def _pie(ax: Any, params: Params, hole: bool = False) -> None:
    values = _series(params)[0]
    ax.pie(
        values,
        labels=_list(params, "labels") or None,
        colors=_colors(params),
        autopct="%1.0f%%" if params.get("value_labels") == "true" else None,
        wedgeprops={"width": 0.4} if hole else None,
    )
    if params.get("title"):
        ax.set_title(params["title"])


def _histogram(ax: Any, params: Params) -> None:
    series, legend = _series(params), _list(params, "legend")
    ax.hist(series, bins=int(params.get("bins", 10)), label=legend or None, color=_colors(params))
    _decorate(ax, params)


def _box(ax: Any, params: Params) -> None:
    ax.boxplot(_series(params), tick_labels=_list(params, "labels") or None)
    _decorate(ax, params)


def _heatmap(ax: Any, params: Params) -> None:
    rows, labels = _list(params, "rows"), _list(params, "labels")
    grid = _series(params)
    image = ax.imshow(grid, cmap=params.get("cmap", "viridis"), aspect="auto")
    ax.figure.colorbar(image, ax=ax)
    if labels:
        ax.set_xticks(range(len(labels)), labels)
    if rows:
        ax.set_yticks(range(len(rows)), rows)
    if params.get("value_labels") == "true":
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                ax.text(c, r, f"{value:g}", ha="center", va="center")
    if params.get("title"):
        ax.set_title(params["title"])


def _sparkline(ax: Any, params: Params) -> None:
    values = _series(params)[0]
    ax.plot(range(len(values)), values, color=_color(_colors(params), 0))
    ax.set_axis_off()


def _radar(fig: Any, params: Params) -> None:
    series, labels, legend, colors = (
        _series(params),
        _list(params, "labels"),
        _list(params, "legend"),
        _colors(params),
    )
    ax = fig.add_subplot(projection="polar")
    angles = [2 * math.pi * i / len(series[0]) for i in range(len(series[0]))]
    for i, values in enumerate(series):
        label = legend[i] if i < len(legend) else None
        ax.plot([*angles, angles[0]], [*values, values[0]], label=label, color=_color(colors, i))
        ax.fill([*angles, angles[0]], [*values, values[0]], alpha=0.25, color=_color(colors, i))
    ax.set_xticks(angles, labels or None)
    _decorate(ax, params)


AXES_KINDS: dict[str, Callable[[Any, Params], None]] = {
    "bar": _bar,
    "line": _line,
    "area": lambda ax, params: _line(ax, params, fill=True),
    "scatter": _scatter,
    "pie": _pie,
    "donut": lambda ax, params: _pie(ax, params, hole=True),
    "histogram": _histogram,
    "box": _box,
    "heatmap": _heatmap,
    "sparkline": _sparkline,
}
PLAIN_KINDS = frozenset({*AXES_KINDS, "radar"})


def render_plain(kind: str, params: Params) -> bytes:
    """The PNG of ``/charts/<kind>?<params>`` drawn the plain way."""
    from matplotlib.figure import Figure

    width, height = int(params.get("width", 640)), int(params.get("height", 480))
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    if kind == "radar":
        _radar(fig, params)
    else:
        AXES_KINDS[kind](fig.add_subplot(), params)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
