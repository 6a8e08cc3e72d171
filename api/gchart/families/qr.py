"""QR codes: cht=qr as the ``qr`` kind."""

from __future__ import annotations

from marshmallow import ValidationError

from api.charts.specs import ChartSpec
from api.gchart.parsed import (
    Family,
    ParsedChart,
    fail,
    messages,
)


def qr_spec(request: ParsedChart) -> ChartSpec:
    from api.charts.kinds.qr import KIND, MAX_MARGIN, QrOptions

    params = request.params
    text = params.get("chl") or ""
    if not text:
        raise fail("chl", "cht=qr needs the text to encode in chl.")
    level, margin = params.get("chld", ("L", 4))
    if margin > MAX_MARGIN:
        raise fail("chld", f"A margin of {margin} modules is more than {MAX_MARGIN}.")
    try:
        KIND.validate({"text": text, "error_correction": level}, None)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise fail("chl", " ".join(str(m) for m in messages(exc))) from None
    return ChartSpec(kind="qr", series=(), output=request.output, options=QrOptions(text, level, margin))


FAMILY = Family("qr", ("qr",), frozenset(("cht", "chs", "chof", "chl", "chld", "choe")), qr_spec, (300, 300))
