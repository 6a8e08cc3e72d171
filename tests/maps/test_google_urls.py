"""Google Static Maps URLs with only the host changed: each one in the corpus renders at the
right size, on the offline basemap and on tiles from a loopback server, and names what it
ignored; the shapes still refused are 422s naming the parameter."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qsl

import pytest
from PIL import Image

from api import create_app
from api.maps.schemas import INERT
from tests.maps.google_corpus import REFUSED, RENDERS
from tests.maps.tileserver import TileServer, tile_settings

MIMETYPES = {"png8": "image/png", "png32": "image/png", "gif": "image/gif", "jpg": "image/jpeg"}


def expected_size(query: str) -> tuple[int, int]:
    params = dict(parse_qsl(query, keep_blank_values=True))
    width, height = (int(n) for n in params.get("size", "640x480").split("x"))
    scale = int(params.get("scale", "1"))
    return width * scale, height * scale


def check_rendered(response: Any, query: str) -> None:
    assert response.status_code == 200, (query, response.data[:300])
    image = Image.open(io.BytesIO(response.data))
    assert image.size == expected_size(query), query
    params = dict(parse_qsl(query, keep_blank_values=True))
    fmt = params.get("format", "png")
    assert response.mimetype == MIMETYPES.get(fmt, MIMETYPES.get(fmt.split("-")[0], f"image/{fmt}"))
    ignored = set(response.headers.get("Ignored-Parameters", "").split(", ")) - {""}
    sent = {name for name, _ in parse_qsl(query, keep_blank_values=True)}
    assert sent & set(INERT) <= ignored, "Google's inert parameters are named"
    assert ignored <= sent, "only parameters that were sent are named"


@pytest.fixture(scope="module")
def offline() -> Any:
    return create_app({"TESTING": True}).test_client()


@pytest.fixture(scope="module")
def loopback(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tests.maps.tileserver import start_tile_server

    with start_tile_server() as server:
        settings = tile_settings(
            server,
            tmp_path_factory.mktemp("tiles"),
            default_provider="loopback",
            maptype_providers="satellite:loopback",
        )
        yield create_app({"TESTING": True, "SETTINGS": settings}).test_client(), server


def test_the_corpus_is_large_enough() -> None:
    assert len(RENDERS) + len(REFUSED) >= 80
    assert len(set(RENDERS)) == len(RENDERS)


@pytest.mark.parametrize("query", RENDERS)
def test_renders_on_the_offline_basemap(offline: Any, query: str) -> None:
    check_rendered(offline.get(f"/maps/static?{query}"), query)


@pytest.mark.parametrize("query", RENDERS)
def test_renders_on_provider_tiles(loopback: tuple[Any, TileServer], query: str) -> None:
    client, server = loopback
    response = client.get(f"/maps/static?{query}")
    check_rendered(response, query)
    assert "tiles failed" not in response.headers.get("Warning", "")
    assert server.count() > 0, "the tiles came from the loopback server"


@pytest.mark.parametrize(("query", "parameter", "why"), REFUSED)
def test_still_refused(offline: Any, query: str, parameter: str, why: str) -> None:
    response = offline.get(f"/maps/static?{query}")
    assert response.status_code == 422, (query, why)
    assert parameter in response.json["detail"]["query"], response.json


def test_share_that_renders(offline: Any) -> None:
    """The figure for the docs: how much of the corpus renders as written."""
    rendered = sum(offline.get(f"/maps/static?{q}").status_code == 200 for q in RENDERS)
    share = rendered / (len(RENDERS) + len(REFUSED))
    assert rendered == len(RENDERS)
    assert share >= 0.95, f"{share:.1%}"
