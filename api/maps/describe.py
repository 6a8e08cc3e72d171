"""A map spec described in plain language: the text twin of a map (``format=txt``, alt text).

Made from the spec and the provider, as the image is: the area shown (the same view the
renderer computes, fitted or given), the basemap, and every overlay with its style.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from api.maps import basemap
from api.maps.geo import LatLng
from api.maps.overlays import Circle, Markers, Path
from api.maps.providers import TileProvider
from api.maps.specs import MapSpec
from api.plaintext import MAX_LISTED, a, bounded, color_name, listing, plural

# Zoom levels and the scale they show, for readers who do not think in zoom levels.
_SCALES = ((2, "the whole world"), (5, "continents"), (8, "countries"), (11, "cities"), (15, "streets"))


def describe_map(spec: MapSpec, provider: TileProvider) -> str:
    """What the map shows: its area, basemap, markers, paths, polygons and circles."""
    from api.maps.viewport import fit_max_zoom, view

    center, zoom = view(spec, fit_max_zoom(provider))
    names = place_names(spec)
    sentences = [_area(spec, center, zoom, names), _basemap(provider, spec)]
    if provider.offline and basemap.beyond_detail(zoom):
        sentences.append(
            f"The built-in map has no detail at zoom {zoom} (its data goes to zoom "
            f"{basemap.DETAIL_MAX_ZOOM}): coastlines and lakes are approximate."
        )
    sentences += _markers(spec.markers, names)
    sentences += _paths(spec.paths, names)
    sentences += _circles(spec.circles, names)
    if spec.visible:
        named = [names[p] for p in dict.fromkeys(spec.visible) if p in names]
        which = f" ({listing(named[:MAX_LISTED])})" if named else ""
        sentences.append(
            f"The view also keeps {plural(len(spec.visible), 'unmarked point')}{which} in sight."
        )
    return bounded(" ".join(sentences))


def place_names(spec: MapSpec) -> dict[LatLng, str]:
    """The names of the places the request named, by position (as the gazetteer resolved them)."""
    places = [*spec.places]
    overlays: list[Markers | Path | Circle] = [*spec.markers, *spec.paths, *spec.circles]
    for overlay in overlays:
        places += overlay.places
    return {found.point: found.name for found in places}


def place(point: LatLng, names: Mapping[LatLng, str] | None = None) -> str:
    """``48.86°N 2.35°E``, or for a place the request named, its name: ``Paris, France``."""
    name = (names or {}).get(point)
    if name:
        return name
    lat, lng = point
    return f"{abs(lat):.2f}°{'N' if lat >= 0 else 'S'} {abs(lng):.2f}°{'E' if lng >= 0 else 'W'}"


def _scale(zoom: int) -> str:
    return next((name for bound, name in _SCALES if zoom <= bound), "buildings")


def _area(spec: MapSpec, center: LatLng, zoom: int, names: Mapping[LatLng, str]) -> str:
    from api.maps.projection import MapView

    width, height = spec.output.width, spec.output.height
    frame = MapView(center, zoom, width, height)  # the renderer's view, in CSS pixels
    north, south = frame.latlng(width / 2, 0)[0], frame.latlng(width / 2, height)[0]
    latitudes = f"from {_lat(south)} to {_lat(north)}"
    if width >= frame.world:
        longitudes = "all longitudes"
    else:
        west, east = frame.latlng(0, height / 2)[1], frame.latlng(width, height / 2)[1]
        longitudes = f"from {_lng(west)} to {_lng(east)}"
    fitted = "" if spec.center is not None and spec.zoom is not None else ", fitted to what it shows"
    return (
        f"A map of the area {latitudes} and {longitudes}, centred on {place(center, names)} "
        f"at zoom {zoom} (scale of {_scale(zoom)}){fitted}."
    )


def _lat(value: float) -> str:
    return f"{abs(value):.2f}°{'N' if value >= 0 else 'S'}"


def _lng(value: float) -> str:
    return f"{abs(value):.2f}°{'E' if value >= 0 else 'W'}"


def _basemap(provider: TileProvider, spec: MapSpec) -> str:
    if provider.offline:
        colours = ", in custom colours" if spec.style else ""
        return (
            f"Basemap: the built-in offline map ({provider.attribution}): land, water and borders{colours}."
        )
    return f"Basemap: {provider.name} tiles ({provider.attribution})."


def _points(points: Sequence[LatLng], names: Mapping[LatLng, str]) -> str:
    return listing([place(point, names) for point in points])


def _markers(groups: Sequence[Markers], names: Mapping[LatLng, str]) -> list[str]:
    count = sum(len(group.points) for group in groups)
    if not count:
        return []
    parts = []
    for group in groups[:MAX_LISTED]:
        many = len(group.points) > 1
        if group.icon:
            style = "custom icon"
        else:
            size = group.size if group.size not in ("mid", "normal") else ""
            style = " ".join(filter(None, (size, color_name(group.color))))
        label = f" labelled {group.label}" if group.label and not group.icon else ""
        noun = f"{len(group.points)} {style} markers" if many else a(f"{style} marker")
        parts.append(f"{noun}{label} at {_points(group.points, names)}")
    more = f"; and {len(groups) - MAX_LISTED} more groups" if len(groups) > MAX_LISTED else ""
    return [f"{plural(count, 'marker')}: " + "; ".join(parts) + more + "."]


def _paths(paths: Sequence[Path], names: Mapping[LatLng, str]) -> list[str]:
    if not paths:
        return []
    lines = [path for path in paths if path.fillcolor is None]
    polygons = [path for path in paths if path.fillcolor is not None]
    parts = []
    for path in lines[:MAX_LISTED]:
        how = ", following the curve of the earth" if path.geodesic else ""
        if len(path.points) == 1:
            parts.append(
                f"{a(color_name(path.color))} line of a single point, at {place(path.points[0], names)}"
            )
            continue
        parts.append(
            f"{a(color_name(path.color))} line through {len(path.points)} points from "
            f"{place(path.points[0], names)} to {place(path.points[-1], names)}{how}"
        )
    for path in polygons[:MAX_LISTED]:
        lat = sum(p[0] for p in path.points) / len(path.points)
        lng = sum(p[1] for p in path.points) / len(path.points)
        fill = color_name(path.fillcolor or path.color)
        parts.append(
            f"{a(fill)} filled polygon with {len(path.points)} corners, outlined in "
            f"{color_name(path.color)}, around {place((lat, lng))}"
        )
    kinds = []
    if lines:
        kinds.append(plural(len(lines), "line"))
    if polygons:
        kinds.append(plural(len(polygons), "polygon"))
    return [f"{' and '.join(kinds).capitalize()}: " + "; ".join(parts) + "."]


def _circles(circles: Sequence[Circle], names: Mapping[LatLng, str]) -> list[str]:
    if not circles:
        return []
    parts = []
    for circle in circles[:MAX_LISTED]:
        radius = f"{circle.radius / 1000:g} km" if circle.radius >= 1000 else f"{circle.radius:g} m"
        fill = f", filled {color_name(circle.fillcolor)}" if circle.fillcolor else ""
        parts.append(
            f"{a(color_name(circle.color))} circle of radius {radius}{fill}, centred on {place(circle.center, names)}"
        )
    return [f"{plural(len(circles), 'circle').capitalize()}: " + "; ".join(parts) + "."]
