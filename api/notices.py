"""What a compatibility parser tells the client besides the spec: parameters that had no effect
and persistent warnings. Neither is part of the canonical spec, so ``key=A`` and ``key=B``
share one ETag and one render-cache entry.

``Ignored-Parameters: key, sensor`` lists the names (never the values) of parameters that
changed nothing; each warning is a ``Warning: 299`` (RFC 7234's persistent warning: the image
is what this server will always draw for the URL, so the cache lifetime is not shortened).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import Headers

IGNORED_HEADER = "Ignored-Parameters"
MAX_IGNORED_NAMES = 32  # a URL may hold hundreds of junk parameters: the header stays short
# Only names that are HTTP tokens go into the header; anything else (spaces, control
# characters, non-ASCII) is left out rather than echoed.
_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")
_WARNING_TEXT = re.compile(r'[^\x20-\x7e]|["\\]')


@dataclass(frozen=True)
class Notices:
    """``ignored``: names of parameters that had no effect; ``warnings``: deterministic notes."""

    ignored: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def __add__(self, other: Notices) -> Notices:
        return Notices(self.ignored + other.ignored, self.warnings + other.warnings)

    def header_values(self) -> list[tuple[str, str]]:
        """The response headers that carry these notices."""
        values: list[tuple[str, str]] = []
        names = sorted({name for name in self.ignored if _TOKEN.fullmatch(name)})
        if names:
            shown = names[:MAX_IGNORED_NAMES]
            more = ", ..." if len(names) > MAX_IGNORED_NAMES else ""
            values.append((IGNORED_HEADER, ", ".join(shown) + more))
        for text in dict.fromkeys(self.warnings):
            values.append(("Warning", f'299 - "{_WARNING_TEXT.sub("?", text)}"'))
        return values

    def apply(self, headers: Headers) -> None:
        for name, value in self.header_values():
            headers.add(name, value)


NO_NOTICES = Notices()


@dataclass(frozen=True)
class Parsed:
    """What a compatibility schema's ``load`` returns: the canonical spec and its notices."""

    spec: Any
    notices: Notices = field(default_factory=Notices)


# -- as documented in the OpenAPI spec -----------------------------------------------

NOTICE_HEADERS: dict[str, Any] = {
    IGNORED_HEADER: {
        "description": "Compatibility endpoints: the names of parameters that were accepted but "
        "changed nothing (key, sensor, signature while signing is off, unknown extras...), sorted, "
        f"comma-separated, at most {MAX_IGNORED_NAMES}. They are not part of the canonical request, "
        "so they do not change the ETag.",
        "required": False,
        "schema": {"type": "string"},
    },
}
WARNING_DESCRIPTION = (
    "199: the image is degraded (served, but cached briefly). 299: a persistent note, such as a "
    "map type drawn on the default provider or a custom icon replaced by the default pin."
)
