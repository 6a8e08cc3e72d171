"""Google Static Maps descriptors -> overlay specs (frozen dataclasses).

The grammar of each descriptor is one regular expression, which is also the OpenAPI
``pattern`` of its parameter: what the spec promises is what the parser takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from api.fields import COLOR_PATTERN, parse_color
from api.maps.geo import LatLng

# Latitude -90..90 and longitude -180..180, up to 15 decimals: ranges spelt out, so that
# every string the pattern allows is a valid position.
_DEC = r"(?:\.[0-9]{1,15})?"
_ZERO = r"(?:\.0{1,15})?"
LAT = rf"-?(?:90{_ZERO}|[1-8]?[0-9]{_DEC})"
LNG = rf"-?(?:180{_ZERO}|(?:1[0-7][0-9]|[1-9]?[0-9]){_DEC})"
LATLNG = rf"{LAT},{LNG}"
_COLOR = COLOR_PATTERN[1:-1].removeprefix("(?:").removesuffix(")")
COLOR = rf"(?:{_COLOR})"
MARKER_SIZES = ("tiny", "small", "mid", "large")
WEIGHT = r"[0-9]{1,2}"
RADIUS = r"[0-9]{1,7}(?:\.[0-9]{1,3})?"
# An encoded polyline is pairs of numbers (lat, lng deltas), each up to six 5-bit chunks:
# continuation chunks are the characters _..~ and the last chunk one of ?..^. "|" is a
# continuation chunk, so an encoded path is always the descriptor's last part.
_ENCODED_NUMBER = r"[_-~]{0,6}[?-^]"
ENCODED = rf"enc:(?:{_ENCODED_NUMBER}{_ENCODED_NUMBER}){{2,}}"

MARKER_STYLE = rf"(?:color:{COLOR}|size:(?:{'|'.join(MARKER_SIZES)})|label:[A-Z0-9])"
PATH_STYLE = rf"(?:color:{COLOR}|fillcolor:{COLOR}|weight:{WEIGHT}|geodesic:(?:true|false))"
CIRCLE_STYLE = rf"(?:color:{COLOR}|fillcolor:{COLOR}|weight:{WEIGHT}|radius:{RADIUS})"

MARKERS_PATTERN = rf"^(?:{MARKER_STYLE}\|)*{LATLNG}(?:\|{LATLNG})*$"
PATH_PATTERN = rf"^(?:{PATH_STYLE}\|)*(?:{LATLNG}(?:\|{LATLNG})+|{ENCODED})$"
CIRCLE_PATTERN = rf"^(?:{CIRCLE_STYLE}\|)*{LATLNG}$"
POINTS_PATTERN = rf"^{LATLNG}(?:\|{LATLNG})*$"
POINT_PATTERN = rf"^{LATLNG}$"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """Compiled on first use: the colour names make these patterns slow to compile at start."""
    return re.compile(pattern)


DEFAULT_MARKER_COLOR = "#ea4335ff"
DEFAULT_PATH_COLOR = "#0000ffbf"  # Google's default: blue at 75% opacity
DEFAULT_CIRCLE_RADIUS = 1000.0


class DescriptorError(ValueError):
    """A descriptor that does not parse; the message says why (never echoing much input)."""


@dataclass(frozen=True)
class Markers:
    points: tuple[LatLng, ...]
    color: str = DEFAULT_MARKER_COLOR
    size: str = "mid"
    label: str = ""


@dataclass(frozen=True)
class Path:
    points: tuple[LatLng, ...]
    color: str = DEFAULT_PATH_COLOR
    weight: int = 5
    fillcolor: str | None = None  # set: a closed polygon
    geodesic: bool = False


@dataclass(frozen=True)
class Circle:
    center: LatLng
    radius: float = DEFAULT_CIRCLE_RADIUS  # metres
    color: str = DEFAULT_PATH_COLOR
    weight: int = 3
    fillcolor: str | None = None


def _split(text: str, pattern: str, what: str) -> tuple[dict[str, str], list[str]]:
    """Styles (key: value, last one wins) and the location parts of a descriptor."""
    if not _compiled(pattern).fullmatch(text):
        raise DescriptorError(diagnose(text, what))
    encoded = ""
    if "|enc:" in text or text.startswith("enc:"):
        head, _, tail = text.partition("enc:")
        text, encoded = head.rstrip("|"), "enc:" + tail
    styles: dict[str, str] = {}
    locations: list[str] = []
    for part in filter(None, text.split("|")):
        key, sep, value = part.partition(":")
        if sep and key.isalpha():
            styles[key] = value
        else:
            locations.append(part)
    if encoded:
        locations.append(encoded)
    return styles, locations


_STYLE_RULES = {
    "color": (COLOR, "a CSS colour name or 0xRRGGBB[AA]"),
    "fillcolor": (COLOR, "a CSS colour name or 0xRRGGBB[AA]"),
    "size": ("|".join(MARKER_SIZES), "one of " + ", ".join(MARKER_SIZES)),
    "label": ("[A-Z0-9]", "one character, A-Z or 0-9"),
    "weight": (WEIGHT, "a whole number of pixels, 0-99"),
    "geodesic": ("true|false", "true or false"),
    "radius": (RADIUS, "metres, a number up to 9999999.999"),
}
_STYLES = {
    "markers": ("color", "size", "label"),
    "path": ("color", "fillcolor", "weight", "geodesic"),
    "circle": ("color", "fillcolor", "weight", "radius"),
}


_MISSING = {
    "circle": "a circle takes exactly one lat,lng centre, after its styles",
    "path": "a path needs at least 2 lat,lng points (or enc:...), after its styles",
}


def diagnose(text: str, what: str) -> str:
    """Why a descriptor does not parse, naming the first offending part."""
    if not text:
        return "empty: give at least one lat,lng location"
    for index, part in enumerate(text.split("|"), start=1):
        problem = _style_problem(part, what) if _is_style(part) else _location_problem(part)
        if problem:
            shown = part if len(part) <= 40 else part[:37] + "..."
            return f"part {index} ({shown!r}): {problem}"
    return _MISSING.get(what, "styles must come before the locations, and at least one location is needed")


def _is_style(part: str) -> bool:
    key, sep, _ = part.partition(":")
    return bool(sep) and key.isalpha()


def _style_problem(part: str, what: str) -> str | None:
    key, _, value = part.partition(":")
    if key == "enc" and what == "path":
        return "not a valid encoded polyline (and it must come last)"
    if what not in _STYLES:
        return "only lat,lng locations are taken here"
    if key not in _STYLES[what]:
        return f"unknown style {key!r}; {what} takes {', '.join(_STYLES[what])}"
    rule, expected = _STYLE_RULES[key]
    return None if _compiled(f"^(?:{rule})$").fullmatch(value) else f"{key} must be {expected}"


def _location_problem(part: str) -> str | None:
    if _compiled(f"^{LATLNG}$").fullmatch(part):
        return None
    try:
        lat, lng = (float(n) for n in part.split(","))
    except ValueError:
        return "expected a style (name:value) or a location lat,lng"
    if not -90 <= lat <= 90:
        return f"latitude {lat:g} is outside -90..90"
    if not -180 <= lng <= 180:
        return f"longitude {lng:g} is outside -180..180"
    return "write locations as decimal lat,lng (up to 15 decimals)"


def _point(text: str) -> LatLng:
    lat, lng = text.split(",")
    return float(lat), float(lng)


def _decode(encoded: str) -> tuple[LatLng, ...]:
    import polyline

    try:
        points = polyline.decode(encoded.removeprefix("enc:"))
    except (ValueError, IndexError, TypeError) as exc:
        raise DescriptorError("the encoded polyline does not decode") from exc
    if len(points) < 2:
        raise DescriptorError("an encoded path needs at least 2 points")
    for lat, lng in points:
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise DescriptorError(f"the encoded polyline has a point out of range ({lat:g}, {lng:g})")
    return tuple((float(lat), float(lng)) for lat, lng in points)


def parse_markers(text: str) -> Markers:
    styles, locations = _split(text, MARKERS_PATTERN, "markers")
    size = styles.get("size", "mid")
    return Markers(
        points=tuple(_point(p) for p in locations),
        color=parse_color(styles["color"]) if "color" in styles else DEFAULT_MARKER_COLOR,
        size=size,
        label=styles.get("label", "") if size in ("mid", "large") else "",  # too small for a letter
    )


def parse_path(text: str) -> Path:
    styles, locations = _split(text, PATH_PATTERN, "path")
    if locations and locations[-1].startswith("enc:"):
        points = _decode(locations[-1])
    else:
        points = tuple(_point(p) for p in locations)
    return Path(
        points=points,
        color=parse_color(styles["color"]) if "color" in styles else DEFAULT_PATH_COLOR,
        weight=int(styles.get("weight", 5)),
        fillcolor=parse_color(styles["fillcolor"]) if "fillcolor" in styles else None,
        geodesic=styles.get("geodesic") == "true",
    )


def parse_circle(text: str) -> Circle:
    styles, locations = _split(text, CIRCLE_PATTERN, "circle")
    return Circle(
        center=_point(locations[0]),
        radius=float(styles.get("radius", DEFAULT_CIRCLE_RADIUS)),
        color=parse_color(styles["color"]) if "color" in styles else DEFAULT_PATH_COLOR,
        weight=int(styles.get("weight", 3)),
        fillcolor=parse_color(styles["fillcolor"]) if "fillcolor" in styles else None,
    )


def parse_points(text: str) -> tuple[LatLng, ...]:
    if not _compiled(POINTS_PATTERN).fullmatch(text):
        raise DescriptorError(diagnose(text, "points"))
    return tuple(_point(p) for p in text.split("|"))
