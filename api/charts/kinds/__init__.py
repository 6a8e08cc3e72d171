"""The registry of chart kinds: one module per kind, one line here."""

from __future__ import annotations

from api.charts.kinds import (
    area,
    bar,
    box,
    choropleth,
    formula,
    gauge,
    heatmap,
    histogram,
    icon,
    line,
    pie,
    qr,
    radar,
    scatter,
    sparkline,
    venn,
)
from api.charts.specs import ChartKind

KINDS: dict[str, ChartKind] = {
    kind.name: kind
    for kind in (
        bar.KIND,
        line.KIND,
        area.KIND,
        scatter.KIND,
        pie.KIND,
        pie.DONUT,
        histogram.KIND,
        box.KIND,
        radar.KIND,
        gauge.KIND,
        sparkline.KIND,
        heatmap.KIND,
        qr.KIND,
        venn.KIND,
        formula.KIND,
        choropleth.KIND,
        icon.KIND,
    )
}
