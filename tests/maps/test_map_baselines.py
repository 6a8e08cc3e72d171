"""Reference images of maps (tests/baselines/map_*.png): overlays on the offline basemap,
provider styles from the loopback tile server, and the basemap at several zooms.

Regenerate with ``pytest tests/maps --update-baselines`` and look at every image.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polyline
import pytest

from api import create_app
from api.settings import Settings

ROUTE = [(48.8566, 2.3522), (50.8503, 4.3517), (52.3676, 4.9041), (52.52, 13.405)]

CASES: dict[str, list[tuple[str, str]]] = {
    "map_markers_labels": [
        ("size", "400x300"),
        ("markers", "color:red|label:A|48.8566,2.3522"),
        ("markers", "color:0x0072b2|size:large|label:7|51.5074,-0.1278"),
        ("markers", "color:green|size:small|52.52,13.405|50.0755,14.4378"),
        ("markers", "size:tiny|color:purple|45.4642,9.19"),
    ],
    "map_paths": [
        ("size", "400x300"),
        ("path", "color:0xd55e00cc|weight:5|48.8566,2.3522|50.8503,4.3517|52.3676,4.9041"),
        ("path", "color:0x0072b2|weight:3|geodesic:true|40.7128,-74.006|51.5074,-0.1278"),
    ],
    "map_encoded_polyline": [
        ("size", "400x300"),
        ("path", f"color:0x009e73|weight:4|enc:{polyline.encode(ROUTE)}"),
    ],
    "map_polygon": [
        ("size", "400x300"),
        ("path", "color:0xcc79a7|weight:2|fillcolor:0xcc79a766|46.0,5.0|49.5,7.5|48.5,11.0|45.5,10.0"),
    ],
    "map_polygon_outline": [
        # A translucent outline in the fill's colour shows over the fill; every corner round.
        ("size", "400x300"),
        ("path", "color:0x0072b280|weight:12|fillcolor:0x0072b280|46.0,5.0|49.5,7.5|48.5,11.0|45.5,10.0"),
    ],
    "map_antimeridian": [
        ("size", "400x300"),
        ("markers", "label:F|-17.71,178.07"),
        ("markers", "color:blue|label:S|-13.76,-172.1"),
        ("path", "color:0xd55e00|weight:4|-20.0,170.0|-15.0,-175.0|-10.0,-165.0"),
        (
            "path",
            "color:0x009e73|weight:2|fillcolor:0x009e7355|-25.0,175.0|-25.0,-178.0|-30.0,-178.0|-30.0,175.0",
        ),
        ("circle", "color:0x0072b2|radius:300000|-18.0,179.9"),
    ],
    "map_circle": [
        ("size", "400x300"),
        ("center", "50.85,4.35"),
        ("zoom", "6"),
        ("circle", "color:0x0072b2|fillcolor:0x0072b244|weight:3|radius:200000|50.85,4.35"),
        ("circle", "color:red|radius:50000|52.37,4.9"),
    ],
    "map_autofit_padding": [
        ("size", "400x300"),
        ("padding", "60"),
        ("markers", "label:S|59.3293,18.0686"),
        ("markers", "label:L|38.7223,-9.1393"),
        ("visible", "35.0,25.0"),
    ],
    "map_scale2": [
        ("size", "200x150"),
        ("scale", "2"),
        ("markers", "color:red|label:P|48.8566,2.3522"),
        ("path", "color:0x0072b2|weight:3|48.8566,2.3522|45.764,4.8357"),
    ],
    "map_styles_and_places": [
        ("size", "400x300"),
        ("style", "feature:water|element:geometry|color:0x1d2c4d"),
        ("style", "feature:landscape|element:geometry.fill|color:0x2b3a4a|lightness:10"),
        ("style", "feature:administrative|element:geometry.stroke|color:0xc9b2a6"),
        ("style", "feature:road|color:0xff0000"),  # not drawn here: ignored
        ("markers", "color:yellow|label:b|Berlin"),
        ("markers", "size:mid|color:0x00ffcc|label:P|Paris,France|Prague"),
    ],
    "map_basemap_zoom1": [("size", "400x300"), ("center", "20,0"), ("zoom", "1")],
    "map_basemap_zoom5": [("size", "400x300"), ("center", "35.0,139.0"), ("zoom", "5")],
    "map_basemap_zoom9": [("size", "400x300"), ("center", "59.33,18.06"), ("zoom", "9")],
}

LOOPBACK_CASES: dict[str, list[tuple[str, str]]] = {
    "map_provider_loopback": [
        ("size", "300x200"),
        ("provider", "loopback"),
        ("center", "48.8566,2.3522"),
        ("zoom", "5"),
        ("markers", "label:P|48.8566,2.3522"),
    ],
    "map_provider_loopback_hidpi": [
        ("size", "150x100"),
        ("scale", "2"),
        ("provider", "loopback"),
        ("center", "48.8566,2.3522"),
        ("zoom", "5"),
    ],
    "map_provider_degraded": [
        ("size", "300x200"),
        ("provider", "loopback"),
        ("center", "48.8566,2.3522"),
        ("zoom", "3"),
    ],
}


@pytest.mark.parametrize("name", list(CASES))
def test_offline_baseline(name: str, client: Any, baseline: Callable[[str, bytes], None]) -> None:
    response = client.get("/maps/static", query_string=CASES[name])
    assert response.status_code == 200, response.json
    assert "Warning" not in response.headers
    baseline(name, response.data)


@pytest.mark.parametrize("name", list(LOOPBACK_CASES))
def test_loopback_baseline(
    name: str, map_settings: Settings, tile_server: Any, baseline: Callable[[str, bytes], None]
) -> None:
    client = create_app({"TESTING": True, "SETTINGS": map_settings}).test_client()
    if name == "map_provider_degraded":
        # Two tiles fail upstream: they come from the offline basemap instead.
        tile_server.set_mode("status", status=500, tiles=[(3, 3, 2), (3, 4, 3)])
    response = client.get("/maps/static", query_string=LOOPBACK_CASES[name])
    assert response.status_code == 200, response.json
    assert ("Warning" in response.headers) == (name == "map_provider_degraded")
    baseline(name, response.data)


BUILT_IN = ["osm", "carto-light", "carto-dark", "arcgis-imagery", "stadia", "jawg"]


@pytest.mark.parametrize("name", BUILT_IN)
def test_provider_style_baseline(
    name: str,
    tile_server: Any,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    baseline: Callable[[str, bytes], None],
) -> None:
    """Each built-in provider, its tiles served by the loopback server: its own attribution,
    hi-dpi tiles where it has them, and its key (from the environment) sent upstream."""
    from api.maps.providers import provider_registry
    from tests.maps.tileserver import provider_entry, tile_settings

    real = provider_registry(Settings())[name]
    entry = provider_entry(tile_server, name, attribution=real.attribution, hidpi_tiles=real.hidpi_tiles)
    if not real.hidpi_tiles:
        entry["url"] = tile_server.url_template.replace("{r}", "")
    if real.key_env:
        monkeypatch.setenv(real.key_env, "test-key")
        entry.update(url=entry["url"] + "?key={key}", key_env=real.key_env)
    client = create_app(
        {"TESTING": True, "SETTINGS": tile_settings(tile_server, tmp_path, providers=[entry])}
    ).test_client()
    query = [
        ("size", "240x160"),
        ("scale", "2"),
        ("provider", name),
        ("center", "48.8566,2.3522"),
        ("zoom", "5"),
    ]
    response = client.get("/maps/static", query_string=query)
    assert response.status_code == 200, response.json
    assert "Warning" not in response.headers
    assert all(r.hidpi == real.hidpi_tiles for r in tile_server.requests)
    assert all(("key=test-key" in r.path) == bool(real.key_env) for r in tile_server.requests)
    baseline(f"map_provider_{name}", response.data)
