"""/maps/static as a compatibility endpoint: ignored parameters, maptype, style, formats, zoom."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from api import create_app
from api.alttext import alt_text, spec_for
from api.maps.specs import MapSpec
from tests.maps.tileserver import TileServer, tile_settings

BASE = "/maps/static?center=48.8566,2.3522&zoom=4&size=200x150"


def test_inert_and_unknown_parameters_are_named_and_share_the_etag(client: Any) -> None:
    plain = client.get(BASE)
    noisy = client.get(f"{BASE}&key=A&sensor=false&signature=xyz&utm_source=mail")
    other = client.get(f"{BASE}&key=B&sensor=true")
    assert noisy.status_code == other.status_code == 200
    assert noisy.headers["Ignored-Parameters"] == "key, sensor, signature, utm_source"
    assert "Ignored-Parameters" not in plain.headers
    assert plain.headers["ETag"] == noisy.headers["ETag"] == other.headers["ETag"]
    assert plain.data == noisy.data
    assert noisy.headers["Cache-Control"] == "public, max-age=86400"


def test_ignored_parameters_are_named_on_304_too(client: Any) -> None:
    etag = client.get(BASE).headers["ETag"]
    again = client.get(f"{BASE}&key=A", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["Ignored-Parameters"] == "key"


def test_ignored_parameter_values_never_show(client: Any) -> None:
    response = client.get(f"{BASE}&key=s3cret-value&format=txt")
    assert "s3cret" not in str(response.headers) and "s3cret" not in response.get_data(as_text=True)
    assert "key" not in response.get_data(as_text=True)


def test_charts_stay_strict(client: Any) -> None:
    response = client.get("/charts/bar?data=1,2&key=A")
    assert response.status_code == 422
    assert "key" in response.json["detail"]["query"]


def test_maptype_without_a_mapping_warns_and_keeps_the_cache(client: Any) -> None:
    road = client.get(f"{BASE}&maptype=roadmap")
    satellite = client.get(f"{BASE}&maptype=satellite")
    assert "Warning" not in road.headers and "Ignored-Parameters" not in road.headers
    assert satellite.headers["Warning"] == (
        '299 - "maptype=satellite is not offered here; drawn on the default map (naturalearth)"'
    )
    assert satellite.headers["Cache-Control"] == "public, max-age=86400"
    assert satellite.headers["ETag"] == road.headers["ETag"]


def test_maptype_follows_the_settings_and_provider_wins(tmp_path: Path, tile_server: TileServer) -> None:
    settings = tile_settings(
        tile_server, tmp_path, maptype_providers="satellite:loopback, terrain:naturalearth"
    )
    client = create_app({"TESTING": True, "SETTINGS": settings}).test_client()
    satellite = client.get(f"{BASE}&maptype=satellite")
    assert satellite.status_code == 200 and "Warning" not in satellite.headers
    assert tile_server.count() > 0, "satellite is drawn from the mapped provider"
    explicit = client.get(f"{BASE}&maptype=satellite&provider=naturalearth")
    assert explicit.headers["Ignored-Parameters"] == "maptype"
    assert explicit.headers["ETag"] == client.get(BASE).headers["ETag"]


@pytest.mark.parametrize("mapping", ["satellite:nope", "moon:naturalearth", "satellite"])
def test_a_bad_maptype_mapping_stops_the_app(mapping: str) -> None:
    with pytest.raises(ValueError, match="CHARTMAP_MAPTYPE_PROVIDERS"):
        create_app({"TESTING": True, "SETTINGS": {"maptype_providers": mapping}})


@pytest.mark.parametrize(
    ("fmt", "mimetype", "same_as"),
    [
        ("png8", "image/png", "png"),
        ("png32", "image/png", "png"),
        ("jpg", "image/jpeg", "jpeg"),
        ("jpg-baseline", "image/jpeg", "jpeg"),
        ("gif", "image/gif", "gif"),
    ],
)
def test_google_format_names(client: Any, fmt: str, mimetype: str, same_as: str) -> None:
    response = client.get(f"{BASE}&format={fmt}")
    assert response.mimetype == mimetype
    assert response.headers["ETag"] == client.get(f"{BASE}&format={same_as}").headers["ETag"]


@pytest.mark.parametrize("zoom", [21, 22])
def test_zoom_beyond_the_providers_tiles(client: Any, map_settings: Any, zoom: int) -> None:
    for app_client in (client, create_app({"TESTING": True, "SETTINGS": map_settings}).test_client()):
        response = app_client.get(
            f"/maps/static?center=48.8566,2.3522&zoom={zoom}&size=120x90&provider=naturalearth"
        )
        assert Image.open(io.BytesIO(response.data)).size == (120, 90)
    loopback = create_app({"TESTING": True, "SETTINGS": map_settings}).test_client()
    response = loopback.get(f"/maps/static?center=48.8566,2.3522&zoom={zoom}&size=120x90&provider=loopback")
    assert response.status_code == 200 and "Warning" not in response.headers


def test_autofit_stays_within_the_providers_zooms(client: Any) -> None:
    text = client.get("/maps/static?size=200x150&markers=48.8566,2.3522|48.85661,2.35221&format=txt")
    zoom = int(text.get_data(as_text=True).split(" at zoom ")[1].split(" ")[0])
    assert zoom <= 20


def pixel(data: bytes, xy: tuple[int, int]) -> tuple[int, ...]:
    rgb: tuple[int, ...] = Image.open(io.BytesIO(data)).convert("RGB").getpixel(xy)
    return rgb


def test_styles_recolour_the_basemap(client: Any) -> None:
    sea = "/maps/static?center=40,-40&zoom=4&size=100x100"  # mid-Atlantic: all water
    plain = client.get(sea)
    styled = client.get(f"{sea}&style=feature:water|element:geometry|color:0x112233")
    assert pixel(styled.data, (50, 50)) == (0x11, 0x22, 0x33)
    assert pixel(plain.data, (50, 50)) != (0x11, 0x22, 0x33)
    assert "Ignored-Parameters" not in styled.headers
    land = "/maps/static?center=48,2.5&zoom=7&size=100x100"  # central France: all land
    grey = client.get(f"{land}&style=feature:landscape|saturation:-100")
    r, g, b = pixel(grey.data, (50, 50))
    assert r == g == b
    hidden = client.get(f"{land}&style=feature:all|visibility:off")
    assert pixel(hidden.data, (50, 50)) == (255, 255, 255)


def test_styles_on_what_the_basemap_does_not_draw_are_ignored(client: Any) -> None:
    response = client.get(f"{BASE}&style=feature:road|color:0xff0000&style=element:labels|visibility:off")
    assert response.headers["Ignored-Parameters"] == "style"
    assert response.headers["ETag"] == client.get(BASE).headers["ETag"]


def test_styles_are_ignored_on_raster_tiles(map_settings: Any) -> None:
    client = create_app({"TESTING": True, "SETTINGS": map_settings}).test_client()
    styled = client.get(f"{BASE}&provider=loopback&style=feature:water|color:0x000000")
    assert styled.headers["Ignored-Parameters"] == "style"
    assert styled.headers["ETag"] == client.get(f"{BASE}&provider=loopback").headers["ETag"]


@pytest.mark.parametrize(
    "style",
    [
        "feature:rivers|color:0xff0000",
        "feature:water|colour:0xff0000",
        "feature:water|color:red",
        "feature:water|lightness:150",
        "feature:water|gamma:0",
        "color:0xff0000|feature:water",
        "visibility:maybe",
    ],
)
def test_malformed_styles_are_refused(client: Any, style: str) -> None:
    response = client.get(f"{BASE}&style={style}")
    assert response.status_code == 422
    message = str(response.json["detail"]["query"]["style"])
    assert "part" in message


def test_empty_overlays_are_ignored(client: Any) -> None:
    response = client.get(f"{BASE}&markers=&path=&visible=")
    assert response.status_code == 200
    assert response.headers["Ignored-Parameters"] == "markers, path, visible"


def test_the_text_twin_names_resolved_places(app: Any) -> None:
    text = alt_text(
        app, "/maps/static?size=300x200&markers=label:C|Chicago,IL|Toronto&center=Paris,TX&zoom=3&key=x"
    )
    assert "centred on Paris, Texas, United States" in text
    assert "Chicago, Illinois, United States and Toronto, Ontario, Canada" in text
    assert "key" not in text
    spec = spec_for(app, "/maps/static?center=Paris&zoom=3&key=x")
    assert isinstance(spec, MapSpec) and spec.places[0].name == "Paris, France"


def test_unknown_places_are_a_422_that_suggests_coordinates(client: Any) -> None:
    response = client.get("/maps/static?markers=Gotham+City")
    assert response.status_code == 422
    message = str(response.json["detail"]["query"]["markers"])
    assert "no place named 'Gotham City'" in message and "lat,lng" in message
