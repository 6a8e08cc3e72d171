"""What the embedded basemap is made of, as plain data: its zoom bands and its colours, with a
style's operations applied. A leaf: :mod:`api.maps.basemap` (what the map shows) and
:mod:`api.maps.basemap_tiles` (the drawing) both read it, and neither imports the other's
callers."""

from __future__ import annotations

from dataclasses import dataclass

from api.maps.styles import BasemapStyle

# (first zoom, last zoom) of each data band, simplified for its last zoom; a data file each.
BANDS: tuple[tuple[int, int], ...] = ((0, 2), (3, 5), (6, 8), (9, 13))
DETAIL_MAX_ZOOM = BANDS[-1][1]  # deeper tiles are drawn from the last band, coarse for them
MAX_ZOOM = 20
WATER = "#aad3df"
LAND = "#f2efe9"
BORDER = "#a39db3"
COAST = "#8cb6c9"  # a style's coastline colour: water and land meet without a stroke here
HIDDEN_FILL = "#ffffff"  # what shows where a style hides water or land


@dataclass(frozen=True)
class Palette:
    water: str
    land: str
    coast: str | None  # None: not drawn
    border: str | None


def palette(style: BasemapStyle | None) -> Palette:
    """The basemap's colours with a style's operations (Google's style=) applied."""
    if not style:
        return Palette(WATER, LAND, COAST, BORDER)
    return Palette(
        style.paint("water", WATER) or HIDDEN_FILL,
        style.paint("land", LAND) or HIDDEN_FILL,
        style.paint("coast", COAST),
        style.paint("borders", BORDER),
    )
