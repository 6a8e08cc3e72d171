"""``chst``: Google's freestanding dynamic icons as ``icon`` chart specs, ``chld`` holding the
icon's fields separated by ``|``:

- ``d_map_pin_letter``: ``<label>|<fill>|<text colour>``
- ``d_map_pin_icon``: ``<icon>|<fill>``
- ``d_map_xpin_letter``: ``<pin_style>|<label>|<fill>|<text colour>|<star fill>``
  (pin_style ``pin``, ``pin_star``, ``pin_sleft``, ``pin_sright``)
- ``d_bubble_text_small``: ``<frame>|<text>|<fill>|<text colour>``
- ``d_bubble_icon_text_small``: ``<icon>|<frame>|<text>|<fill>|<text colour>``

The image has the icon's own size (21x34 for a pin) on a transparent background. Other
``chst`` values are an error naming them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from api.charts.kinds.icon import FRAMES, PIN_SHAPES, IconOptions, check, natural_size
from api.charts.specs import ChartSpec
from api.gchart.grammar import color
from api.gchart.parsed import fail
from api.output import Output
from api.settings import Limits

# chst -> the icon style and the names of its chld fields, in order.
ICONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "d_map_pin_letter": ("pin_letter", ("text", "fill", "text_color")),
    "d_map_pin_icon": ("pin_icon", ("icon", "fill")),
    "d_map_xpin_letter": ("pin_letter", ("shape", "text", "fill", "text_color", "star_fill")),
    "d_bubble_text_small": ("bubble_text", ("frame", "text", "fill", "text_color")),
    "d_bubble_icon_text_small": ("bubble_icon_text", ("icon", "frame", "text", "fill", "text_color")),
}
REQUIRED = {
    "d_map_pin_letter": 2,
    "d_map_pin_icon": 2,
    "d_map_xpin_letter": 3,
    "d_bubble_text_small": 3,
    "d_bubble_icon_text_small": 4,
}
_COLOR = re.compile(r"^[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?$")
PARAMETERS = frozenset(("chst", "chld", "chof"))


def icon_spec(params: dict[str, Any], limits: Limits) -> tuple[ChartSpec, tuple[str, ...]]:
    """The icon's spec and the names of the parameters that change nothing (Google ignored
    cht, chs and the rest beside chst)."""
    ignored = tuple(
        name for name, value in params.items() if name not in PARAMETERS and value not in ((), "")
    )
    chst = params["chst"]
    if chst not in ICONS:
        raise fail("chst", f"Dynamic icon {chst!r} is not supported; supported: {', '.join(ICONS)}.")
    style, names = ICONS[chst]
    chld = params.get("chld") or ""
    values = chld.split("|") if chld else []
    if len(values) > len(names):
        raise fail("chld", f"{chst} takes {len(names)} fields ({'|'.join(names)}), got {len(values)}.")
    if len(values) < REQUIRED[chst]:
        raise fail("chld", f"{chst} needs at least {'|'.join(names[: REQUIRED[chst]])} in chld.")
    options = IconOptions(style=style)
    for name, value in zip(names, values, strict=False):
        options = replace(options, **{name: _field(chst, name, value)})
    problem = check(options)
    if problem:
        raise fail("chld", problem)
    width, height = natural_size(options)
    spec = ChartSpec(
        kind="icon",
        series=(),
        background="transparent",
        output=Output(width, height, 1, params.get("chof", "png")),
        options=options,
    )
    return spec, ignored


def _field(chst: str, name: str, value: str) -> str:
    if name in ("fill", "text_color", "star_fill"):
        if not _COLOR.fullmatch(value):
            raise fail(
                "chld", f"{chst}: the {name.replace('_', ' ')} {value[:20]!r} is not a colour RRGGBB[AA]."
            )
        return color(value)
    if name == "shape" and value not in PIN_SHAPES:
        raise fail("chld", f"{chst}: pin style {value[:20]!r} is not one of {', '.join(PIN_SHAPES)}.")
    if name == "frame" and value not in FRAMES:
        raise fail("chld", f"{chst}: frame style {value[:20]!r} is not one of {', '.join(FRAMES)}.")
    if name == "text":
        # Google's text: '+' is a space (already decoded), control characters drawn as spaces.
        return "".join(c if c.isprintable() else " " for c in value)
    return value
