"""Google Static Maps descriptors -> overlay specs."""

from __future__ import annotations

import re
from typing import Any

import polyline
import pytest

from api.maps.overlays import (
    MARKERS_PATTERN,
    PATH_PATTERN,
    DescriptorError,
    parse_circle,
    parse_markers,
    parse_path,
    parse_points,
)


def test_markers_with_styles_and_points() -> None:
    markers = parse_markers("color:red|size:large|label:A|48.85,2.35|-33.9,151.2")
    assert markers.points == ((48.85, 2.35), (-33.9, 151.2))
    assert (markers.color, markers.size, markers.label) == ("#ff0000ff", "large", "A")


def test_markers_defaults_and_hex_colour() -> None:
    markers = parse_markers("color:0x0072b2|1,2")
    assert (markers.color, markers.size, markers.label) == ("#0072b2ff", "mid", "")
    assert parse_markers("3,4").color == "#ea4335ff"


def test_small_markers_carry_no_label() -> None:
    assert parse_markers("size:tiny|label:A|1,2").label == ""


def test_last_style_wins() -> None:
    assert parse_markers("color:red|color:blue|1,2").color == "#0000ffff"


@pytest.mark.parametrize(
    "text",
    [
        "color:red",  # no location
        "91,0",
        "-90.5,0",
        "0,180.1",
        "0,-181",
        "size:huge|1,1",
        "label:ab|1,1",
        "label:a|1,1",
        "color:nocolour|1,1",
        "1,1|",
        "1;1",
        "Paris",
        "1,1\n",
    ],
)
def test_bad_markers(text: str) -> None:
    with pytest.raises(DescriptorError):
        parse_markers(text)
    assert not re.fullmatch(MARKERS_PATTERN, text), "the spec's pattern rejects it too"


def test_path_points_and_styles() -> None:
    path = parse_path("color:0xff0000cc|weight:7|fillcolor:0x00ff0033|geodesic:true|1,2|3,4|5,6")
    assert path.points == ((1.0, 2.0), (3.0, 4.0), (5.0, 6.0))
    assert (path.color, path.weight, path.fillcolor, path.geodesic) == ("#ff0000cc", 7, "#00ff0033", True)


def test_path_defaults() -> None:
    path = parse_path("1,2|3,4")
    assert (path.color, path.weight, path.fillcolor, path.geodesic) == ("#0000ffbf", 5, None, False)


def test_encoded_path_round_trips() -> None:
    points = [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]
    encoded = polyline.encode(points)
    path = parse_path(f"color:blue|weight:3|enc:{encoded}")
    assert path.points == tuple(points)
    assert re.fullmatch(PATH_PATTERN, f"weight:3|enc:{encoded}")


@pytest.mark.parametrize(
    "text", ["1,2", "enc:", "enc:?", "weight:100|1,2|3,4", "geodesic:yes|1,2|3,4", "1,2|3,4|enc:??"]
)
def test_bad_paths(text: str) -> None:
    with pytest.raises(DescriptorError):
        parse_path(text)


def test_encoded_path_out_of_range_is_refused() -> None:
    with pytest.raises(DescriptorError, match="out of range"):
        # A third delta of +50 degrees after 89: structurally valid, but latitude 139.
        parse_path("enc:" + polyline.encode([(80.0, 0.0), (89.0, 0.0)]) + polyline.encode([(50.0, 0.0)]))


def test_circle() -> None:
    circle = parse_circle("color:blue|fillcolor:0x0000ff33|weight:2|radius:2500.5|10,20")
    assert (circle.center, circle.radius, circle.weight, circle.fillcolor) == (
        (10.0, 20.0),
        2500.5,
        2,
        "#0000ff33",
    )
    assert parse_circle("10,20").radius == 1000.0
    with pytest.raises(DescriptorError):
        parse_circle("radius:-5|10,20")
    with pytest.raises(DescriptorError):
        parse_circle("10,20|30,40")


def test_points() -> None:
    assert parse_points("1,2|-3.5,4") == ((1.0, 2.0), (-3.5, 4.0))
    with pytest.raises(DescriptorError):
        parse_points("1,2|")


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_markers, "91,0", "latitude 91 is outside -90..90"),
        (parse_markers, "0,181", "longitude 181 is outside -180..180"),
        (parse_markers, "size:huge|1,1", "size must be one of tiny, small, mid, large"),
        (parse_markers, "label:ab|1,1", "label must be one character"),
        (parse_markers, "colour:red|1,1", "unknown style 'colour'"),
        (parse_markers, "Paris", "expected a style (name:value) or a location lat,lng"),
        (parse_markers, "1,1|color:red", "styles must come before the locations"),
        (parse_path, "1,2", "at least 2 lat,lng points"),
        (parse_path, "weight:100|1,2|3,4", "weight must be a whole number"),
        (parse_path, "enc:??|1,2", "not a valid encoded polyline"),
        (parse_circle, "1,2|3,4", "exactly one lat,lng centre"),
        (parse_circle, "radius:-5|1,2", "radius must be metres"),
        (parse_points, "color:red|1,2", "only lat,lng locations"),
        (parse_points, "", "empty"),
    ],
)
def test_errors_say_what_is_wrong(parse: Any, text: str, message: str) -> None:
    with pytest.raises(DescriptorError, match=re.escape(message)):
        parse(text)
