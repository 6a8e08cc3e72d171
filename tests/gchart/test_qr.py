"""cht=qr draws the QR code of chl: module by module, the library's own matrix for that text."""

from __future__ import annotations

import io
from typing import Any

import pytest
import segno
from PIL import Image


def modules(png: bytes, count: int) -> list[list[bool]]:
    """The dark modules read from the picture: the symbol is the box of its dark pixels."""
    image = Image.open(io.BytesIO(png)).convert("L")
    dark = image.point(lambda v: 255 if v < 128 else 0)
    left, top, right, _ = dark.getbbox() or (0, 0, 0, 0)
    size = (right - left) / count
    return [
        [
            image.getpixel((int(left + (c + 0.5) * size), int(top + (r + 0.5) * size))) < 128
            for c in range(count)
        ]  # type: ignore[operator]
        for r in range(count)
    ]


@pytest.mark.parametrize(
    ("text", "level"),
    [("Hello world", "L"), ("https://example.org/tickets/2026?seat=14C", "H"), ("Grüße, 東京", "M")],
)
def test_qr_encodes_the_text(client: Any, text: str, level: str) -> None:
    response = client.get(
        "/chart", query_string={"cht": "qr", "chs": "250x250", "chl": text, "chld": f"{level}|4"}
    )
    assert response.status_code == 200
    expected = segno.make(text, error=level, micro=False).matrix
    assert modules(response.data, len(expected)) == [[bool(v & 1) for v in row] for row in expected]


def test_qr_margin_is_the_quiet_zone(client: Any) -> None:
    narrow = client.get("/chart", query_string={"cht": "qr", "chs": "200x200", "chl": "x", "chld": "L|0"})
    wide = client.get("/chart", query_string={"cht": "qr", "chs": "200x200", "chl": "x", "chld": "L|8"})
    width = {}
    for name, response in (("narrow", narrow), ("wide", wide)):
        image = Image.open(io.BytesIO(response.data)).convert("L").point(lambda v: 255 if v < 128 else 0)
        left, _, right, _ = image.getbbox() or (0, 0, 0, 0)
        width[name] = right - left
    assert width["narrow"] > width["wide"]
