"""The shared query fields: colours, number series, number lists, texts."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import Schema, ValidationError

from api.fields import Color, Numbers, Series, color_list, parse_color, text_list


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("red", "#ff0000ff"),
        ("rebeccapurple", "#663399ff"),
        ("f00", "#ff0000ff"),
        ("#F00", "#ff0000ff"),
        ("0x00ff00", "#00ff00ff"),
        ("0x00ff0080", "#00ff0080"),
        ("0072B2", "#0072b2ff"),
    ],
)
def test_colours_normalise(text: str, expected: str) -> None:
    assert parse_color(text) == expected


@pytest.mark.parametrize("text", ["", "RED", "notacolor", "#ff00", "0xff", "red\n", "#gggggg", "ff0000ff00"])
def test_bad_colours_rejected(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_color(text)


class Sample(Schema):
    data = Series(max_series=3, max_points=4, max_total=6)
    values = Numbers(max_items=3)
    colors = color_list(3)
    labels = text_list(3, 5)
    color = Color()


def load(**params: str) -> dict[str, Any]:
    return Sample().load(params)


def test_series_parse() -> None:
    assert load(data="1,2.5,-3|4e2,.5,6.")["data"] == ((1.0, 2.5, -3.0), (400.0, 0.5, 6.0))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("1,2|3|4|5", "At most 3 series"),
        ("1,2,3,4,5", "at most 4"),
        ("1,2,3,4|1,2,3", "7 points in all"),
        ("1,,2", "Expected numbers"),
        ("nan", "Expected numbers"),
        ("inf", "Expected numbers"),
        ("1e999", "Expected numbers"),
        ("1 2", "Expected numbers"),
        ("\u0661,\u0662", "Expected numbers"),  # Arabic-Indic digits
        ("1|", "Expected numbers"),
        ("1,2\n", "Expected numbers"),
        ("9" * 400, "Longer than"),
    ],
)
def test_series_errors(data: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        load(data=data)
    assert "data" in info.value.messages_dict


def test_numbers_parse_and_bound() -> None:
    assert load(values="1,2.5,-3")["values"] == (1.0, 2.5, -3.0)
    for bad, message in (("1,2,3,4", "At most 3"), ("a", "Expected numbers"), ("1" * 200, "Longer than")):
        with pytest.raises(ValidationError, match=message):
            load(values=bad)


def test_colour_list_and_single_colour() -> None:
    assert load(colors="red,0x0000ff")["colors"] == ["#ff0000ff", "#0000ffff"]
    assert load(color="blue")["color"] == "#0000ffff"
    with pytest.raises(ValidationError, match="Unknown colour"):
        load(colors="red,nope")


def test_text_lists() -> None:
    assert load(labels="a,b,c")["labels"] == ["a", "b", "c"]
    assert load(labels="")["labels"] == [""], "an empty value is one empty text, as the spec reads it"
    assert load(labels="a\tb")["labels"] == ["a b"]
    with pytest.raises(ValidationError):
        load(labels="a,b,c,d")
    with pytest.raises(ValidationError):
        load(labels="toolong")


def test_patterns_are_declared() -> None:
    declared = Sample().fields
    assert declared["data"].metadata["pattern"].startswith("^")
    assert declared["data"].metadata["maxLength"] > 0
    assert "red" in declared["color"].metadata["pattern"]
