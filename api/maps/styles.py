"""Google's map styles (``style=feature:water|element:geometry|color:0x1d2c4d``) -> the parts of
them that the embedded basemap can honour.

The basemap draws four things: water (a fill), the coastline (water's stroke), land (the
landscape's fill) and country borders (administrative strokes). A style's operations on those
are kept, in order, in a :class:`BasemapStyle`; everything else (roads, labels, points of
interest, transit, line weights) is not drawn here, so a style that touches only such things
had no effect. Raster tiles from a provider cannot be restyled at all.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass
from functools import cache

FEATURES = (
    "all",
    "administrative",
    "administrative.country",
    "administrative.land_parcel",
    "administrative.locality",
    "administrative.neighborhood",
    "administrative.province",
    "landscape",
    "landscape.man_made",
    "landscape.natural",
    "landscape.natural.landcover",
    "landscape.natural.terrain",
    "poi",
    "poi.attraction",
    "poi.business",
    "poi.government",
    "poi.medical",
    "poi.park",
    "poi.place_of_worship",
    "poi.school",
    "poi.sports_complex",
    "road",
    "road.arterial",
    "road.highway",
    "road.highway.controlled_access",
    "road.local",
    "transit",
    "transit.line",
    "transit.station",
    "transit.station.airport",
    "transit.station.bus",
    "transit.station.rail",
    "water",
)
ELEMENTS = (
    "all",
    "geometry",
    "geometry.fill",
    "geometry.stroke",
    "labels",
    "labels.icon",
    "labels.text",
    "labels.text.fill",
    "labels.text.stroke",
)
_HEX = r"(?:0x|#)?[0-9A-Fa-f]{6}"
_PERCENT = r"[-+]?(?:100(?:\.0{1,6})?|[0-9]{1,2}(?:\.[0-9]{1,6})?)"  # -100..100
_GAMMA = r"(?:10(?:\.0{1,6})?|[1-9](?:\.[0-9]{1,6})?|0?\.(?:0[1-9]|[1-9])[0-9]{0,5})"  # 0.01..10
RULES = {
    "hue": _HEX,
    "color": _HEX,
    "lightness": _PERCENT,
    "saturation": _PERCENT,
    "gamma": _GAMMA,
    "invert_lightness": "true|false",
    "visibility": "on|off|simplified",
    "weight": r"[0-9]{1,2}(?:\.[0-9]{1,6})?",
}
_SELECTOR = rf"(?:feature:(?:{'|'.join(FEATURES)})|element:(?:{'|'.join(ELEMENTS)}))"
_RULE = "(?:" + "|".join(f"{name}:(?:{value})" for name, value in RULES.items()) + ")"
# Selectors first (in either order), then rules; empty parts are tolerated. Each part ends in
# its separators or the end, so that no run of "|" can be split two ways (no backtracking).
STYLE_PATTERN = rf"^\|*(?:{_SELECTOR}(?:\|+|$))*(?:{_RULE}(?:\|+|$))*$"

# What the basemap draws, as (feature, element part).
WATER, COAST, LAND, BORDERS = "water", "coast", "land", "borders"
TARGETS = (WATER, COAST, LAND, BORDERS)
_FEATURE_TARGETS = {
    "all": {WATER: "fill", COAST: "stroke", LAND: "fill", BORDERS: "stroke"},
    "water": {WATER: "fill", COAST: "stroke"},
    "landscape": {LAND: "fill"},
    "landscape.natural": {LAND: "fill"},
    "landscape.natural.landcover": {LAND: "fill"},
    "administrative": {BORDERS: "stroke"},
    "administrative.country": {BORDERS: "stroke"},
}
_ELEMENT_PARTS = {
    "all": {"fill", "stroke"},
    "geometry": {"fill", "stroke"},
    "geometry.fill": {"fill"},
    "geometry.stroke": {"stroke"},
}
APPLIED_RULES = ("hue", "color", "lightness", "saturation", "gamma", "invert_lightness", "visibility")

Operation = tuple[str, str]  # (rule, canonical value)


class StyleError(ValueError):
    """A style that does not parse; the message names the part."""


@dataclass(frozen=True)
class BasemapStyle:
    """The operations on each thing the basemap draws, in the order the styles gave them."""

    water: tuple[Operation, ...] = ()
    coast: tuple[Operation, ...] = ()
    land: tuple[Operation, ...] = ()
    borders: tuple[Operation, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.water or self.coast or self.land or self.borders)

    def paint(self, target: str, default: str) -> str | None:
        """The colour (``#rrggbb``) to draw ``target`` in, from its default; None: hidden."""
        return paint(getattr(self, target), default)


def parse_style(text: str) -> dict[str, tuple[Operation, ...]]:
    """One ``style`` value -> the operations it applies per basemap target (empty: none)."""
    if not _style_re().fullmatch(text):
        raise StyleError(_diagnose(text))
    feature, element = "all", "all"
    operations: list[Operation] = []
    for part in filter(None, text.split("|")):
        key, _, value = part.partition(":")
        if key == "feature":
            feature = value
        elif key == "element":
            element = value
        elif key in APPLIED_RULES:
            operations.append((key, _canonical(key, value)))
    parts = _ELEMENT_PARTS.get(element, set())
    targets = [t for t, part in _FEATURE_TARGETS.get(feature, {}).items() if part in parts]
    return {target: tuple(operations) for target in targets if operations}


def combine(styles: list[dict[str, tuple[Operation, ...]]]) -> BasemapStyle:
    joined: dict[str, list[Operation]] = {target: [] for target in TARGETS}
    for style in styles:
        for target, operations in style.items():
            joined[target].extend(operations)
    return BasemapStyle(**{target: tuple(ops) for target, ops in joined.items()})


def _canonical(rule: str, value: str) -> str:
    if rule in ("hue", "color"):
        return "#" + value.removeprefix("0x").removeprefix("#").lower()
    if rule in ("lightness", "saturation", "gamma"):
        return repr(float(value))
    return value


@cache
def _style_re() -> re.Pattern[str]:
    return re.compile(STYLE_PATTERN)


def _diagnose(text: str) -> str:
    seen_rule = False
    for index, part in enumerate(text.split("|"), start=1):
        if not part:
            continue
        key, sep, value = part.partition(":")
        shown = repr(part if len(part) <= 40 else part[:37] + "...")
        if not sep:
            return f"part {index} ({shown}): expected feature:, element: or a rule name:value"
        if key in ("feature", "element"):
            names = FEATURES if key == "feature" else ELEMENTS
            if value not in names:
                return f"part {index} ({shown}): unknown {key}; one of {', '.join(names[:8])}, ..."
            if seen_rule:
                return f"part {index} ({shown}): feature and element come before the rules"
            continue
        if key not in RULES:
            return f"part {index} ({shown}): unknown rule {key!r}; one of {', '.join(RULES)}"
        if not re.fullmatch(RULES[key], value):
            return f"part {index} ({shown}): {key} has a malformed value"
        seen_rule = True
    return "malformed style"


def paint(operations: tuple[Operation, ...], default: str) -> str | None:
    """``default`` (``#rrggbb``) changed by Google's style rules in order; None: hidden.

    hue takes the hue of its colour, saturation and lightness move towards their extremes
    by a percentage, gamma bends lightness, invert_lightness mirrors it.
    """
    red, green, blue = (int(default[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, sat = colorsys.rgb_to_hls(red, green, blue)
    visible = True
    for rule, value in operations:
        if rule == "visibility":
            visible = value != "off"
        elif rule == "color":
            hue, light, sat = colorsys.rgb_to_hls(*(int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)))
        elif rule == "hue":
            hue = colorsys.rgb_to_hls(*(int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)))[0]
        elif rule == "lightness":
            light = _towards(light, float(value))
        elif rule == "saturation":
            sat = _towards(sat, float(value))
        elif rule == "gamma":
            light = light ** float(value)
        elif rule == "invert_lightness" and value == "true":
            light = 1.0 - light
    if not visible:
        return None
    r, g, b = colorsys.hls_to_rgb(hue, light, sat)
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in (r, g, b))


def _towards(value: float, percent: float) -> float:
    return value + (1.0 - value) * percent / 100 if percent >= 0 else value * (1.0 + percent / 100)
