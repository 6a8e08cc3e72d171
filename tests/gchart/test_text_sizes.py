"""/chart draws texts at Google's sizes (11 px labels and legends, a 14 px title) with small
margins, so titles and legends that fitted Google's images are drawn whole."""

from __future__ import annotations

from typing import Any

from api.charts.render import render_figure
from api.charts.specs import ChartSpec
from api.gchart.schema import build_schema
from api.settings import Limits

SCHEMA = build_schema(Limits())()


def texts(spec: ChartSpec) -> dict[str, Any]:
    from matplotlib.text import Text

    fig = render_figure(spec)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    return {
        t.get_text(): (t.get_fontsize() / 0.72, t.get_window_extent(renderer))
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text()
    }


def test_a_title_at_180x150_is_drawn_whole_at_14_px() -> None:
    spec = SCHEMA.load(
        {"cht": "lc", "chs": "180x150", "chd": "t:10,30,20,40", "chtt": "Weekly sales figures"}
    ).spec
    drawn = texts(spec)
    size, box = drawn["Weekly sales figures"]
    assert round(size) == 14
    assert box.x0 >= 0 and box.x1 <= 180


def test_a_top_legend_fits_one_row_of_a_200_px_chart() -> None:
    spec = SCHEMA.load(
        {
            "cht": "bvg",
            "chs": "200x150",
            "chd": "t:10,30,20|20,10,30|5,5,5",
            "chdl": "Apples|Oranges|Pears",
            "chdlp": "t",
            "chxt": "x,y",
        }
    ).spec
    drawn = texts(spec)
    rows = {round(drawn[name][1].y0) for name in ("Apples", "Oranges", "Pears")}
    assert len(rows) == 1  # side by side, as Google drew them
    assert all(round(drawn[name][0]) == 11 for name in ("Apples", "Oranges", "Pears"))
    assert drawn["Apples"][1].x0 >= 0 and drawn["Pears"][1].x1 <= 200


def test_charts_keep_their_own_sizes() -> None:
    from api.charts.kinds import KINDS
    from api.charts.schemas import build_schema as chart_schema

    spec = chart_schema(KINDS["line"], Limits())().load({"data": "1,2,3", "title": "T", "width": "300"})
    assert round(texts(spec)["T"][0] * 0.72) == 13  # points, as before


def pixels(client: Any, query: str) -> Any:
    import io

    import numpy as np
    from PIL import Image

    response = client.get("/chart?" + query)
    assert response.status_code == 200, response.json
    return np.asarray(Image.open(io.BytesIO(response.data)).convert("RGB")).astype(int)


def test_a_tiny_progress_bar_keeps_its_stated_thickness(client: Any) -> None:
    # 200x30 with chbh=20: the plot is smaller than the bar and its gaps; the gaps give way.
    image = pixels(client, "cht=bhs&chs=200x30&chd=t:70&chbh=20&chco=0000FF")
    column = image[:, 60]
    blue = [(r, g, b) == (0, 0, 255) for r, g, b in column]
    assert sum(blue) >= 15


def test_an_edge_range_band_is_at_least_a_pixel(client: Any) -> None:
    image = pixels(client, "cht=lc&chs=200x100&chd=t:10,50,30&chco=000000&chm=r,FF0000,0,0.998,1.0")
    red = (image[:, :, 0] > 200) & (image[:, :, 1] < 80) & (image[:, :, 2] < 80)
    assert red.any(axis=1).sum() >= 1 and red.sum() > 150


def test_value_labels_on_the_edge_points_stay_whole() -> None:
    spec = SCHEMA.load(
        {"cht": "lc", "chs": "200x100", "chd": "t:10,40,55", "chm": "N*f0* units,000000,0,-1,12"}
    ).spec
    drawn = texts(spec)
    for label in ("10 units", "55 units"):
        box = drawn[label][1]
        assert box.x0 >= 0 and box.x1 <= 200, (label, box)
