"""QR codes: cht=qr as the ``qr`` kind."""

from __future__ import annotations

from api.charts.kinds.qr import KIND, MAX_MARGIN, QrOptions
from api.charts.specs import ChartSpec
from api.gchart.parsed import (
    Family,
    ParsedChart,
    fail,
)


def qr_spec(request: ParsedChart) -> ChartSpec:
    params = request.params
    text = params.get("chl") or ""
    if not text:
        raise fail("chl", "cht=qr needs the text to encode in chl.")
    level, margin = params.get("chld", ("L", 4))
    if margin > MAX_MARGIN:
        raise fail("chld", f"A margin of {margin} modules is more than {MAX_MARGIN}.")
    spec = ChartSpec(kind="qr", series=(), output=request.output, options=QrOptions(text, level, margin))
    request.check(KIND, spec)
    return spec


FAMILY = Family("qr", ("qr",), frozenset(("cht", "chs", "chof", "chl", "chld", "choe")), qr_spec, (300, 300))
