"""The embedded offline basemap: what it shows, where its detail ends, and its tiles.

Water (seas, lakes, river areas) comes from OpenStreetMap, country borders from Natural
Earth 1:10m; ``scripts/build_basemap.py`` builds one file per zoom band in ``data/``. This
module is light on purpose (the provider registry reads it at start-up): the data and the
drawing live in :mod:`api.maps.basemap_tiles`, imported with the first tile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from api.maps.styles import BasemapStyle

if TYPE_CHECKING:
    from PIL import Image

# Every source named: OpenStreetMap's licence asks for exactly this wording.
ATTRIBUTION = "© OpenStreetMap contributors, Natural Earth"
# (first zoom, last zoom) of each data band, simplified for its last zoom; a data file each.
BANDS: tuple[tuple[int, int], ...] = ((0, 2), (3, 5), (6, 8), (9, 13))
DETAIL_MAX_ZOOM = BANDS[-1][1]  # deeper tiles are drawn from the last band, coarse for them
MAX_ZOOM = 20
WATER = "#aad3df"
LAND = "#f2efe9"
BORDER = "#a39db3"
COAST = "#8cb6c9"  # a style's coastline colour: water and land meet without a stroke here
HIDDEN_FILL = "#ffffff"  # what shows where a style hides water or land


def beyond_detail(zoom: int) -> bool:
    """Whether a map at ``zoom`` shows more than the embedded data knows."""
    return zoom > DETAIL_MAX_ZOOM


def detail_warning(zoom: int) -> str | None:
    """The warning for a map at ``zoom`` on the embedded basemap, or None within its detail."""
    if not beyond_detail(zoom):
        return None
    return (
        f"the embedded basemap has no detail at zoom {zoom}: its data goes to zoom {DETAIL_MAX_ZOOM}, "
        "so coastlines and lakes are approximate"
    )


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


def render_tile(z: int, x: int, y: int, size: int = 256, style: BasemapStyle | None = None) -> Image.Image:
    """The Web Mercator tile z/x/y as an RGB image ``size`` pixels square, in ``style``'s colours."""
    from api.maps import basemap_tiles

    return basemap_tiles.render_tile(z, x, y, size, palette(style))
