"""Google Static Maps descriptors -> overlay specs (frozen dataclasses).

The grammar of each descriptor is one regular expression, which is also the OpenAPI
``pattern`` of its parameter: what the spec promises is what the parser takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from api.fields import COLOR_PATTERN, parse_color
from api.geodata.gazetteer import Place, UnknownPlace, resolve
from api.maps.geo import LatLng

# Latitude -90..90 and longitude -180..180, up to 17 decimals (what JavaScript prints for a
# double), spaces allowed around the comma: ranges spelt out, so that every string the
# pattern allows is a valid position.
_DEC = r"(?:\.[0-9]{1,17})?"
_ZERO = r"(?:\.0{1,17})?"
LAT = rf"-?(?:90{_ZERO}|[1-8]?[0-9]{_DEC})"
LNG = rf"-?(?:180{_ZERO}|(?:1[0-7][0-9]|[1-9]?[0-9]){_DEC})"
LATLNG = rf"[ ]*{LAT}[ ]*,[ ]*{LNG}[ ]*"
# A place name (``Chicago,IL``, ``São Paulo``): text without "|", ":" or control characters,
# with at least one letter other than "e" (so that no malformed number reads as a place).
# Written as "non-letters, a letter, anything": the classes do not overlap, so a match is found
# (or refused) in one pass, never by backtracking over every split of a long part.
_PLACE_CHAR = r"[^|:\x00-\x1f\x7f-\x9f]"
_PLACE_LETTER = r"[^\x00-\x40\x5b-\x60\x7b-\x9f|:eE]"
_PLACE_OTHER = r"[\x20-\x39\x3b-\x40\x5b-\x60\x7b\x7d\x7eeE]"  # place characters but letters
PLACE = rf"{_PLACE_OTHER}*{_PLACE_LETTER}{_PLACE_CHAR}*"
LOCATION = rf"(?:{LATLNG}|{PLACE})"
_COLOR = COLOR_PATTERN[1:-1].removeprefix("(?:").removesuffix(")")
COLOR = rf"(?:{_COLOR})"
MARKER_SIZES = ("tiny", "small", "mid", "normal", "large")
DEFAULT_MARKER_SIZE = "normal"  # Google's default pin
# Head radius in CSS pixels of each marker size (normal: Google's default); a pin is
# PIN_HEIGHT radii tall.
MARKER_RADIUS = {"tiny": 4.0, "small": 6.0, "mid": 9.0, "normal": 10.5, "large": 12.0}
PIN_HEIGHT = 2.7
LABELLED_SIZES = ("mid", "normal", "large")  # tiny and small pins are too small for a letter
ANCHORS = ("top", "bottom", "left", "right", "center", "topleft", "topright", "bottomleft", "bottomright")
WEIGHT = r"[0-9]{1,2}"
RADIUS = r"[0-9]{1,7}(?:\.[0-9]{1,3})?"
# An icon URL: printable ASCII but "|" (Google's syntax has it percent-encoded).
ICON = r"https?://[!-{}~]{1,1024}"
ANCHOR = rf"(?:[0-9]{{1,3}},[0-9]{{1,3}}|{'|'.join(ANCHORS)})"
# An encoded polyline is pairs of numbers (lat, lng deltas), each up to six 5-bit chunks:
# continuation chunks are the characters _..~ and the last chunk one of ?..^. "|" is a
# continuation chunk, so an encoded path is always the descriptor's last part.
_ENCODED_NUMBER = r"[_-~]{0,6}[?-^]"
ENCODED = rf"enc:(?:{_ENCODED_NUMBER}{_ENCODED_NUMBER})+"

MARKER_STYLE = (
    rf"(?:color:{COLOR}|size:(?:{'|'.join(MARKER_SIZES)})|label:[A-Za-z0-9]?|icon:{ICON}|anchor:{ANCHOR}"
    r"|scale:[124])"
)
PATH_STYLE = rf"(?:color:{COLOR}|fillcolor:{COLOR}|weight:{WEIGHT}|geodesic:(?:true|false))"
CIRCLE_STYLE = rf"(?:color:{COLOR}|fillcolor:{COLOR}|weight:{WEIGHT}|radius:{RADIUS})"

# Empty parts (``a||b``) and leading or trailing separators are tolerated, as Google did; an
# empty value is no overlay at all.
MARKERS_PATTERN = rf"^(?:\|*(?:{MARKER_STYLE}\|+)*{LOCATION}(?:\|+{LOCATION})*\|*)?$"
PATH_PATTERN = rf"^(?:\|*(?:{PATH_STYLE}\|+)*(?:{LOCATION}(?:\|+{LOCATION})*|{ENCODED})\|*)?$"
CIRCLE_PATTERN = rf"^(?:\|*(?:{CIRCLE_STYLE}\|+)*{LOCATION}\|*)?$"
POINTS_PATTERN = rf"^(?:\|*{LOCATION}(?:\|+{LOCATION})*\|*)?$"
POINT_PATTERN = rf"^(?:{LOCATION})?$"


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
    size: str = DEFAULT_MARKER_SIZE
    label: str = ""
    icon: str | None = None  # a custom icon's URL, drawn instead of the pin when it can be had
    anchor: str = "bottom"  # the icon's point on the location: a named anchor or "x,y" pixels
    places: tuple[Place, ...] = ()  # the named locations among the points, as resolved


@dataclass(frozen=True)
class Path:
    points: tuple[LatLng, ...]
    color: str = DEFAULT_PATH_COLOR
    weight: int = 5
    fillcolor: str | None = None  # set: a closed polygon
    geodesic: bool = False
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Circle:
    center: LatLng
    radius: float = DEFAULT_CIRCLE_RADIUS  # metres
    color: str = DEFAULT_PATH_COLOR
    weight: int = 3
    fillcolor: str | None = None
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Located:
    """Locations that are not drawn (``center``, ``visible``), with the places among them."""

    points: tuple[LatLng, ...]
    places: tuple[Place, ...] = ()


def _split(text: str, pattern: str, what: str) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """Styles (key: value, last one wins) and the numbered location parts of a descriptor."""
    if not _compiled(pattern).fullmatch(text):
        raise DescriptorError(diagnose(text, what))
    encoded = ""
    if "|enc:" in text or text.startswith("enc:"):
        head, _, tail = text.partition("enc:")
        text, encoded = head, "enc:" + tail.rstrip("|")  # a polyline never ends in "|"
    styles: dict[str, str] = {}
    locations: list[tuple[int, str]] = []
    parts = text.split("|")
    for index, part in enumerate(parts, start=1):
        if not part:
            continue
        key, sep, value = part.partition(":")
        if sep and key.isalpha():
            styles[key] = value
        else:
            locations.append((index, part))
    if encoded:
        locations.append((len(parts), encoded))
    return styles, locations


_STYLE_RULES = {
    "color": (COLOR, "a CSS colour name or 0xRRGGBB[AA]"),
    "fillcolor": (COLOR, "a CSS colour name or 0xRRGGBB[AA]"),
    "size": ("|".join(MARKER_SIZES), "one of " + ", ".join(MARKER_SIZES)),
    "label": ("[A-Za-z0-9]?", "one character, A-Z or 0-9"),
    "icon": (ICON, "an http(s) URL of at most 1024 characters, with '|' percent-encoded"),
    "anchor": (ANCHOR, "x,y pixels (0-999) or one of " + ", ".join(ANCHORS)),
    "scale": ("[124]", "1, 2 or 4"),
    "weight": (WEIGHT, "a whole number of pixels, 0-99"),
    "geodesic": ("true|false", "true or false"),
    "radius": (RADIUS, "metres, a number up to 9999999.999"),
}
_STYLES = {
    "markers": ("color", "size", "label", "icon", "anchor", "scale"),
    "path": ("color", "fillcolor", "weight", "geodesic"),
    "circle": ("color", "fillcolor", "weight", "radius"),
}


_MISSING = {
    "circle": "a circle takes exactly one location (lat,lng or a place), after its styles",
    "path": "a path needs lat,lng points, places or enc:..., after its styles",
}


def diagnose(text: str, what: str) -> str:
    """Why a descriptor does not parse, naming the first offending part."""
    for index, part in enumerate(text.split("|"), start=1):
        if not part:
            continue
        problem = _style_problem(part, what) if _is_style(part) else _location_problem(part)
        if problem:
            return f"part {index} ({_shown(part)}): {problem}"
    return _MISSING.get(what, "styles must come before the locations, and at least one location is needed")


def _shown(part: str) -> str:
    return repr(part if len(part) <= 40 else part[:37] + "...")


def _is_style(part: str) -> bool:
    key, sep, _ = part.partition(":")
    return bool(sep) and key.isalpha()


def _style_problem(part: str, what: str) -> str | None:
    key, _, value = part.partition(":")
    if key == "enc" and what == "path":
        return "not a valid encoded polyline (and it must come last)"
    if what not in _STYLES:
        return "only locations (lat,lng or a place name) are taken here"
    if key not in _STYLES[what]:
        return f"unknown style {key!r}; {what} takes {', '.join(_STYLES[what])}"
    rule, expected = _STYLE_RULES[key]
    return None if _compiled(f"^(?:{rule})$").fullmatch(value) else f"{key} must be {expected}"


def _location_problem(part: str) -> str | None:
    if _compiled(f"^{LOCATION}$").fullmatch(part):
        return None
    try:
        lat, lng = (float(n) for n in part.split(","))
    except ValueError:
        return "expected a style (name:value), a location lat,lng or a place name"
    if not -90 <= lat <= 90:
        return f"latitude {lat:g} is outside -90..90"
    if not -180 <= lng <= 180:
        return f"longitude {lng:g} is outside -180..180"
    return "write locations as decimal lat,lng (up to 17 decimals)"


def _locate(parts: list[tuple[int, str]]) -> tuple[tuple[LatLng, ...], tuple[Place, ...]]:
    """Positions of location parts: coordinates as written, place names from the gazetteer."""
    points: list[LatLng] = []
    places: dict[Place, None] = {}
    for index, part in parts:
        if _compiled(f"^{LATLNG}$").fullmatch(part):
            lat, lng = part.split(",")
            points.append((float(lat), float(lng)))
            continue
        try:
            place = resolve(part)
        except UnknownPlace as exc:
            raise DescriptorError(f"part {index} ({_shown(part)}): {exc}") from None
        points.append(place.point)
        places[place] = None
    return tuple(points), tuple(places)


def _decode(encoded: str) -> tuple[LatLng, ...]:
    import polyline

    try:
        points = polyline.decode(encoded.removeprefix("enc:"))
    except (ValueError, IndexError, TypeError) as exc:
        raise DescriptorError("the encoded polyline does not decode") from exc
    if not points:
        raise DescriptorError("the encoded polyline has no points")
    for lat, lng in points:
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise DescriptorError(f"the encoded polyline has a point out of range ({lat:g}, {lng:g})")
    return tuple((float(lat), float(lng)) for lat, lng in points)


def parse_markers(text: str) -> Markers | None:
    """A group of markers; None for an empty descriptor."""
    styles, locations = _split(text, MARKERS_PATTERN, "markers")
    if not locations:
        return None
    points, places = _locate(locations)
    size = styles.get("size", DEFAULT_MARKER_SIZE)
    icon = styles.get("icon")
    return Markers(
        points=points,
        color=parse_color(styles["color"]) if "color" in styles else DEFAULT_MARKER_COLOR,
        size=size,
        # Google upper-cased labels; tiny and small pins have no room for one.
        label=styles.get("label", "").upper() if size in LABELLED_SIZES else "",
        icon=icon,
        anchor=styles.get("anchor", "bottom") if icon else "bottom",
        places=places,
    )


def parse_path(text: str) -> Path | None:
    """A path (a polygon with a fillcolor); one point is a path too. None for an empty one."""
    styles, locations = _split(text, PATH_PATTERN, "path")
    if not locations:
        return None
    places: tuple[Place, ...] = ()
    if locations[-1][1].startswith("enc:"):
        points = _decode(locations[-1][1])
    else:
        points, places = _locate(locations)
    return Path(
        points=points,
        color=parse_color(styles["color"]) if "color" in styles else DEFAULT_PATH_COLOR,
        weight=int(styles.get("weight", 5)),
        fillcolor=parse_color(styles["fillcolor"]) if "fillcolor" in styles else None,
        geodesic=styles.get("geodesic") == "true",
        places=places,
    )


def parse_circle(text: str) -> Circle | None:
    styles, locations = _split(text, CIRCLE_PATTERN, "circle")
    if not locations:
        return None
    points, places = _locate(locations)
    return Circle(
        center=points[0],
        radius=float(styles.get("radius", DEFAULT_CIRCLE_RADIUS)),
        color=parse_color(styles["color"]) if "color" in styles else DEFAULT_PATH_COLOR,
        weight=int(styles.get("weight", 3)),
        fillcolor=parse_color(styles["fillcolor"]) if "fillcolor" in styles else None,
        places=places,
    )


def parse_points(text: str) -> Located | None:
    """``visible`` locations; None for an empty value."""
    if not _compiled(POINTS_PATTERN).fullmatch(text):
        raise DescriptorError(diagnose(text, "points"))
    parts = [(index, part) for index, part in enumerate(text.split("|"), start=1) if part]
    if not parts:
        return None
    return Located(*_locate(parts))


def parse_point(text: str) -> Located | None:
    """One location (``center``); None for an empty value."""
    if not _compiled(POINT_PATTERN).fullmatch(text):
        raise DescriptorError(diagnose(text, "point") if "|" not in text else "give one location")
    if not text:
        return None
    return Located(*_locate([(1, text)]))
