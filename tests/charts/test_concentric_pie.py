"""Pie charts of several series: concentric rings, the first series innermost (Google's cht=pc)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image


def pixel(png: bytes, x: int, y: int) -> tuple[int, ...]:
    return tuple(Image.open(io.BytesIO(png)).convert("RGB").getpixel((x, y)))  # type: ignore[arg-type]


def test_first_series_is_the_innermost_ring(client: Any) -> None:
    # 300x300 without title or legend: the pie is centred; radius 1 is about 110 pixels.
    response = client.get(
        "/charts/pie",
        query_string={"data": "1|1", "colors": "ff0000,0000ff", "width": "300", "height": "300"},
    )
    assert response.status_code == 200, response.json
    assert pixel(response.data, 150, 150) == (255, 0, 0)  # the first series: the middle disc
    assert pixel(response.data, 150 + 85, 150) == (0, 0, 255)  # the second: the ring around it
    assert pixel(response.data, 150 + 130, 150) == (255, 255, 255)  # outside the pie


def test_rings_have_equal_widths(client: Any) -> None:
    response = client.get(
        "/charts/pie",
        query_string={"data": "1|1|1", "colors": "ff0000,00ff00,0000ff", "width": "300", "height": "300"},
    )
    assert response.status_code == 200
    row = [pixel(response.data, x, 150) for x in range(150, 300)]
    edges = [row.index(color) for color in ((0, 255, 0), (0, 0, 255), (255, 255, 255))]
    assert abs((edges[1] - edges[0]) - edges[0]) <= 3 and abs((edges[2] - edges[1]) - edges[0]) <= 3, edges


def test_colours_and_labels_by_position_are_shared_by_every_ring(client: Any) -> None:
    shared = client.get(
        "/charts/pie",
        query_string={
            "data": "1,2|3,4",
            "colors": "red,blue",
            "labels": "a,b",
            "width": "300",
            "height": "300",
        },
    )
    spelt_out = client.get(
        "/charts/pie",
        query_string={
            "data": "1,2|3,4",
            "colors": "red,blue,red,blue",
            "labels": "a,b,a,b",
            "width": "300",
            "height": "300",
        },
    )
    assert shared.status_code == spelt_out.status_code == 200
    assert shared.data == spelt_out.data  # same slices, same colours, one legend entry per name


def test_rings_of_different_lengths(client: Any) -> None:
    """Google's donut idiom: an empty first series (here a transparent slice) around which the
    second series makes a ring."""
    response = client.get(
        "/charts/pie",
        query_string={"data": "1|2,3", "colors": "ffffff00,00ff00,ff0000", "width": "300", "height": "300"},
    )
    assert response.status_code == 200, response.json
    assert pixel(response.data, 150, 150) == (255, 255, 255)  # the hole
    assert pixel(response.data, 150 + 85, 150) == (0, 255, 0)  # first slice: 12 to 5 o'clock
    assert pixel(response.data, 150 - 85, 150) == (255, 0, 0)  # second slice: 5 to 12 o'clock


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("pie", {"data": "1,2|0,0"}, "series 2 must be above 0"),
        ("pie", {"data": "1,2|3,-4"}, "negative"),
        ("donut", {"data": "1,2|3,4"}, "one series"),
    ],
)
def test_data_rules(client: Any, kind: str, params: dict[str, str], message: str) -> None:
    response = client.get(f"/charts/{kind}", query_string=params)
    assert response.status_code == 422
    assert message in str(response.json["detail"]["query"]["data"])


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"data": "1,2|3,4", "labels": "a,b,c"}, "labels", "Expected 2 or 4 labels"),
        ({"data": "1,2|3", "labels": "a,b"}, "labels", "Expected 3 labels (one per slice)"),
        ({"data": "1,2|3,4", "colors": "red,blue,green"}, "colors", "Expected 1 or 2 or 4 colours"),
    ],
)
def test_labels_and_colours_count_slices(
    client: Any, params: dict[str, str], field: str, message: str
) -> None:
    response = client.get("/charts/pie", query_string=params)
    assert response.status_code == 422
    assert message in str(response.json["detail"]["query"][field])
