"""QR texts split by an unencoded ``&``.

``cht=qr&chl=otpauth://totp/A:b?secret=XYZ&issuer=A`` is a common URL written without
percent-encoding the text: the query string splits ``&issuer=A`` off into a parameter of its
own. Google's QR codes then held the text up to the ``&``; authenticator apps read the issuer
from the label as well, so those codes scanned. Here the split-off parameters are put back when
the text is plainly a URL with a query (it holds ``?``): the parameters right after ``chl`` that
are no ``/chart`` parameter are joined back on, in order, and named in a warning.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

MAX_REJOINED = 16  # an otpauth URI has at most a handful of query fields


def rejoin_split_text(
    data: Mapping[str, Any], known: Container[str]
) -> tuple[Mapping[str, Any], tuple[str, ...]]:
    """``data`` with the unknown parameters that follow a QR code's ``chl`` joined back into it,
    and their names; ``data`` itself when there is nothing to join."""
    chl = data.get("chl")
    if data.get("cht") != "qr" or not isinstance(chl, str) or "?" not in chl:
        return data, ()
    names = list(data)
    start = names.index("chl") + 1
    joined: list[str] = []
    for name in names[start : start + MAX_REJOINED]:
        if not isinstance(name, str) or name in known:
            break
        joined.append(name)
    if not joined:
        return data, ()
    text = chl
    for name in joined:
        value = data.get(name)
        text += f"&{name}={value}" if value else f"&{name}"
    rest = {name: data[name] for name in names if name not in joined}
    return {**rest, "chl": text}, tuple(joined)
