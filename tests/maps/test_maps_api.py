"""/maps/static and /generate_map: parameters, limits, tiles from a loopback server, faults."""

from __future__ import annotations

import io
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from api import create_app
from api.settings import Settings
from tests.maps.tileserver import TileServer, provider_entry, tile_settings

PARIS = "48.8566,2.3522"
BASIC = f"/maps/static?center={PARIS}&zoom=4&size=300x200"


def image_of(response: Any) -> Image.Image:
    assert response.status_code == 200, response.data[:300]
    return Image.open(io.BytesIO(response.data))


@pytest.fixture
def loopback_client(map_settings: Settings) -> Any:
    return create_app({"TESTING": True, "SETTINGS": map_settings}).test_client()


def test_offline_map_is_the_default(client: Any) -> None:
    response = client.get(BASIC)
    image = image_of(response)
    assert image.size == (300, 200)
    assert response.mimetype == "image/png"
    assert "Warning" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=86400"


@pytest.mark.parametrize(
    ("fmt", "mimetype"), [("webp", "image/webp"), ("jpeg", "image/jpeg"), ("png", "image/png")]
)
def test_formats(client: Any, fmt: str, mimetype: str) -> None:
    response = client.get(f"{BASIC}&format={fmt}")
    assert response.mimetype == mimetype
    assert image_of(response).size == (300, 200)


def test_scale_multiplies_pixels(client: Any) -> None:
    assert image_of(client.get(f"{BASIC}&scale=2")).size == (600, 400)


def test_width_and_height_instead_of_size(client: Any) -> None:
    response = client.get(f"/maps/static?center={PARIS}&zoom=4&width=320&height=100")
    assert image_of(response).size == (320, 100)


def test_default_size(client: Any) -> None:
    assert image_of(client.get(f"/maps/static?center={PARIS}&zoom=4")).size == (640, 480)


def test_generate_map_keeps_old_urls_working(client: Any) -> None:
    old = client.get(f"/generate_map?center={PARIS}&zoom=5&width=300&height=200&tile_provider=naturalearth")
    new = client.get(f"/maps/static?center={PARIS}&zoom=5&size=300x200&provider=naturalearth")
    assert image_of(old).size == (300, 200)
    assert old.data == new.data
    assert old.headers["ETag"] == new.headers["ETag"]


def test_repeat_request_is_cached_and_conditional(client: Any) -> None:
    first = client.get(BASIC)
    again = client.get(BASIC, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def errors(client: Any, query: str) -> dict[str, Any]:
    response = client.get(f"/maps/static?{query}")
    assert response.status_code == 422, response.data[:300]
    assert response.headers["Cache-Control"] == "no-store"
    return response.json["detail"]["query"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("center=91,0&zoom=3", "center"),
        ("center=0,181&zoom=3", "center"),
        ("center=Gotham+Nowhere&zoom=3", "center"),
        (f"center={PARIS}&zoom=23", "zoom"),
        (f"center={PARIS}&zoom=-1", "zoom"),
        (f"center={PARIS}&zoom=3&size=0x10", "size"),
        (f"center={PARIS}&zoom=3&size=3000x10", "size"),
        (f"center={PARIS}&zoom=3&size=100x100&width=100", "size"),
        (f"center={PARIS}&zoom=3&size=2000x2000&scale=2", "scale"),
        (f"center={PARIS}&zoom=3&scale=5", "scale"),
        (f"center={PARIS}&zoom=3&format=svg", "format"),
        (f"center={PARIS}&zoom=3&provider=nope", "provider"),
        (f"center={PARIS}&zoom=3&provider=stadia", "provider"),  # no key configured
        (f"center={PARIS}&zoom=3&markers=color:red", "markers"),
        (f"center={PARIS}&zoom=3&markers=size:huge|1,1", "markers"),
        ("path=color:red", "path"),
        ("path=enc:%3F", "path"),
        ("circle=radius:5|1,2|3,4", "circle"),
        ("visible=1,2|3", "visible"),
        (f"center={PARIS}&zoom=3&maptype=moon", "maptype"),
        (f"center={PARIS}&zoom=3&style=feature:rivers|color:0xff0000", "style"),
        (f"center={PARIS}&zoom=3&padding=999", "padding"),
    ],
)
def test_bad_input_is_named(client: Any, query: str, field: str) -> None:
    assert field in errors(client, query)


def test_marker_limit(client: Any) -> None:
    points = "|".join(f"{i % 80},{i % 170}" for i in range(201))
    assert "markers" in errors(client, f"markers={points}")
    fine = "|".join(f"{i % 80},{i % 170}" for i in range(200))
    assert client.get(f"/maps/static?size=200x150&markers=size:tiny|{fine}").status_code == 200


def test_path_and_vertex_limits() -> None:
    client = create_app({"TESTING": True, "SETTINGS": {"max_paths": 2, "max_path_vertices": 5}}).test_client()
    assert "path" in errors(client, "path=1,1|2,2&path=3,3|4,4&circle=5,5")
    assert "path" in errors(client, "path=1,1|2,2|3,3&path=4,4|5,5|6,6")
    assert client.get("/maps/static?size=100x100&path=1,1|2,2&circle=5,5").status_code == 200


def test_autofit_keeps_every_point_in_view(client: Any) -> None:
    # Markers far apart: the fitted view must show both pins (red pixels on both sides).
    response = client.get("/maps/static?size=400x300&padding=20&markers=color:0xff0000|size:large|0,-60|0,60")
    image = image_of(response).convert("RGB")
    reds = [
        x
        for x in range(image.width)
        for y in range(0, image.height, 2)
        if image.getpixel((x, y)) == (255, 0, 0)
    ]
    assert reds and min(reds) < 200 < max(reds)
    assert min(reds) >= 15 and max(reds) <= 385, "padding keeps the pins off the edges"


def test_fit_across_the_antimeridian(client: Any) -> None:
    wide = image_of(client.get("/maps/static?size=400x300&visible=60,170|60,-170&markers=60,170|60,-170"))
    assert wide.size == (400, 300)


def test_tiles_come_from_the_provider(loopback_client: Any, tile_server: TileServer) -> None:
    response = loopback_client.get(f"{BASIC}&provider=loopback")
    image_of(response)
    assert "Warning" not in response.headers
    assert tile_server.count() >= 2
    agent = tile_server.requests[0].headers.get("User-Agent", "")
    assert agent.startswith("chartmap/") and "example.org" in agent


def test_hidpi_uses_2x_tiles_where_the_provider_has_them(tmp_path: Path, tile_server: TileServer) -> None:
    settings = tile_settings(
        tile_server, tmp_path, providers=[provider_entry(tile_server, "retina", hidpi_tiles=True)]
    )
    client = create_app({"TESTING": True, "SETTINGS": settings}).test_client()
    assert image_of(client.get(f"{BASIC}&provider=retina&scale=2")).size == (600, 400)
    assert tile_server.requests and all(r.hidpi for r in tile_server.requests)
    assert {r.tile[0] for r in tile_server.requests if r.tile} == {4}


def test_hidpi_without_2x_tiles_uses_the_next_zoom(tmp_path: Path, tile_server: TileServer) -> None:
    entry = provider_entry(tile_server, "plain")
    entry["url"] = tile_server.url_template.replace("{r}", "")
    settings = tile_settings(tile_server, tmp_path, providers=[entry])
    client = create_app({"TESTING": True, "SETTINGS": settings}).test_client()
    assert image_of(client.get(f"{BASIC}&provider=plain&scale=2")).size == (600, 400)
    assert {r.tile[0] for r in tile_server.requests if r.tile} == {5}
    assert not any(r.hidpi for r in tile_server.requests)


@pytest.mark.parametrize("mode", ["status", "garbage", "truncated", "close"])
def test_failed_tiles_degrade_gracefully(loopback_client: Any, tile_server: TileServer, mode: str) -> None:
    tile_server.set_mode(mode, status=503)
    response = loopback_client.get(f"{BASIC}&provider=loopback")
    assert image_of(response).size == (300, 200)
    assert "tiles failed" in response.headers["Warning"]
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "ETag" not in response.headers
    before = tile_server.count()
    tile_server.set_mode("ok")
    healed = loopback_client.get(f"{BASIC}&provider=loopback")
    assert "Warning" not in healed.headers, "a degraded map is not kept in the render cache"
    assert tile_server.count() > before


def test_rate_limited_upstream(loopback_client: Any, tile_server: TileServer) -> None:
    tile_server.set_mode("status", status=429, headers={"Retry-After": "60"})
    response = loopback_client.get(f"{BASIC}&provider=loopback")
    assert response.status_code == 200
    assert "Warning" in response.headers


def test_hanging_server_stays_within_the_budget(tmp_path: Path, tile_server: TileServer) -> None:
    settings = tile_settings(tile_server, tmp_path, map_time_budget=1.5, tile_read_timeout=10.0)
    client = create_app({"TESTING": True, "SETTINGS": settings}).test_client()
    tile_server.set_mode("hang")
    started = time.monotonic()
    response = client.get(f"{BASIC}&provider=loopback")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert "Warning" in response.headers
    assert elapsed < 1.5 + 1.0, f"took {elapsed:.2f} s"


def test_some_tiles_fail(loopback_client: Any, tile_server: TileServer) -> None:
    tile_server.set_mode("status", status=500, tiles=[(4, 8, 5)])
    response = loopback_client.get(f"{BASIC}&provider=loopback")
    assert response.headers["Warning"].startswith('199 - "1 of ')


def test_concurrent_renders_equal_serial_renders(map_settings: Settings) -> None:
    # A slow machine must not make a loopback tile miss its read timeout: a degraded map
    # would differ from its serial twin for a reason that is not concurrency.
    map_settings = map_settings.with_overrides(
        {"tile_read_timeout": 30.0, "tile_connect_timeout": 30.0, "map_time_budget": 60.0}
    )
    app = create_app({"TESTING": True, "SETTINGS": map_settings})
    queries = [
        f"/maps/static?center={lat},{lng}&zoom={zoom}&size=200x150&provider={provider}&markers=label:{i}|{lat},{lng}"
        for i, (lat, lng, zoom, provider) in enumerate(
            [
                (48.85, 2.35, 5, "loopback"),
                (40.7, -74.0, 6, "naturalearth"),
                (-33.9, 151.2, 4, "loopback"),
                (35.7, 139.7, 7, "naturalearth"),
                (55.75, 37.6, 3, "loopback"),
                (-23.5, -46.6, 5, "naturalearth"),
                (1.35, 103.8, 8, "loopback"),
                (64.1, -21.9, 6, "naturalearth"),
            ]
        )
    ]
    results: dict[str, Any] = {}

    def fetch(url: str) -> None:
        results[url] = app.test_client().get(url)

    threads = [threading.Thread(target=fetch, args=(url,)) for url in queries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    serial = create_app({"TESTING": True, "SETTINGS": map_settings})
    for url in queries:
        alone = serial.test_client().get(url)
        # The precondition of the comparison: both drawn whole, no tile failed.
        for response in (results[url], alone):
            assert response.status_code == 200, url
            assert "Warning" not in response.headers, (url, response.headers.get("Warning"))
        assert results[url].data == alone.data, url


def test_api_key_stays_secret(
    tmp_path: Path, tile_server: TileServer, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    secret = "s3cr3t-key-value"
    monkeypatch.setenv("LOOPBACK_TILE_KEY", secret)
    entry = provider_entry(tile_server, "keyed", key_env="LOOPBACK_TILE_KEY")
    entry["url"] = tile_server.url_template + "?key={key}"
    settings = tile_settings(tile_server, tmp_path, providers=[entry])
    client = create_app({"TESTING": True, "SETTINGS": settings}).test_client()
    tile_server.set_mode("status", status=500)
    response = client.get(f"{BASIC}&provider=keyed")
    assert response.status_code == 200
    assert any(secret in r.path for r in tile_server.requests), "the key reaches the tile server"
    assert secret not in str(response.headers)
    assert secret not in caplog.text
    spec = client.get("/openapi.json").get_data(as_text=True)
    assert secret not in spec and "LOOPBACK_TILE_KEY" not in spec
    assert secret not in client.get(f"{BASIC}&provider=nope").get_data(as_text=True)
    assert os.environ["LOOPBACK_TILE_KEY"] == secret
