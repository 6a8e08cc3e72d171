"""The query fields every image endpoint shares: width, height, scale, format, and the pixel
budget checked on them."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields
from marshmallow import validate as validators
from marshmallow.fields import Field

from api.output import TEXT_FORMAT, fit_size
from api.settings import Limits


def choice_field(values: tuple[str, ...], default: str, description: str) -> Field[Any]:
    return fields.String(
        load_default=default,
        validate=validators.OneOf(values),
        metadata={"description": f"{description} One of: {', '.join(values)}."},
    )


def format_field(formats: tuple[str, ...]) -> Field[Any]:
    """The image formats, plus txt: the image described in plain language, for alt text."""
    return choice_field(
        (*formats, TEXT_FORMAT),
        "png",
        "Image format; txt gives the image's description in plain language (for alt text) instead.",
    )


def output_fields(
    limits: Limits, formats: tuple[str, ...], default_size: tuple[int, int]
) -> dict[str, Field[Any]]:
    """width, height, scale and format: shared by every image endpoint."""
    default_size = fit_size(default_size, limits)
    return {
        "width": fields.Integer(
            load_default=default_size[0],
            validate=validators.Range(min=1, max=limits.max_width),
            metadata={"description": "Image width in CSS pixels (before scale)."},
        ),
        "height": fields.Integer(
            load_default=default_size[1],
            validate=validators.Range(min=1, max=limits.max_height),
            metadata={"description": "Image height in CSS pixels (before scale)."},
        ),
        "scale": fields.Integer(
            load_default=1,
            validate=validators.Range(min=1, max=limits.max_scale),
            metadata={
                "description": "Device-pixel ratio: same layout, scale times the pixels (for srcset). "
                f"width x height x scale^2 may not exceed {limits.max_pixels} pixels."
            },
        ),
        "format": format_field(formats),
    }


def check_output(params: dict[str, Any], limits: Limits) -> None:
    """The output pixel budget, checked before anything is drawn."""
    width, height, scale = params.get("width"), params.get("height"), params.get("scale")
    if width is not None and height is not None and scale is not None:
        pixels = width * height * scale * scale
        if pixels > limits.max_pixels:
            raise ValidationError(
                f"{width}x{height} at scale {scale} is {pixels} pixels; at most {limits.max_pixels} are allowed.",
                "scale",
            )
