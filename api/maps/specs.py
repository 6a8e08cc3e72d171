"""The map spec: the canonical, hashable form of a map request."""

from __future__ import annotations

from dataclasses import dataclass

from api.geodata.gazetteer import Place
from api.maps.geo import LatLng
from api.maps.overlays import Circle, Markers, Path
from api.maps.styles import BasemapStyle
from api.output import Output


@dataclass(frozen=True)
class MapSpec:
    provider: str
    output: Output
    center: LatLng | None = None  # None: fit to overlays and visible points
    zoom: int | None = None  # None: the largest zoom that fits
    padding: int = 40  # CSS pixels kept free around fitted content
    markers: tuple[Markers, ...] = ()
    paths: tuple[Path, ...] = ()
    circles: tuple[Circle, ...] = ()
    visible: tuple[LatLng, ...] = ()
    style: BasemapStyle | None = None  # colours of the embedded basemap (None: its own)
    places: tuple[Place, ...] = ()  # named places of center and visible, as resolved (for the text twin)
