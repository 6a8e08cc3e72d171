"""Overlays and attribution drawn with Pillow, anti-aliased by supersampling."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from api.maps.viewport import MARKER_RADIUS, PIN_HEIGHT
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


class OverlayLayer:
    """A transparent layer ``factor`` times the output size. Each overlay is drawn on its own
    small canvas and alpha-composited, so translucent overlays blend with those below."""

    def __init__(self, size: tuple[int, int], factor: int) -> None:
        self.factor = factor
        self.image = Image.new("RGBA", (size[0] * factor, size[1] * factor), (0, 0, 0, 0))

    def _draw(
        self, points: Sequence[Point], pad: float, paint: Callable[[ImageDraw.ImageDraw, list[Point]], None]
    ) -> None:
        scaled = [(x * self.factor, y * self.factor) for x, y in points]
        if not scaled:
            return
        pad *= self.factor
        left = max(0, int(min(x for x, _ in scaled) - pad))
        top = max(0, int(min(y for _, y in scaled) - pad))
        right = min(self.image.width, int(max(x for x, _ in scaled) + pad) + 1)
        bottom = min(self.image.height, int(max(y for _, y in scaled) + pad) + 1)
        if right <= left or bottom <= top:
            return  # wholly outside the image
        canvas = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
        paint(ImageDraw.Draw(canvas), [(x - left, y - top) for x, y in scaled])
        self.image.alpha_composite(canvas, (left, top))

    def line(self, points: Sequence[Point], color: str, width: float) -> None:
        if width <= 0 or len(points) < 2:
            return
        pixels = max(1, round(width * self.factor))
        self._draw(points, width, lambda d, p: d.line(p, fill=rgba(color), width=pixels, joint="curve"))

    def polygon(self, points: Sequence[Point], fill: str | None, outline: str, width: float) -> None:
        if len(points) < 3:
            return

        def paint(draw: ImageDraw.ImageDraw, p: list[Point]) -> None:
            if fill is not None:
                draw.polygon(p, fill=rgba(fill))
            if width > 0:
                draw.line(
                    [*p, p[0]], fill=rgba(outline), width=max(1, round(width * self.factor)), joint="curve"
                )

        self._draw(points, width, paint)

    def pin(self, at: Point, color: str, size: str, label: str, scale: float) -> None:
        radius = MARKER_RADIUS[size] * scale
        height = radius * PIN_HEIGHT
        x, y = at
        fill = rgba(color)
        edge = darker(fill)

        def paint(draw: ImageDraw.ImageDraw, p: list[Point]) -> None:
            tip_x, tip_y = p[0]
            r = radius * self.factor
            cy = tip_y - height * self.factor + r
            outline = max(1, round(scale * self.factor * 0.8))
            draw.polygon(
                [(tip_x - r * 0.72, cy + r * 0.55), (tip_x + r * 0.72, cy + r * 0.55), (tip_x, tip_y)],
                fill=fill,
                outline=edge,
                width=outline,
            )
            draw.ellipse((tip_x - r, cy - r, tip_x + r, cy + r), fill=fill, outline=edge, width=outline)
            draw.polygon(
                [
                    (tip_x - r * 0.62, cy + r * 0.45),
                    (tip_x + r * 0.62, cy + r * 0.45),
                    (tip_x, tip_y - outline),
                ],
                fill=fill,
            )
            if label:
                ink = "#000000" if sum(fill[:3]) > 500 else "#ffffff"
                draw.text((tip_x, cy), label, fill=ink, anchor="mm", font=font(round(r * 1.3)))
            else:
                dot = r * 0.32
                draw.ellipse((tip_x - dot, cy - dot, tip_x + dot, cy + dot), fill=edge)

        # The first point is the tip (paint's reference); the others bound the pin.
        self._draw([(x, y), (x - radius, y - height), (x + radius, y)], 2 * scale, paint)

    def icon(self, at: Point, icon: Image.Image, anchor: str, scale: float) -> None:
        """A custom marker icon (RGBA) with its ``anchor`` (a named point or "x,y" icon pixels) on ``at``."""
        f = self.factor * scale
        big = icon.resize(
            (max(1, round(icon.width * f)), max(1, round(icon.height * f))), Image.Resampling.LANCZOS
        )
        ax, ay = anchor_point(anchor, icon.width, icon.height)
        left, top = round(at[0] * self.factor - ax * f), round(at[1] * self.factor - ay * f)
        # Only the part inside the layer (alpha_composite takes no negative offsets).
        box = (
            max(0, -left),
            max(0, -top),
            min(big.width, self.image.width - left),
            min(big.height, self.image.height - top),
        )
        if box[2] > box[0] and box[3] > box[1]:
            self.image.alpha_composite(big, (left + box[0], top + box[1]), box)

    def flatten(self) -> Image.Image:
        """The layer at output size (box-filtered down: the anti-aliasing)."""
        return self.image.reduce(self.factor) if self.factor > 1 else self.image


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
