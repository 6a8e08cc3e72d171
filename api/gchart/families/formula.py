"""``cht=tx``: Google's TeX formulas (``chl`` the formula, ``chco`` its colour, ``chf`` the
background) as a ``formula`` chart spec.

Without ``chs`` the image is sized to fit the formula at Google's text size; a single ``chs``
value is the height (the formula is scaled to it, the width follows); ``WxH`` fits the formula
inside and centres it.
"""

from __future__ import annotations

import math

from api.charts.kinds.formula import (
    DEFAULT_FONT_PX,
    MAX_FONT_PX,
    MIN_FONT_PX,
    PAD_PX,
    FormulaError,
    FormulaOptions,
    measure,
)
from api.charts.specs import ChartSpec
from api.gchart.parsed import Family, ParsedChart, fail
from api.output import Output


def formula_spec(request: ParsedChart) -> ChartSpec:
    params, limits = request.params, request.limits
    tex = params.get("chl") or ""
    if not tex:
        raise fail("chl", "cht=tx needs the formula (TeX) in chl.")
    color = _color(params.get("chco") or ())
    background = _background(request)
    width, height, _ = _measure(tex, DEFAULT_FONT_PX)
    font_px = DEFAULT_FONT_PX
    size = params.get("chs")
    if size is None:
        out_w, out_h = math.ceil(width + 2 * PAD_PX), math.ceil(height + 2 * PAD_PX)
    else:
        given_w, given_h = size
        room_w = given_w - 2 * PAD_PX if given_w is not None else math.inf
        room_h = given_h - 2 * PAD_PX
        if room_h <= 0 or room_w <= 0:
            raise fail("chs", f"{_size_text(size)} leaves no room for the formula.")
        factor = min(room_h / height, room_w / width)
        font_px = min(max(DEFAULT_FONT_PX * factor, MIN_FONT_PX), MAX_FONT_PX)
        width, height, _ = _measure(tex, font_px)
        out_w = given_w if given_w is not None else math.ceil(width + 2 * PAD_PX)
        out_h = given_h
    if not (1 <= out_w <= limits.max_width and 1 <= out_h <= limits.max_height):
        raise fail(
            "chs" if size is not None else "chl",
            f"The formula's image would be {out_w}x{out_h} pixels: width 1..{limits.max_width}, "
            f"height 1..{limits.max_height}.",
        )
    if out_w * out_h > limits.max_pixels:
        raise fail(
            "chs", f"The formula's image would be {out_w * out_h} pixels; at most {limits.max_pixels}."
        )
    return ChartSpec(
        kind="formula",
        series=(),
        background=background,
        opacity=request.opacity(),
        output=Output(out_w, out_h, 1, params.get("chof", "png")),
        options=FormulaOptions(tex, color, round(font_px, 3)),
    )


def _measure(tex: str, font_px: float) -> tuple[float, float, float]:
    try:
        return measure(tex, font_px)
    except FormulaError as exc:
        raise fail("chl", str(exc)) from None


def _color(groups: tuple[tuple[str, ...], ...]) -> str:
    flat = [c for group in groups for c in group]
    if len(flat) > 1:
        raise fail("chco", f"A formula takes one colour, got {len(flat)}.")
    return flat[0] if flat else "#000000ff"


def _background(request: ParsedChart) -> str:
    fills = request.all_fills()
    for target, fill in fills.items():
        if target not in ("bg", "a") or fill.kind != "s":
            raise fail(
                "chf",
                "A formula takes a solid background fill (bg,s,<colour>) and the whole image's "
                f"transparency (a,s,<colour>) only, not {target},{fill.kind}.",
            )
    return request.background() or "#ffffffff"


def _size_text(size: tuple[int | None, int]) -> str:
    width, height = size
    return f"chs={height}" if width is None else f"chs={width}x{height}"


FAMILY = Family(
    "formula",
    ("tx",),
    frozenset(("cht", "chs", "chof", "chl", "chco", "chf")),
    formula_spec,
    sizes_itself=True,
)
