"""Whole-chart transparency (``chf=a,s,<colour>``) and the legend's text style (``chdls``):
Google's documented examples rewritten with data of our own, what they become in the spec,
what they change in the image, and a reference image each
(tests/baselines/gchart_style_*.png; regenerate with --update-baselines and look at them)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from PIL import Image

from api.charts.legend import LegendStyle
from api.charts.render import render_chart
from api.charts.specs import ChartSpec
from api.gchart.schema import build_schema
from api.output import Output
from api.settings import Limits

SCHEMA = build_schema(Limits())()
BARS = {"cht": "bvg", "chs": "200x120", "chd": "t:30,60,90", "chco": "3366CC"}


def load(**params: str) -> ChartSpec:
    return SCHEMA.load(params).spec  # type: ignore[no-any-return]


def pixels(spec: ChartSpec) -> Any:
    """The image as a height x width x RGBA array."""
    return np.asarray(Image.open(io.BytesIO(render_chart(spec).body)).convert("RGBA")).astype(int)


# -- chf=a: the whole chart's transparency -------------------------------------------------


def test_the_colour_s_alpha_is_the_whole_chart_s_opacity() -> None:
    # Google's example: chf=a,s,EFEFEF80 (its red, green and blue are ignored).
    spec = load(**BARS, chf="a,s,EFEFEF80")
    assert spec.opacity == pytest.approx(0x80 / 255)
    assert spec == load(**BARS, chf="a,s,00000080")
    assert load(**BARS).opacity == 1.0


def test_an_opaque_colour_changes_nothing() -> None:
    assert load(**BARS, chf="a,s,EFEFEF") == load(**BARS) == load(**BARS, chf="a,s,123456FF")


def test_transparency_goes_with_the_other_fills() -> None:
    spec = load(**BARS, chf="bg,s,FFCC00|a,s,00000040|c,s,EEEEEE")
    assert spec.background == "#ffcc00ff" and spec.opacity == pytest.approx(0x40 / 255)
    assert spec.extras is not None and spec.extras.plot_background == "#eeeeeeff"


def test_every_pixel_fades_alike() -> None:
    solid, faded = pixels(load(**BARS)), pixels(load(**BARS, chf="a,s,EFEFEF80"))
    assert (faded[..., :3] == solid[..., :3]).all()
    assert (solid[..., 3] == 255).all() and (faded[..., 3] == 128).all()  # none shows through another


def test_a_formula_fades_too() -> None:
    spec = load(cht="tx", chl="x^2", chf="a,s,00000080")
    assert spec.opacity == pytest.approx(0x80 / 255)
    assert pixels(spec)[..., 3].max() == 128


def test_svg_fades_as_one_layer() -> None:
    spec = replace(load(**BARS, chf="a,s,00000080"), output=Output(200, 120, 1, "svg"))
    assert b'<svg opacity="0.502" ' in render_chart(spec).body
    assert b"opacity=" not in render_chart(replace(spec, opacity=1.0)).body.split(b"<svg ", 1)[1][:200]


def test_the_fill_is_not_a_background_or_bar_colour() -> None:
    spec = load(cht="bvg", chd="t:1,2", chf="a,s,FF000080")
    assert spec.background is None and spec.colors == load(cht="bvg", chd="t:1,2").colors


# -- chdls: the legend's text colour and size ------------------------------------------------


def test_legend_text_colour_and_size() -> None:
    # Google's example: chdl=NASDAQ|FTSE100|DOW&chdls=0000CC,14.
    spec = load(cht="lc", chd="t:10,20|30,40|50,60", chdl="NASDAQ|FTSE100|DOW", chdls="0000CC,14")
    assert spec.legend_style == LegendStyle("#0000ccff", 14.0)
    assert load(cht="lc", chd="t:1,2", chdl="a", chdls="0000CC").legend_style == LegendStyle("#0000ccff")
    assert load(cht="lc", chd="t:1,2", chdl="a").legend_style is None


def test_the_legend_is_drawn_in_its_colour_at_its_size() -> None:
    params = {"cht": "lc", "chs": "300x150", "chd": "t:10,20|30,40", "chco": "999999,999999"}
    plain = pixels(load(**params, chdl="Alpha|Beta"))
    styled = pixels(load(**params, chdl="Alpha|Beta", chdls="FF0000,20"))

    def red(image: Any) -> Any:
        return (image[..., 0] > 200) & (image[..., 1] < 60) & (image[..., 2] < 60)

    assert red(styled).sum() > 100 and not red(plain).any()
    # At 20 px the legend takes more of the width: the plot's right edge moves left.
    assert _plot_right(styled) < _plot_right(plain) - 20


def _plot_right(image: Any) -> int:
    """The rightmost column of the grey lines."""
    return int(np.nonzero((image[..., :3] == 153).all(axis=-1).any(axis=0))[0].max())


def test_chdls_applies_wherever_a_legend_does() -> None:
    assert load(cht="p", chd="t:1,2", chdl="a|b", chdls="00AA00,9").legend_style == LegendStyle(
        "#00aa00ff", 9.0
    )
    region_map = SCHEMA.load({"cht": "map", "chld": "FR", "chdls": "00AA00,9"})
    assert "chdls" in region_map.notices.ignored  # maps draw no legend: named, as Google ignored it


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"chdls": "0000CC,80"}, "Font size 80 is not within 1..72"),
        ({"chdls": "0000CC,14,b"}, "is not of the form: Legend text style"),
        ({"chf": "a,s,00000080|a,s,000000FF"}, "The fill a is given twice"),
    ],
)
def test_errors_name_the_parameter(client: Any, params: dict[str, str], message: str) -> None:
    response = client.get("/chart", query_string={**BARS, "chdl": "a", **params})
    assert response.status_code == 422
    name = next(iter(params))
    assert message in " ".join(response.json["detail"]["query"][name]), response.json


STYLES: dict[str, str] = {
    # Bars over a yellow background, the whole chart at half opacity (chf=a,s,EFEFEF80).
    "transparent": "cht=bvg&chs=240x150&chd=t:30,60,90|50,20,70&chco=3366CC,DC3912&chf=bg,s,FFCC00|a,s,EFEFEF80"
    "&chdl=2025|2026&chxt=x,y",
    # Google's legend style example: blue 14 px legend text.
    "legend_text": "cht=lc&chs=320x160&chd=t:10,30,20,40|20,10,40,30|30,40,10,20&chco=FF0000,00AA00,0000FF"
    "&chdl=NASDAQ|FTSE100|DOW&chdls=0000CC,14",
}


@pytest.mark.parametrize("name", list(STYLES))
def test_style_baseline(name: str, client: Any, baseline: Callable[[str, bytes], None]) -> None:
    response = client.get("/chart?" + STYLES[name])
    assert response.status_code == 200, response.json
    baseline(f"gchart_style_{name}", response.data)
