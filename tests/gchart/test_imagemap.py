"""chof=json: the image map of bars, slices and points, checked against the picture itself."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

W, H = 400, 300


def picture_and_map(client: Any, query: str) -> tuple[Image.Image, list[dict[str, Any]]]:
    png = client.get(f"/chart?{query}")
    assert png.status_code == 200
    shapes = client.get(f"/chart?{query}&chof=json")
    assert shapes.status_code == 200 and shapes.mimetype == "application/json"
    return Image.open(io.BytesIO(png.data)).convert("RGB"), shapes.json["chartshape"]


def colour_at(image: Image.Image, x: float, y: float) -> tuple[int, int, int]:
    return image.getpixel((round(x), round(y)))  # type: ignore[return-value]


def test_bar_regions_cover_the_bars(client: Any) -> None:
    query = f"cht=bvg&chs={W}x{H}&chd=t:10,50,90|30,60,20&chco=FF0000|00FF00|0000FF,888888&chxt=x,y&chtt=Bars"
    image, shapes = picture_and_map(client, query)
    assert [s["name"] for s in shapes] == ["bar0_0", "bar0_1", "bar0_2", "bar1_0", "bar1_1", "bar1_2"]
    colours = {"bar0_0": (255, 0, 0), "bar0_1": (0, 255, 0), "bar0_2": (0, 0, 255)}
    heights = {}
    for shape in shapes:
        assert shape["type"] == "RECT"
        x1, y1, x2, y2 = shape["coords"]
        assert 0 <= x1 < x2 <= W and 0 <= y1 < y2 <= H
        expected = colours.get(shape["name"], (136, 136, 136))
        assert colour_at(image, (x1 + x2) / 2, (y1 + y2) / 2) == expected, shape
        # Just outside the top edge is not the bar.
        assert colour_at(image, (x1 + x2) / 2, y1 - 3) != expected
        heights[shape["name"]] = y2 - y1
    # Heights follow the data: 90 is nine times 10, and 60 twice 30.
    assert abs(heights["bar0_2"] / heights["bar0_0"] - 9) < 0.3
    assert abs(heights["bar1_1"] / heights["bar1_0"] - 2) < 0.1


def test_horizontal_stacked_and_missing_bars(client: Any) -> None:
    query = f"cht=bhs&chs={W}x{H}&chd=t:10,_,30|20,20,20&chco=FF0000,0000FF"
    image, shapes = picture_and_map(client, query)
    names = [s["name"] for s in shapes]
    assert "bar0_1" not in names  # a missing value has no region
    assert names == ["bar0_0", "bar0_2", "bar1_0", "bar1_1", "bar1_2"]
    regions = {s["name"]: s["coords"] for s in shapes}
    # Stacked: the second series starts where the first ends; the first bar is at the top.
    assert abs(regions["bar1_0"][0] - regions["bar0_0"][2]) <= 1
    assert regions["bar0_0"][1] < regions["bar0_2"][1]
    for name, (x1, y1, x2, y2) in regions.items():
        expected = (255, 0, 0) if name.startswith("bar0") else (0, 0, 255)
        assert colour_at(image, (x1 + x2) / 2, (y1 + y2) / 2) == expected


def test_pie_slices(client: Any) -> None:
    query = f"cht=p&chs={W}x{H}&chd=t:30,30,40&chco=FF0000|00FF00|0000FF"
    image, shapes = picture_and_map(client, query)
    assert [s["name"] for s in shapes] == ["pie0_0", "pie0_1", "pie0_2"]
    for shape, expected in zip(shapes, [(255, 0, 0), (0, 255, 0), (0, 0, 255)], strict=True):
        assert shape["type"] == "POLY"
        coords = shape["coords"]
        xs, ys = coords[0::2], coords[1::2]
        assert min(xs) >= 0 and max(xs) <= W and min(ys) >= 0 and max(ys) <= H
        # Each slice is under 180 degrees, so the mean of its outline lies inside it.
        assert colour_at(image, sum(xs) / len(xs), sum(ys) / len(ys)) == expected


def test_concentric_rings(client: Any) -> None:
    _, shapes = picture_and_map(client, f"cht=pc&chs={W}x{H}&chd=t:1,1|1,2,3")
    assert [s["name"] for s in shapes] == ["pie0_0", "pie0_1", "pie1_0", "pie1_1", "pie1_2"]


def test_line_and_scatter_points(client: Any) -> None:
    image, shapes = picture_and_map(client, f"cht=lc&chs={W}x{H}&chd=t:10,90,40|50,50,50&chco=FF0000,0000FF")
    assert [s["name"] for s in shapes] == [f"point{s}_{p}" for s in (0, 1) for p in (0, 1, 2)]
    points = {s["name"]: s["coords"] for s in shapes}
    assert colour_at(image, *points["point0_1"][:2]) == (255, 0, 0)
    assert colour_at(image, *points["point1_1"][:2]) == (0, 0, 255)
    assert points["point0_1"][1] < points["point1_1"][1] < points["point0_0"][1]  # 90 above 50 above 10
    assert points["point0_0"][0] < points["point0_1"][0] < points["point0_2"][0]
    image, shapes = picture_and_map(client, f"cht=s&chs={W}x{H}&chd=t:10,50,90|10,50,90&chco=00AA00")
    assert [s["type"] for s in shapes] == ["CIRCLE"] * 3
    (x0, y0, _), (x2, y2, _) = shapes[0]["coords"], shapes[2]["coords"]
    assert x0 < x2 and y0 > y2
    r, g, b = colour_at(image, x2, y2)
    assert g > 150 and r < 120 and b < 120


def test_image_map_is_cached_like_an_image(client: Any) -> None:
    query = {"cht": "bvs", "chd": "t:1,2", "chof": "json"}
    first = client.get("/chart", query_string=query)
    assert first.headers["Cache-Control"].startswith("public")
    assert (
        client.get("/chart", query_string=query, headers={"If-None-Match": first.headers["ETag"]}).status_code
        == 304
    )
    png = client.get("/chart", query_string={**query, "chof": "png"})
    assert png.headers["ETag"] != first.headers["ETag"]
