"""The memory tier of the tile cache: decoded tiles, LRU, bounded in bytes."""

from __future__ import annotations

import threading

from cachetools import LRUCache

from api.maps.tiledata import Tile, tile_bytes


class MemoryCache:
    """Decoded tiles, LRU, bounded in bytes (encoded plus decoded size)."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._items: LRUCache[str, Tile] = LRUCache(maxsize=max(max_bytes, 1), getsizeof=tile_bytes)
        self._lock = threading.Lock()

    def get(self, key: str) -> Tile | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: str, tile: Tile) -> None:
        if tile_bytes(tile) > self._max_bytes:
            return
        with self._lock:
            self._items[key] = tile

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def current_bytes(self) -> int:
        return int(self._items.currsize)
