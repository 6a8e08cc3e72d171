"""/chart under the same response contract as /charts, and its errors."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

BAR = {"cht": "bvg", "chs": "300x200", "chd": "t:10,20,30|5,15,25", "chco": "FF0000,0000FF"}
IMG_ACCEPT = "image/avif,image/webp,image/png,*/*;q=0.8"


def errors(client: Any, **params: str) -> dict[str, list[str]]:
    response = client.get("/chart", query_string=params)
    assert response.status_code == 422, response.data[:300]
    assert response.json["message"] == "Validation error"
    return response.json["detail"]["query"]  # type: ignore[no-any-return]


def test_png_etag_304_and_head(client: Any) -> None:
    response = client.get("/chart", query_string=BAR)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (300, 200)
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    etag = response.headers["ETag"]
    again = client.get("/chart", query_string=BAR, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    head = client.head("/chart", query_string=BAR)
    assert head.status_code == 200 and head.headers["ETag"] == etag and not head.data
    assert int(head.headers["Content-Length"]) == len(response.data)
    # The same chart in another format, or another chart, is another image.
    other = client.get("/chart", query_string={**BAR, "chof": "webp"})
    assert other.mimetype == "image/webp" and other.headers["ETag"] != etag
    changed = client.get("/chart", query_string={**BAR, "chd": "t:10,20,31|5,15,25"})
    assert changed.headers["ETag"] != etag


def test_same_request_same_bytes(client: Any, app: Any) -> None:
    first = client.get("/chart", query_string=BAR).data
    app.extensions["render_cache"].clear()
    assert client.get("/chart", query_string=BAR).data == first


def test_gif(client: Any) -> None:
    response = client.get("/chart", query_string={**BAR, "chof": "gif"})
    assert response.status_code == 200 and response.mimetype == "image/gif"
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "GIF" and image.size == (300, 200)
    # The red series is still red after the palette reduction.
    colours = {c for _, c in image.convert("RGB").getcolors(65536) or []}
    assert (255, 0, 0) in colours and (0, 0, 255) in colours


def test_errors_as_images_for_img_tags(client: Any) -> None:
    response = client.get(
        "/chart", query_string={**BAR, "chm": "F,000000,0,0,5"}, headers={"Accept": IMG_ACCEPT}
    )
    assert response.status_code == 422
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "no-store"
    assert Image.open(io.BytesIO(response.data)).format == "PNG"


def test_limits_before_drawing(client: Any) -> None:
    assert "chs" in errors(client, **{**BAR, "chs": "2049x100"})
    assert "300000" not in str(errors(client, **{**BAR, "chs": "2048x2048"}))  # ours, not Google's
    assert "at most 4000000" in errors(client, **{**BAR, "chs": "2048x2000"})["chs"][0]
    assert "chs" in errors(client, **{**BAR, "chs": "0x100"})
    many = ",".join(["1"] * 2001)
    assert "at most 2000 are allowed" in errors(client, cht="lc", chd=f"t:{many}")["chd"][0]
    markers = "|".join(["o,FF0000,0,-1,5"] * 201)
    assert "At most 200 values are allowed" in errors(client, **{**BAR, "chm": markers})["chm"][0]


def test_larger_than_google_sizes_are_accepted(client: Any) -> None:
    response = client.get("/chart", query_string={**BAR, "chs": "1200x800"})
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.data)).size == (1200, 800)


@pytest.mark.parametrize(
    ("params", "name", "message"),
    [
        ({"cht": "bvx"}, "cht", "Chart type 'bvx' is not supported"),
        ({"cht": "lfi"}, "cht", "Chart type 'lfi' is not supported"),
        ({"chd": "s:AB!"}, "chd", "'!' is out of range for the simple encoding"),
        ({"chd": "e:ABC"}, "chd", "Extended encoding"),
        ({"chd": "t:1,x"}, "chd", "'x' is not a number"),
        ({"chds": "10,5"}, "chds", "Pair 1 (10,5): the minimum must be less than the maximum"),
        ({"chm": "C,000000,0,0,5"}, "chm", "chm type 'C' (rectangle) is not supported"),
        ({"chm": "o,FF0000,5,-1,5"}, "chm", "Marker 1 (circle): series 5 does not exist"),
        ({"chm": "B,FF0000,0,0,0"}, "chm", "fills apply to line and radar charts only"),
        ({"chd": "t1:1,2|3,4", "chm": "o,FF0000,1,-1,5"}, "chm", "series 1 is hidden; markers on hidden"),
        ({"chf": "bg,lg,0,FFFFFF"}, "chf", "'bg,lg,0,FFFFFF': a gradient fill is <bg|c>,lg,<angle>"),
        ({"chf": "c,ls,0,CCCCCC,0,FFFFFF,0"}, "chf", "The stripes of c have no width"),
        ({"chf": "b0,lg,0,CCCCCC,0,FFFFFF,1"}, "chf", "b0 takes a solid colour (s)"),
        ({"chf": "a,s,000000A0", "chof": "gif"}, "chf", "a,s,000000A0: a GIF has no partial transparency"),
        ({"chf": "a,lg,0,FFFFFF,0,000000,1"}, "chf", "'a,lg,0,FFFFFF,0,000000,1': a gradient fill is"),
        ({"chdls": "0000CC,0"}, "chdls", "Font size 0 is not within 1..72"),
        ({"chdls": "blue,12"}, "chdls", "'blue,12' is not of the form: Legend text style"),
        ({"chf": "bg,s,FFFFFF|bg,s,000000"}, "chf", "The fill bg is given twice"),
        ({"chdl": "a|b|c"}, "chdl", "3 legend entries for 2 series"),
        ({"chdlp": "b|q"}, "chdlp", "Legend order 'q': use l, r, a or indexes"),
        ({"chxt": "x", "chxl": "1:|a"}, "chxl", "Axis 1 is not in chxt (x)"),
        ({"chxt": "z"}, "chxt", "'z' is not of the form: Visible axes"),
        ({"chdlp": "q"}, "chdlp", "Legend position 'q' is not supported"),
        ({"chbh": "0"}, "chbh", "at least 1 pixel"),
        ({"chma": "0,0,0,0|80"}, "chma", "optionally |<legend width>,<legend height>"),
        ({"chp": "1.5"}, "chp", "within 0..1"),
        ({"chp": "0.5,0.2", "chd": "t:1,2|3,4"}, "chp", "Zero lines that differ by series"),
        ({"chma": "5,5"}, "chma", "'5,5' is not of the form"),
        ({"chg": "0.1,0"}, "chg", "Grid step 0.1% must be 0 (none) or within 0.5..100"),
        ({"chts": "FF0000,200"}, "chts", "Font size 200"),
        ({"chof": "jpeg"}, "chof", "Output format 'jpeg' is not supported"),
        ({"choe": "Shift_JIS"}, "choe", "only UTF-8"),
        ({"chxtc": "0,5"}, "chxtc", "Axis 0 is not in chxt (no axes)"),
        ({"chxt": "x", "chxtc": "0,a"}, "chxtc", "'0,a' is not of the form: Tick mark lengths"),
    ],
)
def test_errors_name_parameter_and_value(
    client: Any, params: dict[str, str], name: str, message: str
) -> None:
    found = errors(client, **{**BAR, **params})
    assert name in found, found
    assert message in " ".join(found[name]), found


def test_documented_defaults_are_accepted_on_every_type(client: Any) -> None:
    # Swagger UI's "Try it out" sends them: chld=L|4 and choe=UTF-8 do not break a bar chart.
    response = client.get(
        "/chart", query_string={**BAR, "chld": "L|4", "choe": "UTF-8", "chl": "", "chls": ""}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "name", "message"),
    [
        ({"cht": "lc", "chd": "t:1,2", "chco": "FF0000|00FF00"}, "chco", "Colours per point"),
        ({"cht": "lc", "chd": "t:1,2", "chls": "2|3"}, "chls", "2 line styles for 1 series"),
        ({"cht": "lc", "chd": "t:1,2", "chls": "60"}, "chls", "within 0..50"),
        ({"cht": "lc"}, "chd", "cht=lc needs data"),
        ({"cht": "lc", "chd": "t0:1,2"}, "chd", "No series is drawn"),
        ({"cht": "p", "chd": "t:1,2|3,4"}, "chd", "cht=pc draws several"),
        ({"cht": "p", "chd": "t:1,2", "chp": "0.5,1"}, "chp", "A pie takes one rotation"),
        ({"cht": "p", "chd": "t:0,0"}, "chd", "At least one slice must be above 0"),
        ({"cht": "p", "chd": "t:1,2", "chl": "a|b", "chdl": "a|b|c"}, "chdl", "3 labels for 2 slices"),
        ({"cht": "p", "chd": "t:1,2", "chl": "a|b|c"}, "chl", "3 labels for 2 slices"),
        ({"cht": "p", "chd": "t:1,2", "chf": "c,s,FFFFFF"}, "chf", "does not apply to cht=p"),
        ({"cht": "lc", "chd": "t:1,2", "chf": "b0,s,FFFFFF"}, "chf", "(b0) does not apply to cht=lc"),
        ({"cht": "gom", "chd": "t:1,2,3,4,5,6"}, "chd", "1 to 5 values"),
        ({"cht": "gom", "chd": "t:50", "chdl": "x"}, "chdl", "several arrows"),
        ({"cht": "s", "chd": "t:1,2"}, "chd", "x values, y values"),
        ({"cht": "r", "chd": "t:1,2,3", "chxt": "t"}, "chxt", "x axis (around) and a y axis"),
        ({"cht": "r", "chd": "t:1,2,3", "chxt": "x"}, "chxl", "needs its labels"),
        ({"cht": "r", "chd": "t:1,2,3", "chxt": "x,y", "chxl": "1:|a"}, "chxl", "radial axis"),
        ({"cht": "lxy", "chd": "t:1,2"}, "chd", "pairs"),
        ({"cht": "qr", "chs": "100x100"}, "chl", "needs the text"),
        ({"cht": "qr", "chl": "x" * 3000}, "chl", "too many for a QR code"),
        ({"cht": "qr", "chl": "x", "chld": "L|50"}, "chld", "more than 40"),
        ({"cht": "v", "chd": "t:10,20,30,40"}, "chd", "cannot be larger than"),
    ],
)
def test_chart_type_rules(client: Any, params: dict[str, str], name: str, message: str) -> None:
    found = errors(client, **params)
    assert name in found, found
    assert message in " ".join(found[name]), found


def test_spec_lists_every_parameter_with_an_example_or_default(client: Any) -> None:
    spec = client.get("/openapi.json").json
    operation = spec["paths"]["/chart"]["get"]
    assert operation["tags"] == ["Charts"]
    names = {p["name"]: p["schema"] for p in operation["parameters"]}
    expected = "cht chd chds chs chco chl chdl chdlp chdls chtt chts chxt chxl chxr chxp chxs chxtc chf chma chp chbh chg chls chm chof chld choe chtm chst"
    assert set(names) == set(expected.split())
    for name, schema in names.items():
        assert "example" in schema or "default" in schema, name
    assert names["cht"]["enum"][:2] == ["bvs", "bvg"]
    assert "application/json" in operation["responses"]["200"]["content"]
    assert "image/gif" in operation["responses"]["200"]["content"]


def test_readme_examples_draw(client: Any) -> None:
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    urls = re.findall(r"`(/chart\?[^`]+)`", readme)
    assert len(urls) >= 8
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_marks_and_axis_labels_are_bounded_before_drawing(client: Any) -> None:
    values = ",".join(["5"] * 1001)
    labels = "N,000000,0,,8|N,000000,1,,8"
    found = errors(client, cht="lc", chd=f"t:{values}|{values}", chm=labels)
    assert "The markers write 2002 labels; at most 2000." in found["chm"]
    axis = "|".join(["a"] * 1001)
    found = errors(client, cht="lc", chd="t:1,2", chxt="x,t", chxl=f"0:|{axis}|1:|{axis}")
    assert "The axes have 2002 labels in all; at most 2000." in found["chxl"]


@pytest.mark.parametrize(
    ("chp", "red_corner"),
    [
        (None, "bottom right"),  # Google's first slice: three o'clock to six, clockwise
        ("1.5708", "bottom left"),  # a quarter turn clockwise: six to nine
        ("-1.5708", "top right"),  # a quarter turn back: twelve to three
    ],
)
def test_pie_starts_at_three_o_clock_and_chp_turns_it_clockwise(
    client: Any, chp: str | None, red_corner: str
) -> None:
    params = {"cht": "p", "chs": "200x200", "chd": "t:25,75", "chco": "FF0000|0000FF"}
    if chp is not None:
        params["chp"] = chp
    response = client.get("/chart", query_string=params)
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    corners = {
        "top right": (130, 70),
        "bottom right": (130, 130),
        "bottom left": (70, 130),
        "top left": (70, 70),
    }
    reds = {name for name, xy in corners.items() if image.getpixel(xy)[0] > 200 > image.getpixel(xy)[2]}
    assert reds == {red_corner}
