"""The three charts every peer draws, each from one definition: this API's query parameters
(which plain matplotlib reads too, bench/plain.py), a Chart.js config and a Vega-Lite spec.

Same data, title, legend, axis titles, y range and colours, 640x480 PNG on white, DejaVu Sans
(matplotlib's font, registered with the peers) on every side. Pie slices carry no value labels:
Chart.js draws none without a plugin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 640, 480
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


@dataclass(frozen=True)
class PeerChart:
    name: str  # also this API's chart kind
    title: str
    labels: tuple[str, ...]  # categories, or pie slices
    series: tuple[tuple[float, ...], ...]
    legend: tuple[str, ...]  # series names (a pie's legend is its labels)
    colors: tuple[str, ...]  # hex without "#": one per series, or per slice for a pie
    xlabel: str = ""
    ylabel: str = ""
    y_range: tuple[float, float] | None = None

    @property
    def is_pie(self) -> bool:
        return self.name == "pie"

    def params(self) -> dict[str, str]:
        """``/charts/<name>?...`` query parameters."""
        params = {
            "data": "|".join(",".join(f"{v:g}" for v in values) for values in self.series),
            "labels": ",".join(self.labels),
            "title": self.title,
            "colors": ",".join(self.colors),
            "width": str(WIDTH),
            "height": str(HEIGHT),
        }
        if not self.is_pie:
            params |= {"legend": ",".join(self.legend), "xlabel": self.xlabel, "ylabel": self.ylabel}
        if self.y_range is not None:
            params |= {"min": f"{self.y_range[0]:g}", "max": f"{self.y_range[1]:g}"}
        if self.name == "line":
            params["markers"] = "true"
        return params

    def chartjs(self) -> dict[str, Any]:
        """A Chart.js 4 config (bench/peers/chartjs.js turns animation and resizing off)."""
        hexes = ["#" + c for c in self.colors]
        options: dict[str, Any] = {
            "plugins": {"title": {"display": True, "text": self.title}, "legend": {"display": True}}
        }
        if self.is_pie:
            datasets = [{"data": list(self.series[0]), "backgroundColor": hexes}]
        else:
            datasets = [
                {"label": name, "data": list(values), "backgroundColor": color, "borderColor": color}
                for name, values, color in zip(self.legend, self.series, hexes, strict=True)
            ]
            y: dict[str, Any] = {"title": {"display": True, "text": self.ylabel}}
            if self.y_range is not None:
                y |= {"min": self.y_range[0], "max": self.y_range[1]}
            options["scales"] = {"x": {"title": {"display": True, "text": self.xlabel}}, "y": y}
        return {
            "type": self.name,
            "data": {"labels": list(self.labels), "datasets": datasets},
            "options": options,
        }

    def vegalite(self) -> dict[str, Any]:
        """A Vega-Lite 5 spec, sized to the whole image (autosize fit, padding included)."""
        hexes = ["#" + c for c in self.colors]
        spec: dict[str, Any] = {
            "$schema": VEGA_LITE_SCHEMA,
            "width": WIDTH,
            "height": HEIGHT,
            "autosize": {"type": "fit", "contains": "padding"},
            "background": "white",
            "title": self.title,
            "config": {"font": "DejaVu Sans"},
        }
        if self.is_pie:
            values = [{"label": k, "value": v} for k, v in zip(self.labels, self.series[0], strict=True)]
            return spec | {
                "data": {"values": values},
                "mark": "arc",
                "encoding": {
                    "theta": {"field": "value", "type": "quantitative"},
                    "color": {
                        "field": "label",
                        "type": "nominal",
                        "sort": None,
                        "title": None,
                        "scale": {"domain": list(self.labels), "range": hexes},
                    },
                },
            }
        rows = [
            {"category": label, "series": name, "value": value}
            for name, values in zip(self.legend, self.series, strict=True)
            for label, value in zip(self.labels, values, strict=True)
        ]
        y: dict[str, Any] = {"field": "value", "type": "quantitative", "title": self.ylabel}
        if self.y_range is not None:
            y["scale"] = {"domain": list(self.y_range)}
        encoding: dict[str, Any] = {
            "x": {
                "field": "category",
                "type": "ordinal",
                "sort": None,
                "title": self.xlabel,
                "axis": {"labelAngle": 0},  # upright, as the other renderers draw them
            },
            "y": y,
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": list(self.legend), "range": hexes},
            },
        }
        if self.name == "bar":
            encoding["xOffset"] = {"field": "series", "sort": None}
            mark: Any = "bar"
        else:
            mark = {"type": "line", "point": True}
        return spec | {"data": {"values": rows}, "mark": mark, "encoding": encoding}


CHARTS = (
    PeerChart(
        name="bar",
        title="Revenue by quarter",
        labels=("Q1", "Q2", "Q3", "Q4"),
        series=((30, 45, 28, 60), (20, 25, 35, 40)),
        legend=("2025", "2026"),
        colors=("0072b2", "e69f00"),
        xlabel="quarter",
        ylabel="EUR thousand",
        y_range=(0, 70),
    ),
    PeerChart(
        name="line",
        title="Visitors per month",
        labels=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        series=((12, 19, 15, 23, 28, 26, 24, 27, 22, 18, 16, 20),),
        legend=("Visitors",),
        colors=("0072b2",),
        xlabel="2026",
        ylabel="thousands",
        y_range=(0, 30),
    ),
    PeerChart(
        name="pie",
        title="Monthly budget",
        labels=("Rent", "Food", "Transport", "Other"),
        series=((45, 30, 15, 10),),
        legend=(),
        colors=("0072b2", "e69f00", "009e73", "cc79a7"),
    ),
)
