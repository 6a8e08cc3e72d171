"""Error responses: JSON naming the parameter, a PNG for image-preferring clients, a page for
browsers that navigate to the URL."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from api.errorimage import error_png
from api.errors import error_lines
from tests.imagecompare import compare

IMG_ACCEPT = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"  # Chrome's <img>
FIREFOX_IMG_ACCEPT = "image/avif,image/webp,*/*"


def test_422_json_names_the_parameter(client: Any) -> None:
    response = client.get("/charts/bar?data=1,2&width=0")
    assert response.status_code == 422
    assert response.mimetype == "application/json"
    assert response.json["message"] == "Validation error"
    assert "width" in response.json["detail"]["query"]
    assert response.headers["Cache-Control"] == "no-store"


def test_every_bad_parameter_is_named(client: Any) -> None:
    response = client.get("/charts/bar?data=1,2&width=0&height=99999&theme=pink&format=gif")
    assert set(response.json["detail"]["query"]) == {"width", "height", "theme", "format"}


def test_unknown_parameters_are_named(client: Any) -> None:
    response = client.get("/charts/bar?data=1,2&titel=x&colour=red")
    assert response.status_code == 422
    detail = response.json["detail"]["query"]
    assert detail == {"titel": ["Unknown field."], "colour": ["Unknown field."]}


def test_missing_data_is_named(client: Any) -> None:
    response = client.get("/charts/bar")
    assert response.status_code == 422
    assert "data" in response.json["detail"]["query"]


@pytest.mark.parametrize("accept", [IMG_ACCEPT, FIREFOX_IMG_ACCEPT, "image/png"])
def test_image_clients_get_a_png_with_the_same_status(client: Any, accept: str) -> None:
    response = client.get("/charts/bar?data=1,2&width=0", headers={"Accept": accept})
    assert response.status_code == 422
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "no-store"
    image = Image.open(io.BytesIO(response.data))
    assert image.width == 480 and 30 < image.height < 200


@pytest.mark.parametrize("accept", ["application/json", "*/*", "", "application/json,text/html;q=0.9"])
def test_other_clients_get_json(client: Any, accept: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/charts/bar?data=1,2&width=0", headers=headers)
    assert response.mimetype == "application/json"


def test_error_image_shows_the_message() -> None:
    """Different messages give visibly different pictures (the text is really drawn)."""
    a = error_png(["422 Validation error", "width: Must be between 1 and 2048."])
    b = error_png(["422 Validation error", "height: Must be between 1 and 2048."])
    blank = error_png(["422 Validation error", ""])
    assert not compare(a, b).ok
    assert not compare(a, blank).ok


def test_error_image_bounded_for_huge_messages() -> None:
    # 50 lines of 10,000 characters wrap to thousands of rows: the picture stops at the
    # height bound, and its last row says how many lines are left out.
    image = Image.open(io.BytesIO(error_png(["x" * 10_000] * 50, max_height=300)))
    assert image.height <= 300


def test_error_lines_flatten_detail() -> None:
    from apiflask import HTTPError

    error = HTTPError(422, "Validation error", detail={"query": {"colors": {"1": ["Unknown colour."]}}})
    assert error_lines(error) == ["422 Validation error", "colors.1: Unknown colour."]


def test_404_is_json_and_not_cached(client: Any) -> None:
    response = client.get("/charts/nope?data=1")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json["message"] == "Not Found"


def test_405(client: Any) -> None:
    assert client.post("/charts/bar?data=1").status_code == 405


def test_over_long_url_is_414(client: Any) -> None:
    response = client.get("/charts/bar?data=1&title=" + "x" * 17_000)
    assert response.status_code == 414
    assert "url" in response.json["detail"]


def test_url_limit_is_a_setting() -> None:
    from api import create_app

    client = create_app({"TESTING": True, "SETTINGS": {"max_url_length": 40}}).test_client()
    assert client.get("/charts/bar?data=1,2,3,4,5,6,7,8,9,10,11,12").status_code == 414
    assert client.get("/charts/bar?data=1").status_code == 200
