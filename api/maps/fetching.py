"""Tiles fetched within each provider's concurrency limit (its usage policy).

The fetcher (:mod:`api.maps.tiles`) limits requests per tile host to
``CHARTMAP_TILE_CONCURRENCY_PER_HOST``; a provider may allow fewer (``TileProvider.concurrency``:
OpenStreetMap's policy allows two). Here the tiles of a map are asked for in batches of at
most that many, one batch at a time per provider in this process, so that no more than
``concurrency`` of a provider's tiles are ever in flight from it, however many maps are drawn
at once. Every wait is bounded by the map's deadline: what is not fetched by then failed.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

    from api.maps.providers import TileProvider
    from api.maps.tiles import TileFetcher, TileKey

_guard = threading.Lock()
_turns: dict[str, threading.Lock] = {}  # one per provider: whose batch is in flight


def _turn(provider: TileProvider) -> threading.Lock:
    with _guard:
        return _turns.setdefault(provider.name, threading.Lock())


def fetch_tiles(
    fetcher: TileFetcher, provider: TileProvider, keys: list[TileKey], *, hidpi: bool, deadline: float
) -> tuple[dict[TileKey, Image.Image | None], int]:
    """The tiles of ``keys`` (None: failed) and how many failed, by ``deadline`` (time.monotonic())."""
    images: dict[TileKey, Image.Image | None] = dict.fromkeys(keys)
    size = max(1, provider.concurrency)
    turn = _turn(provider)
    for start in range(0, len(keys), size):
        batch = keys[start : start + size]
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not turn.acquire(timeout=remaining):
            break
        try:
            images.update(fetcher.fetch_many(provider, batch, hidpi=hidpi, deadline=deadline).images)
        finally:
            turn.release()
    return images, sum(1 for image in images.values() if image is None)
