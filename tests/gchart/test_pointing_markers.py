"""chm arrows (a), error bars (E), flags (f) and annotations (A): Google's syntax as data, what
each becomes in the spec, the errors that name chm and the marker, and a reference image each
(tests/baselines/gchart_feature_{arrows,error_bars,flags,annotations}.png)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from api.charts.explicit import ArrowMark, ErrorBarMark, FlagMark, TextMark
from api.charts.specs import ChartSpec
from api.gchart import grammar
from api.gchart.grammar import Marker
from api.gchart.schema import build_schema
from api.settings import Limits

SCHEMA = build_schema(Limits())()
LINE = {"cht": "lc", "chs": "280x170", "chd": "t:20,45,30,60,50", "chco": "76A4FB"}
# A line and two hidden series: the bottoms and tops of error bars on each point.
SPREAD = {**LINE, "chd": "t1:40,55,45,70,60|30,45,40,60,45|50,65,55,80,70"}


def load(**params: str) -> ChartSpec:
    return SCHEMA.load(params).spec  # type: ignore[no-any-return]


def marks(**params: str) -> tuple[Any, ...]:
    extras = load(**params).extras
    assert extras is not None
    return extras.marks


# Google's forms: [@]<type>,<colour>,<series>,<points>,<size>[,<z-order>][,<offset>] for
# shapes (a: the offset <reserved>:<x>:<y>, the reserved part empty; E: the size
# <width>[:<cap width>]), and <type><text>,...,<size>[,<z-order>][,<placement>] for text
# markers (f, A: the placement [l|h|r][b|v|t][s|c|e][:<x>[:<y>]]).
PARSED: list[tuple[str, Marker]] = [
    ("a,FF0000,0,-1,15", Marker("a", "#ff0000ff", 0, "-1", 15.0)),
    ("a,FF000080,0,2,20,1,:8:-4", Marker("a", "#ff000080", 0, "2", 20.0, z=1.0, offset=(8.0, -4.0))),
    ("a,FF0000,0,::2,10,,:5", Marker("a", "#ff0000ff", 0, "::2", 10.0, offset=(5.0, 0.0))),
    ("E,FF2222,1,-1,1:5", Marker("E", "#ff2222ff", 1, "-1", 1.0, cap=5.0)),
    ("E,000000,0,,2", Marker("E", "#000000ff", 0, "", 2.0)),
    ("E,0000FF,0,1:3,3:12,-0.5", Marker("E", "#0000ffff", 0, "1:3", 3.0, z=-0.5, cap=12.0)),
    ("fHello,000000,0,1,10", Marker("f", "#000000ff", 0, "1", 10.0, text="Hello")),
    ("fMax,FF0000,0,3,12,1", Marker("f", "#ff0000ff", 0, "3", 12.0, z=1.0, text="Max")),
    ("fA b,000000,0,1,10,,h", Marker("f", "#000000ff", 0, "1", 10.0, text="A b", anchor="h")),
    (
        "fX,000000,0,1,10,,lt:10:-5",
        Marker("f", "#000000ff", 0, "1", 10.0, text="X", anchor="lt", offset=(10, -5)),
    ),
    ("fX,000000,0,1,10,,:10:-5", Marker("f", "#000000ff", 0, "1", 10.0, text="X", offset=(10.0, -5.0))),
    ("AFirst,000000,0,1,11", Marker("A", "#000000ff", 0, "1", 11.0, text="First")),
    ("ANote,006600,-1,-2,11,0,rbe", Marker("A", "#006600ff", -1, "-2", 11.0, text="Note", anchor="rbe")),
    (
        "AY,000000,0,1,10,,vs:0:7",
        Marker("A", "#000000ff", 0, "1", 10.0, text="Y", anchor="vs", offset=(0, 7)),
    ),
]


@pytest.mark.parametrize(("text", "marker"), PARSED)
def test_google_forms_parse(text: str, marker: Marker) -> None:
    assert re.fullmatch(grammar.MARKERS, text), "the spec's pattern takes it"
    assert grammar.parse_markers(text) == (marker,)


@pytest.mark.parametrize(
    "text",
    [
        "a,FF0000,0,-1,15,,lt",  # arrows take an offset, not a placement
        "a,FF0000,0,-1,15,,:a",
        "E,000000,1,-1,1:5:3",  # one cap width
        "E,000000,1,-1,1:5,,:3:3",  # no offset for error bars
        "fX,000000,0,1,10,,q",  # no such placement letter
        "fX,000000,0,1,10,,lhr",  # one horizontal anchor
        "fX,000000,0,1,10,,l:1:2:3",
        "A" + "x" * 61 + ",000000,0,1,10",  # texts are at most 60 characters, as t markers'
        "fX,000000,0,1",
    ],
)
def test_malformed_markers_do_not_match(text: str) -> None:
    assert not re.fullmatch(grammar.MARKERS, text), text
    assert f"Marker 1 ({text[:40]!r}): expected {text[0]}" in grammar.describe_marker_error(text)


def test_arrows_on_chosen_points() -> None:
    (arrows,) = marks(**LINE, chm="a,FF0000,0,1:3,15,,:4:-2")
    assert arrows == ArrowMark("#ff0000ff", 0, (1.0, 2.0, 3.0), 15.0, (4.0, -2.0))


def test_error_bars_run_from_a_series_to_the_next() -> None:
    (bars,) = marks(**SPREAD, chm="E,000000,1,0:1,1:8")
    # Positions are fractions of the plot (5 points: 0, 0.25...), values too (no chds: 0..100).
    assert bars == ErrorBarMark(
        "#000000ff", ((0.0, 0.3, 0.5), (0.25, 0.45, 0.65)), 1.0, 8.0, edge_to_edge=True
    )


def test_error_bars_on_horizontal_bars_stand_on_the_categories() -> None:
    (bars,) = marks(cht="bhg", chd="t1:40,55|30,45|50,65", chm="E,CC0000,1,-1,2")
    assert bars.horizontal and not bars.edge_to_edge and bars.cap_px == 0.0
    assert [b[0] for b in bars.bars] == [0.0, 1.0]


def test_flags_and_annotations_take_googles_placement() -> None:
    flag, note, below = marks(**LINE, chm="fHi,000000,0,1,10|ANote,FF0000,0,2,11|fLow,000000,0,3,10,,rt:3:4")
    assert flag == FlagMark("#000000ff", 0, (1.0,), "Hi", 10.0)  # a flag: the box right of its pole
    assert note.annotation and note.anchor == ("center", "bottom")
    assert below.anchor == ("right", "top") and below.offset_px == (3.0, 4.0)


def test_bar_places_count_on_bar_charts_only() -> None:
    (on_bar,) = marks(cht="bvg", chd="t:20,45,30", chm="fBase,000000,0,1,10,,hbs")
    assert on_bar.bar_place == "base"
    # Elsewhere Google's bar-relative letters change nothing: the spec is as without them.
    assert load(**LINE, chm="fX,000000,0,1,10,,hbs") == load(**LINE, chm="fX,000000,0,1,10,,hb")


def test_markers_below_the_lines() -> None:
    (arrows,) = marks(**LINE, chm="a,FF0000,0,-1,15,-1")
    assert not arrows.above


def errors(client: Any, **params: str) -> list[str]:
    response = client.get("/chart", query_string=params)
    assert response.status_code == 422, response.data[:300]
    return response.json["detail"]["query"]["chm"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("chm", "message"),
    [
        ("a,FF0000,0,-1,500", "Marker 1 (arrow): the size 500 is not within 0..100 pixels."),
        ("a,FF0000,0,-1,15,,lt", "Marker 1 ('a,FF0000,0,-1,15,,lt'): expected a,<RRGGBB[AA]>"),
        ("a,FF0000,4,-1,15", "Marker 1 (arrow): series 4 does not exist"),
        (
            "E,000000,2,-1,1:5",
            "Marker 1 (error bar): an error bar takes two series (bottom, top) from series 2",
        ),
        ("E,000000,1,-1,1:500", "Marker 1 (error bar): the size 500 is not within"),
        ("E,000000,1,-1,1:5:5", "Marker 1 ('E,000000,1,-1,1:5:5'): expected E,"),
        ("fHi,000000,0,9,10", "Marker 1 (flag): point 9 does not exist"),
        ("fHi,000000,0,1,10,,q", "Marker 1 ('fHi,000000,0,1,10,,q'): expected f<text>"),
        ("AHi,000000,0,1,200", "Marker 1 (annotation): the size 200 is not within"),
        ("AHi,000000,0,1,10,3", "Marker 1 (annotation): the z-order 3 is not within -1..1."),
    ],
)
def test_bad_markers_are_422_naming_chm_and_the_marker(client: Any, chm: str, message: str) -> None:
    (found,) = errors(client, **SPREAD, chm=chm)
    assert message in found


def test_error_bars_need_lines_or_bars(client: Any) -> None:
    (found,) = errors(client, cht="s", chd="t:1,2|3,4", chm="E,000000,0,-1,1")
    assert "error bars apply to bar and line charts only" in found


def test_a_thousand_annotations_are_refused_before_drawing(client: Any) -> None:
    values = ",".join(str(i % 100) for i in range(1000))
    response = client.get(
        "/chart", query_string={**LINE, "chd": f"t:{values}", "chm": "AText,000000,0,-1,10"}
    )
    assert response.status_code == 422
    assert "ms to draw (chm: 2,200 ms)" in response.json["detail"]["query"]["chm"][0]


def test_value_labels_take_googles_placement_on_bars() -> None:
    # Google's value-label idioms: in the middle of each bar, and above its end, 4 px higher.
    extras = load(cht="bvg", chd="t:20,45", chm="N,000000,0,-1,12,,c|N*f1*,FF0000,0,-1,11,,e:0:4").extras
    assert extras is not None
    middle, end = extras.marks
    assert isinstance(middle, TextMark) and isinstance(end, TextMark)
    assert (middle.anchor, middle.bar_place, middle.texts) == (("center", "center"), "center", ("20", "45"))
    assert (end.anchor, end.bar_place, end.offset_px) == (("center", "bottom"), "end", (0.0, 4.0))


def test_text_labels_take_letters_and_offsets_on_lines() -> None:
    extras = load(cht="lc", chd="t:20,45,80", chm="tHi,0000FF,0,2,13,,rt:-5:-2|N,000000,0,-1,11").extras
    assert extras is not None
    placed, plain = extras.marks
    assert isinstance(placed, TextMark) and isinstance(plain, TextMark)
    assert (placed.anchor, placed.bar_place, placed.offset_px) == (("right", "top"), None, (-5.0, -2.0))
    assert plain.anchor is None  # no placement: above each point, as before


@pytest.mark.parametrize("chm", ["N,000000,0,-1,11,,q", "tHi,000000,0,1,10,,lb:x"])
def test_a_malformed_label_placement_is_a_422_naming_chm(client: Any, chm: str) -> None:
    (found,) = errors(client, **SPREAD, chm=chm)
    assert chm in found


FEATURES: dict[str, str] = {
    "value_label_placement": "cht=bvg&chs=300x180&chd=t:20,45,80,60&chco=76A4FB&chbh=40&chxt=y"
    "&chm=N,000000,0,-1,12,,c|N*f1*,FF0000,0,-1,11,,e:0:4",
    "arrows": "cht=lc&chs=280x170&chd=t:20,45,30,60,50&chco=76A4FB&chxt=y"
    "&chm=a,FF0000,0,-1,15|a,0000FF,0,3,20,1,:8:0",
    "error_bars": "cht=lc&chs=280x170&chd=t1:40,55,45,70,60|30,45,40,60,45|50,65,55,80,70&chco=76A4FB"
    "&chxt=y&chm=E,000000,1,-1,1:8|o,76A4FB,0,-1,6",
    "flags": "cht=lc&chs=280x170&chd=t:20,45,30,60,50&chco=76A4FB&chxt=y"
    "&chm=fHello,000000,0,1,11|fPeak,CC0000,0,3,11,,rt|fStart,006600,0,0,10,,lv:4:0",
    "annotations": "cht=lc&chs=280x170&chd=t:20,45,47,46,50,40,30&chco=76A4FB&chxt=y"
    "&chm=AFirst+one,000000,0,1,11|ASecond+one,006600,0,2,11|AThird+one,0000CC,0,3,11|AFourth,CC0000,0,4,11",
}


@pytest.mark.parametrize("name", list(FEATURES))
def test_feature_baseline(name: str, client: Any, baseline: Callable[[str, bytes], None]) -> None:
    response = client.get("/chart?" + FEATURES[name])
    assert response.status_code == 200, response.json
    baseline(f"gchart_feature_{name}", response.data)
