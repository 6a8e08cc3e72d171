"""Notices: the Ignored-Parameters header and persistent (299) warnings."""

from __future__ import annotations

from werkzeug.datastructures import Headers

from api.notices import MAX_IGNORED_NAMES, Notices


def headers_of(notices: Notices) -> Headers:
    headers = Headers()
    notices.apply(headers)
    return headers


def test_ignored_names_are_sorted_unique_and_names_only() -> None:
    headers = headers_of(Notices(ignored=("sensor", "key", "sensor", "Key")))
    assert headers["Ignored-Parameters"] == "Key, key, sensor"


def test_names_that_are_no_tokens_are_left_out() -> None:
    headers = headers_of(Notices(ignored=("ok", "bad name", "x\r\nSet-Cookie: a=b", "é", "")))
    assert headers["Ignored-Parameters"] == "ok"


def test_the_header_stays_short() -> None:
    headers = headers_of(Notices(ignored=tuple(f"p{i:03d}" for i in range(500))))
    names = headers["Ignored-Parameters"].split(", ")
    assert len(names) == MAX_IGNORED_NAMES + 1 and names[-1] == "..."


def test_no_notices_no_headers() -> None:
    assert not headers_of(Notices())


def test_warnings_are_persistent_quoted_and_unique() -> None:
    headers = headers_of(Notices(warnings=('a "quoted" note', "a note", "a note")))
    assert headers.getlist("Warning") == ['299 - "a ?quoted? note"', '299 - "a note"']


def test_notices_add_up() -> None:
    assert Notices(("a",), ("w",)) + Notices(("b",)) == Notices(("a", "b"), ("w",))
