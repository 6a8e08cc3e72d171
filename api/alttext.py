"""Alt text for an image URL of this app, made in process: the URL's query is parsed by its
operation's own schema into a spec, and the spec is described, exactly as ``format=txt`` does
over HTTP, without a second request."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import Flask
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict

from api.notices import Parsed
from api.outputs import outputs_for, registry


def spec_for(app: Flask, url: str) -> Any:
    """The spec of an image URL (path and query), as its view would receive it.

    Raises ``KeyError`` for a path that is no image operation and marshmallow's
    ``ValidationError`` for an invalid query.
    """
    parts = urlsplit(url)
    schema = registry(app).schemas[parts.path]()
    # As webargs reads a query string: repeated parameters are lists where the field is one.
    query = MultiDictProxy(MultiDict(parse_qsl(parts.query, keep_blank_values=True)), schema)
    # The schema's own rule for unknown parameters: an error (charts) or noted (compatibility).
    loaded = schema.load(query)
    return loaded.spec if isinstance(loaded, Parsed) else loaded


def describe(app: Flask, spec: Any) -> str:
    """The spec's description, by its type's own describer."""
    return outputs_for(spec, app).describe(spec)


def alt_text(app: Flask, url: str) -> str:
    """The plain-language description of the image at ``url``."""
    return describe(app, spec_for(app, url))
