"""The gallery at ``/``: every chart kind, the main options and the map features, each image
next to the URL that made it, with alt text from the image's own description.

The examples are in api/gallery_examples.py. The URL builder (static/gallery.js) reads the
operations from /openapi.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, render_template
from marshmallow import ValidationError

from api.alttext import describe, spec_for
from api.gallery_examples import (
    GOOGLE_CHART,
    GOOGLE_CHARTS,
    MAPS,
    OPTIONS,
    PREVIEWS,
    TWIN,
    Example,
    first_sentence,
    kind_examples,
)
from api.outputs import registry

bp = Blueprint("gallery", __name__)

RASTER = ("png", "webp", "jpeg")

__all__ = ["bp", "docs_anchor", "first_sentence"]


@dataclass(frozen=True)
class Figure:
    """An example ready for the template: its image, size, text twin and docs link."""

    example: Example
    slug: str
    alt: str
    width: int
    height: int
    srcset: str
    text_url: str
    docs_url: str


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str
    figures: tuple[Figure, ...]
    preview: Figure | None  # a thumbnail for the table of contents


def docs_anchor(path: str) -> str:
    """Swagger UI's deep link to an operation: its tag, then the method and path with every
    non-word character as ``_`` (the id it makes for operations without an operationId)."""
    tag = "Charts" if path == GOOGLE_CHART or path.startswith("/charts/") else "Maps"
    return f"/docs#/{tag}/get{''.join(c if c.isalnum() or c == '_' else '_' for c in path)}"


def figure(example: Example, slug: str) -> Figure | None:
    """The example ready to show, or None when this server refuses it (a provider or kind
    turned off by its settings): the gallery shows what the server offers."""
    try:
        spec = spec_for(current_app, example.url)
    except (KeyError, ValidationError):
        return None
    output = spec.output
    scalable = output.format in RASTER and any(name == "scale" for name in _fields(example.path))
    return Figure(
        example=example,
        slug=slug,
        alt=describe(current_app, spec),
        width=output.width,
        height=output.height,
        srcset=f"{example.with_params(scale=2)} 2x" if scalable else "",
        text_url=example.text_url,
        docs_url=docs_anchor(example.path),
    )


def _fields(path: str) -> dict[str, Any]:
    declared: dict[str, Any] = registry(current_app).schemas[path]._declared_fields
    return declared


def sections() -> list[Section]:
    groups = (
        (
            "chart-kinds",
            "Chart kinds",
            "One endpoint per kind: /charts/<kind>. Each is shown with the example from the docs.",
            kind_examples(),
        ),
        (
            "chart-options",
            "Chart options",
            "Themes, stacking, orientation, scales, legends, colours and formats.",
            OPTIONS,
        ),
        (
            "google-charts",
            "Google Image Charts",
            "/chart takes classic chart.googleapis.com/chart URLs; chof=txt is their text twin.",
            GOOGLE_CHARTS,
        ),
        (
            "maps",
            "Maps",
            "/maps/static takes Google Static Maps parameters. These use the built-in offline basemap.",
            MAPS,
        ),
    )
    result = []
    for slug, title, intro, examples in groups:
        figures = [figure(example, f"{slug}-{i + 1}") for i, example in enumerate(examples)]
        preview = figure(PREVIEWS[slug], f"{slug}-preview")
        result.append(Section(slug, title, intro, tuple(f for f in figures if f is not None), preview))
    return result


@bp.get("/")
def gallery() -> str:
    # The examples and their descriptions depend only on the app: made once, on the first visit.
    if "gallery" not in current_app.extensions:
        current_app.extensions["gallery"] = (sections(), figure(TWIN, "twin"))
    page_sections, twin = current_app.extensions["gallery"]
    return render_template("gallery.html", sections=page_sections, twin=twin)
