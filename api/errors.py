"""Error responses: APIFlask's JSON error format, a picture for ``<img>`` tags, or a small
HTML page for a browser that navigates to the URL. Errors are never cached.

Which one a client gets (every route, same status):

- ``Sec-Fetch-Dest`` (sent by every current browser, and forwarded by Front Door): ``image``
  gets the picture; ``document``, ``iframe`` and ``frame`` (a navigation) get the page.
- Otherwise ``Accept``, the type it names with the highest quality (ties: page, picture,
  JSON); wildcards alone, or no header, get JSON. Front Door drops ``Accept`` on the routes it
  caches; its rule set then sends ``X-Chartmap-Accept: image/*`` for a client whose Accept
  began with ``image/`` (infra/app/frontdoor.bicep), which stands in for it.
"""

from __future__ import annotations

from html import escape
from typing import Any, Literal

from apiflask import APIFlask, HTTPError, abort
from flask import Response, current_app, request
from werkzeug.datastructures import Headers, MIMEAccept
from werkzeug.http import parse_accept_header

from api.errorimage import error_png, requested_canvas

ErrorFormat = Literal["image", "html", "json"]
# Set by Front Door from the Accept it does not forward (a custom name: X-Forwarded-* are the
# proxies' own).
FORWARDED_ACCEPT = "X-Chartmap-Accept"
NAVIGATION_DESTINATIONS = frozenset({"document", "iframe", "frame"})
VARY = f"Accept, Sec-Fetch-Dest, {FORWARDED_ACCEPT}"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def error_lines(error: HTTPError) -> list[str]:
    """The message, then one ``parameter: reason`` line per invalid parameter."""
    lines = [f"{error.status_code} {error.message}"]
    lines.extend(f"{name}: {reason}" for name, reason in _flatten(error.detail))
    return lines


def _flatten(detail: Any, name: str = "") -> list[tuple[str, str]]:
    """APIFlask's nested ``detail`` ({location: {field: [messages]}}) as (field, message)."""
    if isinstance(detail, dict):
        pairs: list[tuple[str, str]] = []
        for key, value in detail.items():
            # The location level ("query", "view_args") is not part of the parameter name.
            inner = "" if key in ("query", "view_args", "json", "headers") and not name else str(key)
            pairs.extend(_flatten(value, f"{name}.{inner}" if name and inner else name or inner))
        return pairs
    if isinstance(detail, list):
        return [pair for item in detail for pair in _flatten(item, name)]
    return [(name or "request", str(detail))]


def error_format() -> ErrorFormat:
    """How this request's client wants to see an error (the module's docstring)."""
    destination = request.headers.get("Sec-Fetch-Dest", "").strip().lower()
    if destination == "image":
        return "image"
    if destination in NAVIGATION_DESTINATIONS:
        return "html"
    accept = request.headers.get("Accept") or request.headers.get(FORWARDED_ACCEPT, "")
    named = parse_accept_header(accept, MIMEAccept)
    image = max((q for value, q in named if value.lower().startswith("image/")), default=0)
    html = max((q for value, q in named if value.lower() in _HTML_TYPES), default=0)
    json = max((q for value, q in named if value.lower() == "application/json"), default=0)
    best = max(image, html, json)
    if best <= 0:
        return "json"
    return "html" if html == best else "image" if image == best else "json"


def error_page(lines: list[str]) -> str:
    """A small, self-contained HTML page of the error, with links to the docs and gallery."""
    root = escape(request.script_root)
    items = "".join(f"<li>{_html_line(line)}</li>" for line in lines[1:])
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(lines[0])}</title><style>"
        "body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "h1{font-size:1.3rem;color:#b71c1c}code{background:#f3f3f3;padding:0 .25em;border-radius:3px}"
        f"</style></head><body><h1>{escape(lines[0])}</h1>"
        + (f"<ul>{items}</ul>" if items else "")
        + f'<p>The parameters are described in the <a href="{root}/docs">API docs</a>; '
        f'the <a href="{root}/">gallery</a> has working examples.</p></body></html>\n'
    )


def _html_line(line: str) -> str:
    name, sep, reason = line.partition(": ")
    return f"<code>{escape(name)}</code>: {escape(reason)}" if sep else escape(line)


def register_error_handling(app: APIFlask) -> None:
    limit = app.config["SETTINGS"].limits.max_url_length

    @app.before_request
    def check_url_length() -> None:
        # Checked before parsing: an over-long query is refused as a whole.
        if len(request.full_path) > limit:
            abort(
                414,
                f"The URL is longer than {limit} characters.",
                detail={"url": [f"At most {limit} characters."]},
            )

    @app.error_processor
    def handle_error(error: HTTPError) -> Response | tuple[dict[str, Any], int, Headers]:
        headers = Headers(error.headers or {})
        headers["Cache-Control"] = "no-store"
        headers["Vary"] = VARY
        kind = error_format()
        if kind == "json":
            body = {**(error.extra_data or {}), "message": error.message, "detail": error.detail}
            return body, error.status_code, headers
        lines = error_lines(error)
        if kind == "image":
            limits = current_app.config["SETTINGS"].limits
            png = error_png(lines, requested_canvas(request.args, limits), limits.max_height)
            response = Response(png, status=error.status_code, mimetype="image/png")
        else:
            response = Response(error_page(lines), status=error.status_code, mimetype="text/html")
        response.headers.update(headers)
        return response

    register_unknown_kinds(app)


def register_unknown_kinds(app: APIFlask) -> None:
    """``/charts/<kind>`` for a kind that does not exist: a 404 that lists the kinds (every
    existing kind has a rule of its own, which routing prefers to this one)."""

    @app.get("/charts/<kind>")
    @app.doc(hide=True)
    def unknown_chart_kind(kind: str) -> None:
        kinds = sorted(
            rule.rule.removeprefix("/charts/")
            for rule in current_app.url_map.iter_rules()
            if rule.endpoint.startswith("charts.") and rule.rule.count("/") == 2 and "<" not in rule.rule
        )
        abort(
            404,
            "Not Found",
            detail={"kind": [f"There is no chart kind {kind[:40]!r}. The kinds are: {', '.join(kinds)}."]},
            extra_data={"kinds": kinds},
        )
