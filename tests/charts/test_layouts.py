"""Layouts a reader notices: legends told apart, palettes and slice labels, an inside legend
off the data, smooth gauges, texts and bubbles kept inside the image, radar ticks off the data,
heatmap row labels, and SVG texts kept as text."""

from __future__ import annotations

import io
import itertools
import math
import re
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from api.charts.kinds import KINDS
from api.charts.render import render_figure
from api.charts.schemas import build_schema
from api.settings import Limits

LONG_NAMES = ",".join(f"A very long series name {n}" for n in ("one", "two", "three", "four", "five", "six"))
LONG_LEGEND = {
    "data": "1,2,3|2,3,4|3,4,5|4,5,6|5,6,7|6,7,8",
    "legend": LONG_NAMES,
    "width": "500",
    "height": "300",
}
MANY_SLICES = {
    "data": "30,20,15,10,8,5,4,3,2,1,1,1",
    "labels": "Alpha,Beta,Gamma,Delta,Epsilon,Zeta,Eta,Theta,Iota,Kappa,Lambda,Mu",
    "value_labels": "true",
    "width": "400",
    "height": "300",
}
INSIDE = {
    "data": "10,20,30,45,60,80",
    "legend": "Growth",
    "legend_position": "inside",
    "labels": "Jan,Feb,Mar,Apr,May,Jun",
    "width": "400",
    "height": "300",
}
SMALL_GAUGE = {"data": "72", "width": "150", "height": "100"}
RADAR = {**{k: str(v) for k, v in KINDS["radar"].examples.items()}, "width": "360", "height": "270"}
LC_EDGES = "/chart?cht=lc&chs=300x150&chd=t:10,40,60,80,100,30&chxt=x,y&chxl=0:|Jan|Feb|Mar|Apr|May|Jun"
SCATTER_CORNER = "/chart?cht=s&chs=300x200&chd=t:100|100|100"


def figure(kind: str, params: dict[str, str]) -> Any:
    spec = build_schema(KINDS[kind], Limits())().load(params)
    fig = render_figure(spec)
    fig.canvas.draw()
    return fig


def texts(fig: Any) -> list[Any]:
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def png(client: Any, url: str, params: dict[str, str] | None = None) -> Image.Image:
    response = client.get(url, query_string=params)
    assert response.status_code == 200, response.json
    return Image.open(io.BytesIO(response.data)).convert("RGB")


# -- legends ---------------------------------------------------------------------------------


def test_legend_entries_cut_alike_keep_their_distinguishing_end() -> None:
    fig = figure("line", LONG_LEGEND)
    entries = [t.get_text() for t in texts(fig) if t.get_text().startswith("A very")]
    assert len(entries) == 6
    assert len(set(entries)) == 6, entries
    for entry, end in zip(entries, ("one", "two", "three", "four", "five", "six"), strict=True):
        assert entry.endswith(end), entry


def test_fit_labels_cuts_distinct_labels_at_the_end() -> None:
    from api.charts.textsize import fit_labels

    labels = ["North region revenue", "South region revenue"]
    assert fit_labels(labels, 9, 100, 60) == [
        fit_labels([labels[0]], 9, 100, 60)[0],
        fit_labels([labels[1]], 9, 100, 60)[0],
    ]
    assert fit_labels(labels, 9, 100, 60)[0].startswith("North")


def test_legend_inside_takes_the_corner_the_data_leaves_empty() -> None:
    from matplotlib.patches import Rectangle

    fig = figure("line", INSIDE)
    backing = [a for a in fig.artists if isinstance(a, Rectangle) and a.get_alpha() == 0.85]
    assert len(backing) == 1
    box = backing[0].get_window_extent()
    # The line rises to the upper right: the legend goes to the upper left.
    assert box.x1 < fig.bbox.width / 2
    assert box.y0 > fig.bbox.height / 2
    line = fig.axes[0].get_lines()[-1]
    xy = line.get_transform().transform(list(zip(*line.get_data(), strict=True)))
    assert not any(box.contains(x, y) for x, y in xy)


# -- pies ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [8, 12, 16])
def test_slices_have_distinct_colours_up_to_sixteen(count: int) -> None:
    from matplotlib.patches import Wedge

    params = {
        **MANY_SLICES,
        "data": ",".join(["1"] * count),
        "labels": ",".join(f"s{i}" for i in range(count)),
    }
    fig = figure("pie", params)
    colors = [tuple(w.get_facecolor()) for w in fig.axes[0].patches if isinstance(w, Wedge)]
    assert len(colors) == count
    assert len(set(colors)) == count


def test_slice_labels_are_written_only_where_they_fit() -> None:
    fig = figure("pie", MANY_SLICES)
    renderer = fig.canvas.get_renderer()
    shares = [t for t in texts(fig) if t.get_text().endswith("%")]
    assert [t.get_text() for t in shares][:4] == ["30%", "20%", "15%", "10%"]
    boxes = [t.get_window_extent(renderer) for t in shares]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    assert not any(t.get_text() in ("3%", "4%") for t in shares)


# -- gauge -----------------------------------------------------------------------------------


def test_gauge_ramp_is_smooth(client: Any) -> None:
    params = {"data": "50", "width": "400", "height": "260"}
    image = png(client, "/charts/gauge", params)
    ax = figure("gauge", params).axes[0]
    unit_px = ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]
    radius = 0.86  # the middle of the ring
    # One sample per pixel along the ring, from its left end over a good part of the way up.
    samples = []
    for step in range(2, int(radius * unit_px * math.pi * 0.45)):  # from just inside the end
        angle = math.pi - step / (radius * unit_px)
        x, y = ax.transData.transform((radius * math.cos(angle), radius * math.sin(angle)))
        samples.append(image.getpixel((int(x), int(image.height - y))))
    jumps = [max(abs(p - q) for p, q in zip(a, b, strict=True)) for a, b in itertools.pairwise(samples)]
    # Sixty bands stepped by up to 12 levels from one pixel to the next; a smooth ramp by 4.
    assert max(jumps) <= 6, sorted(jumps)[-5:]


def test_small_gauge_keeps_its_value_sized_to_fit() -> None:
    fig = figure("gauge", SMALL_GAUGE)
    renderer = fig.canvas.get_renderer()
    values = [t for t in texts(fig) if t.get_text() == "72"]
    assert len(values) == 1
    box = values[0].get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width and box.y0 >= 0 and box.y1 <= fig.bbox.height
    assert values[0].get_fontsize() >= 5


# -- edges -----------------------------------------------------------------------------------


def ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels in ``box`` (left, top, right, bottom) that are not the white background."""
    region = image.crop(box)
    return sum(1 for pixel in region.get_flattened_data() if pixel != (255, 255, 255))


def test_stated_axis_labels_keep_clear_of_the_image_edges(client: Any) -> None:
    image = png(client, LC_EDGES)
    width, height = image.size
    # /chart keeps Google's margins of a few pixels (4 px), clear of texts.
    assert ink(image, (width - 3, 0, width, height)) == 0  # "Jun" ended at the right edge
    assert ink(image, (0, 0, width, 3)) == 0  # "100" touched the top


def test_a_bubble_on_the_plot_corner_is_drawn_whole(client: Any) -> None:
    image = png(client, SCATTER_CORNER)
    width, height = image.size
    # The bubble (24 px across at the largest size) on the top right corner of the plot.
    painted = ink(image, (width // 2, 0, width, height // 2))
    assert painted >= 0.9 * math.pi * 12**2, painted
    assert ink(image, (width - 3, 0, width, height)) == 0


# -- radar -----------------------------------------------------------------------------------


def test_radar_ticks_stand_off_the_polygons() -> None:
    from matplotlib.patches import Polygon

    fig = figure("radar", RADAR)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    polygons = [p.get_path().transformed(p.get_transform()) for p in ax.patches if isinstance(p, Polygon)]
    assert len(polygons) == 2
    ticks = [t for t in ax.texts if t.get_text() in {"1", "2", "3", "4", "5"}]
    assert len(ticks) == 5
    assert all(t.get_fontsize() >= 9 for t in ticks)
    outer = [t for t in ticks if t.get_text() in {"3", "4", "5"}]
    for tick in outer:
        box = tick.get_window_extent(renderer)
        assert not any(path.intersects_bbox(box, filled=True) for path in polygons), tick.get_text()


# -- heatmap rows ----------------------------------------------------------------------------


def test_heatmap_rows_that_read_as_a_count_are_a_422(client: Any) -> None:
    response = client.get("/charts/heatmap?data=1,2,3,4,5,6,7,8,9&rows=3")
    assert response.status_code == 422
    assert "rows" in response.json["detail"]["query"]
    assert "row labels" in response.json["detail"]["query"]["rows"][0]
    # A single row may still carry a label that happens to be a number.
    assert client.get("/charts/heatmap?data=1,2,3&rows=2024").status_code == 200
    assert client.get("/charts/heatmap?data=1,2|3,4&rows=3").status_code == 422


def test_heatmap_rows_are_documented_as_labels(client: Any) -> None:
    parameters = client.get("/openapi.json").json["paths"]["/charts/heatmap"]["get"]["parameters"]
    rows = next(p for p in parameters if p["name"] == "rows")
    assert "labels (not a count" in rows["description"]


# -- SVG text --------------------------------------------------------------------------------

SVG_CHART = "/charts/bar?data=3,5,2&labels=North,South,East&title=Sales by region&format=svg"


def test_svg_keeps_text_as_text_with_a_font_fallback(client: Any) -> None:
    as_text = client.get(SVG_CHART)
    as_paths = client.get(SVG_CHART + "&svg_text=paths")
    assert as_text.status_code == as_paths.status_code == 200
    elements = re.findall(rb"<text[^>]*>([^<]*)</text>", as_text.data)
    assert b"Sales by region" in elements and b"North" in elements
    assert b"font-family: 'DejaVu Sans', 'Verdana', sans-serif" in as_text.data
    assert b"<text" not in as_paths.data
    assert len(as_text.data) < len(as_paths.data) * 0.8
    assert client.get(SVG_CHART).data == as_text.data  # same request, same bytes
    assert as_text.headers["ETag"] != as_paths.headers["ETag"]


def test_svg_text_leaves_raster_formats_alone(client: Any) -> None:
    plain = client.get("/charts/bar?data=3,5,2")
    flagged = client.get("/charts/bar?data=3,5,2&svg_text=paths")
    assert flagged.status_code == 200
    assert flagged.headers["ETag"] == plain.headers["ETag"]
    assert client.get("/charts/bar?data=3,5,2&svg_text=outlines").status_code == 422


def test_svg_text_is_documented(client: Any) -> None:
    parameters = client.get("/openapi.json").json["paths"]["/charts/bar"]["get"]["parameters"]
    flag = next(p for p in parameters if p["name"] == "svg_text")
    assert flag["schema"]["enum"] == ["text", "paths"]


# -- baselines -------------------------------------------------------------------------------

CASES: dict[str, tuple[str, dict[str, str]]] = {
    "chart_legend_long_names": ("/charts/line", LONG_LEGEND),
    "chart_pie_many_slices": ("/charts/pie", MANY_SLICES),
    "chart_line_legend_inside": ("/charts/line", INSIDE),
    "chart_gauge_small": ("/charts/gauge", SMALL_GAUGE),
    "chart_radar_gallery": ("/charts/radar", RADAR),
    "gchart_lc_edges": (LC_EDGES, {}),
    "gchart_s_corner": (SCATTER_CORNER, {}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_layout_baseline(name: str, client: Any, baseline: Callable[[str, bytes], None]) -> None:
    url, params = CASES[name]
    response = client.get(url, query_string=params or None)
    assert response.status_code == 200, response.json
    baseline(name, response.data)


@pytest.mark.browser
def test_svg_text_draws_what_its_glyph_outlines_draw(client: Any, browser: Any) -> None:
    """Rasterised by Chromium, the SVG with text elements (in the fallback fonts) and the one
    with glyph outlines are the same picture, up to the text's antialiasing."""
    import base64

    from tests.imagecompare import compare

    url = SVG_CHART + "&width=400&height=300"
    page = browser.new_page(viewport={"width": 400, "height": 300})
    shots = {}
    try:
        for mode in ("text", "paths"):
            svg = base64.b64encode(client.get(f"{url}&svg_text={mode}").data).decode()
            page.set_content(f'<body style="margin:0"><img src="data:image/svg+xml;base64,{svg}"></body>')
            page.wait_for_function(
                "() => [...document.images].every(img => img.complete && img.naturalWidth)"
            )
            shots[mode] = page.screenshot(clip={"x": 0, "y": 0, "width": 400, "height": 300})
    finally:
        page.close()
    text = Image.open(io.BytesIO(shots["text"])).convert("RGB")
    assert ink(text, (0, 0, 400, 40)) > 100  # the title is drawn
    result = compare(shots["text"], shots["paths"])
    assert result.size_matches
    assert result.differing < result.total * 0.01, result
