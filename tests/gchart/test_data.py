"""chd and chds: the three encodings, missing values, hidden series and scaling.

The data are the worked examples of Google's data-format documentation, rewritten as tests.
"""

from __future__ import annotations

import math
import re

import pytest

from api.gchart.data import (
    ChartData,
    check_scale,
    data_pattern,
    describe_data_error,
    parse_data,
    parse_scale,
    scale,
    scale_ranges,
)

PATTERN = re.compile(data_pattern(20))


def decoded(text: str) -> ChartData:
    assert PATTERN.fullmatch(text), text
    return parse_data(text)


def test_simple_encoding_equals_its_text_form() -> None:
    # Google's example: s:BTb19_,Mn5tzb is t:1,19,27,53,61,_|12,39,57,45,51,27.
    data = decoded("s:BTb19_,Mn5tzb")
    assert data.encoding == "s"
    assert data.series == ((1, 19, 27, 53, 61, None), (12, 39, 57, 45, 51, 27))
    assert data.visible == 2


def test_extended_encoding_equals_its_text_form() -> None:
    # Google's example: e:BaPoqM2s,-A__RMD6 is t:90,1000,2700,3500|3968,_,1100,250.
    data = decoded("e:BaPoqM2s,-A__RMD6")
    assert data.series == ((90, 1000, 2700, 3500), (3968, None, 1100, 250))


def test_extended_alphabet_ends() -> None:
    assert decoded("e:AA..").series == ((0, 4095),)
    assert decoded("e:A-.A").series == ((62, 4032),)


def test_text_with_missing_values_and_hidden_series() -> None:
    data = decoded("t1:10,_,30|5,15,-1")
    assert data.series == ((10, None, 30), (5, 15, -1))
    assert data.visible == 1 and data.hidden == 1


def test_hidden_count_beyond_the_series_draws_them_all() -> None:
    assert decoded("t5:1,2|3,4").visible == 2
    assert decoded("s0:AB").visible == 0


@pytest.mark.parametrize(
    "text",
    ["t:", "t:1,,2", "t:1|", "s:AB,", "s:A!", "e:ABC", "e:A_", "x:1,2", "t:1e100", "t:nan", "tt:1", "t123:1"],
)
def test_grammar_rejects(text: str) -> None:
    assert not PATTERN.fullmatch(text)


def test_series_count_is_bounded_by_the_pattern() -> None:
    pattern = re.compile(data_pattern(2))
    assert pattern.fullmatch("t:1|2")
    assert not pattern.fullmatch("t:1|2|3")
    assert not pattern.fullmatch("s:A,B,C")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("s:AB!", "'!' is out of range for the simple encoding"),
        ("e:AB*A", "'*' is out of range for the extended encoding"),
        ("e:ABC", "two characters (__ for missing) a value"),
        ("t:1,abc", "'abc' is not a number"),
        ("q:1", "Expected t: (text), a: (text, scaled automatically), s: (simple) or e: (extended)"),
        ("s:AB,", "no empty series"),
    ],
)
def test_errors_say_what_is_wrong(text: str, message: str) -> None:
    assert message in describe_data_error(text)


def test_basic_text_scaling_0_to_100() -> None:
    # Values below 0 are missing, values above 100 are cut to the top.
    scaled = scale(decoded("t:0,50,100,150,-1,_"), None)
    fractions = scaled.fractions[0]
    assert fractions[:4] == (0.0, 0.5, 1.0, 1.0)
    assert math.isnan(fractions[4]) and math.isnan(fractions[5])
    assert scaled.baseline == 0.0
    assert scaled.values == ((0, 50, 100, 150, -1, None),)


def test_custom_scaling_with_a_zero_line() -> None:
    # Google's example: a bar chart scaled -80..140; -90 is below the range and missing, the
    # zero line lies 80/220 of the way up.
    scaled = scale(decoded("t:30,-60,50,120,80,-90"), parse_scale("-80,140"))
    fractions = scaled.fractions[0]
    assert fractions[0] == pytest.approx(110 / 220)
    assert fractions[1] == pytest.approx(20 / 220)
    assert fractions[3] == pytest.approx(200 / 220)
    assert math.isnan(fractions[5])
    assert scaled.baseline == pytest.approx(80 / 220)


def test_fewer_chds_pairs_than_series_repeat_the_last() -> None:
    data = decoded("t:5,10|50,100|500,1000")
    assert scale_ranges(data, parse_scale("0,10,0,100")) == ((0, 10), (0, 100), (0, 100))
    scaled = scale(data, parse_scale("0,10,0,100"))
    assert scaled.fractions == ((0.5, 1.0), (0.5, 1.0), (1.0, 1.0))


def test_automatic_scaling_spans_all_series_and_zero() -> None:
    data = decoded("t:5,10|20,40")
    assert scale_ranges(data, "a") == ((0, 40), (0, 40))
    assert scale(data, "a").fractions == ((0.125, 0.25), (0.5, 1.0))
    assert scale_ranges(decoded("t:-20,10"), "a") == ((-20, 10),)
    assert scale_ranges(decoded("t:0,0"), "a") == ((0, 1),)
    assert scale_ranges(decoded("t:_"), "a") == ((0, 1),)


def test_encoded_data_scale_against_their_alphabet_and_chds_only_changes_labels() -> None:
    simple = decoded("s:A9f")
    scaled = scale(simple, parse_scale("0,610"))
    assert scaled.fractions == ((0.0, 1.0, 31 / 61),)
    assert scaled.values == ((0.0, 610.0, 310.0),)
    assert scale(simple, None).values == ((0, 61, 31),)
    extended = scale(decoded("e:AA..__"), None)
    assert extended.fractions[0][:2] == (0.0, 1.0) and math.isnan(extended.fractions[0][2])


def test_chds_pairs() -> None:
    assert parse_scale("a") == "a"
    assert parse_scale("0,1,-5,5.5") == ((0, 1), (-5, 5.5))
    assert check_scale(parse_scale("0,1,5,5")) == "Pair 2 (5,5): the minimum must be less than the maximum."
    assert check_scale(parse_scale("0,1")) is None
    assert check_scale("a") is None
