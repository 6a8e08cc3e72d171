"""CORS headers: one configured origin for every response (no Flask here: the production
front answers early health probes with them too)."""

from __future__ import annotations

import re

CORS_VARIABLE = "CHARTMAP_CORS_ORIGIN"
# Response headers a cross-origin script may read besides the CORS-safelisted ones.
EXPOSED_HEADERS = "ETag, Warning, Retry-After, Ignored-Parameters"
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?")


def cors_origin(value: str) -> str:
    """The configured Access-Control-Allow-Origin: ``*``, one origin, or empty (none)."""
    value = value.strip()
    if value in ("", "*") or _ORIGIN.fullmatch(value):
        return value
    raise ValueError(f"{CORS_VARIABLE} must be *, one origin such as https://example.org, or empty")


def cors_headers(origin: str) -> list[tuple[str, str]]:
    """The headers for ``origin`` (from :func:`cors_origin`); none when it is empty."""
    if not origin:
        return []
    return [("Access-Control-Allow-Origin", origin), ("Access-Control-Expose-Headers", EXPOSED_HEADERS)]
