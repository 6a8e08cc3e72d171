"""Signed URLs, signed exactly as Google Static Maps signs them, so Google's signing
libraries and existing code sign ours too.

The signature is HMAC-SHA1, keyed with the URL-safe base64 decoding of the secret, over the
URL's path and query as sent (``/maps/static?center=...&size=...``: no scheme, no host), up to
the ``&signature=`` that is appended last; the signature is URL-safe base64 as well. When the
server has a secret (``CHARTMAP_URL_SIGNING_SECRET``), every image request must carry a valid
one: it is checked in a ``before_request`` hook, so a refused request costs no parsing, and
compared in constant time. The secret never appears in a response or a log line.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Any
from urllib.parse import quote, unquote_to_bytes, urlsplit, urlunsplit

from apiflask import APIFlask, abort
from flask import request

from api.queryargs import image_views, without_parameter

PARAMETER = "signature"
SECRET_VARIABLE = "CHARTMAP_URL_SIGNING_SECRET"
MIN_SECRET_BYTES = 16  # Google's secrets are 20 bytes
_MARK = b"&" + PARAMETER.encode() + b"="
# The path characters that are signed as they are (RFC 3986 pchar and "/"); the rest is
# percent-encoded, as a client sends it.
_PATH_SAFE = "/!$&'()*+,;=:@-._~"


def decode_secret(secret: str) -> bytes:
    """The key bytes of a URL-safe base64 secret. The error never repeats the value."""
    try:
        key = _b64decode(secret.strip())
    except ValueError:
        raise ValueError(f"{SECRET_VARIABLE} is not URL-safe base64") from None
    if len(key) < MIN_SECRET_BYTES:
        raise ValueError(
            f"{SECRET_VARIABLE} decodes to {len(key)} bytes; at least {MIN_SECRET_BYTES} are needed"
        )
    return key


def new_secret() -> str:
    """A fresh secret in Google's format (20 random bytes, URL-safe base64)."""
    import secrets

    return base64.urlsafe_b64encode(secrets.token_bytes(20)).decode()


def signature(path_and_query: str | bytes, key: bytes) -> str:
    """The URL-safe base64 HMAC-SHA1 of ``/path?query`` (what Google's signers compute)."""
    message = path_and_query.encode() if isinstance(path_and_query, str) else path_and_query
    return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha1).digest()).decode()


def sign_url(url: str, secret: str) -> str:
    """``url`` (absolute, or a path with a query) with ``&signature=`` appended; a signature
    it already ends with is replaced."""
    parts = urlsplit(url)
    query, _ = split_signed(parts.query.encode())
    path = parts.path or "/"
    value = signature(f"{path}?{query.decode()}", decode_secret(secret))
    signed_query = f"{query.decode()}&{PARAMETER}={value}" if query else f"{PARAMETER}={value}"
    return urlunsplit((parts.scheme, parts.netloc, path, signed_query, parts.fragment))


def split_signed(query: bytes) -> tuple[bytes, bytes | None]:
    """(the signed part, the signature) of a raw query string; None when it has none."""
    if query.startswith(_MARK[1:]):
        return b"", query[len(_MARK) - 1 :]
    cut = query.rfind(_MARK)
    if cut < 0:
        return query, None
    return query[:cut], query[cut + len(_MARK) :]


def problem(path: str, query: bytes, key: bytes) -> str | None:
    """Why the request's signature is not valid for ``path`` and the raw ``query``, or None."""
    signed, given = split_signed(query)
    if given is None:
        return (
            "Missing: this server draws signed URLs only; append signature= as Google Static Maps signs URLs."
        )
    if b"&" in given:
        return "signature= must be the last parameter: what follows it would not be signed."
    try:
        given_digest = _b64decode(unquote_to_bytes(given).decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return "Not URL-safe base64."
    message = quote(path, safe=_PATH_SAFE).encode() + b"?" + signed
    expected = hmac.new(key, message, hashlib.sha1).digest()
    if not hmac.compare_digest(expected, given_digest):
        return "Does not match this URL: sign its path and query exactly as sent, before signature=."
    return None


def _b64decode(text: str) -> bytes:
    """URL-safe base64, padding optional; anything outside the alphabet is an error."""
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("not base64") from None


def register_signing(app: APIFlask) -> None:
    """Require signatures on image requests when the settings have a secret. Registered
    before the blueprints, so its hook runs ahead of every schema."""
    secret = app.config["SETTINGS"].url_signing_secret
    key = decode_secret(secret) if secret else None

    @app.before_request
    def check_signature() -> None:
        view = image_views(app).get(request.endpoint or "")
        if view is None or request.method == "OPTIONS":
            return
        if key is None:
            # Signing off: on a compatibility endpoint whose schema does not take it,
            # Google's signature= is dropped, as it changes nothing here.
            if view.compat and PARAMETER not in view.declared:
                without_parameter(PARAMETER)
            return
        reason = problem(request.script_root + request.path, request.query_string, key)
        if reason is not None:
            abort(403, "Invalid signature", detail={"query": {PARAMETER: [reason]}})
        # Checked: the schemas never see it (strict ones would call it unknown).
        without_parameter(PARAMETER)

    if key is not None:
        app.spec_processor(_document_signature)


def _document_signature(spec: dict[Any, Any] | str) -> dict[Any, Any] | str:
    """With signing on, every image operation documents its required signature and the 403."""
    if isinstance(spec, str):  # APIFlask passes the dict unless configured otherwise
        return spec
    parameter = {
        "name": PARAMETER,
        "in": "query",
        "required": True,
        "description": "URL-safe base64 HMAC-SHA1 of the path and query before it, keyed with the "
        "server's signing secret (as Google Static Maps signs URLs); always the last parameter.",
        "schema": {"type": "string"},
    }
    forbidden = {"description": "The signature is missing, malformed or does not match the URL."}
    for item in spec.get("paths", {}).values():
        operation = item.get("get")
        if not operation or not {"Charts", "Maps"} & set(operation.get("tags", [])):
            continue
        parameters = [p for p in operation.get("parameters", []) if p.get("name") != PARAMETER]
        operation["parameters"] = [*parameters, parameter]
        operation.setdefault("responses", {})["403"] = forbidden
    return spec
