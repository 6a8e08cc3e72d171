"""Requests that once took seconds of CPU or gigabytes of memory, or leaked through the tile
fetcher and the docs: each is now refused before drawing, or bounded, or closed."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from api import create_app
from tests.conftest import IN_PROCESS
from tests.maps.tileserver import TileServer, provider_entry, start_tile_server, tile_settings

ZIGZAG = ",".join(["0,100"] * 8)
THERE_AND_BACK = "|".join(["0,0|60,120"] * 40)
# Generous: these took 3-66 s before; now well under a second on an idle core.
BOUND_S = 10.0


@pytest.fixture(scope="module")
def client() -> Any:
    return create_app({"TESTING": True, "SETTINGS": {**IN_PROCESS, "render_cache_bytes": 0}}).test_client()


def timed(client: Any, url: str) -> tuple[Any, float]:
    started = time.process_time()
    response = client.get(url)
    return response, time.process_time() - started


def refused(response: Any, parameter: str) -> None:
    assert response.status_code == 422, response.data[:300]
    message = response.json["detail"]["query"][parameter][0]
    assert "ms to draw" in message or "at most" in message


@pytest.mark.parametrize(
    "url",
    [
        # Sub-pixel dashes on a 4-megapixel zigzag: millions of segments (Agg overflowed, 2 GB).
        f"/chart?cht=lc&chs=2048x1953&chd=t:{ZIGZAG}&chls=50,0.01",
        # A 0.5% grid of 0.01 px dashes: 9 s.
        "/chart?cht=lc&chs=2048x1953&chd=t:0,100&chg=0.5,0.5,0.01,0.01",
        # A radar of 2,000 points, one tick artist each: 4-5.5 s even at 100x100.
        "/chart?cht=r&chs=100x100&chd=t:" + ",".join(str(i % 100) for i in range(2000)),
        "/charts/radar?data=" + "|".join(",".join(str(i % 9) for i in range(1500)) for _ in range(4)),
    ],
)
def test_once_unbounded_charts_are_drawn_within_bounds(client: Any, url: str) -> None:
    response, cpu = timed(client, url)
    assert response.status_code == 200, response.data[:300]
    assert response.data.startswith(b"\x89PNG")
    assert cpu < BOUND_S


def test_value_labels_on_8000_bars_are_refused(client: Any) -> None:
    data = "|".join(",".join(str(i % 9 + 1) for i in range(2000)) for _ in range(4))
    response, cpu = timed(client, f"/charts/bar?value_labels=true&data={data}")
    refused(response, "value_labels")
    assert cpu < 1.0  # refused before drawing


def test_wide_geodesic_paths_are_refused_by_the_cost_model(client: Any) -> None:
    url = (
        f"/maps/static?center=30,60&zoom=1&size=500x500&scale=4&path=weight:99|geodesic:true|{THERE_AND_BACK}"
    )
    response, cpu = timed(client, url)
    refused(response, "path")
    assert cpu < 1.0


def test_fifty_huge_circles_are_refused_by_the_cost_model(client: Any) -> None:
    circles = "&".join(f"circle=radius:9999999|{i},{i}" for i in range(50))
    response, cpu = timed(client, f"/maps/static?center=0,0&zoom=3&size=640x640&scale=3&{circles}")
    refused(response, "circle")
    assert cpu < 1.0


def test_a_few_wide_paths_are_still_drawn(client: Any) -> None:
    url = "/maps/static?center=30,60&zoom=1&size=500x500&path=weight:99|geodesic:true|0,0|60,120"
    response, cpu = timed(client, url)
    assert response.status_code == 200
    assert cpu < BOUND_S


def test_tile_redirects_are_not_followed(tmp_path: Path) -> None:
    """A provider answering 302 to another host (here a loopback canary standing for a
    metadata or internal address) sends the fetcher nowhere; the key stays home."""
    with start_tile_server() as provider, start_tile_server() as canary:
        provider.set_mode("status", status=302, headers={"Location": f"{canary.base_url}/tiles/1/0/0.png"})
        entry = provider_entry(
            provider, url=provider.url_template + "?api_key={key}", key_env="SECRET_TILE_KEY"
        )
        settings = tile_settings(provider, tmp_path / "tiles", providers=[entry])
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SECRET_TILE_KEY", "s3cret")
            client = create_app({"TESTING": True, "SETTINGS": settings}).test_client()
            response = client.get("/maps/static?center=10,10&zoom=2&size=200x200&provider=loopback")
        assert provider.count() > 0  # asked, and answered with redirects
        assert canary.count() == 0
        assert response.status_code == 200  # drawn from the offline basemap
        assert "tiles failed" in response.headers["Warning"]


def test_openapi_servers_do_not_come_from_the_host_header() -> None:
    client = create_app({"TESTING": True, "SETTINGS": IN_PROCESS}).test_client()
    poisoned = client.get("/openapi.json", headers={"Host": "evil.example"}).json
    later = client.get("/openapi.json").json
    for spec in (poisoned, later):
        assert spec["servers"] == [{"url": "/", "description": "This server"}]
    assert "evil.example" not in json.dumps(later)


def test_options_answers_are_not_cached(client: Any) -> None:
    response = client.options("/charts/bar")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_the_tile_server_fixture_is_what_it_seems() -> None:
    # The redirect test relies on the status mode sending the headers it is given.
    with start_tile_server() as server:
        assert isinstance(server, TileServer)
        server.set_mode("status", status=302, headers={"Location": "http://127.0.0.1:9/"})
        answer = requests.get(
            server.url_template.format(z=1, x=0, y=0, r=""), allow_redirects=False, timeout=5
        )
        assert answer.status_code == 302
        assert answer.headers["Location"] == "http://127.0.0.1:9/"
