"""The embedded offline basemap: what it shows, where its detail ends, and its tiles.

Water (seas, lakes, river areas) comes from OpenStreetMap, country borders from Natural
Earth 1:10m; ``scripts/build_basemap.py`` builds one file per zoom band in ``data/``. This
module is light on purpose (the provider registry reads it at start-up): the data and the
drawing live in :mod:`api.maps.basemap_tiles`, imported with the first tile; the bands and
colours both read are in the leaf :mod:`api.maps.palette`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.maps.palette import (
    BANDS,
    BORDER,
    COAST,
    DETAIL_MAX_ZOOM,
    HIDDEN_FILL,
    LAND,
    MAX_ZOOM,
    WATER,
    Palette,
    palette,
)
from api.maps.styles import BasemapStyle

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "ATTRIBUTION",
    "BANDS",
    "BORDER",
    "COAST",
    "DETAIL_MAX_ZOOM",
    "HIDDEN_FILL",
    "LAND",
    "MAX_ZOOM",
    "WATER",
    "Palette",
    "beyond_detail",
    "detail_warning",
    "palette",
    "render_tile",
]

# Every source named: OpenStreetMap's licence asks for exactly this wording.
ATTRIBUTION = "© OpenStreetMap contributors, Natural Earth"


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


def render_tile(z: int, x: int, y: int, size: int = 256, style: BasemapStyle | None = None) -> Image.Image:
    """The Web Mercator tile z/x/y as an RGB image ``size`` pixels square, in ``style``'s colours."""
    from api.maps import basemap_tiles

    return basemap_tiles.render_tile(z, x, y, size, palette(style))
