"""Fetching map tiles politely and fast, with a memory and a disk cache.

One :class:`TileFetcher` per process: one pooled ``requests.Session`` (keep-alive), one
small thread pool per tile host (its size is the per-host concurrency limit), and
single-flight, so a tile wanted by several maps at once is fetched once.

Every upstream problem (HTTP errors, timeouts, garbage, refused or dropped connections)
makes a tile ``None`` in the :class:`TileBatch`; nothing escapes :meth:`TileFetcher.fetch_many`,
which returns by its deadline even when a server hangs. Only tiles that decoded as images
are cached. Log lines and errors name the provider and the tile, never a URL (it may hold
an API key).
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import io
import json
import logging
import os
import re
import stat
import struct
import tempfile
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
from cachetools import LRUCache
from PIL import Image, UnidentifiedImageError
from requests.adapters import HTTPAdapter

from api.maps.providers import TileProvider
from api.settings import Settings
from api.singleflight import Flight, SingleFlight
from api.version import __version__

log = logging.getLogger(__name__)

TileKey = tuple[int, int, int]  # z, x, y

MAX_TILE_BYTES = 4 * 1024 * 1024  # a response body larger than this is not a tile
MAX_TILE_EDGE = 2048
_MAGIC = b"CMT1"
_HEADER = struct.Struct(">4sI")  # magic, length of the JSON metadata that follows
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass
class TileBatch:
    """The tiles of one map: an RGBA image per key, ``None`` where the tile failed."""

    images: dict[TileKey, Image.Image | None]
    failed: int
    total: int


@dataclass
class _Tile:
    """A decoded tile and what is needed to revalidate it."""

    image: Image.Image
    data: bytes
    expires: float  # wall-clock time (time.time())
    etag: str | None = None
    last_modified: str | None = None

    @property
    def fresh(self) -> bool:
        return time.time() < self.expires


@dataclass(frozen=True)
class _Job:
    provider: TileProvider
    key: TileKey  # x already wrapped
    hidpi: bool
    api_key: str | None = field(repr=False)
    ckey: str
    stale: _Tile | None  # the cached copy, fresh or expired


class _Failure(Exception):
    """Why a tile failed, as a short reason with no URL in it."""


class TileFetcher:
    """Fetches tiles for maps; thread-safe, one per process."""

    def __init__(self, settings: Settings, *, environ: Mapping[str, str] | None = None) -> None:
        self._settings = settings
        self._environ = environ  # None: os.environ, read at fetch time
        self._per_host = max(1, settings.tile_concurrency_per_host)
        self._session = requests.Session()
        adapter = HTTPAdapter(pool_connections=16, pool_maxsize=self._per_host, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers["User-Agent"] = user_agent(settings)
        self._session.headers["Accept"] = "image/png,image/*;q=0.9,*/*;q=0.5"
        self._lock = threading.Lock()
        self._pools: dict[str, ThreadPoolExecutor] = {}
        self._flights: SingleFlight[str, _Tile | None] = SingleFlight()
        self.memory = MemoryCache(settings.tile_cache_memory_bytes)
        self.disk = DiskCache(cache_dir(settings), settings.tile_cache_disk_bytes)
        self._closed = False

    # -- public -------------------------------------------------------------------------

    def fetch_many(
        self, provider: TileProvider, keys: list[TileKey], *, hidpi: bool, deadline: float
    ) -> TileBatch:
        """Tiles for ``keys``, fetched concurrently; returns by ``deadline`` (time.monotonic()).

        x wraps around the world; a key with z or y out of range is a failed tile, and so
        is every tile of a keyed provider whose key is not set. Each image is the caller's
        own copy, RGBA, ``provider.tile_pixels(hidpi)`` pixels square.
        """
        if provider.offline:
            raise ValueError(f"tile provider {provider.name!r} is drawn offline and has no tiles")
        hidpi = hidpi and provider.hidpi_tiles
        api_key = provider.api_key(self._environ)
        if api_key is not None:
            _redact.add(api_key)
        if provider.needs_key and api_key is None:
            log.warning("tile provider %r: %s is not set", provider.name, provider.key_env)
        wanted = list(dict.fromkeys(keys))
        images: dict[TileKey, Image.Image | None] = {}
        waiting: dict[TileKey, tuple[Future[_Tile | None], _Tile | None]] = {}
        for key in wanted:
            job = self._job(provider, key, hidpi, api_key)
            if job is None:
                images[key] = None
            elif job.stale is not None and job.stale.fresh:
                images[key] = job.stale.image.copy()
            else:
                waiting[key] = (self._start(job, deadline), job.stale)
        if waiting:
            wait([f for f, _ in waiting.values()], timeout=max(0.0, deadline - time.monotonic()))
        late = 0
        for key, (future, stale) in waiting.items():
            tile = future.result() if future.done() else None
            late += not future.done()
            if tile is None:
                tile = stale  # upstream failed to revalidate: an expired tile beats none
            images[key] = None if tile is None else tile.image.copy()
        result = {key: images[key] for key in wanted}
        failed = sum(1 for image in result.values() if image is None)
        if failed:
            log.warning(
                "tile provider %r: %d of %d tiles failed (%d still loading at the deadline)",
                provider.name,
                failed,
                len(result),
                late,
            )
        return TileBatch(images=result, failed=failed, total=len(result))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pools = list(self._pools.values())
            self._pools.clear()
        for pool in pools:
            pool.shutdown(wait=False, cancel_futures=True)
        self._flights.land_all(None)  # cancelled or still running: nobody waits for them now
        self._session.close()

    # -- fetching -----------------------------------------------------------------------

    def _job(self, provider: TileProvider, key: TileKey, hidpi: bool, api_key: str | None) -> _Job | None:
        """What it takes to get one tile, with its cached copy; None if it cannot be had."""
        z, x, y = key
        if not 0 <= z <= min(provider.max_zoom, 30) or not 0 <= y < (1 << z):
            return None
        if provider.needs_key and api_key is None:
            return None
        wrapped = (z, x % (1 << z), y)
        ckey = _cache_key(provider, wrapped, hidpi)
        cached = self.memory.get(ckey)
        if cached is None:
            cached = self.disk.get(ckey)
            if cached is not None:
                self.memory.put(ckey, cached)
        return _Job(provider, wrapped, hidpi, api_key, ckey, cached)

    def _start(self, job: _Job, deadline: float) -> Future[_Tile | None]:
        flight, leader = self._flights.lead_or_join(job.ckey, deadline)
        if not leader:
            return flight.future
        with self._lock:
            # The flight for this tile may have landed since the caller looked.
            cached = self.memory.get(job.ckey)
            if self._closed or (cached is not None and cached.fresh):
                self._flights.land(job.ckey, flight, None if self._closed else cached)
                return flight.future
            pool = self._pools.get(job.provider.host)
            if pool is None:
                pool = ThreadPoolExecutor(self._per_host, thread_name_prefix="tiles")
                self._pools[job.provider.host] = pool
        pool.submit(self._run, job, flight)
        return flight.future

    def _run(self, job: _Job, flight: Flight[_Tile | None]) -> None:
        tile: _Tile | None = None
        try:
            tile = self._fetch(job, flight)
        except _Failure as exc:
            log.info("tile %s %d/%d/%d failed: %s", job.provider.name, *job.key, exc)
        except Exception as exc:  # never let one tile take a map down
            log.warning("tile %s %d/%d/%d failed: %s", job.provider.name, *job.key, type(exc).__name__)
        if tile is not None:
            self.memory.put(job.ckey, tile)
        self._flights.land(job.ckey, flight, tile)
        if tile is not None:
            # After the waiting maps have their tile: the disk write is off their clock.
            self.disk.put(job.ckey, tile)

    def _fetch(self, job: _Job, flight: Flight[_Tile | None]) -> _Tile:
        url = job.provider.tile_url(*job.key, hidpi=job.hidpi, api_key=job.api_key)
        headers: dict[str, str] = {}
        if job.stale is not None and job.stale.etag:
            headers["If-None-Match"] = job.stale.etag
        if job.stale is not None and job.stale.last_modified:
            headers["If-Modified-Since"] = job.stale.last_modified
        for attempt in (1, 2):
            try:
                return self._get(job, flight, url, headers)
            except requests.Timeout:
                raise _Failure("timed out") from None
            except requests.ConnectionError:
                # One retry, for connection errors only, and only if time remains.
                if attempt == 2 or flight.deadline - time.monotonic() <= 0:
                    raise _Failure("connection failed") from None
            except requests.RequestException as exc:
                raise _Failure(type(exc).__name__) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _get(self, job: _Job, flight: Flight[_Tile | None], url: str, headers: dict[str, str]) -> _Tile:
        remaining = flight.deadline - time.monotonic()
        if remaining <= 0:
            raise _Failure("deadline passed before the request")
        timeout = (
            min(self._settings.tile_connect_timeout, remaining),
            min(self._settings.tile_read_timeout, remaining),
        )
        # Redirects are not followed: a tile server (or whoever answers for it) could send the
        # fetcher, with the provider's key in the URL, to any host, including this network's.
        with self._session.get(
            url, headers=headers, timeout=timeout, stream=True, allow_redirects=False
        ) as response:
            stale = job.stale
            if response.status_code == 304 and stale is not None:
                return _Tile(
                    stale.image,
                    stale.data,
                    self._expiry(response.headers),
                    response.headers.get("ETag") or stale.etag,
                    response.headers.get("Last-Modified") or stale.last_modified,
                )
            if response.is_redirect:
                raise _Failure(f"HTTP {response.status_code} redirect, not followed")
            if response.status_code != 200:
                raise _Failure(f"HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_TILE_BYTES:
                    raise _Failure("response too large")
                if time.monotonic() > flight.deadline:
                    raise _Failure("deadline passed while reading")
            data = bytes(body)
            image = decode_tile(data, job.provider.tile_pixels(job.hidpi))
            if image is None:
                raise _Failure("response is not an image")
            return _Tile(
                image,
                data,
                self._expiry(response.headers),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )

    def _expiry(self, headers: Mapping[str, str]) -> float:
        now = time.time()
        return now + max(upstream_ttl(headers, now), self._settings.tile_min_ttl)


class _RedactKeys(logging.Filter):
    """Blanks API keys out of other libraries' log records (urllib3 logs every URL at DEBUG)."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add(self, secret: str) -> None:
        self._secrets.update({secret, quote(secret, safe="")})

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        hidden = message
        for secret in self._secrets:
            hidden = hidden.replace(secret, "***")
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


_redact = _RedactKeys()
for _name in ("urllib3.connectionpool", "urllib3.connection", "urllib3.util.retry", "requests"):
    logging.getLogger(_name).addFilter(_redact)


def user_agent(settings: Settings) -> str:
    return f"chartmap/{__version__} (+{settings.contact_url})"


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


def upstream_ttl(headers: Mapping[str, str], now: float) -> float:
    """Seconds the tile server lets us keep a response (Cache-Control max-age, else Expires)."""
    match = _MAX_AGE.search(headers.get("Cache-Control", ""))
    if match:
        try:
            age = float(headers.get("Age", "0"))
        except ValueError:
            age = 0.0
        return int(match.group(1)) - max(age, 0.0)
    expires = headers.get("Expires")
    if expires:
        try:
            return email.utils.parsedate_to_datetime(expires).timestamp() - now
        except (TypeError, ValueError, IndexError):
            return 0.0
    return 0.0


def decode_tile(data: bytes, pixels: int) -> Image.Image | None:
    """The fully decoded RGBA tile, ``pixels`` square, or None for anything that is not one."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
            if not (0 < width <= MAX_TILE_EDGE and 0 < height <= MAX_TILE_EDGE):
                return None
            opened.load()
            image = opened.convert("RGBA")
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    if image.size != (pixels, pixels):
        image = image.resize((pixels, pixels), Image.Resampling.LANCZOS)
    return image


def _cache_key(provider: TileProvider, key: TileKey, hidpi: bool) -> str:
    # The template, not the URL: a provider's API key is never part of a cache key.
    z, x, y = key
    return f"{provider.name}|{provider.url_template}|{'2x' if hidpi else '1x'}|{z}/{x}/{y}"


def _tile_bytes(tile: _Tile) -> int:
    width, height = tile.image.size
    return len(tile.data) + width * height * 4 + 256


class MemoryCache:
    """Decoded tiles, LRU, bounded in bytes (encoded plus decoded size)."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._items: LRUCache[str, _Tile] = LRUCache(maxsize=max(max_bytes, 1), getsizeof=_tile_bytes)
        self._lock = threading.Lock()

    def get(self, key: str) -> _Tile | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: str, tile: _Tile) -> None:
        if _tile_bytes(tile) > self._max_bytes:
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


class DiskCache:
    """Encoded tiles in a directory bounded in size; the oldest (by mtime) go first.

    A file is ``CMT1``, the length of a JSON header (sha256 and length of the body,
    expiry, ETag, Last-Modified), the header, then the tile as served. Files are written
    to a temporary name and renamed, and every read checks the header, the checksum and
    that the body decodes; anything else is deleted and counts as a miss.
    """

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        # Off unless the folder is this user's own: another's could serve forged tiles.
        self.max_bytes = max_bytes if max_bytes > 0 and private_folder(root) else 0
        self._lock = threading.Lock()
        self._size: int | None = None  # bytes on disk, counted on the first write

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.root / digest[:2] / f"{digest}.tile"

    def get(self, key: str) -> _Tile | None:
        if not self.enabled:
            return None
        path = self.path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        tile = _parse_entry(raw)
        if tile is None:
            log.warning("dropping corrupt tile cache entry %s", path.name)
            self._remove(path)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: evicted last
        return tile

    def put(self, key: str, tile: _Tile) -> None:
        if not self.enabled:
            return
        meta = {
            "sha256": hashlib.sha256(tile.data).hexdigest(),
            "length": len(tile.data),
            "expires": tile.expires,
            "etag": tile.etag,
            "last_modified": tile.last_modified,
            "pixels": tile.image.size[0],
        }
        header = json.dumps(meta, separators=(",", ":")).encode()
        blob = _HEADER.pack(_MAGIC, len(header)) + header + tile.data
        if len(blob) > self.max_bytes:
            return
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            old = path.stat().st_size if path.exists() else 0
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(blob)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning("cannot write the tile cache: %s", type(exc).__name__)
            return
        with self._lock:
            if self._size is None:
                self._size = self._scan_size()
            else:
                self._size += len(blob) - old
            if self._size > self.max_bytes:
                self._size = self._evict()

    def total_bytes(self) -> int:
        return self._scan_size()

    def _files(self) -> list[tuple[float, int, Path]]:
        found: list[tuple[float, int, Path]] = []
        if not self.root.is_dir():
            return found
        for sub in os.scandir(self.root):
            if not sub.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(sub.path):
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                found.append((st.st_mtime, st.st_size, Path(entry.path)))
        return found

    def _scan_size(self) -> int:
        return sum(size for _, size, _ in self._files())

    def _evict(self) -> int:
        """Delete the oldest files until 90% of the bound; returns the bytes left."""
        files = sorted(self._files(), key=lambda item: item[0])
        total = sum(size for _, size, _ in files)
        target = int(self.max_bytes * 0.9)
        for _, size, path in files:
            if total <= target:
                break
            self._remove(path)
            total -= size
        return total

    @staticmethod
    def _remove(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _parse_entry(raw: bytes) -> _Tile | None:
    parsed = _split_entry(raw)
    if parsed is None:
        return None
    meta, data = parsed
    try:
        expires = float(meta["expires"])
        pixels = int(meta["pixels"])
    except (ValueError, KeyError, TypeError):
        return None
    image = decode_tile(data, pixels) if 0 < pixels <= MAX_TILE_EDGE else None
    if image is None:
        return None
    etag, modified = meta.get("etag"), meta.get("last_modified")
    return _Tile(
        image,
        data,
        expires,
        etag if isinstance(etag, str) else None,
        modified if isinstance(modified, str) else None,
    )


def _split_entry(raw: bytes) -> tuple[dict[str, Any], bytes] | None:
    """The metadata and body of a cache file whose checksum matches, else None."""
    if len(raw) < _HEADER.size:
        return None
    magic, header_len = _HEADER.unpack_from(raw)
    start = _HEADER.size + header_len
    if magic != _MAGIC or start > len(raw):
        return None
    try:
        meta = json.loads(raw[_HEADER.size : start])
    except ValueError:
        return None
    data = raw[start:]
    if (
        not isinstance(meta, dict)
        or meta.get("length") != len(data)
        or meta.get("sha256") != hashlib.sha256(data).hexdigest()
    ):
        return None
    return meta, data
