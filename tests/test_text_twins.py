"""Text twins: every image URL with format=txt describes the image in plain language."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from api.charts.describe import describe_chart
from api.charts.kinds import KINDS
from api.charts.specs import ChartSpec
from api.maps.describe import describe_map
from api.maps.overlays import parse_circle, parse_markers, parse_path
from api.maps.providers import TileProvider
from api.maps.specs import MapSpec
from api.output import Output
from api.plaintext import MAX_DESCRIPTION, color_name, listing, number

BAR = "/charts/bar?data=30,45,28,60|20,25,35,40&labels=Q1,Q2,Q3,Q4&legend=2025,2026&title=Revenue"
MAP = (
    "/maps/static?size=640x400&markers=color:red|label:P|48.8566,2.3522"
    "&path=color:0xd55e00|48.8566,2.3522|52.52,13.405&circle=radius:150000|50.85,4.35"
)
OFFLINE = TileProvider("naturalearth", "", "Natural Earth")


def txt(url: str) -> str:
    return url + "&format=txt"


# -- charts ---------------------------------------------------------------------


def test_bar_description_names_title_series_counts_extremes_and_labels() -> None:
    spec = ChartSpec(
        kind="bar",
        series=((30, 45, 28, 60), (20, 25, 35, 40)),
        labels=("Q1", "Q2", "Q3", "Q4"),
        legend=("2025", "2026"),
        title="Revenue",
        xlabel="quarter",
        ylabel="EUR",
    )
    text = describe_chart(spec)
    assert text.startswith("A bar chart titled \u201cRevenue\u201d.")
    assert "2 series of 4 points each: \u201c2025\u201d and \u201c2026\u201d" in text
    assert "Categories: Q1, Q2, Q3 and Q4." in text
    assert "\u201c2025\u201d ranges from 28 (Q3) to 60 (Q4)" in text
    assert "\u201c2026\u201d ranges from 20 (Q1) to 40 (Q4)" in text
    assert "values run from 20 to 60" in text
    assert "\u201cquarter\u201d" in text and "\u201cEUR\u201d" in text


def test_chart_options_are_named() -> None:
    bar = KINDS["bar"]
    options = bar.options({"horizontal": True, "stacked": True})
    spec = ChartSpec(kind="bar", series=((1, 2),), options=options, theme="dark", log=True)
    text = describe_chart(spec)
    assert text.startswith("A stacked horizontal bar chart, in dark colours and with a logarithmic")
    transparent = describe_chart(ChartSpec(kind="line", series=((1, 2),), background="transparent"))
    assert "on a transparent background" in transparent


def test_single_line_says_where_it_ends() -> None:
    text = describe_chart(ChartSpec(kind="sparkline", series=((3, 9, 1, 4),), min=0, max=10))
    assert "One series of 4 points." in text
    assert "from 1 (point 3) to 9 (point 2), ending at 4." in text
    assert "The value axis runs from 0 to 10." in text


def test_pie_slices_with_shares() -> None:
    spec = ChartSpec(kind="pie", series=((45, 30, 25),), labels=("Rent", "Food", "Other"), title="Budget")
    text = describe_chart(spec)
    assert "3 slices: Rent 45 (45%), Food 30 (30%) and Other 25 (25%); total 100." in text


def test_pie_with_several_rings_describes_each() -> None:
    spec = ChartSpec(kind="pie", series=((1, 1), (3, 1)), labels=("a", "b"))
    text = describe_chart(spec)
    assert "Ring 1: 2 slices: a 1 (50%) and b 1 (50%)" in text
    assert "Ring 2: 2 slices: a 3 (75%) and b 1 (25%)" in text


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("scatter", ["A bubble chart", "x values run from 1 to 5", "Bubble sizes run from 10 to 40"]),
        ("histogram", ["counted into 8 bins", "15 values", "10 values"]),
        ("box", ["3 boxes, one per series", "Team A: 8 values, median 16.5, from 12 to 30"]),
        ("gauge", ["The dial runs from 0 to 100, with 1 needle: Score at 72."]),
        (
            "heatmap",
            ["3 rows (Morning, Noon and Evening) by 5 columns", "from 1 (Morning, Mon) to 9 (Evening, Wed)"],
        ),
        ("radar", ["Categories: Speed, Comfort, Price, Range and Safety."]),
    ],
)
def test_kind_specific_details(client: Any, kind: str, expected: list[str]) -> None:
    response = client.get(f"/charts/{kind}?" + urlencode({**KINDS[kind].examples, "format": "txt"}))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    for phrase in expected:
        assert phrase in text, (phrase, text)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_registered_kind_describes_its_docs_example(client: Any, kind: str) -> None:
    """Kinds added later get at least the generic description, never an error."""
    examples = KINDS[kind].examples
    response = client.get(f"/charts/{kind}?" + urlencode({**examples, "format": "txt"}, doseq=True))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert 20 < len(text) <= MAX_DESCRIPTION
    if "title" in examples:
        assert str(examples["title"]) in text


def test_venn_names_circles_and_overlaps() -> None:
    spec = ChartSpec(kind="venn", series=((100, 80, 60, 30, 25, 20, 10),), labels=("Email", "Phone", "Chat"))
    text = describe_chart(spec)
    assert text.startswith("A Venn diagram.") or "venn" not in KINDS
    assert "3 circles: Email 100, Phone 80 and Chat 60." in text
    assert "Overlaps: Email and Phone 30, Email and Chat 25, Phone and Chat 20 and all three 10." in text
    two = describe_chart(ChartSpec(kind="venn", series=((10, 8, 0, 3),)))
    assert "2 circles: A 10 and B 8. Overlaps: A and B 3." in two


def test_equal_values_are_said_once() -> None:
    assert "Every value is 7." in describe_chart(ChartSpec(kind="line", series=((7, 7),)))


def test_unknown_kind_gets_a_generic_description() -> None:
    spec = ChartSpec(kind="funnel", series=((20, 30, 10),), labels=("A", "B", "AB"), title="Overlap")
    text = describe_chart(spec)
    assert text.startswith("A funnel chart titled \u201cOverlap\u201d.")
    assert "from 10 (point 3) to 30 (point 2)" in text
    assert describe_chart(ChartSpec(kind="sankey", series=(), title="Link")) == (
        "A sankey chart titled \u201cLink\u201d."
    )


def test_description_is_bounded() -> None:
    series = tuple(tuple(float(i * j) for i in range(2000)) for j in range(1, 21))
    spec = ChartSpec(
        kind="line",
        series=series,
        labels=tuple("x" * 200 for _ in range(2000)),
        legend=tuple(f"{'name ' * 40}{j}" for j in range(20)),
        title="t" * 200,
    )
    text = describe_chart(spec)
    assert len(text) <= MAX_DESCRIPTION
    assert text.endswith("\u2026")
    assert "and 1989 more" in text  # the labels are listed, then counted


def test_plain_helpers() -> None:
    assert number(1500, "thousands") == "1,500"
    assert number(25, "percent") == "25%"
    assert number(-0.0) == "0"
    assert number(3.14159265) == "3.14159"
    assert listing(["a"]) == "a"
    assert listing([str(i) for i in range(20)], limit=3) == "0, 1 and 18 more"
    assert color_name("#0072b2ff") == "blue"
    assert color_name("#e69f00ff") == "orange"
    assert color_name("#000000ff") == "black"
    assert color_name("#ffffffff") == "white"
    assert color_name("#808080ff") == "grey"
    assert color_name("#8b4513ff") == "brown"


# -- maps -----------------------------------------------------------------------


def test_map_description_names_area_markers_paths_and_circles() -> None:
    spec = MapSpec(
        provider="naturalearth",
        output=Output(640, 400),
        markers=(
            parse_markers("color:red|label:P|48.8566,2.3522"),
            parse_markers("color:0x0072b2|size:small|51.5074,-0.1278|52.52,13.405"),
        ),
        paths=(
            parse_path("color:0xd55e00|geodesic:true|48.8566,2.3522|52.52,13.405"),
            parse_path("color:blue|fillcolor:0x0000ff33|48,2|49,3|48,4"),
        ),
        circles=(parse_circle("color:0x009e73|fillcolor:0x009e7333|radius:150000|50.85,4.35"),),
    )
    text = describe_map(spec, OFFLINE)
    assert text.startswith("A map of the area from ")
    assert "fitted to what it shows" in text
    assert "3 markers: a red marker labelled P at 48.86°N 2.35°E" in text
    assert "2 small blue markers at 51.51°N 0.13°W and 52.52°N 13.40°E" in text
    assert "1 line and 1 polygon" in text
    assert "an orange line through 2 points from 48.86°N 2.35°E to 52.52°N 13.40°E" in text
    assert "a blue filled polygon with 3 corners" in text
    assert "a green circle of radius 150 km, filled green, centred on 50.85°N 4.35°E" in text
    assert "offline map (Natural Earth)" in text


def test_map_area_is_the_view_shown() -> None:
    spec = MapSpec(provider="naturalearth", output=Output(600, 300), center=(0.0, 0.0), zoom=0)
    text = describe_map(spec, OFFLINE)
    assert "from 85.05°S to 85.05°N and all longitudes" in text
    assert "zoom 0 (scale of the whole world)" in text
    assert "fitted" not in text
    paris = MapSpec(provider="naturalearth", output=Output(640, 480), center=(48.8566, 2.3522), zoom=11)
    assert "from 48.75°N to 48.96°N and from 2.13°E to 2.57°E" in describe_map(paris, OFFLINE)


def test_map_with_tiles_names_its_provider() -> None:
    osm = TileProvider("osm", "https://tile.example.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors")
    spec = MapSpec(provider="osm", output=Output(640, 480), center=(0.0, 179.0), zoom=3)
    text = describe_map(spec, osm)
    assert "Basemap: osm tiles (© OpenStreetMap contributors)." in text
    assert "from 122.75°E to 124.75°W" in text  # across the antimeridian


def test_map_description_is_bounded() -> None:
    markers = tuple(parse_markers(f"label:A|{i % 80}.5,{i}.25") for i in range(150))
    spec = MapSpec(provider="naturalearth", output=Output(640, 480), markers=markers)
    assert len(describe_map(spec, OFFLINE)) <= MAX_DESCRIPTION


# -- the response contract --------------------------------------------------------


@pytest.mark.parametrize("url", [BAR, MAP, "/generate_map?center=48.8566,2.3522&zoom=11"])
def test_txt_twin_has_the_image_contract(client: Any, url: str) -> None:
    image = client.get(url)
    twin = client.get(txt(url))
    assert twin.status_code == 200
    assert twin.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert twin.headers["Cache-Control"] == image.headers["Cache-Control"]
    assert int(twin.headers["Content-Length"]) == len(twin.data)
    etag = twin.headers["ETag"]
    assert etag != image.headers["ETag"], "the description and the image are different representations"
    not_modified = client.get(txt(url), headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    head = client.head(txt(url))
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == etag


def test_txt_twin_describes_the_same_request(client: Any) -> None:
    text = client.get(txt(BAR)).get_data(as_text=True)
    assert "Revenue" in text and "\u201c2025\u201d" in text
    assert "labelled P" in client.get(txt(MAP)).get_data(as_text=True)


def test_txt_twin_validates_like_the_image(client: Any) -> None:
    response = client.get("/charts/bar?data=1,2&labels=a&format=txt")
    assert response.status_code == 422
    assert "labels" in response.json["detail"]["query"]
    legacy = client.get("/generate_map?center=48.8566,2.3522&zoom=11&format=webp")
    assert legacy.status_code == 422
    assert "format" in legacy.json["detail"]["query"]


def test_openapi_declares_txt_on_every_image_operation(client: Any) -> None:
    spec = client.get("/openapi.json").json
    operations = {
        path: item["get"]
        for path, item in spec["paths"].items()
        if any(p["name"] == "format" for p in item.get("get", {}).get("parameters", []))
    }
    assert {f"/charts/{kind}" for kind in KINDS} | {"/maps/static", "/generate_map"} <= set(operations)
    for path, operation in operations.items():
        formats = next(p for p in operation["parameters"] if p["name"] == "format")
        assert "txt" in formats["schema"]["enum"], path
        assert "text/plain" in operation["responses"]["200"]["content"], path
