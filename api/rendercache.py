"""Encoded images by cache key: the strong ETag of a canonical spec, and the bounded in-process
cache that serves repeats, one render per key at a time."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from typing import Any

from cachetools import LRUCache

from api.encode import Image
from api.singleflight import SingleFlight

# Bump when a renderer changes its output for the same spec: it is part of every ETag.
RENDERER_VERSION = "4"


@cache
def _library_versions() -> str:
    # Output bytes depend on these libraries, so their versions belong in the ETag.
    return ",".join(
        f"{name}={version(name)}" for name in ("matplotlib", "pillow", "deflate", "py-staticmaps", "segno")
    )


def cache_key(spec: Any) -> str:
    """Hex digest of the canonical spec (a frozen dataclass) and the renderer versions."""
    text = f"{RENDERER_VERSION}|{_library_versions()}|{type(spec).__qualname__}|{spec!r}"
    return hashlib.sha256(text.encode()).hexdigest()


class RenderCache:
    """Encoded images by cache key: LRU bounded in bytes, one render per key at a time."""

    def __init__(self, max_bytes: int) -> None:
        self._items: LRUCache[str, Image] = LRUCache(maxsize=max(max_bytes, 1), getsizeof=_size)
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._flights: SingleFlight[str, Image] = SingleFlight()

    def get_or_render(self, key: str, render: Callable[[], Image]) -> Image:
        with self._lock:
            hit = self._items.get(key)
        if hit is not None:
            return hit
        flight, leader = self._flights.lead_or_join(key)
        if not leader:  # the same image is being drawn: wait for it
            return flight.future.result()
        try:
            with self._lock:
                hit = self._items.get(key)  # drawn since this caller looked
            image = hit if hit is not None else render()
        except BaseException as exc:
            self._flights.crash(key, flight, exc)
            raise
        if hit is None and image.warning is None and _size(image) <= self._max_bytes:
            with self._lock:
                self._items[key] = image
        self._flights.land(key, flight, image)
        return image

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    @property
    def current_bytes(self) -> int:
        return int(self._items.currsize)


def _size(image: Image) -> int:
    return len(image.body)
