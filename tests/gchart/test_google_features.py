"""Image Charts features beyond the basics: what each parameter becomes in the spec, from
Google's documented examples rewritten with data of our own, and a reference image each
(tests/baselines/gchart_feature_*.png; regenerate with --update-baselines and look at them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

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


FEATURES: dict[str, str] = {
    "zero_line": "cht=bvg&chs=240x160&chd=s:DHPVchkrw&chp=0.5&chco=4D89F9&chxt=y&chbh=a",
    "legend_size": "cht=lc&chs=300x160&chd=t:10,40,30,70|20,30,50,40&chco=FF0000,0000FF&chdl=One|Two"
    "&chma=10,10,10,10|120,40",
    "tick_lengths": "cht=lc&chs=280x170&chd=t:20,45,30,80,60&chco=3366CC&chxt=x,y,r&chxtc=0,12,4|1,-1000|2,-5,8"
    "&chxr=2,0,10",
    "auto_text": "cht=bvg&chs=240x160&chd=a:-30,10,45,70,25&chco=76A4FB&chxt=y&chxr=0,-30,70",
}


@pytest.mark.parametrize("name", list(FEATURES))
def test_feature_baseline(name: str, client: Any, baseline: Callable[[str, bytes], None]) -> None:
    response = client.get("/chart?" + FEATURES[name])
    assert response.status_code == 200, response.json
    baseline(f"gchart_feature_{name}", response.data)
