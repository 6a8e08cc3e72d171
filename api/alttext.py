"""Alt text for an image URL of this app, made in process: the URL's query is parsed by its
operation's own schema into a spec, and the spec is described, exactly as ``format=txt`` does
over HTTP, without a second request."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import Flask
from marshmallow import Schema
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict

from api.notices import Parsed

EXTENSION = "query_schemas"  # app.extensions[EXTENSION]: path -> query schema class


def register_query_schema(app: Flask, path: str, schema: type[Schema]) -> None:
    """Make the operation at ``path`` describable in process."""
    app.extensions.setdefault(EXTENSION, {})[path] = schema


def spec_for(app: Flask, url: str) -> Any:
    """The spec of an image URL (path and query), as its view would receive it.

    Raises ``KeyError`` for a path that is no image operation and marshmallow's
    ``ValidationError`` for an invalid query.
    """
    parts = urlsplit(url)
    schema = app.extensions[EXTENSION][parts.path]()
    # As webargs reads a query string: repeated parameters are lists where the field is one.
    query = MultiDictProxy(MultiDict(parse_qsl(parts.query, keep_blank_values=True)), schema)
    # The schema's own rule for unknown parameters: an error (charts) or noted (compatibility).
    loaded = schema.load(query)
    return loaded.spec if isinstance(loaded, Parsed) else loaded


def describe(app: Flask, spec: Any) -> str:
    # Imported here: the chart and map packages import this module to register their schemas.
    from api.charts.specs import ChartSpec
    from api.maps.specs import MapSpec

    if isinstance(spec, ChartSpec):
        from api.charts.describe import describe_chart

        return describe_chart(spec)
    if isinstance(spec, MapSpec):
        from api.maps.describe import describe_map

        return describe_map(spec, app.extensions["tile_providers"][spec.provider])
    raise TypeError(f"no describer for {type(spec).__name__}")


def alt_text(app: Flask, url: str) -> str:
    """The plain-language description of the image at ``url``."""
    return describe(app, spec_for(app, url))
