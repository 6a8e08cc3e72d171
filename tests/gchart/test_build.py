"""What /chart parameters become: the chart spec the /charts renderers draw."""

from __future__ import annotations

import math
from typing import Any

import pytest
from marshmallow import ValidationError

from api.charts.explicit import AxisGuide, FillMark, GridGuide, LineStyle, TextMark, TitleStyle
from api.charts.specs import ChartSpec
from api.gchart.schema import build_schema
from api.settings import Limits

SCHEMA = build_schema(Limits())()


def load(**params: str) -> ChartSpec:
    return SCHEMA.load(params).spec  # type: ignore[no-any-return]


def rejected(**params: str) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        load(**params)
    return caught.value.messages  # type: ignore[return-value]


def test_bars_become_a_bar_spec_in_fractions_of_the_plot() -> None:
    spec = load(
        cht="bvs", chd="t:25,50|25,_", chco="FF0000", chs="300x200", chtt="A|B", chdl="x|y", chdlp="b"
    )
    assert spec.kind == "bar" and spec.output.width == 300 and spec.output.height == 200
    assert spec.series[0] == (0.25, 0.5)
    assert spec.series[1][0] == 0.25 and math.isnan(spec.series[1][1])
    assert (spec.min, spec.max, spec.grid) == (0.0, 1.0, False)
    assert spec.options.stacked and not spec.options.horizontal
    assert spec.colors == ("#ff0000ff", "#ff0000ff")  # one colour for every series
    assert spec.title == "A\nB" and spec.legend == ("x", "y") and spec.legend_position == "bottom"
    assert spec.extras is not None and spec.extras.keep_text
    # No chxt: bare axis lines at the bottom and left, as Google drew them.
    assert spec.extras.axes == (AxisGuide("bottom"), AxisGuide("left"))


@pytest.mark.parametrize(
    ("chbh", "width", "gap"),
    [
        ("20,5,10", 20 / 55, 5 / 55),  # two bars of 20, 5 between them, 10 between groups
        ("20", 20 / 52, 4 / 52),  # Google's gaps: 4 between bars, 8 between groups
        ("20,6", 20 / 54, 6 / 54),
        ("r,0.5,1", 1 / 3.5, 0.5 / 3.5),  # relative to the bar width
        ("r", 1 / 3.5, 0.5 / 3.5),
    ],
)
def test_bar_widths(chbh: str, width: float, gap: float) -> None:
    options = load(cht="bvg", chd="t:1,2|3,4", chbh=chbh).options
    assert options.bar_width == pytest.approx(width)
    assert options.bar_gap == pytest.approx(gap)


def test_automatic_bar_widths_fill_an_estimated_plot() -> None:
    options = load(cht="bvg", chd="t:1,2|3,4", chbh="a", chs="500x300").options
    slot = 500 * 0.8 / 2
    width = (slot - 8 - 4) / 2
    assert options.bar_width == pytest.approx(width / slot)
    stacked = load(cht="bhs", chd="t:1,2|3,4", chbh="a,2,2", chs="500x300").options
    assert stacked.bar_width == pytest.approx((300 * 0.8 / 2 - 2) / (300 * 0.8 / 2))
    assert "Gaps cannot be negative" in rejected(cht="bvg", chd="t:1", chbh="r,-1")["chbh"][0]
    assert "within 0..100" in rejected(cht="bvg", chd="t:1", chbh="r,101")["chbh"][0]


def test_lines_spread_points_edge_to_edge_and_keep_hidden_series() -> None:
    spec = load(cht="lc", chd="t1:0,50,100|10,20", chls="3,4,2")
    assert spec.kind == "line"
    assert spec.options.x == ((0.0, 0.5, 1.0), (0.0, 1.0)) and spec.options.x_range == (0.0, 1.0)
    assert spec.extras.line_styles == (LineStyle(3, 4, 2), LineStyle(0.0))  # the hidden one invisible
    assert load(cht="lc", chd="t:1,2", chls="2,4").extras.line_styles == (LineStyle(2, 4, 4),)


def test_lxy_pairs_and_evenly_spaced_x() -> None:
    spec = load(cht="lxy", chd="t:0,50,100|10,20,30|_|5,6", chm="o,FF0000,1,-1,5")
    assert spec.series == ((0.1, 0.2, 0.3), (0.05, 0.06))
    assert spec.options.x == ((0.0, 0.5, 1.0), (0.0, 1.0))
    (mark,) = spec.extras.marks
    assert mark.series == 1  # the second line (x,y pair 2)


def test_lxy_markers_index_lines_as_in_googles_example() -> None:
    # Google's lxy example: two x,y pairs (the second spaced evenly), squares on series 0 and 1,
    # and both lines carry them.
    spec = load(
        cht="lxy",
        chd="t:5,15,45,75,85|10,35,45,60,90|-1|20,25,50,65",
        chm="s,000000,0,-1,5|s,000000,1,-1,5",
        chdl="Cats|Dogs",
    )
    assert [m.series for m in spec.extras.marks] == [0, 1]
    assert [len(m.points) for m in spec.extras.marks] == [5, 4]
    fill = load(cht="lxy", chd="t:0,100|10,20|0,100|40,50", chm="b,FF000080,0,1,0").extras.marks
    assert isinstance(fill[0], FillMark) and (fill[0].series, fill[0].to) == (0, 1)
    # Series 2 would be the second pair's x values; there is no third line.
    assert (
        "series 2 does not exist"
        in rejected(cht="lxy", chd="t:0,100|10,20|0,100|40,50", chm="o,FF0000,2,-1,5")["chm"][0]
    )


def test_scatter_defaults_are_googles_blue_circles_10_px_across() -> None:
    # Google's first scatter example without chco or chm, rewritten as data.
    spec = load(cht="s", chd="t:10,30,55,80|40,90,20,65", chxt="x,y")
    assert spec.colors == ("#4d89f9ff",)
    assert spec.options.marker_px == 10.0
    assert load(cht="s", chd="t:1,2|3,4", chco="FF0000").colors == ("#ff0000ff",)


def test_stated_bar_pixels_travel_with_their_shares() -> None:
    options = load(cht="bhs", chs="200x30", chd="t:70", chbh="20").options
    assert options.bar_px == (20.0, 4.0, 8.0)
    assert load(cht="bhs", chd="t:70", chbh="a").options.bar_px is None


def test_radar_ranges_are_rings_and_sectors() -> None:
    marks = load(cht="r", chd="t:10,20,30", chm="r,FF000080,0,0.2,0.4|R,00FF0080,0,0.0,0.25").extras.marks
    assert [(m.position, m.end, m.vertical) for m in marks] == [(0.2, 0.4, False), (0.0, 0.25, True)]


def test_scatter_points_sizes_and_colours() -> None:
    spec = load(cht="s", chd="t:0,50,100|100,50,0|10,20,_", chco="FF0000|00FF00")
    assert spec.kind == "scatter" and spec.series == ((1.0, 0.5, 0.0),)
    assert spec.options.x == (0.0, 0.5, 1.0)
    assert spec.options.sizes == (0.1, 0.2, 0.0)
    assert spec.options.point_colors == ("#ff0000ff", "#00ff00ff", "#ff0000ff")
    marks = load(cht="s", chd="t:1,2|3,4", chm="N*f0x*,000000,1,-1,10").extras.marks
    assert isinstance(marks[0], TextMark) and marks[0].texts == ("1", "2")  # the x values


def test_pie_chl_beside_the_slices_and_chdl_in_the_legend() -> None:
    # Google's pie example with labels on the slices and a legend, rewritten: chl beside the
    # slices with leader lines, chdl in the legend.
    both = load(cht="p", chd="t:55,30,15", chl="55%|30%|15%", chdl="Rent|Food|Other", chs="300x150")
    assert both.labels == ("55%", "30%", "15%") and both.legend_position == "right"
    assert both.options.slice_labels and both.options.legend == ("Rent", "Food", "Other")
    only_chl = load(cht="p", chd="t:60,40", chl="Hello|World").options
    assert only_chl.slice_labels and only_chl.legend == ()
    only_chdl = load(cht="p", chd="t:60,40", chdl="Hello|World")
    assert not only_chdl.options.slice_labels and only_chdl.labels == ("Hello", "World")
    rings = load(cht="pc", chd="t:1,2|3,4", chl="a|b|c|d").options
    assert not rings.slice_labels  # concentric rings keep them in the legend


def test_pies_gauges_and_venn() -> None:
    pie = load(cht="p3", chd="t:1,_,3", chl="a|b|c", chco="FF0000")
    assert pie.kind == "pie" and pie.series == ((0.01, 0.0, 0.03),) and pie.labels == ("a", "b", "c")
    assert len(set(pie.colors)) == 3  # shades of the one colour
    gauge = load(cht="gom", chd="t:10,90", chl="low|high", chco="FF0000,00FF00")
    assert gauge.kind == "gauge" and gauge.series == ((0.1, 0.9),) and gauge.labels == ("low", "high")
    assert gauge.options.arc_colors == ("#ff0000ff", "#00ff00ff") and not gauge.options.range_labels
    one = load(cht="gom", chd="t:40", chl="Speed")
    assert one.options.caption == "Speed" and one.labels == ()
    assert load(cht="gom", chd="t:40").options.caption == ""
    assert "labels for 1 arrows" in rejected(cht="gom", chd="t:40", chl="a|b")["chl"][0]
    venn = load(cht="v", chd="t:100,80,60,30,30,30,10", chdl="A|B|C")
    assert venn.kind == "venn" and venn.labels == ("A", "B", "C") and venn.series[0][0] == 1.0
    assert "up to 7 values" in rejected(cht="v", chd="t:1,2,3,4,5,6,7,8")["chd"][0]
    assert "A and B" in rejected(cht="v", chd="t:0,10")["chd"][0]


def test_radar() -> None:
    spec = load(cht="r", chd="t:10,20,30,10", chxt="y")
    assert spec.kind == "radar" and spec.max == 100
    # The repeated first point closed Google's line; ours close anyway. Four spokes at least.
    assert spec.series[0][:3] == (10, 20, 30) and math.isnan(spec.series[0][3])
    assert not spec.options.category_labels and spec.options.radial_labels
    assert "per point" in rejected(cht="r", chd="t:1,2,3", chco="FF0000|00FF00")["chco"][0]
    assert "not in chxt" in rejected(cht="r", chd="t:1,2,3", chxt="x", chxl="1:|a")["chxl"][0]


def test_fills_of_bar_series_and_of_the_chart_area_where_they_apply() -> None:
    bars = load(cht="bvg", chd="t:1,2", chf="b0,s,FF0000|c,s,EEEEEE")
    assert bars.extras is not None and bars.extras.plot_background == "#eeeeeeff"
    lines = load(cht="lc", chd="t:1,2", chf="c,s,EEEEEE")
    assert lines.extras is not None and lines.extras.plot_background == "#eeeeeeff"


def test_lines_without_default_axes() -> None:
    for cht, sides in (("lc", ("bottom", "left")), ("lc:nda", ()), ("ls", ())):
        spec = load(cht=cht, chd="t:1,2")
        assert spec.extras is not None and spec.extras.axes is not None
        assert tuple(guide.side for guide in spec.extras.axes) == sides, cht


def test_styles_become_extras() -> None:
    spec = load(
        cht="lc",
        chd="t:1,2",
        chts="FF0000,20,r",
        chf="bg,s,EEEEEE|c,s,FFFFFF00",
        chma="1,2,3,4",
        chg="20,25",
        chm="B,FF000080,0,0,0",
    )
    extras = spec.extras
    assert extras.title_style == TitleStyle("#ff0000ff", 20, "right")
    assert spec.background == "#eeeeeeff" and extras.plot_background == "#ffffff00"
    assert extras.margins_px == (1, 2, 3, 4)
    assert extras.grid == GridGuide(0.2, 0.25, 4.0, 1.0, 0.0, 0.0)
    assert extras.marks == (FillMark("#ff000080", 0),)
    assert load(cht="lc", chd="t:1", chf="bg,s,FFFFFF00").background == "transparent"


@pytest.mark.parametrize(
    ("params", "name", "message"),
    [
        ({"cht": "lc", "chd": "t:1", "chg": "10,10,200,1"}, "chg", "Dash and gap lengths"),
        ({"cht": "lc", "chd": "t:1", "chg": "10,10,1,1,500,0"}, "chg", "offsets"),
        ({"cht": "p", "chd": "t:1,2", "chl": "x" * 201}, "chl", "Label 1 has 201 characters"),
        ({"cht": "p", "chd": "t:1,2|0,0"}, "chd", "cht=pc draws several"),
        ({"cht": "gom", "chd": "t:_"}, "chd", "got 0"),
        ({"cht": "r", "chd": "t:1,2,3", "chf": "c,s,FFFFFF"}, "chf", "(c) does not apply to cht=r"),
        ({"cht": "gom", "chd": "t:1", "chf": "c,s,FFFFFF"}, "chf", "(c) does not apply to cht=gom"),
        ({"cht": "v", "chd": "t:1,2", "chf": "c,s,FFFFFF"}, "chf", "(c) does not apply to cht=v"),
        ({"cht": "s", "chd": "t:1|2", "chf": "b0,s,FFFFFF"}, "chf", "(b0) does not apply to cht=s"),
        ({"cht": "v", "chd": "t:1,2", "chdl": "a"}, "chdl", "Expected 2 labels (one per circle)"),
        ({"cht": "v", "chd": "t:1,2,0,3"}, "chd", "cannot be larger than"),
        ({"cht": "qr", "chl": "x" * 3000, "chld": "H|4"}, "chl", "too many for a QR code"),
    ],
)
def test_rules(params: dict[str, str], name: str, message: str) -> None:
    messages = rejected(**params)
    assert message in " ".join(messages[name])
