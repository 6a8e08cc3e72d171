"""Venn diagrams: circle areas follow the set sizes, pairwise overlaps their intersections."""

from __future__ import annotations

import io
import math
from collections import Counter
from typing import Any

import pytest
from PIL import Image

from api.charts.kinds.venn import distance_for, layout, lens_area


def test_lens_area_known_cases() -> None:
    assert lens_area(1, 1, 2) == 0
    assert lens_area(1, 1, 5) == 0
    assert lens_area(2, 1, 0.5) == pytest.approx(math.pi)  # the small circle inside the large one
    # Two unit circles through each other's centres.
    assert lens_area(1, 1, 1) == pytest.approx(2 * math.pi / 3 - math.sqrt(3) / 2)


@pytest.mark.parametrize("overlap", [0.0, 0.1, 0.5, 0.78, math.pi * 0.25])
def test_distance_gives_the_overlap(overlap: float) -> None:
    r1, r2 = 1.3, 0.5
    d = distance_for(r1, r2, overlap)
    assert lens_area(r1, r2, d) == pytest.approx(overlap, abs=1e-9)


def test_layout_matches_sizes_and_pairwise_intersections() -> None:
    values = (100.0, 80.0, 60.0, 30.0, 25.0, 20.0, 10.0)
    (ax, ay, ra), (bx, by, rb), (cx, cy, rc) = layout(values)
    areas = [math.pi * r * r for r in (ra, rb, rc)]
    assert areas[1] / areas[0] == pytest.approx(0.8)
    assert areas[2] / areas[0] == pytest.approx(0.6)
    for (r1, r2, d), share in (
        ((ra, rb, math.dist((ax, ay), (bx, by))), 0.30),
        ((ra, rc, math.dist((ax, ay), (cx, cy))), 0.25),
        ((rb, rc, math.dist((bx, by), (cx, cy))), 0.20),
    ):
        assert lens_area(r1, r2, d) / areas[0] == pytest.approx(share, abs=1e-6)
    assert ay == by and cy < ay, "A and B side by side, C below"


def test_image_areas_follow_the_data(client: Any) -> None:
    """Pixels of A only, B only and both, counted in the image, in the data's proportions."""
    response = client.get(
        "/charts/venn",
        query_string={"data": "100,60,0,25", "colors": "ff0000,0000ff", "width": "500", "height": "500"},
    )
    assert response.status_code == 200, response.json
    colors = Image.open(io.BytesIO(response.data)).convert("RGB").getcolors(500 * 500)
    assert colors is not None
    counts = Counter({color: count for count, color in colors})
    a_only, b_only, both = (count for _, count in counts.most_common(4)[1:4])
    a_color, b_color, both_color = (color for color, _ in counts.most_common(4)[1:4])
    assert a_color[0] > a_color[2] and b_color[2] > b_color[0], (a_color, b_color)  # reddish, bluish
    assert both_color not in ((255, 255, 255), a_color, b_color)
    assert a_only / both == pytest.approx(75 / 25, rel=0.05)
    assert b_only / both == pytest.approx(35 / 25, rel=0.05)


def test_two_circles_when_c_is_zero(client: Any) -> None:
    response = client.get("/charts/venn", query_string={"data": "100,60,0,25", "labels": "Cats,Dogs"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"data": "10,20,0,15"}, "data", "A∩B (15) cannot be larger than A (10)"),
        ({"data": "10,20,5,3,6"}, "data", "A∩C (6) cannot be larger than C (5)"),
        ({"data": "10,20,30,3,4,25"}, "data", "B∩C (25) cannot be larger than B (20)"),
        ({"data": "10,20,30,3,4,5,4"}, "data", "A∩B∩C (4) cannot be larger than A∩B (3)"),
        ({"data": "10,20,0,5,1"}, "data", "A∩C (1) cannot be larger than C (0)"),
        ({"data": "10,-20"}, "data", "negative"),
        ({"data": "0,20"}, "data", "A and B"),
        ({"data": "10"}, "data", "2 to 7 values"),
        ({"data": "1,2,3,4,5,6,7,8"}, "data", "2 to 7 values"),
        ({"data": "1,2|3,4"}, "data", "one series"),
        ({"data": "10,20", "labels": "a,b,c"}, "labels", "Expected 2 labels (one per circle)"),
        ({"data": "10,20,5", "labels": "a,b"}, "labels", "Expected 3 labels"),
        ({"data": "10,20,5", "colors": "red,blue"}, "colors", "Expected 1 or 3 colours"),
        ({"data": "10,20", "legend": "a,b"}, "legend", "Unknown field"),
    ],
)
def test_validation(client: Any, params: dict[str, str], field: str, message: str) -> None:
    response = client.get("/charts/venn", query_string=params)
    assert response.status_code == 422, response.data[:200]
    errors = response.json["detail"]["query"]
    assert field in errors, errors
    assert message in str(errors[field])
