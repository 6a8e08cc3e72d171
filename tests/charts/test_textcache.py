"""The text size, layout and glyph tables kept across renders: same pixels, bounded, and used."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import FontProperties

from api.charts import textcache
from api.charts.kinds import KINDS
from api.charts.render import render_figure
from api.charts.schemas import build_schema
from api.settings import Limits
from tests.charts.test_baselines import example


def _pixels(kind: str, plain_canvas: bool, **params: str) -> bytes:
    spec = build_schema(KINDS[kind], Limits())().load(example(kind) | params)
    fig = render_figure(spec)
    if plain_canvas:
        FigureCanvasAgg(fig)  # matplotlib's own canvas and renderer, nothing kept
    fig.canvas.draw()
    return bytes(fig.canvas.buffer_rgba())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_cached_text_draws_the_same_pixels_as_agg(kind: str) -> None:
    expected = _pixels(kind, plain_canvas=True)
    cold = _pixels(kind, plain_canvas=False)  # fills the tables (or reads what others left)
    warm = _pixels(kind, plain_canvas=False)  # every string and glyph from the tables
    assert cold == expected
    assert warm == expected


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("bar", {"scale": "2"}),  # another dpi
        ("line", {"width": "333", "height": "217"}),  # other sub-pixel positions
        # Many categories: the x labels are drawn at 45 degrees.
        (
            "bar",
            {
                "data": ",".join(str(v) for v in range(1, 31)),
                "labels": ",".join(f"Week {v}" for v in range(1, 31)),
                "legend": "Sales",
                "colors": "0072b2",
            },
        ),
    ],
)
def test_cached_glyphs_are_the_same_pixels_at_other_sizes_and_angles(
    kind: str, params: dict[str, str]
) -> None:
    expected = _pixels(kind, plain_canvas=True, **params)
    assert _pixels(kind, plain_canvas=False, **params) == expected
    assert _pixels(kind, plain_canvas=False, **params) == expected


def test_a_second_render_rasterises_no_glyph(monkeypatch: pytest.MonkeyPatch) -> None:
    _pixels("bar", plain_canvas=False)
    rendered: list[int] = []
    original = textcache.CachedTextRenderer._render_glyph

    def counting(self: textcache.CachedTextRenderer, *args: object) -> object:
        rendered.append(1)
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(textcache.CachedTextRenderer, "_render_glyph", counting)
    _pixels("bar", plain_canvas=False)
    assert rendered == []
    _pixels("bar", plain_canvas=False, scale="3")  # a new dpi: its glyphs are rendered
    assert rendered


def test_glyph_bitmaps_stay_within_their_byte_budget() -> None:
    assert textcache.GLYPHS.budget == textcache.MAX_GLYPH_BYTES
    _pixels("bar", plain_canvas=False, scale="4")
    assert 0 < textcache.GLYPHS.weight <= textcache.MAX_GLYPH_BYTES


def test_a_second_render_lays_out_no_text() -> None:
    _pixels("bar", plain_canvas=False)
    measured, laid_out = len(textcache.MEASURED), len(textcache.LAID_OUT)
    calls: list[str] = []
    original = textcache.RendererAgg.get_text_width_height_descent

    def counting(self: object, s: str, prop: object, ismath: object) -> object:
        calls.append(s)
        return original(self, s, prop, ismath)  # type: ignore[arg-type]

    textcache.RendererAgg.get_text_width_height_descent = counting  # type: ignore[method-assign]
    try:
        _pixels("bar", plain_canvas=False)
    finally:
        textcache.RendererAgg.get_text_width_height_descent = original  # type: ignore[method-assign]
    assert calls == []
    assert (len(textcache.MEASURED), len(textcache.LAID_OUT)) == (measured, laid_out)


def test_tables_stay_within_their_budget() -> None:
    table = textcache._LRU(budget=10)
    for index in range(50):
        table.put(("text", index), index, weight=3)
        assert table.weight <= 10
    assert table.get(("text", 49)) == 49
    assert table.get(("text", 0)) is None
    table.put("too big", "x", weight=11)  # never kept: it would empty the table
    assert table.get("too big") is None and table.weight <= 10


def test_long_strings_are_not_kept() -> None:
    renderer = textcache.CachedTextRenderer(200, 50, 100)
    long, short = "T" * (textcache.MAX_CACHED_LENGTH + 1), "kept"
    for text in (long, short):
        renderer.draw_text(renderer.new_gc(), 5, 30, text, FontProperties(size=9), 0)
        renderer.get_text_width_height_descent(text, FontProperties(size=9), False)
    assert [key[0] for key in textcache.LAID_OUT._items if key[0] in (long, short)] == [short]
    assert [key[0] for key in textcache.MEASURED._items if key[0] in (long, short)] == [short]
