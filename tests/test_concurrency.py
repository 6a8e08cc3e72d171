"""Concurrent requests in one process give exactly the serial answers (bench/concurrency.py
runs the long version: 8 threads x 200)."""

from __future__ import annotations

from bench.concurrency import concurrent_answers, mixed_urls, serial_answers


def test_concurrent_answers_are_byte_identical_to_serial_ones() -> None:
    urls = mixed_urls(40)
    expected = serial_answers(urls)
    # The comparison means something only if the mix holds images of every format, maps
    # and errors...
    types = {content_type.split(";")[0] for _, content_type, _ in expected.values()}
    assert {"image/png", "image/webp", "image/jpeg", "image/svg+xml", "application/json"} <= types
    assert any(url.startswith("/maps/static") and expected[url][0] == 200 for url in urls)
    assert {status for status, _, _ in expected.values()} == {200, 422}

    got = concurrent_answers(urls, threads=8, per_thread=25)

    assert len(got) == 8 * 25
    drawn = [url for url, _ in got]
    assert len(set(drawn)) < len(drawn)  # ...and one URL is drawn by more than one thread
    assert [url for url, answer in got if answer != expected[url]] == []
