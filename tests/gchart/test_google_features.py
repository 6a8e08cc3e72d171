"""Image Charts features beyond the basics: what each parameter becomes in the spec, from
Google's documented examples rewritten with data of our own, and a reference image each
(tests/baselines/gchart_feature_*.png; regenerate with --update-baselines and look at them)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from api.charts.explicit import AreaFill, CandleMark, LineMark, PlacedMark, ShapeMark
from api.charts.fills import fill_image
from api.charts.specs import ChartSpec
from api.gchart.schema import build_schema
from api.settings import Limits

SCHEMA = build_schema(Limits())()


def load(**params: str) -> ChartSpec:
    return SCHEMA.load(params).spec  # type: ignore[no-any-return]


# -- chp: the zero line of bar charts ---------------------------------------------------


def test_a_zero_line_halfway_up_lets_bars_hang_below_it() -> None:
    # Google's zero-line example: simple-encoded bars around a line at 0.5 of the height.
    spec = load(cht="bvg", chd="s:DHPVchk", chp="0.5")
    assert spec.options.base == 0.5
    assert spec.series[0][0] == pytest.approx(3 / 61)  # drawn from 0.5 down to it


def test_one_zero_line_per_series_when_they_agree() -> None:
    assert load(cht="bvg", chd="t:1,2|3,4", chp="0.25,0.25").options.base == 0.25


def test_the_zero_line_wins_over_the_chds_zero() -> None:
    spec = load(cht="bvg", chd="t:-5,5", chds="-10,10", chp="0.2")
    assert spec.options.base == 0.2
    assert load(cht="bvg", chd="t:-5,5", chds="-10,10").options.base == 0.5


# -- chma: margins and the legend's least size -------------------------------------------


def test_margins_and_legend_size() -> None:
    extras = load(cht="bvg", chd="t:1,2", chdl="a", chma="30,10,5,5|80,20").extras
    assert extras is not None
    assert extras.margins_px == (30, 10, 5, 5) and extras.legend_px == (80, 20)


def test_a_legend_size_alone() -> None:
    extras = load(cht="lc", chd="t:1,2", chdl="a", chma="|120,30").extras
    assert extras is not None
    assert extras.margins_px is None and extras.legend_px == (120, 30)


# -- chd=a: text data scaled automatically -----------------------------------------------


def test_automatically_scaled_text_is_text_with_chds_a() -> None:
    auto = load(cht="bvg", chd="a:-20,40,100")
    assert auto == load(cht="bvg", chd="t:-20,40,100", chds="a")
    assert auto.series[0] == pytest.approx((0.0, 0.5, 1.0))
    assert auto.options.base == pytest.approx(1 / 6)


def test_automatic_scaling_gives_way_to_chds_and_counts_drawn_series() -> None:
    assert load(cht="lc", chd="a:5,10", chds="0,20").series[0] == pytest.approx((0.25, 0.5))
    spec = load(cht="lc", chd="a1:5,10|50,60")
    assert spec.extras is not None and len(spec.legend) == 0
    assert spec.series[0] == pytest.approx((5 / 60, 10 / 60))


# -- chxtc: tick mark lengths ------------------------------------------------------------


def test_tick_lengths_per_axis_cycled_outwards_capped_inwards_as_asked() -> None:
    # Google's example: long ticks on the y axis across the plot, short ones on x.
    extras = load(cht="lc", chd="t:1,2", chxt="x,y,r", chxtc="0,10,5|1,-180|2,40").extras
    assert extras is not None and extras.axes is not None
    x_axis, y_axis, right = extras.axes
    assert x_axis.tick_lengths_px == (10, 5)
    assert y_axis.tick_lengths_px == (-180,)
    assert right.tick_lengths_px == (25,)  # Google's longest outward tick


def test_tick_lengths_name_an_axis_of_chxt() -> None:
    with pytest.raises(Exception, match="Axis 3 is not in chxt"):
        load(cht="lc", chd="t:1,2", chxt="x,y", chxtc="3,5")


# -- chf: gradients and stripes ----------------------------------------------------------


def test_a_gradient_over_the_plot_area_and_a_solid_background() -> None:
    # Google's example: the chart area fading from one colour at the bottom to another at the top.
    extras = load(cht="lc", chd="t:1,2", chf="c,lg,90,F0F0F0,0,3366CC,1|bg,s,EEEEEE").extras
    assert extras is not None
    assert extras.plot_fill == AreaFill(90.0, (("#f0f0f0ff", 0.0), ("#3366ccff", 1.0)))
    assert extras.background_fill is None


def test_stripes_over_the_background() -> None:
    spec = load(cht="bvg", chd="t:1,2", chf="bg,ls,0,CCCCCC,0.25,FFFFFF,0.25")
    assert spec.background is None and spec.extras is not None
    assert spec.extras.background_fill == AreaFill(
        0.0, (("#ccccccff", 0.25), ("#ffffffff", 0.25)), gradient=False
    )


def test_a_fill_image_follows_the_angle() -> None:
    gradient = AreaFill(0.0, (("#000000ff", 0.0), ("#ffffffff", 1.0)))
    image = fill_image(gradient, 10, 4)
    assert image[0, 0, 0] < 26 and image[0, -1, 0] > 230  # dark on the left, light on the right
    upwards = fill_image(AreaFill(90.0, gradient.stops), 4, 10)
    assert upwards[-1, 0, 0] < 26 and upwards[0, 0, 0] > 230  # dark at the bottom (last row)
    stripes = fill_image(AreaFill(0.0, (("#ff0000ff", 0.25), ("#0000ffff", 0.25)), gradient=False), 8, 1)
    assert [int(v) for v in stripes[0, :, 0]] == [255, 255, 0, 0, 255, 255, 0, 0]
    diagonal = fill_image(AreaFill(45.0, gradient.stops), 9, 9)
    assert diagonal[-1, 0, 0] < 26 and diagonal[0, -1, 0] > 230  # bottom left to top right


# -- chm=D: line markers (compound charts) -------------------------------------------------


def test_a_hidden_series_drawn_as_a_line_over_bars() -> None:
    # Google's compound-chart example: bars with a tracking line from a hidden series.
    spec = load(cht="bvg", chd="t1:30,10,20|60,40,50", chm="D,0033FF,1,0,5")
    assert spec.series == ((0.3, 0.1, 0.2),)
    assert spec.extras is not None
    (line,) = spec.extras.marks
    assert line == LineMark("#0033ffff", ((0.0, 0.6), (1.0, 0.4), (2.0, 0.5)), 5.0)


def test_line_markers_on_horizontal_bars_and_under_lines() -> None:
    extras = load(cht="bhg", chd="t1:30,10|60,40", chm="D,FF0000,1,0,2").extras
    assert extras is not None and extras.marks[0].points == ((0.6, 0.0), (0.4, 1.0))
    extras = load(cht="lc", chd="t1:10,20,30|40,_,60", chm="D,00FF00,1,0,3,-1").extras
    assert extras is not None
    (line,) = extras.marks
    assert line.points[0] == (0.0, 0.4) and math.isnan(line.points[1][1]) and not line.above


# -- chm=@: shapes and texts at x:y positions; H: a line across through a point --------------


def test_positioned_shapes_and_texts_are_fractions_of_the_plot() -> None:
    extras = load(cht="lc", chd="t:1,2", chm="@o,FF0000,0,0.25:0.75,10|@tNote,000000,0,.5:.1,12,-1").extras
    assert extras is not None
    circle, note = extras.marks
    assert circle == PlacedMark("circle", "#ff0000ff", 0.25, 0.75, 10.0)
    assert note == PlacedMark("text", "#000000ff", 0.5, 0.1, 12.0, text="Note", above=False)


def test_a_position_outside_the_plot_is_refused() -> None:
    with pytest.raises(Exception, match="must be x:y fractions of the chart"):
        load(cht="lc", chd="t:1,2", chm="@s,FF0000,0,0.5:1.2,10")


def test_h_lines_cross_the_chart_through_points() -> None:
    extras = load(cht="lc", chd="t:10,40,20", chm="H,FF9900,0,1,2").extras
    assert extras is not None
    assert extras.marks == (ShapeMark("hline_full", "#ff9900ff", 0, (1.0,), 2.0),)


# -- chm=F: candlesticks ------------------------------------------------------------------


def test_candlesticks_take_low_open_close_high_from_four_series() -> None:
    # Google's compound-chart idiom: a line, and four hidden series for the candles.
    extras = load(cht="lc", chd="t1:30,40|10,20|20,35|35,25|50,55", chm="F,,1,-1,12").extras
    assert extras is not None
    (candles,) = extras.marks
    assert candles == CandleMark(
        "#000000ff", ((0.0, 0.1, 0.2, 0.35, 0.5), (1.0, 0.2, 0.35, 0.25, 0.55)), 12.0, edge_to_edge=True
    )


def test_candlesticks_on_chosen_points_of_horizontal_bars() -> None:
    extras = load(cht="bhs", chd="t1:5,5,5|1,2,3|4,5,6|7,8,9|10,11,12", chm="F,FF0000,1,1:2,8").extras
    assert extras is not None
    (candles,) = extras.marks
    assert candles.horizontal and [c[0] for c in candles.candles] == [1.0, 2.0]


def test_a_candlestick_needs_four_series() -> None:
    with pytest.raises(Exception, match="four series"):
        load(cht="lc", chd="t1:1,2|3,4|5,6", chm="F,000000,1,-1,10")


# -- chd=t0: with chm: box charts, markers on hidden series only ------------------------

# Google's box chart, rewritten with data of our own: six hidden series (low, box bottom,
# box top, high, median, outliers), candlesticks for the boxes, short H lines for whiskers
# and medians (<width>:<length>), circles for outliers.
BOX_CHART = (
    "cht=lc&chs=200x125&chd=t0:-1,5,10,7,12,-1|-1,25,30,27,24,-1|-1,40,45,47,39,-1"
    "|-1,55,63,59,80,-1|-1,30,40,35,30,-1|-1,-1,5,70,90,-1"
    "&chm=F,FF9900,0,1:4,40|H,0CBF0B,0,1:4,1:20|H,000000,4,1:4,1:40|H,0000FF,3,1:4,1:20|o,FF0000,5,-1,7"
)


def test_short_lines_through_points_take_a_width_and_a_length() -> None:
    extras = load(cht="lc", chd="t:10,40,20", chm="H,FF9900,0,1,2:30|V,0000FF,0,2,1:12").extras
    assert extras is not None
    assert extras.marks == (
        ShapeMark("hline_full", "#ff9900ff", 0, (1.0,), 2.0, length_px=30.0),
        ShapeMark("vline_full", "#0000ffff", 0, (2.0,), 1.0, length_px=12.0),
    )


def test_a_box_chart_draws_markers_on_hidden_series_only() -> None:
    spec = SCHEMA.load(dict(pair.split("=", 1) for pair in BOX_CHART.split("&"))).spec
    assert spec.extras is not None
    kinds = [type(mark).__name__ for mark in spec.extras.marks]
    assert kinds == ["CandleMark", "ShapeMark", "ShapeMark", "ShapeMark", "ShapeMark"]
    assert all(style.width_px == 0 for style in spec.extras.line_styles)  # no line is drawn


def test_all_hidden_data_without_markers_is_still_refused(client: Any) -> None:
    response = client.get("/chart?cht=lc&chs=200x100&chd=t0:10,20|30,40")
    assert response.status_code == 422
    assert "No series is drawn" in response.json["detail"]["query"]["chd"][0]


def test_a_line_longer_than_the_size_limit_is_refused(client: Any) -> None:
    response = client.get("/chart?cht=lc&chs=200x100&chd=t:10,20&chm=H,000000,0,1,1:500")
    assert response.status_code == 422
    assert "500" in str(response.json["detail"]["query"]["chm"])


# -- chdlp orders: reversed (stacked bars), shortest first, chosen entries -------------------


@pytest.mark.parametrize(
    ("chdlp", "order"), [("r|l", None), ("b|r", "r"), ("t|a", "a"), ("r|2,0", (2, 0)), ("b", None)]
)
def test_legend_orders(chdlp: str, order: object) -> None:
    extras = load(cht="bvs", chd="t:1,2|3,4|5,6", chdl="A|B|C", chdlp=chdlp).extras
    assert extras is not None and extras.legend_order == order


@pytest.mark.parametrize(
    ("chdlp", "message"), [("r|3", "names entry 3; chdl has 3"), ("r|x", "Legend order 'x'")]
)
def test_a_wrong_legend_order_is_a_422_naming_chdlp(client: Any, chdlp: str, message: str) -> None:
    response = client.get(f"/chart?cht=bvs&chs=200x100&chd=t:1,2|3,4|5,6&chdl=A|B|C&chdlp={chdlp}")
    assert response.status_code == 422
    assert message in response.json["detail"]["query"]["chdlp"][0]


FEATURES: dict[str, str] = {
    "legend_reversed": "cht=bvs&chs=300x180&chd=t:10,20,30|20,20,20|30,10,15&chco=FF0000,00AA00,0000FF"
    "&chdl=First+series|Two|Third+one&chdlp=r|r",
    "legend_shortest_first": "cht=bvs&chs=300x180&chd=t:10,20,30|20,20,20|30,10,15&chco=FF0000,00AA00,0000FF"
    "&chdl=First+series|Two|Third+one&chdlp=b|a",
    "zero_line": "cht=bvg&chs=240x160&chd=s:DHPVchkrw&chp=0.5&chco=4D89F9&chxt=y&chbh=a",
    "legend_size": "cht=lc&chs=300x160&chd=t:10,40,30,70|20,30,50,40&chco=FF0000,0000FF&chdl=One|Two"
    "&chma=10,10,10,10|120,40",
    "tick_lengths": "cht=lc&chs=280x170&chd=t:20,45,30,80,60&chco=3366CC&chxt=x,y,r&chxtc=0,12,4|1,-1000|2,-5,8"
    "&chxr=2,0,10",
    "plot_gradient": "cht=lc&chs=280x170&chd=t:20,45,30,80,60&chco=CC3300&chxt=y&chf=c,lg,90,FFFFFF,0,76A4FB,1"
    "|bg,s,EFEFEF",
    "diagonal_gradient": "cht=bvg&chs=280x170&chd=t:20,45,30&chco=333333&chf=bg,lg,45,FFE7C6,0,76A4FB,0.75&chxt=y",
    "stripes": "cht=lc&chs=280x170&chd=t:20,45,30,80,60&chco=0000FF&chxt=x,y&chf=c,ls,0,CCCCCC,0.2,FFFFFF,0.2",
    "pie_stripes": "cht=p&chs=200x160&chd=t:20,45,30&chco=FF9900&chf=bg,ls,90,EEEEEE,0.1,FFFFFF,0.1",
    "line_marker": "cht=bvg&chs=280x170&chd=t1:20,45,30,60|30,50,40,70&chco=76A4FB&chm=D,FF0000,1,0,3&chxt=y",
    "line_marker_horizontal": "cht=bhg&chs=280x170&chd=t1:20,45,30|30,50,40&chco=76A4FB&chm=D,CC0000,1,0,2"
    "&chxt=x",
    "placed_marks": "cht=lc&chs=280x170&chd=t:20,45,30,60&chco=76A4FB&chxt=y"
    "&chm=@o,FF0000,0,0.5:0.5,12|@tHello,000000,0,0.25:0.85,13|@d,00AA00,0,.9:.1,10|H,FF9900,0,1,1",
    "candlesticks": "cht=lc&chs=280x170&chd=t1:30,40,35,50,45|10,20,15,30,25|20,35,30,35,40|35,25,40,45,30"
    "|50,55,45,60,55&chco=76A4FB&chm=F,,1,-1,12&chxt=y",
    "box_on_bars": "cht=bvg&chs=280x170&chd=t1:20,30,40|10,20,30|30,40,50|50,55,65|80,85,90&chco=DDDDDD"
    "&chm=F,FF9900,1,-1,25&chxt=y",
    "box_chart": BOX_CHART,
    "auto_text": "cht=bvg&chs=240x160&chd=a:-30,10,45,70,25&chco=76A4FB&chxt=y&chxr=0,-30,70",
}


@pytest.mark.parametrize("name", list(FEATURES))
def test_feature_baseline(name: str, client: Any, baseline: Callable[[str, bytes], None]) -> None:
    response = client.get("/chart?" + FEATURES[name])
    assert response.status_code == 200, response.json
    baseline(f"gchart_feature_{name}", response.data)


# -- chm texts: a comma written as \, ----------------------------------------------------


def test_marker_texts_take_escaped_commas() -> None:
    extras = load(cht="lc", chd="t:10,40,20", chm=r"tOne\, two,000000,0,1,12|fA\,B,FF0000,0,2,11").extras
    assert extras is not None
    text, flag = extras.marks
    assert text.texts == ("One, two",)  # type: ignore[union-attr]
    assert flag.text == "A,B"  # type: ignore[union-attr]


def test_an_escaped_comma_draws(client: Any) -> None:
    response = client.get("/chart?cht=lc&chs=200x100&chd=t:10,40,20&chm=tOne%5C,+two,000000,0,1,12")
    assert response.status_code == 200, response.json


# -- cht=rs: splines through the points ---------------------------------------------------


def test_a_closed_spline_passes_through_every_point_and_closes() -> None:
    from api.charts.kinds.radar import SPLINE_STEPS, closed_spline

    points = [(0.0, 1.0), (1.0, 0.0), (0.0, -0.5), (-0.8, 0.0)]
    curve = closed_spline(points)
    assert len(curve) == len(points) * SPLINE_STEPS + 1
    assert [tuple(v) for v in curve[::SPLINE_STEPS].tolist()] == [*points, points[0]]  # on each, then closed
    assert not any(tuple(v) in points for v in curve[1:SPLINE_STEPS])  # curved between them


def test_rs_draws_splines_and_its_markers_stay_on_the_points() -> None:
    from api.charts.marks import anchors, series_artists
    from api.charts.render import render_figure

    spec = load(cht="rs", chs="200x200", chd="t:50,80,60,90,40,70", chm="o,0000FF,0,-1,6")
    assert spec.options.smooth and not load(cht="r", chd="t:50,80,60").options.smooth
    line = series_artists(render_figure(spec))[0]
    points = [(x, y) for x, y, _ in anchors(line)]
    assert len(points) == 7  # the six points, closed: what the markers find
    assert len(line.get_path().vertices) == 6 * 12 + 1  # what is drawn: the spline


# -- cht=p3: a pie seen at an angle ----------------------------------------------------------


def test_p3_is_a_tilted_pie_with_a_side_wall_and_p_stays_flat() -> None:
    from matplotlib.patches import Polygon, Wedge

    from api.charts.render import render_figure

    tilted = load(cht="p3", chs="250x100", chd="t:60,40", chl="Hello|World")
    assert (tilted.options.tilt, tilted.options.depth) == (0.5, 0.2)
    assert (load(cht="p", chd="t:60,40").options.tilt, load(cht="p", chd="t:60,40").options.depth) == (
        1.0,
        0.0,
    )
    fig = render_figure(tilted)
    wedges = [p for p in fig.axes[0].patches if isinstance(p, Wedge)]
    walls = [p for p in fig.axes[0].patches if isinstance(p, Polygon)]
    assert len(wedges) == 2 and walls  # the front of the rim, in darker shades
    width = wedges[0].get_window_extent().union([w.get_window_extent() for w in wedges])
    assert width.height < 0.6 * width.width  # an ellipse, not a disc


def test_p3_image_map_regions_follow_the_tilted_slices(client: Any) -> None:
    response = client.get("/chart?cht=p3&chs=250x100&chd=t:60,40&chof=json")
    assert response.status_code == 200
    shapes = response.json["chartshape"]
    xs = [v for shape in shapes for v in shape["coords"][0::2]]
    ys = [v for shape in shapes for v in shape["coords"][1::2]]
    assert {shape["name"] for shape in shapes} == {"pie0_0", "pie0_1"}
    assert max(ys) - min(ys) < 0.6 * (max(xs) - min(xs))  # the ellipse's outline, not a disc


def test_a_tilted_pies_wall_is_charged_in_the_cost_model() -> None:
    from api.charts.cost import estimate_chart
    from api.charts.kinds import KINDS

    data = ",".join(str(1 + i % 7) for i in range(500))
    flat, tilted = (load(cht=cht, chs="600x300", chd=f"t:{data}") for cht in ("p", "p3"))
    extra = estimate_chart(tilted, KINDS["pie"]).total_ms - estimate_chart(flat, KINDS["pie"]).total_ms
    assert extra == pytest.approx(500 * KINDS["pie"].point_ms)
