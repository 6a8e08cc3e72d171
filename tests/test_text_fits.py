"""Long titles, labels and legend entries are wrapped or shortened, never drawn past the image."""

from __future__ import annotations

import pytest

from api.charts.kinds import KINDS
from api.charts.render import render_chart, render_figure
from api.charts.schemas import build_schema
from api.settings import Limits

LONG_WORDS = " ".join(["Quarterly revenue by region"] * 8)[:200]
LONG_WIDE = "W" * 200


def long_text_params(name: str, text: str, size: tuple[int, int]) -> dict[str, str]:
    kind = KINDS[name]
    fields = build_schema(kind, Limits())().fields
    params = {key: str(value) for key, value in kind.examples.items()}
    params.update(width=str(size[0]), height=str(size[1]))
    for key in ("title", "xlabel", "ylabel"):
        if key in fields:
            params[key] = text
    for key in ("labels", "legend", "rows"):
        if key in fields and key in params:
            count = len(params[key].split(","))
            params[key] = ",".join(f"{text[:190]}{i}" for i in range(count))
    if "legend" in params and "legend_position" in fields:
        params["legend_position"] = "right"
    return params


@pytest.mark.parametrize("size", [(640, 480), (300, 200)])
@pytest.mark.parametrize("text", [LONG_WORDS, LONG_WIDE], ids=["words", "wide"])
@pytest.mark.parametrize("name", list(KINDS))
def test_texts_stay_inside_the_image(name: str, text: str, size: tuple[int, int]) -> None:
    from matplotlib.text import Text

    spec = build_schema(KINDS[name], Limits())().load(long_text_params(name, text, size))
    fig = render_figure(spec)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = fig.bbox.width, fig.bbox.height
    drawn = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    assert drawn, "the chart draws some text"
    for text_artist in drawn:
        box = text_artist.get_window_extent(renderer)
        assert box.x0 >= -1 and box.y0 >= -1, f"{text_artist.get_text()[:30]!r} starts outside: {box}"
        assert box.x1 <= width + 1 and box.y1 <= height + 1, (
            f"{text_artist.get_text()[:30]!r} ends outside: {box}"
        )


def test_axis_lines_sit_on_the_axes_edges() -> None:
    spec = build_schema(KINDS["bar"], Limits())().load({"data": "1,2,3,4"})
    fig = render_figure(spec)
    fig.canvas.draw()
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    assert abs(ax.spines["left"].get_window_extent(renderer).x0 - ax.bbox.x0) < 1
    assert abs(ax.spines["bottom"].get_window_extent(renderer).y0 - ax.bbox.y0) < 1


@pytest.mark.parametrize("size", [(1, 1), (1, 2048), (2048, 1), (30, 30)])
@pytest.mark.parametrize("name", list(KINDS))
def test_extreme_sizes_render(name: str, size: tuple[int, int]) -> None:
    spec = build_schema(KINDS[name], Limits())().load(long_text_params(name, LONG_WORDS, size))
    image = render_chart(spec)
    assert image.body.startswith(b"\x89PNG")
