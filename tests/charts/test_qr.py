"""QR codes: the image holds exactly segno's matrix for the text, in crisp whole-pixel modules."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import segno
from PIL import Image

from api.charts.kinds.qr import QrOptions, encode

TEXTS = [
    "https://example.org/tickets/2026?seat=14C",
    "Grüße aus Köln, Ελλάδα, 日本語 ✓",
    "0123456789" * 30,
    "line one\nline two\ttab",
]


def reference(text: str, level: str) -> list[list[bool]]:
    return [[bool(v) for v in row] for row in segno.make(text, error=level, micro=False).matrix]


def read_modules(png: bytes, size: int) -> tuple[list[list[bool]], dict[str, int]]:
    """The modules sampled at their centres, and the geometry found in the image: the dark
    pixels' bounding box is the symbol (finder patterns sit in three corners)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    assert pixels is not None
    dark = [(x, y) for y in range(height) for x in range(width) if pixels[x, y] < 128]
    left, right = min(x for x, _ in dark), max(x for x, _ in dark) + 1
    top, bottom = min(y for _, y in dark), max(y for _, y in dark) + 1
    assert right - left == bottom - top, "the symbol is square"
    module = (right - left) / size
    assert module == int(module) and module >= 1, f"{module} pixels per module: not whole pixels"
    step = int(module)
    modules = [
        [pixels[left + c * step + step // 2, top + r * step + step // 2] < 128 for c in range(size)]
        for r in range(size)
    ]
    geometry = {
        "module": step,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
    }
    return modules, geometry


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(
    "params",
    [
        {"width": "300", "height": "300"},
        {"width": "333", "height": "251", "error_correction": "H"},
        {"width": "160", "height": "200", "scale": "2", "error_correction": "Q", "margin": "1"},
    ],
    ids=["square", "odd-size", "scale2"],
)
def test_image_holds_segno_matrix(client: Any, text: str, params: dict[str, str]) -> None:
    response = client.get("/charts/qr", query_string={"text": text, **params})
    assert response.status_code == 200, response.json
    level = params.get("error_correction", "L")
    expected = reference(text, level)
    modules, geometry = read_modules(response.data, len(expected))
    assert modules == expected
    # Centred (within a pixel), with at least the quiet zone asked for on every side.
    margin = int(params.get("margin", "4")) * geometry["module"]
    assert min(geometry["left"], geometry["right"], geometry["top"], geometry["bottom"]) >= margin
    assert abs(geometry["left"] - geometry["right"]) <= 1
    assert abs(geometry["top"] - geometry["bottom"]) <= 1
    # As large as whole-pixel modules allow: one more pixel per module would not fit.
    scale = int(params.get("scale", "1"))
    side = min(int(params["width"]), int(params["height"])) * scale
    quiet = int(params.get("margin", "4"))
    assert (geometry["module"] + 1) * (len(expected) + 2 * quiet) > side


def test_modules_are_crisp(client: Any) -> None:
    """No anti-aliased edge: the image has exactly two colours, the modules' and the background's."""
    response = client.get(
        "/charts/qr",
        query_string={
            "text": TEXTS[1],
            "width": "257",
            "height": "263",
            "color": "0b3d91",
            "background": "fef6e4",
        },
    )
    assert response.status_code == 200
    colors = Image.open(io.BytesIO(response.data)).convert("RGB").getcolors(16)
    assert colors is not None
    assert sorted(color for _, color in colors) == [(11, 61, 145), (254, 246, 228)]


def test_another_text_makes_another_image(client: Any) -> None:
    first = client.get("/charts/qr", query_string={"text": "alpha"})
    second = client.get("/charts/qr", query_string={"text": "alphb"})
    assert first.status_code == second.status_code == 200
    assert first.data != second.data
    assert first.headers["ETag"] != second.headers["ETag"]


def test_title_sits_above_the_code(client: Any) -> None:
    text = TEXTS[0]
    response = client.get(
        "/charts/qr", query_string={"text": text, "title": "Your ticket", "width": "400", "height": "300"}
    )
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.data)).convert("L")
    # The code alone: the rows below the title's band.
    band = 40
    code = image.crop((0, band, 400, 300))
    out = io.BytesIO()
    code.save(out, format="png")
    modules, _ = read_modules(out.getvalue(), len(reference(text, "L")))
    assert modules == reference(text, "L")
    title_pixels = image.crop((0, 0, 400, band)).getcolors(4096)
    assert title_pixels is not None and len(title_pixels) > 2, "the title is drawn"


def test_svg_paths_hold_segno_matrix(client: Any) -> None:
    """The SVG is one path of rectangles; put back on the module grid, they are the matrix."""
    text = TEXTS[1]
    response = client.get(
        "/charts/qr", query_string={"text": text, "format": "svg", "width": "250", "height": "250"}
    )
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = response.data.decode()
    paths = re.findall(r'<g id="qr-modules">\s*<path d="([^"]*)"', svg)
    assert len(paths) == 1, "all modules in one path: no seams between neighbours"
    rects = []
    for subpath in paths[0].split("z")[:-1]:
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", subpath)]
        xs, ys = numbers[0::2], numbers[1::2]
        rects.append((min(xs), min(ys), max(xs), max(ys)))
    expected = reference(text, "L")
    left = min(r[0] for r in rects)
    top = min(r[1] for r in rects)
    module = (max(r[2] for r in rects) - left) / len(expected)
    grid = [[False] * len(expected) for _ in expected]
    for x0, y0, x1, y1 in rects:
        row = round((y0 - top) / module)
        assert round((y1 - top) / module) == row + 1, "one row of modules per rectangle"
        for column in range(round((x0 - left) / module), round((x1 - left) / module)):
            grid[row][column] = True
    assert grid == expected


def test_options_class_is_what_other_parsers_build() -> None:
    """Other parsers (Google's cht=qr) build the spec with these names and defaults."""
    options = QrOptions(text="hi", error_correction="M", margin=2)
    assert (options.text, options.error_correction, options.margin) == ("hi", "M", 2)
    assert QrOptions("hi") == QrOptions(text="hi", error_correction="L", margin=4)


def test_spec_built_elsewhere_renders() -> None:
    from api.charts.render import render_chart
    from api.charts.specs import ChartSpec
    from api.output import Output

    spec = ChartSpec(kind="qr", series=(), options=QrOptions("hello", "L", 4), output=Output(210, 210))
    image = render_chart(spec)
    modules, geometry = read_modules(image.body, 21)
    assert modules == reference("hello", "L")
    assert geometry["module"] == 7  # (21 + 2 * 4) modules in 210 pixels


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "text", "Missing"),
        ({"text": ""}, "text", "Length"),
        (
            {"text": "a" * 1300, "error_correction": "H"},
            "text",
            "too many for a QR code at error correction H",
        ),
        ({"text": "€" * 1000}, "text", "1000 characters are too many"),  # 3000 bytes of UTF-8
        ({"text": "a", "error_correction": "X"}, "error_correction", ""),
        ({"text": "a", "margin": "41"}, "margin", ""),
        ({"text": "a", "margin": "-1"}, "margin", ""),
        ({"text": "a", "color": "nope"}, "color", "Unknown colour"),
        ({"text": "a", "data": "1,2"}, "data", "Unknown field"),
        ({"text": "a", "theme": "dark"}, "theme", "Unknown field"),
    ],
)
def test_validation(client: Any, params: dict[str, str], field: str, message: str) -> None:
    response = client.get("/charts/qr", query_string=params)
    assert response.status_code == 422, response.data[:200]
    errors = response.json["detail"]["query"]
    assert field in errors, errors
    assert message in str(errors[field])


def test_longest_texts_fit() -> None:
    """The stated maximum is a real QR capacity: 7,089 digits at level L."""
    assert encode("7" * 7089, "L").version == 40
