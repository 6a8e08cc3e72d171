"""Drawing helpers of maps: colours, the font, icon anchors and the attribution."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from api.plaintext import ELLIPSIS

Point = tuple[float, float]
ATTRIBUTION_SIZE = 10.0  # CSS pixels


def rgba(color: str) -> tuple[int, int, int, int]:
    """``#rrggbbaa`` as a tuple."""
    value = color.removeprefix("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), int(value[6:8], 16)


def darker(color: tuple[int, int, int, int], factor: float = 0.6) -> tuple[int, int, int, int]:
    return round(color[0] * factor), round(color[1] * factor), round(color[2] * factor), 255


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans, the charts' font (shipped with matplotlib, which need not be imported
    for it): it has the dashes and letters of attributions that Pillow's default lacks."""
    return ImageFont.truetype(str(_dejavu()), max(size, 1))


@cache
def _dejavu() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:
        raise RuntimeError("matplotlib, whose DejaVu Sans the maps use, is not installed")
    return Path(locations[0]) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


def anchor_point(anchor: str, width: int, height: int) -> Point:
    """Google's icon anchors: "x,y" pixels from the top left, or a named point of the icon."""
    if "," in anchor:
        left, top = anchor.split(",")
        return float(left), float(top)
    x = 0.0 if "left" in anchor else width if "right" in anchor else width / 2
    y = 0.0 if "top" in anchor else height if "bottom" in anchor else height / 2
    return x, y


def attribution(image: Image.Image, text: str, scale: int) -> None:
    """``text`` at the bottom right on a light box, shortened to fit the width."""
    face = font(round(ATTRIBUTION_SIZE * scale))
    pad = 3 * scale
    room = image.width - 2 * pad - 2 * scale
    if room < ATTRIBUTION_SIZE * scale:
        return  # narrower than one character: nothing legible fits
    if face.getlength(text) > room:
        while text and face.getlength(text + ELLIPSIS) > room:
            text = text[:-1]
        text = text.rstrip() + ELLIPSIS
    left, top, right, bottom = face.getbbox(text)
    width, height = right - left + 2 * pad, bottom - top + 2 * pad
    box = Image.new("RGBA", (int(width), int(height)), (255, 255, 255, 190))
    ImageDraw.Draw(box).text((pad - left, pad - top), text, fill=(40, 40, 40, 255), font=face)
    image.alpha_composite(box, (image.width - box.width, image.height - box.height))
