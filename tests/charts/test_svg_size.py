"""SVG charts state their size in CSS pixels, so an <img> shows them at the requested size."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize(
    ("kind", "query"),
    [("bar", "data=1,2,3"), ("pie", "data=1,2,3"), ("qr", "text=hello")],
)
@pytest.mark.parametrize("scale", [1, 2])
def test_svg_root_size_is_the_requested_css_pixels(
    client: FlaskClient, kind: str, query: str, scale: int
) -> None:
    response = client.get(f"/charts/{kind}?{query}&width=200&height=150&scale={scale}&format=svg")
    assert response.status_code == 200
    root = re.search(rb"<svg[^>]*>", response.data)
    assert root is not None
    assert b'width="200px"' in root.group(0)
    assert b'height="150px"' in root.group(0)
    # The drawing keeps its own units: the viewBox scales it to the stated size.
    assert re.search(rb'viewBox="0 0 [0-9.]+ [0-9.]+"', root.group(0))
