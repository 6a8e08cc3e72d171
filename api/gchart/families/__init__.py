"""The registry of Google chart families: one module per family, one line here."""

from __future__ import annotations

from api.gchart.families import bar, gauge, line, pie, qr, radar, scatter, venn
from api.gchart.parsed import Family

FAMILIES: tuple[Family, ...] = (
    bar.FAMILY,
    line.FAMILY,
    pie.FAMILY,
    scatter.FAMILY,
    radar.FAMILY,
    gauge.FAMILY,
    qr.FAMILY,
    venn.FAMILY,
)
# cht value -> its family
BY_TYPE: dict[str, Family] = {cht: family for family in FAMILIES for cht in family.types}
CHART_TYPES = tuple(BY_TYPE)
