"""A short soak: rendering must not leak (bench/soak.py runs the long version)."""

from __future__ import annotations

import gc
import sys

import pytest

from api import create_app
from bench.soak import rss_mb, urls


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the resident size")
def test_renders_do_not_leak() -> None:
    client = create_app({"SETTINGS": {"render_cache_bytes": 200_000}}).test_client()
    requests = urls(160)
    for url in requests[:60]:
        assert client.get(url).status_code == 200
    gc.collect()
    before = rss_mb()
    for url in requests[60:]:
        assert client.get(url).status_code == 200
    gc.collect()
    # A leaked figure or image costs about a megabyte: 100 of them would show far above this.
    assert rss_mb() - before < 25
