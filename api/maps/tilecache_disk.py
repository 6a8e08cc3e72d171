"""The disk tier of the tile cache: one SQLite database (``diskcache``) in a private folder,
shared by every process that uses the folder.

The database holds the one byte account of the folder: every process (gunicorn workers,
Function App workers) counts against the same bound and evicts the least recently used
entries of all of them. Entries are bytes in the database itself (never files beside it, never
pickles): a write is one SQLite transaction, so a process killed in the middle of one leaves
no entry at all, and the entry format (:func:`api.maps.tiledata.pack_entry`) is checked on
every read (header, checksum, the image decodes): anything else is deleted and is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import stat
import tempfile
from pathlib import Path
from typing import Any

import diskcache
from diskcache.core import MODE_RAW

from api.maps.tiledata import MAX_TILE_BYTES, Tile, pack_entry, parse_entry
from api.settings import Settings

log = logging.getLogger("api.maps.tiles")

MAX_ENTRY_BYTES = MAX_TILE_BYTES + 64 * 1024  # a tile and its header
LOCK_TIMEOUT = 0.5  # seconds a reader or writer waits for another process's write
_PAGE = 4096  # SQLite's default page size
_SHM = 32 * 1024  # the WAL index beside the database
_NOT_DISK = (sqlite3.Error, OSError, diskcache.Timeout)


class _BytesOnly(diskcache.Disk):  # type: ignore[misc]  # diskcache has no type information
    """Reads raw bytes stored in the database only: a value in a file, or a pickle (which
    would run code from the folder when loaded), is refused and the entry counts as corrupt."""

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode != MODE_RAW or filename is not None or not isinstance(value, bytes | memoryview):
            raise ValueError("not a tile cache entry")
        return bytes(value)


def cache_dir(settings: Settings) -> Path:
    """The tile cache's folder: as configured, or one of this user's own in the temporary
    directory (not a name other users of the machine could create first and fill)."""
    if settings.tile_cache_dir:
        return Path(settings.tile_cache_dir)
    owner = os.getuid() if hasattr(os, "getuid") else os.getlogin()
    return Path(tempfile.gettempdir()) / f"chartmap-tiles-{owner}"


def private_folder(path: Path) -> bool:
    """Create ``path`` readable by this user only (0700); False when it already exists and
    is not this user's own private folder (then it is not used: its tiles cannot be trusted)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.lstat()
    except OSError as exc:
        log.warning("cannot write the tile cache folder %s (%s): the disk cache is off", path, exc)
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
        log.warning("tile cache folder %s is not private to this user: the disk cache is off", path)
        return False
    return True


def journal_bytes(max_bytes: int) -> int:
    """Room kept for SQLite's write-ahead log within the bound: a sixteenth, 64 KB to 4 MB."""
    return min(max(max_bytes // 16, 64 * 1024), 4 * 1024 * 1024)


class DiskCache:
    """Encoded tiles in one database bounded in bytes, shared by the processes using ``root``.

    ``max_bytes`` bounds the folder: the database, its write-ahead log (checkpointed and
    truncated at :func:`journal_bytes`) and the log's index. The least recently used entries
    of every process go first.
    """

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        # Off unless the folder is this user's own: another's could serve forged tiles.
        self.max_bytes = max_bytes if max_bytes > 0 and private_folder(root) else 0
        self.store: diskcache.Cache | None = None
        if self.max_bytes:
            journal = journal_bytes(self.max_bytes)
            try:
                self.store = diskcache.Cache(
                    str(root),
                    timeout=LOCK_TIMEOUT,
                    disk=_BytesOnly,
                    size_limit=max(self.max_bytes - 2 * journal - _SHM, _PAGE),
                    eviction_policy="least-recently-used",
                    disk_min_file_size=1 << 40,  # every value in the database, never in a file
                    sqlite_wal_autocheckpoint=max(journal // _PAGE, 16),
                    sqlite_journal_size_limit=journal,
                )
            except (*_NOT_DISK, ValueError) as exc:
                self._off(exc)

    @property
    def enabled(self) -> bool:
        return self.store is not None

    def get(self, key: str) -> Tile | None:
        store = self.store
        if store is None:
            return None
        try:
            raw = store.get(key)
        except ValueError:
            raw = b""  # refused by _BytesOnly: dropped below
        except _NOT_DISK as exc:
            self._failed("read", exc)
            return None
        if raw is None:
            return None
        tile = parse_entry(raw)
        if tile is None:
            log.warning("dropping corrupt tile cache entry %s", hashlib.sha256(key.encode()).hexdigest()[:16])
            self.delete(key)
        return tile

    def put(self, key: str, tile: Tile) -> None:
        store = self.store
        if store is None:
            return
        entry = pack_entry(tile)
        if len(entry) > min(MAX_ENTRY_BYTES, store.size_limit):
            return
        try:
            store.set(key, entry)
            # diskcache evicts a few entries per write; more when the write left it over.
            if store.volume() > store.size_limit:
                store.cull()
        except _NOT_DISK as exc:
            self._failed("write", exc)

    def delete(self, key: str) -> None:
        if self.store is not None:
            try:
                self.store.delete(key)
            except _NOT_DISK as exc:
                self._failed("write", exc)

    def __len__(self) -> int:
        if self.store is None:
            return 0
        try:
            return len(self.store)
        except _NOT_DISK:
            return 0

    def total_bytes(self) -> int:
        """Bytes of every file in the folder: what the bound holds to."""
        if not self.root.is_dir():
            return 0
        return sum(entry.stat().st_size for entry in os.scandir(self.root) if entry.is_file())

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def _failed(self, what: str, exc: BaseException) -> None:
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            self._off(exc)  # a damaged database: every later call would fail the same way
        else:
            log.warning("cannot %s the tile cache: %s", what, type(exc).__name__)

    def _off(self, exc: BaseException) -> None:
        log.warning("tile cache database in %s unusable (%s): the disk cache is off", self.root, exc)
        store, self.store, self.max_bytes = self.store, None, 0
        if store is not None:
            with contextlib.suppress(*_NOT_DISK):
                store.close()
