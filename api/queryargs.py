"""The image views and their query schemas, and what is checked on the raw query before a
schema reads it: a single-valued parameter given twice is an error, not its first value.

webargs reads a parameter that the schema does not declare repeatable (a ``fields.List``)
with ``args.get``, the first value: ``data=1,2&data=3,4`` would silently draw ``1,2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apiflask import APIFlask, abort
from flask import Flask, request
from marshmallow import Schema
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import ImmutableMultiDict

IMAGE_TAGS = frozenset({"Charts", "Maps"})
# The compatibility endpoints, and the parameters Google let repeat on each (whether or not
# this server's schema reads them as lists: Google's own URLs repeat them).
COMPAT_REPEATABLE = {
    "/chart": frozenset[str](),
    "/maps/static": frozenset({"markers", "path", "visible", "style"}),
}


@dataclass(frozen=True)
class ImageView:
    """An image endpoint: its URL rule, the parameters its schema declares, those it may take
    more than once, and whether it is a compatibility endpoint (Google's syntax)."""

    rule: str
    declared: frozenset[str]
    repeatable: frozenset[str]
    compat: bool


def image_views(app: Flask) -> dict[str, ImageView]:
    """Endpoint -> image view (tagged Charts or Maps), built once, at the first request,
    when every blueprint is registered."""
    views: dict[str, ImageView] | None = app.extensions.get("image_views")
    if views is None:
        views = app.extensions["image_views"] = _collect(app)
    return views


def _collect(app: Flask) -> dict[str, ImageView]:
    views = {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        if view is None or not IMAGE_TAGS & _tags(app, rule.endpoint, view):
            continue
        schema = query_schema(view)
        declared = (
            frozenset(f.data_key or name for name, f in schema.fields.items()) if schema else frozenset()
        )
        multiple = (
            frozenset(MultiDictProxy(ImmutableMultiDict(), schema).multiple_keys) if schema else frozenset()
        )
        extra = COMPAT_REPEATABLE.get(rule.rule, frozenset())
        views[rule.endpoint] = ImageView(
            rule.rule, declared, multiple | extra, rule.rule in COMPAT_REPEATABLE
        )
    return views


def _tags(app: Flask, endpoint: str, view: Any) -> set[str]:
    # APIFlask keeps a view's own tags in its _spec; a blueprint's tag applies to its views.
    tags = set((getattr(view, "_spec", None) or {}).get("tags") or ())
    blueprint = app.blueprints.get(endpoint.rpartition(".")[0]) if "." in endpoint else None
    tag = getattr(blueprint, "tag", None)
    if isinstance(tag, str):
        tags.add(tag)
    elif isinstance(tag, dict) and "name" in tag:
        tags.add(tag["name"])
    return tags


def query_schema(view: Any) -> Schema | None:
    """The schema an APIFlask view reads its query with (``@app.input(..., location="query")``)."""
    for args in (getattr(view, "_spec", None) or {}).get("args", ()):
        schema, location = args[0], args[1]
        if location == "query":
            return schema() if isinstance(schema, type) else schema  # type: ignore[no-any-return]
    return None


def without_parameter(name: str) -> None:
    """Drop a parameter from the request's arguments before any schema reads them."""
    if name in request.args:
        request.args = ImmutableMultiDict([(k, v) for k, v in request.args.items(multi=True) if k != name])


def register_query_checks(app: APIFlask) -> None:
    @app.before_request
    def refuse_repeated_parameters() -> None:
        view = image_views(app).get(request.endpoint or "")
        if view is None:
            return
        repeated = {
            name: len(values)
            for name, values in request.args.lists()
            if len(values) > 1 and name in view.declared and name not in view.repeatable
        }
        if repeated:
            abort(
                422,
                "Validation error",
                detail={
                    "query": {
                        name: [f"Given {count} times; {name} takes one value."]
                        for name, count in sorted(repeated.items())
                    }
                },
            )
