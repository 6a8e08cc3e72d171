"""Query schemas of the map endpoints; built per app, so the spec states the limits in force."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiflask import Schema, fields, validators
from marshmallow import RAISE, ValidationError, post_load, validates_schema
from marshmallow.fields import Field

from api.cost import check_cost
from api.maps.overlays import (
    CIRCLE_PATTERN,
    MARKERS_PATTERN,
    PATH_PATTERN,
    POINT_PATTERN,
    POINTS_PATTERN,
    DescriptorError,
    parse_circle,
    parse_markers,
    parse_path,
    parse_points,
)
from api.maps.providers import TileProvider
from api.maps.specs import MapSpec
from api.output import Output, check_output, fit_size, format_field, output_fields
from api.settings import Limits, Settings

FORMATS = ("png", "webp", "jpeg")
DEFAULT_SIZE = (640, 480)
MAX_ZOOM = 20
MAX_PADDING = 256


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


class Descriptor(fields.String):
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


def _point(text: str) -> tuple[float, float]:
    return parse_points(text)[0]


def map_fields(limits: Limits, providers: tuple[str, ...], default_provider: str) -> dict[str, Field[Any]]:
    sizes = f"{range_pattern(1, limits.max_width)}x{range_pattern(1, limits.max_height)}"
    example_size = "x".join(str(n) for n in fit_size((640, 400), limits))
    output = output_fields(limits, FORMATS, DEFAULT_SIZE)
    return {
        "center": Descriptor(
            _point,
            POINT_PATTERN,
            metadata={"description": "Map centre as lat,lng.", "example": "48.8566,2.3522"},
        ),
        "zoom": fields.Integer(
            validate=validators.Range(min=0, max=MAX_ZOOM),
            metadata={
                "description": "Zoom level 0..20 (0: the whole world). Default: fit the overlays.",
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
        "format": output["format"],
        "provider": fields.String(
            load_default=default_provider,
            validate=validators.OneOf(providers),
            metadata={
                "description": f"Tile provider. One of: {', '.join(providers)}.",
                "example": default_provider,
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
                "color:<name or 0xRRGGBB[AA]>|size:tiny|small|mid|large|label:<A-Z or 0-9>|lat,lng|lat,lng... "
                "Labels show on mid and large markers.",
                "example": ["color:red|label:P|48.8566,2.3522", "color:0x0072b2|size:small|51.5074,-0.1278"],
            },
        ),
        "path": fields.List(
            Descriptor(parse_path, PATH_PATTERN),
            metadata={
                "description": "Repeatable. color:<colour>|weight:<px>|fillcolor:<colour>|geodesic:true|false, "
                "then at least 2 lat,lng points or enc:<encoded polyline> (its points must decode to valid "
                "latitudes and longitudes). A fillcolor closes it into a polygon.",
                "example": ["color:0xd55e00cc|weight:4|geodesic:true|48.8566,2.3522|52.52,13.405"],
            },
        ),
        "circle": fields.List(
            Descriptor(parse_circle, CIRCLE_PATTERN),
            metadata={
                "description": "Repeatable. color:<colour>|fillcolor:<colour>|weight:<px>|radius:<metres, "
                "default 1000>|lat,lng.",
                "example": ["color:0x009e73|fillcolor:0x009e7333|radius:150000|50.85,4.35"],
            },
        ),
        "visible": Descriptor(
            parse_points,
            POINTS_PATTERN,
            metadata={
                "description": "lat,lng points separated by '|' kept in view, not drawn.",
                "example": "45.4642,9.19",
            },
        ),
    }


class MapQuery(Schema):
    """``/maps/static``; subclasses carry ``limits`` and the providers."""

    limits: Limits
    tile_providers: Mapping[str, TileProvider]

    class Meta:
        unknown = RAISE

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
    def to_spec(self, params: dict[str, Any], **kwargs: Any) -> MapSpec:
        width, height = self.size_of(params)
        spec = MapSpec(
            provider=params["provider"],
            output=Output(width, height, params.get("scale", 1), params.get("format", "png")),
            center=params.get("center"),
            zoom=params.get("zoom"),
            padding=params.get("padding", 40),
            markers=tuple(params.get("markers", ())),
            paths=tuple(params.get("path", ())),
            circles=tuple(params.get("circle", ())),
            visible=tuple(params.get("visible", ())),
        )
        check_map_cost(spec, self.tile_providers, self.limits)
        return spec


# The parameter that stands for each spec field of the cost model.
COST_PARAMETERS = {
    "output": "size",
    "tiles": "size",
    "paths": "path",
    "circles": "circle",
    "markers": "markers",
}


def check_map_cost(spec: MapSpec, providers: Mapping[str, TileProvider], limits: Limits) -> None:
    from api.maps.cost import estimate_map

    check_cost(estimate_map(spec, providers[spec.provider]), limits.max_render_ms, COST_PARAMETERS, "size")


def check_overlays(params: dict[str, Any], limits: Limits) -> None:
    """Counts bounded before anything is drawn."""
    markers = sum(len(group.points) for group in params.get("markers", ()))
    if markers > limits.max_markers:
        raise ValidationError(f"{markers} markers; at most {limits.max_markers} are allowed.", "markers")
    paths, circles = params.get("path", ()), params.get("circle", ())
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
    attributes = {"limits": settings.limits, "tile_providers": registry}
    return type("StaticMapQuery", (MapQuery,), {**declared, **attributes})


class LegacyMapQuery(Schema):
    """``/generate_map``: the earlier sample's parameters; subclasses carry the fields."""

    limits: Limits
    tile_providers: Mapping[str, TileProvider]

    class Meta:
        unknown = RAISE

    @validates_schema
    def check(self, params: dict[str, Any], **kwargs: Any) -> None:
        check_output({**params, "scale": 1}, self.limits)

    @post_load
    def to_spec(self, params: dict[str, Any], **kwargs: Any) -> MapSpec:
        spec = MapSpec(
            provider=params["tile_provider"],
            output=Output(params["width"], params["height"], 1, params["format"]),
            center=params["center"],
            zoom=params["zoom"],
        )
        check_map_cost(spec, self.tile_providers, self.limits)
        return spec


def build_legacy_schema(
    settings: Settings, providers: tuple[str, ...], registry: Mapping[str, TileProvider]
) -> type[LegacyMapQuery]:
    limits = settings.limits
    output = output_fields(limits, FORMATS, (800, 600))
    declared: dict[str, Any] = {
        "center": Descriptor(
            _point,
            POINT_PATTERN,
            required=True,
            metadata={"description": "lat,lng", "example": "48.8566,2.3522"},
        ),
        "zoom": fields.Integer(
            required=True, validate=validators.Range(min=0, max=MAX_ZOOM), metadata={"example": 11}
        ),
        "width": output["width"],
        "height": output["height"],
        "format": format_field(("png",)),
        "tile_provider": fields.String(
            load_default=settings.default_provider,
            validate=validators.OneOf(providers),
            metadata={
                "description": f"One of: {', '.join(providers)}.",
                "example": settings.default_provider,
            },
        ),
    }
    attributes = {"limits": limits, "tile_providers": registry}
    return type("GenerateMapQuery", (LegacyMapQuery,), {**declared, **attributes})
