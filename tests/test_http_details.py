"""HTTP details: weak If-None-Match, repeated parameters, unknown chart kinds, error pictures
and pages, CORS, the docs page's description and its trailing slash."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any
from urllib.parse import urljoin

import pytest
from flask.testing import FlaskClient
from PIL import Image

from api import create_app
from api.errorimage import Canvas, _font, _truncated, error_png, requested_canvas, wrap_lines
from api.fonts import dejavu_sans
from api.queryargs import image_views
from api.settings import Limits
from tests.conftest import IN_PROCESS
from tests.test_function_app import image_operation_paths

BAR = "/charts/bar?data=3,5,2&labels=a,b,c&width=160&height=120"
MAP = "/maps/static?center=48.85,2.35&zoom=4&size=160x120"
GCHART = "/chart?cht=p&chd=t:40,60&chs=160x120"
IMG = {"Sec-Fetch-Dest": "image"}
# What browsers send when they navigate to a URL (Chrome, Firefox, Safari).
NAVIGATIONS = [
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
]


def png_size(response: Any) -> tuple[int, int]:
    assert response.mimetype == "image/png"
    return Image.open(io.BytesIO(response.data)).size


# -- If-None-Match ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [BAR, MAP, GCHART])
def test_if_none_match_uses_the_weak_comparison(client: FlaskClient, url: str) -> None:
    etag = client.get(url).headers["ETag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', f'W/"other", W/{etag}', "*"):
        response = client.get(url, headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.headers["ETag"] == etag
    for header in ('"other"', 'W/"other", "more"'):
        assert client.get(url, headers={"If-None-Match": header}).status_code == 200, header


# -- repeated parameters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/charts/bar?data=1,2&data=3,4", "data"),
        ("/charts/line?data=1,2&title=a&title=b", "title"),
        ("/charts/pie?data=1,2&width=100&width=200", "width"),
        ("/chart?cht=p&chd=t:1,2&chd=t:3,4&chs=100x100", "chd"),
        ("/chart?cht=p&chd=t:1,2&chs=100x100&chs=200x200", "chs"),
        (MAP + "&zoom=5", "zoom"),
        (MAP + "&center=0,0", "center"),
    ],
)
def test_a_repeated_single_valued_parameter_is_named(client: FlaskClient, url: str, name: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert response.json["detail"]["query"] == {name: [f"Given 2 times; {name} takes one value."]}


@pytest.mark.parametrize("name", ["markers", "path", "style"])
def test_googles_repeatable_map_parameters_repeat(client: FlaskClient, name: str) -> None:
    value = {
        "markers": "color:red|48.85,2.35",
        "path": "color:blue|48.85,2.35|48.9,2.4",
        "style": "feature:water|color:0x3366cc",
    }[name]
    response = client.get(f"{MAP}&{name}={value}&{name}={value}")
    assert response.status_code == 200, response.json


def test_visible_may_repeat_as_at_google(client: FlaskClient) -> None:
    response = client.get(f"{MAP}&visible=48.85,2.35&visible=52.52,13.40")
    assert "Given 2 times" not in str(response.get_json(silent=True))


def test_unknown_extras_that_google_ignored_may_repeat(client: FlaskClient) -> None:
    response = client.get(f"{MAP}&extra=1&extra=2")
    assert response.status_code == 200


def test_every_image_operation_is_known_with_its_query_schema(app: Any) -> None:
    with app.test_request_context():
        views = image_views(app)
    rules = {view.rule: view for view in views.values()}
    assert set(image_operation_paths()) <= set(rules)
    for path in image_operation_paths():
        assert rules[path].declared, f"{path}: its query schema was not found"
    assert rules["/maps/static"].compat and rules["/chart"].compat
    assert not rules["/charts/bar"].compat
    assert {"markers", "path", "circle", "style", "visible"} <= rules["/maps/static"].repeatable


# -- unknown chart kinds ------------------------------------------------------------------------


def test_an_unknown_chart_kind_is_a_404_listing_the_kinds(client: FlaskClient) -> None:
    response = client.get("/charts/pi?data=1,2")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    kinds = sorted(
        path.removeprefix("/charts/") for path in image_operation_paths() if path.startswith("/charts/")
    )
    assert response.json["kinds"] == kinds
    assert "pie" in response.json["detail"]["kind"][0]
    assert client.get("/charts/pi", headers=IMG).mimetype == "image/png"
    assert client.get("/charts/bar?data=1,2").status_code == 200  # the kinds keep their own routes


def test_the_unknown_kind_route_is_not_in_the_spec(app: Any) -> None:
    assert "/charts/{kind}" not in app.spec["paths"]


# -- the error picture ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "size"),
    [
        ("/charts/bar?data=1,x&width=300&height=200", (300, 200)),
        ("/charts/bar?data=1,x&width=300&height=200&scale=2", (600, 400)),
        ("/maps/static?center=0,0&zoom=99&size=300x200", (300, 200)),
        ("/chart?cht=p&chd=t:1,x&chs=300x200", (300, 200)),
        # Invalid sizes are not copied: the default width, as tall as the text.
        ("/charts/bar?data=1,2&width=0&height=200", (480, None)),
        ("/charts/bar?data=1,2&width=99999&height=200", (480, None)),
        # Over the pixel budget with the scale: the size without it.
        ("/charts/bar?data=1,2&width=2048&height=1953&scale=2", (2048, 1953)),
    ],
)
def test_the_error_picture_takes_the_requested_size(
    client: FlaskClient, url: str, size: tuple[int, int | None]
) -> None:
    response = client.get(url, headers=IMG)
    assert response.status_code == 422
    width, height = png_size(response)
    assert width == size[0]
    if size[1] is not None:
        assert height == size[1]
    else:
        assert 30 < height < 300


def test_requested_canvas_reads_only_valid_sizes() -> None:
    limits = Limits()
    assert requested_canvas({"width": "300", "height": "200", "scale": "3"}, limits) == Canvas(300, 200, 3)
    assert requested_canvas({"width": "300"}, limits) == Canvas(300, None, 1)
    assert requested_canvas({"width": "-3", "height": "2e3", "scale": "9"}, limits) == Canvas(480, None, 1)
    assert requested_canvas({"size": "10x20x30"}, limits) == Canvas(480, None, 1)
    assert requested_canvas({"width": "٣٠٠"}, limits) == Canvas(480, None, 1)  # digits, not ASCII


def test_the_error_picture_uses_the_charts_font_without_importing_matplotlib() -> None:
    assert _font(13).path == str(dejavu_sans())
    assert dejavu_sans().is_file()
    code = (
        "import sys; from api.errorimage import error_png; error_png(['422 Validation error', 'width: no']); "
        "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_error_picture_wraps_every_line_instead_of_cutting_the_list() -> None:
    lines = ["422 Validation error", *(f"parameter{i}: Must be one of: light, dark." for i in range(20))]
    ten = Image.open(io.BytesIO(error_png(lines[:11])))
    twenty = Image.open(io.BytesIO(error_png(lines)))
    assert twenty.height > ten.height * 1.7  # every line drawn: no cut at a fixed count
    long = ["422 Validation error", "data: " + "1," * 400]
    rows = wrap_lines(long, _font(13), 460)
    assert len(rows) > 10 and all(_font(13).getlength(row.text) <= 460 for row in rows)
    assert "".join(row.text for row in rows[1:]).replace(" ", "") == long[1].replace(" ", "")


def test_lines_that_do_not_fit_a_requested_height_are_counted() -> None:
    lines = ["422 Validation error", *(f"p{i}: Must be one of: light, dark." for i in range(30))]
    canvas = Canvas(200, 80)
    image = Image.open(io.BytesIO(error_png(lines, canvas)))
    assert image.size == (200, 80)
    rows = wrap_lines(lines, _font(8), 180)
    kept = _truncated(rows, 5, len(lines))
    assert len(kept) == 5
    assert kept[-1].text == f"… and {len(lines) - 4} more"


# -- an error page for browsers that navigate to the URL --------------------------------------------


@pytest.mark.parametrize("accept", NAVIGATIONS)
def test_a_navigation_gets_a_readable_page(client: FlaskClient, accept: str) -> None:
    response = client.get("/charts/bar?data=1,2&width=0&theme=pink", headers={"Accept": accept})
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "<title>422 Validation error</title>" in page
    assert "<code>width</code>" in page and "<code>theme</code>" in page
    assert 'href="/docs"' in page


def test_fetch_metadata_decides_before_accept(client: FlaskClient) -> None:
    url = "/charts/bar?data=1,2&width=0"
    assert client.get(url, headers={"Sec-Fetch-Dest": "document", "Accept": "*/*"}).mimetype == "text/html"
    assert client.get(url, headers={"Sec-Fetch-Dest": "image", "Accept": "*/*"}).mimetype == "image/png"
    assert (
        client.get(url, headers={"Sec-Fetch-Dest": "empty", "Accept": "*/*"}).mimetype == "application/json"
    )
    assert client.get(url, headers={"Sec-Fetch-Dest": "empty"}).mimetype == "application/json"


def test_the_error_page_escapes_what_the_request_sent(client: FlaskClient) -> None:
    response = client.get("/charts/bar?data=1&%3Cscript%3E=1", headers={"Sec-Fetch-Dest": "document"})
    page = response.get_data(as_text=True)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_errors_say_what_they_vary_on(client: FlaskClient) -> None:
    vary = client.get("/charts/bar?data=1,2&width=0").headers["Vary"]
    assert {v.strip() for v in vary.split(",")} == {"Accept", "Sec-Fetch-Dest", "X-Chartmap-Accept"}


# -- CORS ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (BAR, 200),
        ("/charts/bar?data=1,2&width=0", 422),
        ("/openapi.json", 200),
        ("/health", 200),
        ("/nope", 404),
    ],
)
def test_every_response_allows_any_origin_by_default(client: FlaskClient, path: str, status: int) -> None:
    response = client.get(path, headers={"Origin": "https://example.org"})
    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_304_and_image_errors_carry_it_too(client: FlaskClient) -> None:
    etag = client.get(BAR).headers["ETag"]
    assert client.get(BAR, headers={"If-None-Match": etag}).headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/charts/bar?width=0", headers=IMG).headers["Access-Control-Allow-Origin"] == "*"


def test_the_allowed_origin_is_a_setting() -> None:
    one = create_app({"TESTING": True, "SETTINGS": {**IN_PROCESS, "cors_origin": "https://example.org"}})
    assert one.test_client().get(BAR).headers["Access-Control-Allow-Origin"] == "https://example.org"
    none = create_app({"TESTING": True, "SETTINGS": {**IN_PROCESS, "cors_origin": ""}})
    assert "Access-Control-Allow-Origin" not in none.test_client().get(BAR).headers


@pytest.mark.parametrize(
    "value", ["https://a.org, https://b.org", "https://a.org\r\nX-Evil: 1", "example.org"]
)
def test_an_invalid_origin_stops_the_app(value: str) -> None:
    with pytest.raises(ValueError, match="CHARTMAP_CORS_ORIGIN"):
        create_app({"TESTING": True, "SETTINGS": {**IN_PROCESS, "cors_origin": value}})


# -- the docs page -----------------------------------------------------------------------------


def test_docs_describe_the_api_and_link_back_to_the_gallery(app: Any, client: FlaskClient) -> None:
    description = app.spec["info"]["description"]
    assert "<img src>" in description
    link = description.split("](", 1)[1].split(")", 1)[0]
    gallery = urljoin("http://localhost/docs", link)
    assert gallery == "http://localhost/"
    assert "gallery" in client.get(gallery.removeprefix("http://localhost")).get_data(as_text=True).lower()


def test_docs_with_a_trailing_slash_redirect(client: FlaskClient) -> None:
    response = client.get("/docs/")
    assert response.status_code == 308
    assert response.headers["Location"] == "/docs"
    assert client.get("/docs/?x=1").headers["Location"] == "/docs?x=1"
    followed = client.get("/docs/", follow_redirects=True)
    assert followed.status_code == 200 and followed.mimetype == "text/html"


def test_the_error_picture_draws_a_bounded_amount_of_text() -> None:
    from api.errorimage import MAX_LINE_CHARACTERS, MAX_TEXT_CHARACTERS, _within_budget

    lines = ["422 Validation error", *["x " * 5_000] * 500]
    kept = _within_budget(lines)
    assert all(len(line) <= MAX_LINE_CHARACTERS + 1 for line in kept)
    assert sum(map(len, kept)) <= MAX_TEXT_CHARACTERS
    rows = _truncated(wrap_lines(kept, _font(13), 460), 1_000, len(lines))
    assert rows[-1].text == f"… and {len(lines) - len(kept)} more"
