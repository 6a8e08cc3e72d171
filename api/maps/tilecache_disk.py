"""The disk tier of the tile cache: one SQLite database (``diskcache``) in a private folder,
shared by every process that uses the folder.

The database holds the one byte account of the folder: every process (gunicorn workers,
Function App workers) counts against the same bound and evicts the least recently used
entries of all of them. Entries are bytes in the database itself (never files beside it, never
pickles): a write is one SQLite transaction, so a process killed in the middle of one leaves
no entry at all (the next reader rolls back what it wrote, from its journal), and the entry
format (:func:`api.maps.tiledata.pack_entry`) is checked on every read (header, checksum, the
image decodes): anything else is deleted and is a miss. Any failure of the disk or the
database is logged and is a miss; a damaged database (the machine lost power mid-write: the
database is not synced) turns the tier off in the process, and says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import stat
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import diskcache
from diskcache.core import MODE_RAW

from api.maps.tiledata import MAX_TILE_BYTES, Tile, pack_entry, parse_entry
from api.settings import Settings

log = logging.getLogger("api.maps.tiles")

MAX_ENTRY_BYTES = MAX_TILE_BYTES + 64 * 1024  # a tile and its header
LOCK_TIMEOUT = 0.5  # seconds a reader or writer waits for another process's write
MAX_PENDING_WRITES = 256  # queued writes beyond this are dropped (a later fetch writes the tile)
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


class DiskCache:
    """Encoded tiles in one database bounded in bytes, shared by the processes using ``root``.

    ``max_bytes`` bounds the database file, which is the folder but for the rollback journal
    of a write in progress. The least recently used entries of every process go first.
    """

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        # Off unless the folder is this user's own: another's could serve forged tiles.
        self.max_bytes = max_bytes if max_bytes > 0 and private_folder(root) else 0
        self.store: diskcache.Cache | None = None
        self._write_lock = threading.Lock()
        self._idle = threading.Condition()
        self._pending = 0
        self._writer: ThreadPoolExecutor | None = None
        if self.max_bytes:
            try:
                self.store = diskcache.Cache(
                    str(root),
                    timeout=LOCK_TIMEOUT,
                    disk=_BytesOnly,
                    size_limit=self.max_bytes,
                    eviction_policy="least-recently-used",
                    cull_limit=1,
                    disk_min_file_size=1 << 40,  # every value in the database, never in a file
                    # A rollback journal, not a write-ahead log: the database file is then
                    # the whole account (a log is folded in only when no process reads).
                    sqlite_journal_mode="delete",
                    # No fsync: what a process wrote survives its death (the kernel has it);
                    # only the machine losing power mid-write could damage the database, and
                    # a damaged one is detected (SQLite's checks, and each entry's) and unused.
                    # Syncing costs ~10 ms a write and ~0.2 s to open on an ordinary disk.
                    sqlite_synchronous=0,
                )
                # diskcache opens this thread's connection without a busy timeout.
                self.store._sql(f"PRAGMA busy_timeout = {int(LOCK_TIMEOUT * 1000)}")
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
            # One writer of this process at a time: the others wait here, not in SQLite's
            # busy loop, whose wait is bounded (LOCK_TIMEOUT) for other processes' writes.
            with self._write_lock:
                store.set(key, entry)
                self._shrink(store)
        except _NOT_DISK as exc:
            self._failed("write", exc)

    def put_later(self, key: str, tile: Tile) -> None:
        """:meth:`put` in this cache's writer thread: the fetcher's threads do not wait for the
        disk (a write syncs it), and writes of one process never contend with each other."""
        if self.store is None:
            return
        with self._idle:
            if self._pending >= MAX_PENDING_WRITES:
                return
            if self._writer is None:
                self._writer = ThreadPoolExecutor(1, thread_name_prefix="tile-disk-write")
            self._pending += 1
            writer = self._writer
        try:
            writer.submit(self._put_queued, key, tile)
        except RuntimeError:  # closed meanwhile
            self._done()

    def _put_queued(self, key: str, tile: Tile) -> None:
        try:
            self.put(key, tile)
        finally:
            self._done()

    def _done(self) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait for the queued writes; False if some are still waiting after ``timeout``."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _shrink(self, store: diskcache.Cache) -> None:
        """Back within the bound: the least recently used entries out one by one (diskcache
        takes out one with each write, and ten at a time when asked)."""
        for _ in range(10_000):
            if store.volume() <= store.size_limit:
                break
            # diskcache's own eviction step, for one entry (its public cull() takes ten).
            with store._transact(retry=False) as (sql, cleanup):
                store._cull(time.time(), sql, cleanup, limit=1)

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
        """Bytes of the database file: the account the bound holds to."""
        try:
            return (self.root / "cache.db").stat().st_size
        except OSError:
            return 0

    def folder_bytes(self) -> int:
        """Bytes of every file in the folder: the database, and the journal of a write in
        progress in some process."""
        if not self.root.is_dir():
            return 0
        return sum(entry.stat().st_size for entry in os.scandir(self.root) if entry.is_file())

    def close(self) -> None:
        """Stop taking writes; the queued ones are still written."""
        with self._idle:
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.shutdown(wait=False)
        if self.store is not None:
            self.store.close()

    def _failed(self, what: str, exc: BaseException) -> None:
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            self._off(exc)  # a damaged database: every later call would fail the same way
        else:
            log.warning("cannot %s the tile cache: %s", what, type(exc).__name__)

    def _off(self, exc: BaseException) -> None:
        log.warning(
            "tile cache database in %s unusable (%s): the disk cache is off (remove the folder to start anew)",
            self.root,
            type(exc).__name__,
        )
        store, self.store, self.max_bytes = self.store, None, 0
        if store is not None:
            with contextlib.suppress(*_NOT_DISK):
                store.close()
