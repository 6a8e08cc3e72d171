"""Odd but valid chart requests render cleanly: no warnings, no degenerate axes."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from api.charts.kinds import KINDS
from api.charts.render import render_figure
from api.charts.schemas import build_schema
from api.settings import Limits


@pytest.mark.parametrize(
    "query",
    [
        {"data": "1,2", "max": "0"},
        {"data": "-1,-2", "min": "0"},
        {"data": "5,5,5", "log": "true", "max": "1"},
        {"data": "5,5", "min": "5"},
        {"data": "0,0,0"},
        {"data": "1e99,-1e99,1e-99"},
    ],
)
def test_ranges_never_collapse(query: dict[str, str]) -> None:
    spec = build_schema(KINDS["bar"], Limits())().load(query)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = render_figure(spec)
        fig.canvas.draw()
    low, high = fig.axes[0].get_ylim()
    assert low < high


def test_control_characters_become_spaces(client: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = client.get("/charts/bar?data=1,2&title=a%C2%91b%0Ac&labels=x%09y,z")
    b = client.get("/charts/bar?data=1,2&title=a b c&labels=x y,z")
    assert a.status_code == 200
    assert a.headers["ETag"] == b.headers["ETag"], "equivalent texts share one canonical spec"


@pytest.mark.parametrize("kind", ["line", "bar", "area"])
@pytest.mark.parametrize("scale", ["1", "2"])
def test_value_labels_far_beyond_a_tiny_range_are_not_drawn(client: Any, kind: str, scale: str) -> None:
    # Data 28 on an axis ending at 6e-174: the labels would sit ~1e176 px away, beyond
    # FreeType's integer positions (this was a 500).
    response = client.get(
        f"/charts/{kind}?max=5.8e-174&scale={scale}&data=12,19,15,23,28,26|8,11,14,13,17,22&value_labels=true"
    )
    assert response.status_code == 200
    assert response.mimetype == "image/png"
