"""Query schemas of the map endpoints; built per app, so the spec states the limits in force."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from apiflask import Schema, fields, validators
from marshmallow import INCLUDE, ValidationError, post_load, validates_schema
from marshmallow.fields import Field

from api.cost import check_cost
from api.maps import basemap
from api.maps.overlays import (
    CIRCLE_PATTERN,
    MARKERS_PATTERN,
    PATH_PATTERN,
    POINT_PATTERN,
    POINTS_PATTERN,
    DescriptorError,
    Located,
    Markers,
    parse_circle,
    parse_markers,
    parse_path,
    parse_point,
    parse_points,
)
from api.maps.providers import OFFLINE, TileProvider
from api.maps.specs import MapSpec
from api.maps.styles import STYLE_PATTERN, StyleError, combine, parse_style
from api.maps.viewport import fit_max_zoom, view
from api.notices import Notices, Parsed
from api.output import TEXT_FORMAT, Output, fit_size
from api.outputfields import check_output, choice_field, output_fields
from api.settings import Limits, Settings

FORMATS = ("png", "webp", "jpeg", "gif")
# Google's format names, drawn as ours.
GOOGLE_FORMATS = {"png8": "png", "png32": "png", "jpg": "jpeg", "jpg-baseline": "jpeg"}
DEFAULT_SIZE = (640, 480)
MAX_ZOOM = 22  # above a provider's max_zoom its tiles are enlarged
MAX_PADDING = 256
MAPTYPES = ("roadmap", "satellite", "hybrid", "terrain")
MAX_ICONS = 5  # distinct custom icons per map, as Google allowed
# Google's parameters that change nothing here: accepted, named in Ignored-Parameters, and
# left out of the spec. signature stays here while the server has no signing secret.
INERT = {
    "key": "Google API key.",
    "client": "Google Maps Platform client ID.",
    "channel": "Google usage-reporting channel.",
    "sensor": "Whether a location sensor was used (long obsolete at Google).",
    "visual_refresh": "Google's 2013 restyle switch.",
    "language": "Language of Google's map labels.",
    "region": "Google's region for borders and geocoding.",
    "autoscale": "Google's automatic scale for hi-DPI.",
    "map_id": "A Google cloud map style.",
    "signature": "A Google URL signature (checked only when the server has a signing secret).",
}


def range_pattern(low: int, high: int) -> str:
    """A regex matching exactly the decimal integers low..high (no sign, no leading zeros)."""
    bounds = [
        (max(low, 10 ** (n - 1) if n > 1 else 0), min(high, 10**n - 1)) for n in range(1, len(str(high)) + 1)
    ]
    parts = [_same_length(str(lo), str(hi)) for lo, hi in bounds if lo <= hi]
    return "(?:" + "|".join(parts) + ")"


def _same_length(lo: str, hi: str) -> str:
    """Numbers lo..hi written with the same number of digits."""
    if not lo:
        return ""
    if set(lo[1:]) <= {"0"} and set(hi[1:]) <= {"9"}:
        head = lo[0] if lo[0] == hi[0] else f"[{lo[0]}-{hi[0]}]"
        return head + "[0-9]" * (len(lo) - 1)
    if lo[0] == hi[0]:
        return lo[0] + _same_length(lo[1:], hi[1:])
    rest = len(lo) - 1
    parts = [lo[0] + _same_length(lo[1:], "9" * rest)]
    if int(hi[0]) - int(lo[0]) > 1:
        parts.append(f"[{int(lo[0]) + 1}-{int(hi[0]) - 1}]" + "[0-9]" * rest)
    parts.append(hi[0] + _same_length("0" * rest, hi[1:]))
    return "(?:" + "|".join(parts) + ")"


class Descriptor(fields.String):  # parse may return None: an empty value, no overlay
    """A descriptor string, parsed by ``parse`` into an overlay spec."""

    def __init__(self, parse: Any, pattern: str, **kwargs: Any) -> None:
        self.parse = parse
        super().__init__(**kwargs)
        self.metadata = {**self.metadata, "pattern": pattern}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self.parse(text)
        except DescriptorError as exc:
            raise ValidationError(str(exc)) from None


def _style(text: str) -> dict[str, Any]:
    try:
        return parse_style(text)
    except StyleError as exc:
        raise DescriptorError(str(exc)) from None


def map_fields(limits: Limits, providers: tuple[str, ...], default_provider: str) -> dict[str, Field[Any]]:
    sizes = f"{range_pattern(1, limits.max_width)}x{range_pattern(1, limits.max_height)}"
    example_size = "x".join(str(n) for n in fit_size((640, 400), limits))
    output = output_fields(limits, FORMATS, DEFAULT_SIZE)
    declared: dict[str, Field[Any]] = {
        "center": Descriptor(
            parse_point,
            POINT_PATTERN,
            metadata={
                "description": "Map centre: lat,lng (spaces around the comma allowed) or a place name "
                "(Paris, Chicago,IL, Paris,France), resolved offline.",
                "example": "48.8566,2.3522",
            },
        ),
        "zoom": fields.Integer(
            validate=validators.Range(min=0, max=MAX_ZOOM),
            metadata={
                "description": f"Zoom level 0..{MAX_ZOOM} (0: the whole world; above a provider's "
                "maximum its tiles are enlarged). Default: fit the overlays.",
                "example": 5,
            },
        ),
        "size": fields.String(
            validate=validators.Regexp(
                f"^{sizes}$", error="Expected WxH, e.g. 640x480, within the size limits."
            ),
            metadata={
                "description": f"Image size WxH in CSS pixels (at most {limits.max_width}x{limits.max_height}); "
                "or give width and height.",
                "example": example_size,
            },
        ),
        "width": fields.Integer(
            validate=validators.Range(min=1, max=limits.max_width),
            metadata={"description": "Image width (instead of size)."},
        ),
        "height": fields.Integer(
            validate=validators.Range(min=1, max=limits.max_height),
            metadata={"description": "Image height (instead of size)."},
        ),
        "scale": output["scale"],
        "format": choice_field(
            (*FORMATS, *GOOGLE_FORMATS, TEXT_FORMAT),
            "png",
            "Image format (Google's png8 and png32 are png, jpg and jpg-baseline are jpeg); txt gives "
            "the map's description in plain language (for alt text) instead.",
        ),
        "provider": fields.String(
            validate=validators.OneOf(providers),
            metadata={
                "description": f"Tile provider. One of: {', '.join(providers)}. Default: {default_provider}, "
                "or the provider the server maps maptype to.",
                "example": default_provider,
            },
        ),
        "maptype": fields.String(
            validate=validators.OneOf(MAPTYPES),
            metadata={
                "description": "Google's map type: roadmap is the default provider; satellite, hybrid and "
                "terrain use the provider the server maps them to, else the default one (a Warning says "
                "so). An explicit provider wins.",
                "example": "roadmap",
            },
        ),
        "padding": fields.Integer(
            load_default=40,
            validate=validators.Range(min=0, max=MAX_PADDING),
            metadata={"description": "Pixels kept free around fitted overlays (without center and zoom)."},
        ),
        "markers": fields.List(
            Descriptor(parse_markers, MARKERS_PATTERN),
            metadata={
                "description": "Repeatable. Styles then locations, separated by '|': "
                "color:<name or 0xRRGGBB[AA]>|size:tiny|small|mid|normal|large (default normal)|"
                "label:<A-Z or 0-9>|icon:<URL>|anchor:<x,y or top, bottomleft...>|lat,lng|place... "
                "Labels show on mid, normal and large markers. Icons are drawn only from hosts the "
                "server allows, else the default pin (a Warning says so).",
                "example": ["color:red|label:P|48.8566,2.3522", "color:0x0072b2|size:small|51.5074,-0.1278"],
            },
        ),
        "path": fields.List(
            Descriptor(parse_path, PATH_PATTERN),
            metadata={
                "description": "Repeatable. color:<colour>|weight:<px>|fillcolor:<colour>|geodesic:true|false, "
                "then lat,lng points or places, or enc:<encoded polyline> (its points must decode to valid "
                "latitudes and longitudes). A fillcolor closes it into a polygon.",
                "example": ["color:0xd55e00cc|weight:4|geodesic:true|48.8566,2.3522|52.52,13.405"],
            },
        ),
        "circle": fields.List(
            Descriptor(parse_circle, CIRCLE_PATTERN),
            metadata={
                "description": "Repeatable. color:<colour>|fillcolor:<colour>|weight:<px>|radius:<metres, "
                "default 1000>|lat,lng or a place.",
                "example": ["color:0x009e73|fillcolor:0x009e7333|radius:150000|50.85,4.35"],
            },
        ),
        "visible": Descriptor(
            parse_points,
            POINTS_PATTERN,
            metadata={
                "description": "Locations (lat,lng or places) separated by '|' kept in view, not drawn.",
                "example": "45.4642,9.19",
            },
        ),
        "style": fields.List(
            Descriptor(_style, STYLE_PATTERN),
            metadata={
                "description": "Repeatable. Google's map style: feature:<feature>|element:<element>|"
                "<rule>:<value>|... Applied to what the offline basemap draws (water, landscape, country "
                "borders: color, hue, lightness, saturation, gamma, invert_lightness, visibility); "
                "tile providers' raster images cannot be restyled, so there styles are ignored.",
                "example": ["feature:water|element:geometry|color:0x1d4f73"],
            },
        ),
    }
    for name, what in INERT.items():
        declared[name] = fields.String(
            metadata={
                "description": f"{what} Accepted and ignored (named in Ignored-Parameters).",
                "example": "",
            }
        )
    return declared


@dataclass(frozen=True)
class MapOptions:
    """What the server's settings decide about map requests."""

    default_provider: str
    maptype_providers: dict[str, str]
    icon_hosts: frozenset[str]
    icon_schemes: tuple[str, ...]

    def icon_allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in self.icon_schemes and (parts.hostname or "").lower() in self.icon_hosts


def map_options(settings: Settings, providers: tuple[str, ...]) -> MapOptions:
    """The settings for maps, checked: a bad entry is a ValueError naming the variable."""
    mapping: dict[str, str] = {}
    for entry in filter(None, (e.strip() for e in settings.maptype_providers.split(","))):
        maptype, sep, provider = (part.strip() for part in entry.partition(":"))
        if not sep or maptype not in MAPTYPES or provider not in providers:
            raise ValueError(
                f"CHARTMAP_MAPTYPE_PROVIDERS entry {entry!r}: expected maptype:provider with a maptype of "
                f"{', '.join(MAPTYPES)} and an available provider"
            )
        mapping[maptype] = provider
    hosts = frozenset(h.strip().lower() for h in settings.icon_hosts.split(",") if h.strip())
    schemes = ("https", "http") if settings.icon_allow_http else ("https",)
    return MapOptions(settings.default_provider, mapping, hosts, schemes)


class MapQuery(Schema):
    """``/maps/static``; subclasses carry ``limits`` and ``options``. Unknown parameters are
    accepted (Google ignored them) and named in the notices."""

    limits: Limits
    options: MapOptions
    tile_providers: Mapping[str, TileProvider]

    class Meta:
        unknown = INCLUDE

    @validates_schema
    def check(self, params: dict[str, Any], **kwargs: Any) -> None:
        if "size" in params and ("width" in params or "height" in params):
            raise ValidationError("Give size, or width and height, not both.", "size")
        width, height = self.size_of(params)
        check_output({**params, "width": width, "height": height}, self.limits)
        check_overlays(params, self.limits)

    @staticmethod
    def size_of(params: dict[str, Any]) -> tuple[int, int]:
        if "size" in params:
            w, h = params["size"].split("x")
            return int(w), int(h)
        return params.get("width", DEFAULT_SIZE[0]), params.get("height", DEFAULT_SIZE[1])

    @post_load
    def to_spec(self, params: dict[str, Any], **kwargs: Any) -> Parsed:
        ignored = [name for name in params if name not in self.fields or name in INERT]
        warnings: list[str] = []
        for name in ("center", "visible", "markers", "path", "circle", "style"):
            value = params.get(name)
            if name in params and (value is None or (isinstance(value, list) and not any(value))):
                ignored.append(name)  # empty: as if not given
        provider = self._provider(params, ignored, warnings)
        markers = self._markers([m for m in params.get("markers", ()) if m is not None], warnings)
        style = None
        styles = [s for s in params.get("style", ()) if s is not None]
        if styles and provider != OFFLINE:
            ignored.append("style")  # raster tiles cannot be restyled
        elif styles:
            if not all(styles):
                ignored.append("style")  # a style that touches nothing the basemap draws
            style = combine(styles) or None
        width, height = self.size_of(params)
        center: Located | None = params.get("center")
        visible: Located | None = params.get("visible")
        fmt = params.get("format", "png")
        spec = MapSpec(
            provider=provider,
            output=Output(width, height, params.get("scale", 1), GOOGLE_FORMATS.get(fmt, fmt)),
            center=center.points[0] if center else None,
            zoom=params.get("zoom"),
            padding=params.get("padding", 40),
            markers=markers,
            paths=tuple(p for p in params.get("path", ()) if p is not None),
            circles=tuple(c for c in params.get("circle", ()) if c is not None),
            visible=visible.points if visible else (),
            style=style,
            places=tuple(
                dict.fromkeys((*(center.places if center else ()), *(visible.places if visible else ())))
            ),
        )
        check_map_cost(spec, self.tile_providers, self.limits)
        warnings += detail_notes(spec, self.tile_providers)
        return Parsed(spec, Notices(tuple(ignored), tuple(warnings)))

    def _provider(self, params: dict[str, Any], ignored: list[str], warnings: list[str]) -> str:
        maptype = params.get("maptype")
        if "provider" in params:
            if maptype is not None:
                ignored.append("maptype")  # an explicit provider wins
            return str(params["provider"])
        default = self.options.default_provider
        if maptype is None or maptype == "roadmap":
            return default
        mapped = self.options.maptype_providers.get(maptype)
        if mapped is None:
            warnings.append(f"maptype={maptype} is not offered here; drawn on the default map ({default})")
            return default
        return mapped

    def _markers(self, groups: list[Markers], warnings: list[str]) -> tuple[Markers, ...]:
        kept = []
        for group in groups:
            if group.icon is not None and not self.options.icon_allowed(group.icon):
                warnings.append(
                    "a custom marker icon from a host this server does not fetch from was replaced by the default pin"
                )
                kept.append(replace(group, icon=None, anchor="bottom"))
            else:
                kept.append(group)
        return tuple(kept)


# The parameter that stands for each spec field of the cost model.
COST_PARAMETERS = {
    "output": "size",
    "tiles": "size",
    "paths": "path",
    "circles": "circle",
    "markers": "markers",
}


def detail_notes(spec: MapSpec, providers: Mapping[str, TileProvider]) -> tuple[str, ...]:
    """A persistent note when the embedded basemap is drawn beyond the zoom of its detail (the
    same map every time, so it is cached as long as any other)."""
    provider = providers[spec.provider]
    if not provider.offline:
        return ()
    note = basemap.detail_warning(view(spec, fit_max_zoom(provider))[1])
    return (note,) if note else ()


def check_map_cost(spec: MapSpec, providers: Mapping[str, TileProvider], limits: Limits) -> None:
    from api.maps.cost import estimate_map

    check_cost(estimate_map(spec, providers[spec.provider]), limits.max_render_ms, COST_PARAMETERS, "size")


def check_overlays(params: dict[str, Any], limits: Limits) -> None:
    """Counts bounded before anything is drawn."""
    groups = [group for group in params.get("markers", ()) if group is not None]
    markers = sum(len(group.points) for group in groups)
    if markers > limits.max_markers:
        raise ValidationError(f"{markers} markers; at most {limits.max_markers} are allowed.", "markers")
    icons = {group.icon for group in groups if group.icon is not None}
    if len(icons) > MAX_ICONS:
        raise ValidationError(f"{len(icons)} custom icons; at most {MAX_ICONS} are allowed.", "markers")
    paths = [p for p in params.get("path", ()) if p is not None]
    circles = [c for c in params.get("circle", ()) if c is not None]
    if len(paths) + len(circles) > limits.max_paths:
        raise ValidationError(
            f"{len(paths) + len(circles)} paths and circles; at most {limits.max_paths} are allowed.", "path"
        )
    vertices = sum(len(path.points) for path in paths)
    if vertices > limits.max_path_vertices:
        raise ValidationError(
            f"{vertices} path vertices; at most {limits.max_path_vertices} are allowed.", "path"
        )


def build_map_schema(
    settings: Settings, providers: tuple[str, ...], registry: Mapping[str, TileProvider]
) -> type[MapQuery]:
    declared = map_fields(settings.limits, providers, settings.default_provider)
    options = map_options(settings, providers)
    attributes = {"limits": settings.limits, "options": options, "tile_providers": registry}
    return type("StaticMapQuery", (MapQuery,), {**declared, **attributes})
