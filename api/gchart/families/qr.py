"""QR codes: cht=qr as the ``qr`` kind."""

from __future__ import annotations

import re

from api.charts.kinds.qr import KIND, MAX_MARGIN, QrOptions
from api.charts.specs import ChartSpec
from api.gchart.grammar import QR_OPTIONS
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
    chld = params.get("chld") or "L|4"  # chld is read by each family: here <level>|<margin>
    if not re.fullmatch(QR_OPTIONS, chld):
        raise fail(
            "chld", f"{chld[:40]!r} is not of the form <error correction L|M|Q|H>|<margin in modules>."
        )
    level, margin = chld[0], int(chld[2:]) if "|" in chld else 4
    if margin > MAX_MARGIN:
        raise fail("chld", f"A margin of {margin} modules is more than {MAX_MARGIN}.")
    spec = ChartSpec(kind="qr", series=(), output=request.output, options=QrOptions(text, level, margin))
    request.check(KIND, spec)
    return spec


FAMILY = Family("qr", ("qr",), frozenset(("cht", "chs", "chof", "chl", "chld", "choe")), qr_spec, (300, 300))
