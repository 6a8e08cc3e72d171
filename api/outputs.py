"""The app's registry of what it serves: each image operation's query schema (by path), and each
spec type's one output table — image formats -> a render, ``txt`` -> its description, ``json``
-> its image map. Front ends register here; the response contract and the alt-text helper read
here, so neither needs to know a spec type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from marshmallow import Schema

from api.renderpool import RenderJob

EXTENSION = "chartmap_outputs"  # app.extensions[EXTENSION]: the app's Registry


@dataclass(frozen=True)
class Outputs:
    """One spec type's outputs. ``render`` may do I/O first (map tiles) and returns the job the
    render pool draws; ``describe`` is cheap and runs in the request; ``image_map`` (json) is a
    job too, or None where the spec type has none."""

    render: Callable[[Any], RenderJob]
    describe: Callable[[Any], str]
    image_map: Callable[[Any], RenderJob] | None = None


@dataclass
class Registry:
    schemas: dict[str, type[Schema]] = field(default_factory=dict)  # path -> query schema
    outputs: dict[type, Outputs] = field(default_factory=dict)  # spec type -> its outputs


def registry(app: Flask | None = None) -> Registry:
    extensions = (app or current_app).extensions
    found: Registry = extensions.setdefault(EXTENSION, Registry())
    return found


def register_operation(app: Flask, path: str, schema: type[Schema]) -> None:
    """Make the operation at ``path`` readable in process (alt text, the gallery's builder)."""
    registry(app).schemas[path] = schema


def register_outputs(app: Flask, spec_type: type, outputs: Outputs) -> None:
    registry(app).outputs[spec_type] = outputs


def outputs_for(spec: Any, app: Flask | None = None) -> Outputs:
    return registry(app).outputs[type(spec)]
