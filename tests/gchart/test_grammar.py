"""Parameter grammars and parsers: axis labels, colours, markers, number formats, styles.

Examples follow Google's documentation of each parameter, rewritten as test data.
"""

from __future__ import annotations

import re

import pytest

from api.gchart import grammar
from api.gchart.axes import AxisError, collect, guides, spread, steps
from api.gchart.colors import DEFAULT, Colors, shades
from api.gchart.markers import MarkerError, MarkTarget, to_marks
from api.gchart.numbers import parse_format


def matches(pattern: str, text: str) -> bool:
    return re.fullmatch(pattern, text) is not None


def test_axis_labels_syntax() -> None:
    # Two axes with labels: x gets Jan..Mar, the second axis low/high.
    text = "0:|Jan|Feb|Mar|1:|low|high"
    assert matches(grammar.axis_labels_pattern(40), text)
    assert grammar.parse_axis_labels(text) == ((0, ("Jan", "Feb", "Mar")), (1, ("low", "high")))
    assert grammar.parse_axis_labels("2:||a") == ((2, ("", "a")),)


@pytest.mark.parametrize("text", ["Jan|Feb", "0:", "0:Jan|Feb", "x:|a", "0:|" + "a" * 41, "123:|a"])
def test_axis_labels_grammar_rejects(text: str) -> None:
    assert not matches(grammar.axis_labels_pattern(40), text)


def test_axis_ranges_positions_and_styles() -> None:
    assert grammar.parse_axis_ranges("1,0,4000,500|2,-10,10") == ((1, 0, 4000, 500), (2, -10, 10, None))
    assert grammar.parse_axis_positions("1,10,35,75") == ((1, (10, 35, 75)),)
    style = grammar.parse_axis_styles("1N*cUSD0s*,0000DD,13,-1,t,FF0000,00FF00")[0]
    assert (style.index, style.color, style.font_px, style.align, style.drawn) == (
        1,
        "#0000ddff",
        13,
        -1,
        "t",
    )
    assert (style.tick_color, style.axis_color) == ("#ff0000ff", "#00ff00ff")
    assert style.number_format is not None and style.number_format(1234) == "$1,234"
    assert grammar.parse_axis_styles("0")[0] == grammar.AxisStyle(index=0)
    assert matches(grammar.AXIS_STYLES, "0,FF0000,12,0,lt|1,00FF00")
    assert not matches(grammar.AXIS_STYLES, "0,FF0000,12,2")  # alignment is -1, 0 or 1


def test_colours_per_series_and_per_element() -> None:
    assert matches(grammar.COLORS, "FF0000|00FF00|0000FF,FFFF0080")
    groups = grammar.parse_colors("FF0000|00FF00|0000FF,FFFF0080")
    assert groups == (("#ff0000ff", "#00ff00ff", "#0000ffff"), ("#ffff0080",))
    for bad in ("red", "#FF0000", "FF000", "FF0000,", "FF0000||00FF00"):
        assert not matches(grammar.COLORS, bad)


def test_series_colours_cycle_and_bar_colours() -> None:
    colors = Colors(grammar.parse_colors("FF0000,0000FF"), {})
    # Fewer colours than series: they repeat in order.
    assert colors.series(3) == ("#ff0000ff", "#0000ffff", "#ff0000ff")
    assert colors.points(3, 2) == ()
    per_bar = Colors(grammar.parse_colors("FF0000|00FF00|0000FF,888888"), {"b1": "#123456ff"})
    assert per_bar.points(2, 4) == (
        ("#ff0000ff", "#00ff00ff", "#0000ffff", "#ff0000ff"),
        ("#123456ff",) * 4,
    )
    assert Colors((), {}).series(2) == (DEFAULT, DEFAULT)


def test_pie_colours_shade_between_the_given_ones() -> None:
    assert shades(("#000000ff", "#ffffffff"), 3) == ("#000000ff", "#808080ff", "#ffffffff")
    one = shades(("#ff0000ff",), 2)
    assert one[0] == "#ff0000ff" and one[1] == "#ffbfbfff"
    assert Colors(grammar.parse_colors("FF0000|00FF00"), {}).slices(2) == ("#ff0000ff", "#00ff00ff")


@pytest.mark.parametrize(
    ("text", "value", "shown"),
    [
        ("", 12.5, "12.5"),
        ("*f*", 12.0, "12"),
        ("*f2*", 3.14159, "3.14"),
        ("*f2z*", 3.1, "3.10"),
        ("*p0*", 0.256, "26%"),
        ("*e1*", 12345.0, "1.2e+04"),
        ("*cEUR2zs*", 1234.5, "\u20ac1,234.50"),
        ("*cCHF0*", 5.0, "CHF 5"),
        ("Total: *f0s* units", 1234567.0, "Total: 1,234,567 units"),
        ("*f0*", -0.2, "0"),
        # Halves round up, as Google wrote them (not to the even neighbour).
        ("*cUSD0*", 2.5, "$3"),
        ("*cUSD0*", 0.5, "$1"),
        ("*cUSD0s*", 1234.5, "$1,235"),
        ("*f2*", 0.125, "0.13"),  # from the decimal the data gave, not its binary neighbour
        ("*p0*", 0.125, "13%"),
        ("*f1*", -2.25, "-2.3"),
    ],
)
def test_number_formats(text: str, value: float, shown: str) -> None:
    assert parse_format(text)(value) == shown


def test_markers_grammar() -> None:
    ok = [
        "o,FF0000,0,-1,5",
        "N*f1*,000000,0,-1,11",
        "N,444444,-1,,12",
        "s,00FF00,1,2:8:2,10,1",
        "d,0000FF,0,3.5,8",
        "tHello,000000,0,2,12",
        "B,FF000080,0,0,0",
        "b,00FF0080,0,1,0",
        "h,AAAAAA,0,0.5,2",
        "r,E5ECF9,0,0.25,0.75",
        "o,FF0000,0,-1,5|N*p0*,000000,0,-1,10,1",
        "D,FF0000,1,0,3",
        "H,FF0000,0,2,1",
        "@o,FF0000,0,0.5:0.5,5",
        "@tText,FF0000,0,.25:1,12,-1",
        "F,FF0000,0,1,20",
        "F,,1,1:4,20",
    ]
    for text in ok:
        assert matches(grammar.MARKERS, text), text
    for text in [
        "@N,FF0000,0,0.5:0.5,5",
        "@o,FF0000,0,0.5,5",
        "o,red,0,-1,5",
        "o,FF0000,0,-1",
        "Z,FF0000,0,0,1",
    ]:
        assert not matches(grammar.MARKERS, text), text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("C,000000,0,0,5", "chm type 'C' (rectangle) is not supported."),
        ("o,FF0000,0,-1,5|C,000000,0,1,2", "chm type 'C' (rectangle) is not supported."),
        ("@o,FF0000,0,0.5,5", "Marker 1 ('@o,FF0000,0,0.5,5'): expected <type>"),
        ("Z,FF0000,0,0,1", "unknown type 'Z'"),
        ("o,FF0000,0", "Marker 1 ('o,FF0000,0'): expected <type>"),
    ],
)
def test_marker_errors_name_the_type(text: str, message: str) -> None:
    assert message in grammar.describe_marker_error(text)


def marks(text: str, values: tuple[tuple[float | None, ...], ...], fills: bool = False) -> tuple:  # type: ignore[type-arg]
    return to_marks(grammar.parse_markers(text), MarkTarget(values, drawn=len(values), fills=fills))


def test_marker_point_selections() -> None:
    values = ((1.0, 2.0, None, 4.0, 5.0, 6.0),)
    assert marks("o,FF0000,0,-1,5", values)[0].points == (0, 1, 3, 4, 5)  # missing point skipped
    assert marks("o,FF0000,0,,5", values)[0].points == (0, 1, 3, 4, 5)
    assert marks("o,FF0000,0,-2,5", values)[0].points == (0, 4)  # every 2nd: 0, 2 (missing), 4
    assert marks("o,FF0000,0,1:4:2,5", values)[0].points == (1, 3)
    assert marks("o,FF0000,0,:2,5", values)[0].points == (0, 1)
    assert marks("o,FF0000,0,3.5,5", values)[0].points == (3.5,)
    assert marks("o,FF0000,0,1.5,5", values)[0].points == ()  # next to a missing point


def test_value_markers_write_the_values() -> None:
    (mark,) = marks("N*f1*,000000,0,-1,11", ((10.0, 22.25, None),))
    assert mark.points == (0, 1) and mark.texts == ("10", "22.3")  # halves round up, as Google wrote them
    (text,) = marks("tPeak,FF0000,0,1,12", ((1.0, 9.0),))
    assert text.texts == ("Peak",) and text.size_px == 12
    both = marks("N,000000,-1,,10", ((1.0,), (2.0,)))
    assert [m.series for m in both] == [0, 1]


def test_fills_rules_and_bands() -> None:
    fill_under, fill_between = marks("B,FF000080,0,0,0|b,00FF0080,0,1,0", ((1.0,), (2.0,)), fills=True)
    assert (fill_under.series, fill_under.to) == (0, None)
    assert (fill_between.series, fill_between.to) == (0, 1)
    rule, band = marks("h,AAAAAA,0,0.5,2|R,E5ECF9,0,0.2,0.4", ((1.0,),))
    assert (rule.position, rule.end, rule.width_px) == (0.5, None, 2)
    assert (band.position, band.end, band.vertical) == (0.2, 0.4, True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("o,FF0000,3,-1,5", "series 3 does not exist; the data have 1"),
        ("o,FF0000,0,7,5", "point 7 does not exist"),
        ("o,FF0000,0,-1.5,5", "a whole n"),
        ("o,FF0000,0,-1,500", "the size 500 is not within"),
        ("o,FF0000,0,-1,5,2", "the z-order 2 is not within -1..1"),
        ("B,FF0000,0,0,0", "fills apply to line and radar charts only"),
        ("h,FF0000,0,1.5,1", "a fraction of the chart"),
        ("o,FF0000,0,1:3:0,5", "step"),
    ],
)
def test_marker_rules(text: str, message: str) -> None:
    with pytest.raises(MarkerError, match=re.escape(message)):
        marks(text, ((1.0, 2.0, 3.0),))


def request(types: str, **params: str) -> object:
    return collect(
        grammar.parse_axis_types(types),
        grammar.parse_axis_labels(params["chxl"]) if "chxl" in params else (),
        grammar.parse_axis_ranges(params["chxr"]) if "chxr" in params else (),
        grammar.parse_axis_positions(params["chxp"]) if "chxp" in params else (),
        grammar.parse_axis_styles(params["chxs"]) if "chxs" in params else (),
    )


def test_axes_default_to_0_100_and_spread_labels() -> None:
    y, x = guides(request("y,x", chxl="1:|Jan|Feb|Mar"), category_sides=(), bars=0)  # type: ignore[arg-type]
    assert y.side == "left" and [t for _, t in y.ticks] == ["0", "20", "40", "60", "80", "100"]
    assert [p for p, _ in y.ticks] == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1])
    assert x.side == "bottom" and x.ticks == ((0.0, "Jan"), (0.5, "Feb"), (1.0, "Mar"))


def test_axis_ranges_steps_and_positions() -> None:
    (axis,) = guides(request("y", chxr="0,0,4000,1000"), category_sides=(), bars=0)  # type: ignore[arg-type]
    assert [t for _, t in axis.ticks] == ["0", "1000", "2000", "3000", "4000"]
    (reverse,) = guides(request("y", chxr="0,10,0,5"), category_sides=(), bars=0)  # type: ignore[arg-type]
    assert reverse.ticks == ((0.0, "10"), (0.5, "5"), (1.0, "0"))
    # Labels at positions in the range's units.
    (placed,) = guides(
        request("x", chxl="0:|min|avg|max", chxr="0,0,200", chxp="0,0,50,200"), category_sides=(), bars=0
    )  # type: ignore[arg-type]
    assert placed.ticks == ((0.0, "min"), (0.25, "avg"), (1.0, "max"))
    (numbers,) = guides(request("x", chxp="0,10,35,75"), category_sides=(), bars=0)  # type: ignore[arg-type]
    assert numbers.ticks == ((0.1, "10"), (0.35, "35"), (0.75, "75"))


def test_several_axes_of_the_same_kind() -> None:
    first, second, left = guides(
        request("x,x,y", chxl="0:|Mon|Tue|1:|week 1"),
        category_sides=("bottom",),
        bars=2,  # type: ignore[arg-type]
    )
    assert (first.side, second.side, left.side) == ("bottom", "bottom", "left")
    assert first.ticks == ((0.25, "Mon"), (0.75, "Tue"))  # under the two bars
    assert second.ticks == ((0.5, "week 1"),)


def test_axis_styles() -> None:
    (axis,) = guides(request("y", chxs="0N*f1*,FF0000,14,-1,_"), category_sides=(), bars=0)  # type: ignore[arg-type]
    assert axis.color == "#ff0000ff" and axis.font_px == 14 and axis.align == "start"
    assert not axis.line and not axis.tick_marks
    assert axis.ticks[1] == (0.2, "20")  # no trailing zeros without z
    (zeros,) = guides(request("y", chxs="0N*f1z*"), category_sides=(), bars=0)  # type: ignore[arg-type]
    assert zeros.ticks[1] == (0.2, "20.0")


@pytest.mark.parametrize(
    ("types", "params", "parameter", "message"),
    [
        ("x", {"chxl": "1:|a"}, "chxl", "Axis 1 is not in chxt (x)"),
        ("x", {"chxl": "0:|a|0:|b"}, "chxl", "Axis 0 is given twice"),
        ("x", {"chxr": "0,5,5"}, "chxr", "empty"),
        ("x", {"chxr": "0,0,100,0.01"}, "chxr", "at most 200 labels"),
        ("x", {"chxl": "0:|a|b", "chxp": "0,1"}, "chxp", "1 positions for 2 labels"),
        ("x", {"chxs": "0,FF0000,99"}, "chxs", "font size 99"),
    ],
)
def test_axis_rules(types: str, params: dict[str, str], parameter: str, message: str) -> None:
    with pytest.raises(AxisError, match=re.escape(message)) as caught:
        request(types, **params)
    assert caught.value.parameter == parameter


def test_spread_and_steps() -> None:
    assert spread(3) == [0.0, 0.5, 1.0]
    assert spread(1) == [0.0]
    assert spread(4, bars=4) == [0.125, 0.375, 0.625, 0.875]
    assert steps(0, 1, None) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert steps(-50, 50, 25) == [-50, -25, 0, 25, 50]
