"""The cost model: what a render will cost, estimated from its spec before anything is drawn.

Each spec type has an estimator (``api.charts.cost``, ``api.maps.cost``) that adds up the
work its renderer does (pixels filled and encoded, texts laid out, points, dashes, joins,
supersampled overlay areas...) in milliseconds of CPU time on a typical core, by the spec
field that causes it. A request whose estimate is over the budget
(``CHARTMAP_MAX_RENDER_MS``) is refused with a 422 naming the parameter that costs most;
each front end maps spec fields to its own parameter names.

The estimates are deliberately on the high side; ``python -m bench.worst_cases`` compares
them with measured times. The render pool's time and memory limits catch what they miss.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from marshmallow import ValidationError


@dataclass
class Cost:
    """Estimated milliseconds of CPU time, by the spec field that causes them."""

    parts: dict[str, float] = field(default_factory=dict)

    def add(self, part: str, ms: float) -> None:
        if ms > 0:
            self.parts[part] = self.parts.get(part, 0.0) + ms

    @property
    def total_ms(self) -> float:
        return sum(self.parts.values())

    def costliest(self) -> str:
        return max(self.parts, key=lambda name: self.parts[name]) if self.parts else ""


def check_cost(cost: Cost, budget_ms: float, names: Mapping[str, str], default: str) -> None:
    """Raise a ValidationError naming the costliest parameter when ``cost`` is over budget.

    ``names`` maps spec fields to the front end's parameter names; ``default`` names
    anything unmapped.
    """
    total = cost.total_ms
    if total <= budget_ms:
        return
    part = cost.costliest()
    parameter = names.get(part, default)
    raise ValidationError(
        f"This image would take about {total:,.0f} ms to draw ({parameter}: {cost.parts[part]:,.0f} ms); "
        f"at most {budget_ms:,.0f} ms are allowed. Ask for fewer points, labels or marks, thinner "
        "or fewer lines, or a smaller image.",
        parameter,
    )
