"""``/generate_map``'s query schema: the earlier sample's parameters (centre, zoom, size,
provider), onto the same map spec as ``/maps/static``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from apiflask import Schema, fields, validators
from marshmallow import RAISE, post_load, validates_schema

from api.maps.overlays import LATLNG, DescriptorError, parse_point
from api.maps.providers import TileProvider
from api.maps.schemas import FORMATS, MAX_ZOOM, Descriptor, check_map_cost, detail_notes
from api.maps.specs import MapSpec
from api.notices import Notices, Parsed
from api.output import Output
from api.outputfields import check_output, format_field, output_fields
from api.settings import Limits, Settings


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
    def to_spec(self, params: dict[str, Any], **kwargs: Any) -> Parsed:
        spec = MapSpec(
            provider=params["tile_provider"],
            output=Output(params["width"], params["height"], 1, params["format"]),
            center=params["center"],
            zoom=params["zoom"],
        )
        check_map_cost(spec, self.tile_providers, self.limits)
        return Parsed(spec, Notices(warnings=detail_notes(spec, self.tile_providers)))


LEGACY_POINT_PATTERN = rf"^{LATLNG}$"


def _legacy_point(text: str) -> tuple[float, float]:
    """/generate_map takes lat,lng only."""
    if not _legacy_re().fullmatch(text):
        raise DescriptorError("expected lat,lng")
    located = parse_point(text)
    assert located is not None
    return located.points[0]


@cache
def _legacy_re() -> re.Pattern[str]:
    return re.compile(LEGACY_POINT_PATTERN)


def build_legacy_schema(
    settings: Settings, providers: tuple[str, ...], registry: Mapping[str, TileProvider]
) -> type[LegacyMapQuery]:
    limits = settings.limits
    output = output_fields(limits, FORMATS, (800, 600))
    declared: dict[str, Any] = {
        "center": Descriptor(
            _legacy_point,
            LEGACY_POINT_PATTERN,
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
