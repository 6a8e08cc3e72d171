"""Google's number format strings, as in ``chm=N*f2*,...`` and ``chxs=1N*cUSD0s*``.

``<before>*<type><decimals>z s x|y*<after>``: type ``f`` (fixed), ``p`` (percent: 0.25 is
25%), ``e`` (scientific) or ``c<ISO currency>``; ``z`` keeps trailing zeros, ``s`` groups
thousands, ``x``/``y`` picks the coordinate of a scatter point. Without the starred part the
value is written plainly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FORMAT = r"[^,|*]{0,20}(?:\*(?:f|p|e|c[A-Z]{3})?[0-9]?z?s?[xy]?\*[^,|*]{0,20})?"
_PARTS = re.compile(r"([^*]*)(?:\*(f|p|e|c[A-Z]{3})?([0-9])?(z)?(s)?([xy])?\*(.*))?", re.DOTALL)
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3", "JPY": "\u00a5"}


@dataclass(frozen=True)
class NumberFormat:
    before: str = ""
    kind: str | None = None  # f, p, e, or cXXX; None: plain
    decimals: int | None = None
    zeros: bool = False
    grouped: bool = False
    coordinate: str = "y"
    after: str = ""

    def __call__(self, value: float) -> str:
        return f"{self.before}{self._number(value)}{self.after}"

    def _number(self, value: float) -> str:
        kind, decimals = self.kind, self.decimals
        if kind == "e":
            return f"{value:.{2 if decimals is None else decimals}e}"
        if kind == "p":
            value *= 100
        group = "," if self.grouped else ""
        if abs(value) >= 1e15 or not math.isfinite(value):
            text = f"{value:.6g}"
        elif decimals is None:
            text = f"{_half_up(value, 6):{group}f}".rstrip("0").rstrip(".")
        else:
            text = f"{_half_up(value, decimals):{group}f}"
            if not self.zeros and "." in text:
                text = text.rstrip("0").rstrip(".")
        if text.startswith("-") and not text.strip("-0.,"):
            text = text[1:]  # no "-0"
        if kind == "p":
            return text + "%"
        if kind is not None and kind.startswith("c"):
            code = kind[1:]
            return CURRENCY_SYMBOLS.get(code, code + " ") + text
        return text


def _half_up(value: float, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places, halves away from zero (2.5 -> 3, as Google
    wrote them), from its shortest decimal form (0.125 is 0.125, not its binary neighbour)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def parse_format(text: str) -> NumberFormat:
    """``text`` already matches FORMAT."""
    match = _PARTS.fullmatch(text)
    if match is None or "*" not in text:
        return NumberFormat(before=text)
    before, kind, decimals, zeros, grouped, coordinate, after = match.groups()
    return NumberFormat(
        before=before,
        kind=kind,
        decimals=None if decimals is None else int(decimals),
        zeros=bool(zeros),
        grouped=bool(grouped),
        coordinate=coordinate or "y",
        after=after or "",
    )
