"""The registry of chart kinds: one module per kind, one line here."""

from __future__ import annotations

from api.charts.kinds import bar
from api.charts.specs import ChartKind

KINDS: dict[str, ChartKind] = {kind.name: kind for kind in (bar.KIND,)}
