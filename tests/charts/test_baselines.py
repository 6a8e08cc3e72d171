"""One reference image per chart kind and per key option (tests/baselines/chart_*.png).

Regenerate with ``pytest tests/charts --update-baselines`` and look at every image.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from api.charts.kinds import KINDS

SIZE = {"width": "400", "height": "300"}


def example(kind: str, **overrides: Any) -> dict[str, str]:
    params = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in KINDS[kind].examples.items()}
    if kind not in ("sparkline", "gauge"):
        params.update(SIZE)
    params.update({k: str(v) for k, v in overrides.items() if v is not None})
    return {k: v for k, v in params.items() if overrides.get(k, "") is not None}


CASES: dict[str, tuple[str, dict[str, str]]] = {
    **{f"chart_{name}": (name, example(name)) for name in KINDS},
    "chart_bar_horizontal": ("bar", example("bar", horizontal="true", value_labels="true")),
    "chart_bar_stacked": ("bar", example("bar", stacked="true", legend_position="top", max=None)),
    "chart_bar_log_thousands": (
        "bar",
        example(
            "bar",
            data="12,340,5600,78000",
            labels="a,b,c,d",
            legend="x",
            log="true",
            number_format="thousands",
            colors="d55e00",
            min=None,
            max=None,
        ),
    ),
    "chart_area_overlap": ("area", example("area", stacked="false")),
    "chart_line_dark": ("line", example("line", theme="dark")),
    "chart_pie_dark_transparent": ("pie", example("pie", theme="dark", background="transparent")),
    "chart_pie_concentric": (
        "pie",
        example("pie", data="45,30,15,10|30,35,25,10", title="Budget: 2025 inside, 2026 outside"),
    ),
    "chart_bar_scale2": ("bar", example("bar", scale="2")),
    "chart_scatter_plain": ("scatter", {k: v for k, v in example("scatter").items() if k != "sizes"}),
    "chart_venn2": (
        "venn",
        example("venn", data="100,60,0,25", labels="Cats,Dogs", colors=None, title="Households with pets"),
    ),
    "chart_heatmap_blues": ("heatmap", example("heatmap", cmap="blues", value_labels="false")),
    "chart_gauge_needles": (
        "gauge",
        example("gauge", data="35,80", labels="Last year,This year", colors="0072b2,d55e00"),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_baseline(name: str, client: Any, baseline: Callable[[str, bytes], None]) -> None:
    kind, params = CASES[name]
    response = client.get(f"/charts/{kind}", query_string=params)
    assert response.status_code == 200, response.json
    assert response.mimetype == "image/png"
    baseline(name, response.data)


def test_every_kind_has_a_baseline() -> None:
    assert {f"chart_{name}" for name in KINDS} <= set(CASES)
