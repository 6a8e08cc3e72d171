"""What every image endpoint shares about its output: size, scale and format (the spec part;
the query fields for them are in api/outputfields.py)."""

from __future__ import annotations

from dataclasses import dataclass

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


def fit_size(size: tuple[int, int], limits: Limits) -> tuple[int, int]:
    """``size`` shrunk (aspect ratio kept) to the largest that the limits allow at scale 1,
    so a default is always a valid request on servers configured with smaller limits."""
    width, height = size
    factor = min(1.0, limits.max_width / width, limits.max_height / height)
    factor = min(factor, (limits.max_pixels / (width * height)) ** 0.5)
    return max(1, int(width * factor)), max(1, int(height * factor))
