"""The embedded basemap tells the truth where people look: land and water probed at known
places, sampled from rendered tiles at the exact projected pixel, and a warning where its
detail ends."""

from __future__ import annotations

from typing import Any

import pytest
from PIL import ImageColor

from api.maps import basemap, basemap_tiles, providers
from api.maps.geo import TILE, world_xy
from api.settings import Settings

LAND_PLACES = {
    "Times Square": (40.7580, -73.9855),
    "Manhattan, Central Park south": (40.7644, -73.9730),
    "Brooklyn Heights": (40.6960, -73.9950),
    "Stockholm, Gamla Stan": (59.3251, 18.0711),
    "Stockholm, Sodermalm": (59.3150, 18.0700),
    "Stockholm, Ostermalm": (59.3380, 18.0800),
    "Istanbul, Sultanahmet": (41.0055, 28.9768),
    "Istanbul, Kadikoy": (40.9910, 29.0270),
    "Sydney CBD": (-33.8700, 151.2070),
    "Chicago Loop": (41.8800, -87.6300),
    "Geneva, Cornavin": (46.2102, 6.1424),
    "Copenhagen, Indre By": (55.6790, 12.5750),
    "Hong Kong, Central": (22.2810, 114.1580),
    "Rio de Janeiro, Centro": (-22.9050, -43.1800),
    "Cape Town, CBD": (-33.9230, 18.4230),
}
WATER_PLACES = {
    "Lake Geneva": (46.4500, 6.5500),
    "Lake Victoria": (-1.0000, 33.0000),
    "Lake Michigan off Chicago": (41.9000, -87.5000),
    "Lake Superior": (47.7000, -87.5000),
    "Lake Erie": (42.2000, -81.2000),
    "Caspian Sea": (42.0000, 50.5000),
    "Lake Baikal": (53.5000, 108.0000),
    "Atlantic Ocean": (30.0000, -40.0000),
    "Pacific Ocean": (0.0000, -150.0000),
    "Bosphorus": (41.0450, 29.0350),
    "Sydney Harbour": (-33.8555, 151.2350),
    "Upper New York Bay": (40.6700, -74.0450),
}
ZOOMS = (6, 8, 10, 12, 13)
WATER = ImageColor.getrgb(basemap.WATER)
LAND = ImageColor.getrgb(basemap.LAND)


def colour_at(lat: float, lng: float, zoom: int) -> tuple[int, int, int]:
    x, y = world_xy((lat, lng), TILE * 2**zoom)
    tile = basemap.render_tile(zoom, int(x // TILE), int(y // TILE))
    pixel = tile.getpixel((int(x % TILE), int(y % TILE)))
    assert isinstance(pixel, tuple)
    return pixel[0], pixel[1], pixel[2]


def nearest(colour: tuple[int, int, int]) -> str:
    def distance(other: tuple[int, ...]) -> int:
        return sum((a - b) ** 2 for a, b in zip(colour, other, strict=True))

    return "water" if distance(WATER) < distance(LAND) else "land"


@pytest.mark.parametrize("zoom", ZOOMS)
@pytest.mark.parametrize("place", sorted(LAND_PLACES))
def test_city_centres_are_land(place: str, zoom: int) -> None:
    if place in ("Stockholm, Gamla Stan", "Stockholm, Sodermalm") and zoom < 8:
        pytest.skip("an island a pixel or two wide below zoom 8: blended with the water around it")
    assert nearest(colour_at(*LAND_PLACES[place], zoom)) == "land", f"{place} at zoom {zoom}"


@pytest.mark.parametrize("zoom", ZOOMS)
@pytest.mark.parametrize("place", sorted(WATER_PLACES))
def test_lakes_and_seas_are_water(place: str, zoom: int) -> None:
    if place in ("Bosphorus", "Sydney Harbour", "Upper New York Bay") and zoom < 10:
        pytest.skip("narrower than a few pixels below zoom 10")
    assert nearest(colour_at(*WATER_PLACES[place], zoom)) == "water", f"{place} at zoom {zoom}"


def test_deep_zooms_still_draw_the_data() -> None:
    # Beyond its detail the basemap draws its last band, coarsely but still right here.
    assert nearest(colour_at(*LAND_PLACES["Times Square"], 17)) == "land"
    assert nearest(colour_at(*WATER_PLACES["Lake Geneva"], 17)) == "water"


def test_tiles_are_anti_aliased_and_sized() -> None:
    tile = basemap.render_tile(13, 4400, 2396)  # the New York harbour: shores cross it
    assert tile.size == (256, 256)
    assert tile.mode == "RGB"
    colours = {colour for _, colour in tile.getcolors(256 * 256) or []}
    assert {WATER, LAND} <= colours
    assert len(colours) > 2  # blended edge pixels
    assert basemap.render_tile(13, 4400, 2396, size=512).size == (512, 512)


@pytest.mark.parametrize(("z", "x", "y"), [(-1, 0, 0), (21, 0, 0), (3, 8, 0), (3, 0, -1)])
def test_no_tile_outside_the_pyramid(z: int, x: int, y: int) -> None:
    with pytest.raises(ValueError, match="no tile"):
        basemap.render_tile(z, x, y)


def test_band_files_match_the_bands_and_the_budget() -> None:
    total = 0
    for first, last in basemap.BANDS:
        band = basemap_tiles.band_for(last)
        assert (band.first, band.last) == (first, last)
        total += basemap_tiles.band_path(first, last).stat().st_size
    assert basemap_tiles.band_for(basemap.MAX_ZOOM).last == basemap.DETAIL_MAX_ZOOM
    assert total <= 15_000_000


def test_attribution_is_defined_once() -> None:
    offline = providers.provider_registry(Settings())[providers.OFFLINE]
    assert offline.attribution is basemap.ATTRIBUTION
    assert "© OpenStreetMap contributors" in offline.attribution
    assert "Natural Earth" in offline.attribution


def test_detail_ends_at_its_zoom() -> None:
    assert not basemap.beyond_detail(basemap.DETAIL_MAX_ZOOM)
    assert basemap.detail_warning(basemap.DETAIL_MAX_ZOOM) is None
    assert basemap.beyond_detail(basemap.DETAIL_MAX_ZOOM + 1)
    warning = basemap.detail_warning(15)
    assert warning is not None
    assert "no detail at zoom 15" in warning


def test_a_map_beyond_the_detail_says_so(client: Any) -> None:
    deep = client.get("/maps/static?center=40.758,-73.9855&zoom=15&size=200x150&provider=naturalearth")
    assert deep.status_code == 200
    assert "no detail at zoom 15" in deep.headers["Warning"]
    # Persistent, not degraded: the same picture every time, cached and revalidated as any other.
    assert deep.headers["Warning"].startswith("299 ")
    assert deep.headers["Cache-Control"] == "public, max-age=86400"
    assert "ETag" in deep.headers
    old = client.get(
        "/generate_map?center=40.758,-73.9855&zoom=15&width=200&height=150&tile_provider=naturalearth"
    )
    assert old.headers["Warning"].startswith("299 ") and "no detail at zoom 15" in old.headers["Warning"]
    within = client.get("/maps/static?center=40.758,-73.9855&zoom=13&size=200x150&provider=naturalearth")
    assert within.status_code == 200
    assert "Warning" not in within.headers
    text = client.get(
        "/maps/static?center=40.758,-73.9855&zoom=15&size=200x150&provider=naturalearth&format=txt"
    ).get_data(as_text=True)
    assert "no detail at zoom 15" in text


def test_auto_fit_stays_within_the_detail(client: Any) -> None:
    # One marker used to fit zoom 15: a blank picture on the embedded basemap.
    one = client.get("/maps/static?markers=40.758,-73.9855&size=200x150&provider=naturalearth&format=txt")
    assert f"at zoom {basemap.DETAIL_MAX_ZOOM} " in one.get_data(as_text=True)
    image = client.get("/maps/static?markers=40.758,-73.9855&size=200x150&provider=naturalearth")
    assert "Warning" not in image.headers
