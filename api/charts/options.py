"""The base of every chart kind's own options (``ChartSpec.options``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindOptions:
    """Base of a kind's own options: each kind that has any declares a frozen dataclass of them."""
