"""What every image endpoint shares about its output: size, scale, format and the pixel budget."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError, fields
from marshmallow import validate as validators
from marshmallow.fields import Field

from api.settings import Limits

# Every image has a text twin: the same URL with format=txt describes it in plain language.
TEXT_FORMAT = "txt"


@dataclass(frozen=True)
class Output:
    """How the image is delivered: CSS pixel size, device-pixel ratio and file format."""

    width: int = 640
    height: int = 480
    scale: int = 1
    format: str = "png"


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


def fit_size(size: tuple[int, int], limits: Limits) -> tuple[int, int]:
    """``size`` shrunk (aspect ratio kept) to the largest that the limits allow at scale 1,
    so a default is always a valid request on servers configured with smaller limits."""
    width, height = size
    factor = min(1.0, limits.max_width / width, limits.max_height / height)
    factor = min(factor, (limits.max_pixels / (width * height)) ** 0.5)
    return max(1, int(width * factor)), max(1, int(height * factor))


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
