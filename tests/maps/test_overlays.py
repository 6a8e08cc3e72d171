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
    Markers,
    Path,
    parse_circle,
    parse_markers,
    parse_path,
    parse_points,
)


def markers(text: str) -> Markers:
    parsed = parse_markers(text)
    assert parsed is not None
    return parsed


def path_of(text: str) -> Path:
    parsed = parse_path(text)
    assert parsed is not None
    return parsed


def test_markers_with_styles_and_points() -> None:
    group = markers("color:red|size:large|label:A|48.85,2.35|-33.9,151.2")
    assert group.points == ((48.85, 2.35), (-33.9, 151.2))
    assert (group.color, group.size, group.label) == ("#ff0000ff", "large", "A")


def test_markers_defaults_and_hex_colour() -> None:
    group = markers("color:0x0072b2|1,2")
    assert (group.color, group.size, group.label) == ("#0072b2ff", "normal", "")
    assert markers("3,4").color == "#ea4335ff"


def test_small_markers_carry_no_label() -> None:
    assert markers("size:tiny|label:A|1,2").label == ""


def test_last_style_wins() -> None:
    assert markers("color:red|color:blue|1,2").color == "#0000ffff"


def test_labels_are_upper_cased_and_may_be_empty() -> None:
    assert markers("label:a|1,1").label == "A"
    assert markers("size:normal|label:|1,1").label == ""


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("40.714, -73.998", ((40.714, -73.998),)),
        (" 40.714 , -73.998 ", ((40.714, -73.998),)),
        ("40.71427000000001,-73.99859619140625", ((40.71427000000001, -73.99859619140625),)),
        ("color:red||1,1||2,2|", ((1.0, 1.0), (2.0, 2.0))),
        ("|1,1", ((1.0, 1.0),)),
    ],
)
def test_lenient_locations(text: str, points: tuple[tuple[float, float], ...]) -> None:
    assert markers(text).points == points
    assert re.fullmatch(MARKERS_PATTERN, text), "the spec's pattern takes it too"


def test_empty_descriptor_is_no_overlay() -> None:
    assert parse_markers("") is None
    assert parse_path("") is None
    assert parse_points("") is None


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
        "label:#|1,1",
        "color:nocolour|1,1",
        "|",
        "1;1",
        "1,1\n",
        "1.123456789012345678,2",  # 18 decimals
        "1e5,2",
    ],
)
def test_bad_markers(text: str) -> None:
    with pytest.raises(DescriptorError):
        parse_markers(text)
    assert not re.fullmatch(MARKERS_PATTERN, text), "the spec's pattern rejects it too"


def test_path_points_and_styles() -> None:
    path = path_of("color:0xff0000cc|weight:7|fillcolor:0x00ff0033|geodesic:true|1,2|3,4|5,6")
    assert path.points == ((1.0, 2.0), (3.0, 4.0), (5.0, 6.0))
    assert (path.color, path.weight, path.fillcolor, path.geodesic) == ("#ff0000cc", 7, "#00ff0033", True)


def test_path_defaults() -> None:
    path = path_of("1,2|3,4")
    assert (path.color, path.weight, path.fillcolor, path.geodesic) == ("#0000ffbf", 5, None, False)


def test_encoded_path_round_trips() -> None:
    points = [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]
    encoded = polyline.encode(points)
    path = path_of(f"color:blue|weight:3|enc:{encoded}|")
    assert path.points == tuple(points)
    assert re.fullmatch(PATH_PATTERN, f"weight:3|enc:{encoded}")


@pytest.mark.parametrize(
    "text", ["enc:", "enc:?", "weight:100|1,2|3,4", "geodesic:yes|1,2|3,4", "1,2|3,4|enc:??", "color:red"]
)
def test_bad_paths(text: str) -> None:
    with pytest.raises(DescriptorError):
        parse_path(text)


def test_one_point_paths() -> None:
    assert path_of("color:red|1,2").points == ((1.0, 2.0),)
    assert path_of("enc:" + polyline.encode([(1.0, 2.0)])).points == ((1.0, 2.0),)


def test_encoded_path_out_of_range_is_refused() -> None:
    with pytest.raises(DescriptorError, match="out of range"):
        # A third delta of +50 degrees after 89: structurally valid, but latitude 139.
        parse_path("enc:" + polyline.encode([(80.0, 0.0), (89.0, 0.0)]) + polyline.encode([(50.0, 0.0)]))


def test_circle() -> None:
    circle = parse_circle("color:blue|fillcolor:0x0000ff33|weight:2|radius:2500.5|10,20")
    assert circle is not None
    assert (circle.center, circle.radius, circle.weight, circle.fillcolor) == (
        (10.0, 20.0),
        2500.5,
        2,
        "#0000ff33",
    )
    assert parse_circle("10,20") == parse_circle("10, 20|")
    with pytest.raises(DescriptorError):
        parse_circle("radius:-5|10,20")
    with pytest.raises(DescriptorError):
        parse_circle("10,20|30,40")


def test_points() -> None:
    located = parse_points("1,2|-3.5,4|")
    assert located is not None and located.points == ((1.0, 2.0), (-3.5, 4.0))
    with pytest.raises(DescriptorError):
        parse_points("1,2|3")


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_markers, "91,0", "latitude 91 is outside -90..90"),
        (parse_markers, "0,181", "longitude 181 is outside -180..180"),
        (parse_markers, "size:huge|1,1", "size must be one of tiny, small, mid, normal, large"),
        (parse_markers, "label:ab|1,1", "label must be one character"),
        (parse_markers, "colour:red|1,1", "unknown style 'colour'"),
        (parse_markers, "1;1", "expected a style (name:value), a location lat,lng or a place name"),
        (parse_markers, "Gotham City,ZZ", "no place named 'Gotham City,ZZ' is known"),
        (parse_markers, "1.123456789012345678,2", "up to 17 decimals"),
        (parse_markers, "1,1|color:red", "styles must come before the locations"),
        (parse_path, "color:red", "a path needs lat,lng points, places or enc:..."),
        (parse_path, "weight:100|1,2|3,4", "weight must be a whole number"),
        (parse_path, "enc:??|1,2", "not a valid encoded polyline"),
        (parse_circle, "1,2|3,4", "exactly one location"),
        (parse_circle, "radius:-5|1,2", "radius must be metres"),
        (parse_points, "color:red|1,2", "only locations (lat,lng or a place name)"),
    ],
)
def test_errors_say_what_is_wrong(parse: Any, text: str, message: str) -> None:
    with pytest.raises(DescriptorError, match=re.escape(message)):
        parse(text)


ADVERSARIAL = [
    "a" * 15000 + ":",
    "a " * 7000 + ":",
    ("a" * 50 + "|") * 300 + ":",
    " " * 15000 + "a:",
    "|" * 15000 + ":",
    "1,1" + "|" * 15000 + ":",
    "color:red" + "|" * 15000 + ":",
    "feature:water" + "|" * 15000 + ":",
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_patterns_refuse_long_junk_in_linear_time(text: str) -> None:
    import time

    from api.maps.overlays import CIRCLE_PATTERN, POINT_PATTERN, POINTS_PATTERN
    from api.maps.styles import STYLE_PATTERN

    for pattern in (
        MARKERS_PATTERN,
        PATH_PATTERN,
        CIRCLE_PATTERN,
        POINTS_PATTERN,
        POINT_PATTERN,
        STYLE_PATTERN,
    ):
        started = time.perf_counter()
        assert not re.fullmatch(pattern, text)
        # Quadratic backtracking took seconds here; a linear scan takes milliseconds.
        assert time.perf_counter() - started < 0.5
