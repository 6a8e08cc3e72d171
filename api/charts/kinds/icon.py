"""Dynamic icons (Google Image Charts' ``chst``): map pins with a letter or an icon, pins with
a star or slanted, and small speech bubbles with text (and an icon), on a transparent
background at Google's sizes (a plain pin is 21x34 pixels, its tip the bottom centre).

The icons are a small built-in set of simple glyphs (api/charts/iconparts.py), drawn as vectors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from marshmallow import fields
from marshmallow import validate as validators

from api.charts.frame import free_centre
from api.charts.iconparts import GLYPHS, Canvas, draw_glyph
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, SpecError, options_of
from api.fields import Color
from api.outputfields import choice_field
from api.shapes import Point, callout, rotate, star, teardrop

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from api.settings import Limits

STYLES = ("pin_letter", "pin_icon", "bubble_text", "bubble_icon_text")
PIN_SHAPES = ("pin", "pin_star", "pin_sleft", "pin_sright")
FRAMES = (
    "bb", "bbtl", "bbtr", "bbbr", "bbT",
    "edge_bl", "edge_bc", "edge_br", "edge_tl", "edge_tc", "edge_tr",
    "edge_lt", "edge_lc", "edge_lb", "edge_rt", "edge_rc", "edge_rb",
)  # fmt: skip
MAX_LABEL = 3  # characters on a pin's head
MAX_TEXT = 100  # characters in a bubble
PIN_SIZE = (21, 34)
PIN_RADIUS = 9.5
SLANT_DEGREES = 22.0
LABEL_PX = 11.0
BUBBLE_TEXT_PX = 11.0
BUBBLE_PAD = 5.0
BUBBLE_BOX_H = 20.0
BUBBLE_TAIL = 7.0
ICON_PX = 12.0


@dataclass(frozen=True)
class IconOptions(KindOptions):
    style: str  # one of STYLES
    fill: str = "#ff776bff"  # "#rrggbbaa"
    text: str = ""  # a pin's label, a bubble's text
    text_color: str = "#000000ff"
    icon: str = ""  # a GLYPHS name
    shape: str = "pin"  # pins: PIN_SHAPES
    star_fill: str = "#ffff00ff"  # pin_star's star
    frame: str = "bb"  # bubbles: FRAMES


def check(options: IconOptions) -> str | None:
    """What is wrong with ``options`` (a message naming the field's value), or None."""
    if options.style in ("pin_icon", "bubble_icon_text") and options.icon not in GLYPHS:
        return f"Icon {options.icon!r} is not in the built-in set: {', '.join(sorted(GLYPHS))}."
    if options.style == "pin_letter" and len(options.text) > MAX_LABEL:
        return f"A pin's label has at most {MAX_LABEL} characters, got {len(options.text)}."
    if options.style.startswith("bubble") and len(options.text) > MAX_TEXT:
        return f"A bubble's text has at most {MAX_TEXT} characters, got {len(options.text)}."
    return None


def natural_size(options: IconOptions) -> tuple[int, int]:
    """The icon's own size in pixels (Google's: 21x34 for a pin)."""
    if options.style.startswith("pin"):
        x0, y0, x1, y1 = _pin_bounds(options.shape)
        return math.ceil(x1 - x0), math.ceil(y1 - y0)
    box_w = _bubble_box_width(options)
    side = _pointer_side(options.frame)
    width = box_w + 1 + (BUBBLE_TAIL if side in ("l", "r") else 0)
    height = BUBBLE_BOX_H + 1 + (BUBBLE_TAIL if side in ("b", "t") else 0)
    return math.ceil(width), math.ceil(height)


def _bubble_box_width(options: IconOptions) -> float:
    width = _text_width(options.text, BUBBLE_TEXT_PX) + 2 * BUBBLE_PAD
    if options.style == "bubble_icon_text":
        width += ICON_PX + (3 if options.text else 0)
    return max(width, 2 * BUBBLE_PAD + 4)


def _text_width(text: str, px: float) -> float:
    """Width in pixels of ``text`` in DejaVu Sans, measured by Pillow (no matplotlib)."""
    if not text:
        return 0.0
    return float(_font(px).getlength(text))


@cache
def _font(px: float) -> Any:
    from PIL import ImageFont

    from api.fonts import dejavu_sans

    return ImageFont.truetype(str(dejavu_sans()), size=max(1, round(px)))


def _pin_geometry(shape: str) -> tuple[list[Point], Point]:
    """The pin's outline and its head's centre, the tip at (0, 0)."""
    height = PIN_SIZE[1] - 1.0
    centre = (0.0, height - PIN_RADIUS)
    outline = teardrop((0.0, 0.0), centre, PIN_RADIUS)
    if shape in ("pin_sleft", "pin_sright"):
        degrees = SLANT_DEGREES if shape == "pin_sleft" else -SLANT_DEGREES
        outline = rotate(outline, (0.0, 0.0), degrees)
        centre = rotate([centre], (0.0, 0.0), degrees)[0]
    return outline, centre


def _star_outline(centre: Point) -> list[Point]:
    return star((centre[0] + 7.0, centre[1] + 8.5), 6.0)


def _pin_bounds(shape: str) -> tuple[float, float, float, float]:
    outline, centre = _pin_geometry(shape)
    points = outline + (_star_outline(centre) if shape == "pin_star" else [])
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    # Half a pixel of room for the outline; the plain pin centred in Google's 21 pixels.
    return min(xs) - 1.0, min(ys) - 0.5, max(xs) + 1.0, max(ys) + 0.5


def _pointer_side(frame: str) -> str | None:
    if frame == "bbT":
        return None
    if frame.startswith("edge_"):
        return frame[5]
    return {"bb": "b", "bbbr": "b", "bbtl": "t", "bbtr": "t"}[frame]


def _pointer_place(frame: str) -> str:
    if frame.startswith("edge_"):
        return frame[6]
    return {"bb": "l", "bbbr": "r", "bbtl": "l", "bbtr": "r"}.get(frame, "c")


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "style": choice_field(
            STYLES, "pin_letter", "What to draw: a pin with a label or an icon, a bubble with text."
        ),
        "text": fields.String(
            load_default="",
            validate=validators.Length(max=MAX_TEXT),
            metadata={"description": f"A pin's label (up to {MAX_LABEL} characters) or a bubble's text."},
        ),
        "icon": fields.String(
            load_default="",
            metadata={
                "description": f"The icon of pin_icon and bubble_icon_text: {', '.join(sorted(GLYPHS))}."
            },
        ),
        "fill": Color(load_default="#ff776bff", metadata={"description": "Fill colour."}),
        "text_color": Color(load_default="#000000ff", metadata={"description": "Colour of the text."}),
        "shape": choice_field(PIN_SHAPES, "pin", "A pin's shape: plain, with a star, slanted left or right."),
        "star_fill": Color(
            load_default="#ffff00ff", metadata={"description": "The star's colour (pin_star)."}
        ),
        "frame": choice_field(FRAMES, "bb", "A bubble's frame and where its pointer is."),
    }


def options(params: dict[str, Any]) -> IconOptions:
    return IconOptions(
        style=params["style"],
        fill=params["fill"],
        text=params["text"],
        text_color=params["text_color"],
        icon=params["icon"],
        shape=params["shape"],
        star_fill=params["star_fill"],
        frame=params["frame"],
    )


def check_spec(spec: ChartSpec, limits: Limits) -> None:
    problem = check(options_of(spec, IconOptions))
    if problem:
        raise SpecError("options.icon" if problem.startswith("Icon") else "options.text", problem)


def render(spec: ChartSpec, fig: Figure) -> None:
    from matplotlib.transforms import Affine2D

    opts = options_of(spec, IconOptions)
    own_w, own_h = natural_size(opts)
    centre_x, centre_y = free_centre(fig, spec)
    left, bottom = centre_x - own_w / 2, centre_y - own_h / 2
    # Drawn straight on the figure in CSS pixels (an Axes' set-up would cost more than the icon).
    canvas = Canvas(fig, Affine2D().scale(fig.dpi / 100))
    if opts.style.startswith("pin"):
        _draw_pin(canvas, opts, left, bottom)
    else:
        _draw_bubble(canvas, opts, left, bottom)


def _outline_color(fill: str) -> str:
    from matplotlib.colors import to_rgba

    r, g, b, a = to_rgba(fill)
    return "#" + "".join(f"{round(v * 255):02x}" for v in (r * 0.6, g * 0.6, b * 0.6, a))


def _draw_pin(canvas: Canvas, opts: IconOptions, left: float, bottom: float) -> None:
    x0, y0, _, _ = _pin_bounds(opts.shape)
    dx, dy = left - x0, bottom - y0
    outline, centre = _pin_geometry(opts.shape)
    moved = [(x + dx, y + dy) for x, y in outline]
    head = (centre[0] + dx, centre[1] + dy)
    canvas.polygon(moved, opts.fill, _outline_color(opts.fill))
    if opts.shape == "pin_star":
        star_points = [(x + dx, y + dy) for x, y in _star_outline(centre)]
        canvas.polygon(star_points, opts.star_fill, _outline_color(opts.star_fill))
    if opts.style == "pin_icon":
        draw_glyph(canvas, opts.icon, head, ICON_PX, color="#000000ff", under=opts.fill)
    elif opts.text:
        px = LABEL_PX
        room = 2 * PIN_RADIUS - 4
        while px > 6 and _text_width(opts.text, px) > room:
            px -= 1
        canvas.text(head, opts.text, px, opts.text_color)


def _draw_bubble(canvas: Canvas, opts: IconOptions, left: float, bottom: float) -> None:
    side = _pointer_side(opts.frame)
    box_w = _bubble_box_width(opts)
    x0 = left + 0.5 + (BUBBLE_TAIL if side == "l" else 0)
    y0 = bottom + 0.5 + (BUBBLE_TAIL if side == "b" else 0)
    x1, y1 = x0 + box_w, y0 + BUBBLE_BOX_H
    pointer = None
    if side is not None:
        place = _pointer_place(opts.frame)
        along_x = side in ("b", "t")
        low, high = (x0, x1) if along_x else (y0, y1)
        # Base 6 px wide, near the named end (l/b: the low end, r/t: the high end) or centred.
        centre = {"l": low + 8, "b": low + 6, "r": high - 8, "t": high - 6}.get(place, (low + high) / 2)
        if along_x:
            tip_x = {"l": low + 2, "r": high - 2}.get(place, centre)
            tip = (tip_x, y0 - BUBBLE_TAIL) if side == "b" else (tip_x, y1 + BUBBLE_TAIL)
        else:
            tip = (x0 - BUBBLE_TAIL, centre) if side == "l" else (x1 + BUBBLE_TAIL, centre)
        pointer = (side, centre - 3, centre + 3, tip)
    corner = 2.0 if opts.frame.startswith("edge_") else 5.0
    outline = callout((x0, y0, x1, y1), corner, pointer)
    canvas.polygon(outline, opts.fill, _outline_color(opts.fill))
    text_x = x0 + BUBBLE_PAD
    middle = (y0 + y1) / 2
    if opts.style == "bubble_icon_text":
        draw_glyph(
            canvas, opts.icon, (text_x + ICON_PX / 2, middle), ICON_PX, color="#000000ff", under=opts.fill
        )
        text_x += ICON_PX + 3
    if opts.text:
        width = _text_width(opts.text, BUBBLE_TEXT_PX)
        canvas.text((text_x + width / 2, middle), opts.text, BUBBLE_TEXT_PX, opts.text_color)


def describe(spec: ChartSpec, kind: ChartKind) -> list[str]:
    from api.plaintext import quoted

    opts = options_of(spec, IconOptions)
    shape = {
        "pin": "",
        "pin_star": " with a star",
        "pin_sleft": " leaning left",
        "pin_sright": " leaning right",
    }
    if opts.style == "pin_letter":
        what = f"A map pin{shape[opts.shape]}" + (f" labelled {quoted(opts.text)}" if opts.text else "")
    elif opts.style == "pin_icon":
        what = f"A map pin with a {opts.icon} icon"
    else:
        icon = f" with a {opts.icon} icon" if opts.style == "bubble_icon_text" else ""
        what = f"A speech bubble{icon}" + (f" saying {quoted(opts.text)}" if opts.text else "")
    return [what + "."]


KIND = ChartKind(
    name="icon",
    summary="Dynamic icon",
    description="A map pin with a short label or a built-in icon (plain, with a star, or slanted), or a "
    "small speech bubble with text and optionally an icon, as Google's dynamic icons drew them, "
    "centred on a transparent background. Takes no data.",
    render=render,
    groups=("base",),
    omit=("data", "theme"),
    own_fields=own_fields,
    options=options,
    check=check_spec,
    default_size=PIN_SIZE,
    base_ms=10.0,  # the outline, a glyph and a text
    describe=describe,
    examples={
        "style": "pin_letter",
        "text": "A",
        "fill": "ff0000",
        "text_color": "000000",
        "background": "transparent",
        "title": "Meeting point",
    },
)
