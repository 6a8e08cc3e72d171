"""Google-o-meter axes (``chxt``, ``chxl``, ``chxr``, ``chxp``, ``chxs``) and arrow styles
(``chls``): Google's documented examples as data, what they become in the spec, what they
change in the image, and a reference image each (tests/baselines/gchart_gom_*.png; regenerate
with --update-baselines and look at them)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image

from api.charts.describe import describe_chart
from api.charts.kinds.gauge import DialLabels, GaugeOptions, NeedleStyle
from api.charts.render import render_chart
from api.charts.specs import ChartSpec
from api.gchart.schema import build_schema
from api.notices import Parsed
from api.settings import Limits

SCHEMA = build_schema(Limits())()
RAINBOW = "FF0000,FF8040,FFFF00,00FF00,00FFFF,0000FF,800080"


def parse(**params: str) -> Parsed:
    return SCHEMA.load({"cht": "gom", **params})  # type: ignore[no-any-return]


def options(**params: str) -> GaugeOptions:
    opts = parse(**params).spec.options
    assert isinstance(opts, GaugeOptions)
    return opts


def pixels(spec: ChartSpec) -> Any:
    return np.asarray(Image.open(io.BytesIO(render_chart(spec).body)).convert("RGB")).astype(int)


# -- axes ------------------------------------------------------------------------------------


def test_googles_example_labels_under_and_around_the_dial() -> None:
    # Google's example: chxt=x,y&chxl=0:|Groovy|1:|slow|faster|crazy on a rainbow dial at 70.
    parsed = parse(chs="225x125", chd="t:70", chco=RAINBOW, chxt="x,y", chxl="0:|Groovy|1:|slow|faster|crazy")
    assert parsed.notices.ignored == ()
    opts = parsed.spec.options
    assert isinstance(opts, GaugeOptions)
    assert opts.dial_labels == (
        DialLabels(((0.5, "Groovy"),), around=False),  # one label under the dial: centred
        DialLabels(((0.0, "slow"), (0.5, "faster"), (1.0, "crazy")), around=True),  # min to max
    )


def test_right_and_top_axes_go_around_and_under_too() -> None:
    labels = options(chd="t:50", chxt="r,t", chxl="0:|lo|hi|1:|a|b").dial_labels
    assert [(axis.around, axis.ticks) for axis in labels] == [
        (True, ((0.0, "lo"), (1.0, "hi"))),
        (False, ((0.0, "a"), (1.0, "b"))),
    ]


def test_a_range_numbers_the_dial_and_positions_place_labels() -> None:
    (numbers,) = options(chd="t:50", chxt="y", chxr="0,0,100,25").dial_labels
    assert numbers.ticks == ((0.0, "0"), (0.25, "25"), (0.5, "50"), (0.75, "75"), (1.0, "100"))
    (placed,) = options(chd="t:50", chxt="y", chxr="0,0,200", chxl="0:|cold|hot", chxp="0,50,150").dial_labels
    assert placed.ticks == ((0.25, "cold"), (0.75, "hot"))
    (under,) = options(chd="t:50", chxt="x", chxl="0:|left", chxp="0,10").dial_labels
    assert under.ticks == ((0.1, "left"),)  # a stated position is kept


def test_axis_styles_colour_and_size_the_labels() -> None:
    (styled,) = options(chd="t:50", chxt="y", chxl="0:|a|b", chxs="0,0000CC,14").dial_labels
    assert (styled.color, styled.font_px) == ("#0000ccff", 14.0)
    (hidden,) = options(chd="t:50", chxt="y", chxl="0:|a|b", chxs="0,0000CC,0").dial_labels
    assert [text for _, text in hidden.ticks] == ["", ""]


def test_labels_are_drawn_around_the_arc_in_their_colour() -> None:
    base = {"chs": "300x200", "chd": "t:50", "chco": "999999"}
    plain = pixels(parse(**base).spec)
    labelled = pixels(parse(**base, chxt="y", chxl="0:|low|mid|high", chxs="0,0000FF,12").spec)
    blue = (labelled[..., 2] > 200) & (labelled[..., 0] < 60) & (labelled[..., 1] < 60)
    ys, xs = np.nonzero(blue)
    assert len(xs) > 50 and not ((plain[..., 2] > 200) & (plain[..., 0] < 60)).any()
    grey = (labelled == 153).all(axis=-1)
    arc_top = np.nonzero(grey.any(axis=1))[0].min()
    assert ys.min() < arc_top  # "mid" above the arc
    arc_x = np.nonzero(grey.any(axis=0))[0]
    assert xs.min() < arc_x.min() and xs.max() > arc_x.max()  # "low" and "high" beside its ends


def test_the_dial_shrinks_to_make_room_for_its_labels() -> None:
    base = {"chs": "300x200", "chd": "t:50", "chco": "999999"}
    width = lambda image: int(np.ptp(np.nonzero((image == 153).all(axis=-1).any(axis=0))[0]))  # noqa: E731
    assert width(pixels(parse(**base, chxt="y", chxl="0:|very low|high above all").spec)) < width(
        pixels(parse(**base).spec)
    )


def test_the_text_twin_names_the_labels() -> None:
    spec = parse(chd="t:70", chxt="x,y", chxl="0:|Groovy|1:|slow|faster|crazy", chof="txt").spec
    assert "Around the dial: slow, faster and crazy. Under the dial: Groovy." in describe_chart(spec)


def test_what_a_dial_does_not_draw_is_named() -> None:
    parsed = parse(chd="t:50", chxt="y", chxtc="0,5", chg="20,20", chm="o,FF0000,0,0,5")
    assert set(parsed.notices.ignored) == {"chxtc", "chg", "chm"}


def test_the_dial_s_labels_count_in_the_cost_model() -> None:
    from api.charts.cost import TEXT_MS, estimate_chart
    from api.charts.kinds import KINDS

    spec = parse(chd="t:50", chxt="y,x", chxr="0,0,100,1", chxl="1:|a").spec
    assert estimate_chart(spec, KINDS["gauge"]).parts["options.dial_labels"] == 102 * TEXT_MS
    dashed = parse(chd="t:50", chls="2,1,1").spec
    assert estimate_chart(dashed, KINDS["gauge"]).parts["options.needle_styles"] > 0


# -- chls: arrow styles ----------------------------------------------------------------------


def test_googles_arrow_styles_a_body_per_series_then_a_head_per_series() -> None:
    # Google's example: chd=t:20,40|60&chls=3|3,5,5|15|10 - two solid arrows with 15 px heads,
    # one dashed arrow with a 10 px head.
    styles = options(chd="t:20,40|60", chls="3|3,5,5|15|10").needle_styles
    assert styles == (
        NeedleStyle(3, head_px=15),
        NeedleStyle(3, head_px=15),
        NeedleStyle(3, 5, 5, head_px=10),
    )


def test_bodies_alone_and_a_dash_alone() -> None:
    assert options(chd="t:20|60", chls="4|2,6").needle_styles == (NeedleStyle(4), NeedleStyle(2, 6, 6))
    assert options(chd="t:20|60", chls="4").needle_styles == (NeedleStyle(4), None)
    assert options(chd="t:20").needle_styles == ()


def test_a_styled_arrow_is_drawn_as_styled() -> None:
    base = {"chs": "300x200", "chd": "t:50", "chco": "FFFFFF"}  # a white dial: only the arrow is dark
    wedge, thin, thick = (
        pixels(parse(**base, **extra).spec) for extra in ({}, {"chls": "1|6"}, {"chls": "8|30"})
    )

    def dark(image: Any) -> int:
        return int((image.sum(axis=-1) < 200).sum())

    assert dark(thin) < dark(wedge) < dark(thick)


@pytest.mark.parametrize(
    ("params", "name", "message"),
    [
        ({"chd": "t:20|60", "chls": "1|2|3|4|5"}, "chls", "5 arrow styles for 2 series"),
        ({"chd": "t:20", "chls": "3|4,2"}, "chls", "Arrow head 1 (4,2): one size within 0..100 pixels"),
        ({"chd": "t:20", "chls": "3|150"}, "chls", "Arrow head 1 (150)"),
        ({"chd": "t:20", "chls": "80"}, "chls", "Arrow widths must be within 0..50 pixels"),
        ({"chd": "t:20", "chxt": "y", "chxl": "1:|a"}, "chxl", "Axis 1 is not in chxt (y)"),
        ({"chd": "t:20", "chxt": "y", "chxr": "0,5,5"}, "chxr", "the range 5..5 is empty"),
        ({"chd": "t:20", "chxt": "y", "chxs": "0,FF0000,99"}, "chxs", "font size 99"),
    ],
)
def test_errors_name_parameter_and_value(
    client: Any, params: dict[str, str], name: str, message: str
) -> None:
    response = client.get("/chart", query_string={"cht": "gom", **params})
    assert response.status_code == 422, response.data[:200]
    found = response.json["detail"]["query"]
    assert message in " ".join(found[name]), found


GOM: dict[str, str] = {
    # Google's example: labels under (x) and around (y) a rainbow dial.
    "axes": f"cht=gom&chs=225x125&chd=t:70&chco={RAINBOW}&chxt=x,y&chxl=0:|Groovy|1:|slow|faster|crazy",
    # Numbers around the dial (chxr), styled (chxs), with the arrow's label and an axis under it.
    "range": "cht=gom&chs=320x200&chd=t:64&chl=64%25&chxt=y,x&chxr=0,0,100,20&chxs=0,0000CC,12&chxl=1:|Speed",
    # Google's arrow styles: a body per series, then a head size per series.
    "arrows": "cht=gom&chs=250x150&chd=t:20,40|60&chls=3|3,5,5|15|10",
}


@pytest.mark.parametrize("name", list(GOM))
def test_gom_baseline(name: str, client: Any, baseline: Callable[[str, bytes], None]) -> None:
    response = client.get("/chart?" + GOM[name])
    assert response.status_code == 200, response.json
    assert "Ignored-Parameters" not in response.headers
    baseline(f"gchart_gom_{name}", response.data)
