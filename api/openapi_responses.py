"""The image response contract as the OpenAPI spec documents it: the responses of every image
operation (200, 304, 414, 422), their headers and media types."""

from __future__ import annotations

from typing import Any

from api.encode import MIMETYPES
from api.notices import NOTICE_HEADERS, WARNING_DESCRIPTION

_CACHE_HEADERS: dict[str, Any] = {
    "ETag": {
        "description": "Strong validator of the canonical request; send it back in If-None-Match. "
        "Absent on degraded images (a Warning header), so that they are never revalidated.",
        "required": False,
        "schema": {"type": "string", "pattern": '^"[0-9a-f]+"$'},
    },
    "Cache-Control": {
        "description": "How long caches may keep the image.",
        "required": True,
        "schema": {"type": "string", "pattern": "^public, max-age=[0-9]+$"},
    },
}
_ERROR_HEADERS: dict[str, Any] = {
    "Cache-Control": {
        "description": "Errors are never cached.",
        "required": True,
        "schema": {"type": "string", "enum": ["no-store"]},
    },
}
# Clients that rank images above JSON (an <img> tag) get the message drawn in a PNG instead.
_ERROR_IMAGE = {"image/png": {"schema": {"type": "string", "format": "binary"}}}
_HTTP_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"message": {"type": "string"}, "detail": {"type": "object"}},
    "required": ["message"],
}


def _media_type(fmt: str) -> tuple[str, dict[str, Any]]:
    if fmt == "txt":
        return "text/plain", {"schema": {"type": "string"}}
    return MIMETYPES[fmt], {"schema": {"type": "string", "format": "binary"}}


def image_responses(description: str, formats: tuple[str, ...]) -> dict[int | str, Any]:
    """The documented responses of an image operation delivering ``formats`` (with "txt":
    its description in plain language)."""
    text = " With format=txt: the image described in plain language (for alt text)."
    return {
        200: {
            "description": description + (text if "txt" in formats else ""),
            "content": dict(_media_type(fmt) for fmt in formats),
            "headers": {
                **_CACHE_HEADERS,
                **NOTICE_HEADERS,
                "Warning": {"description": WARNING_DESCRIPTION, "schema": {"type": "string"}},
            },
        },
        304: {
            "description": "Not modified: the image matching If-None-Match is still current.",
            "headers": {**_CACHE_HEADERS, **NOTICE_HEADERS},
        },
        # Merged with the JSON body APIFlask documents for 422.
        422: {
            "description": "Invalid parameters: the detail names each one and the reason.",
            "content": _ERROR_IMAGE,
            "headers": _ERROR_HEADERS,
        },
        414: {
            "description": "The URL is longer than the server accepts.",
            "content": {"application/json": {"schema": _HTTP_ERROR_SCHEMA}, **_ERROR_IMAGE},
            "headers": _ERROR_HEADERS,
        },
    }
