"""Fetching map tiles politely and fast, through a memory, a disk and a blob cache tier.

One :class:`TileFetcher` per process: one pooled ``requests.Session`` (keep-alive), one
small thread pool per tile host (its size is the per-host concurrency limit, or the
provider's own, ``TileProvider.concurrency``, when that is smaller), and
single-flight, so a tile wanted by several maps at once is fetched once. A tile is looked up
in memory, then on disk (:mod:`api.maps.tilecache_disk`, shared by the processes of a
machine), then, when it is on, in the blob tier (:mod:`api.maps.tilecache_blob`, shared by
every instance), and only then upstream.

Every upstream problem (HTTP errors, timeouts, garbage, refused or dropped connections)
makes a tile ``None`` in the :class:`TileBatch`; nothing escapes :meth:`TileFetcher.fetch_many`,
which returns by its deadline even when a server hangs. Only tiles that decoded as images
are cached. Log lines and errors name the provider and the tile, never a URL (it may hold
an API key).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from urllib.parse import quote

import requests
from PIL import Image
from requests.adapters import HTTPAdapter

from api.maps.providers import TileProvider
from api.maps.tilecache_blob import BlobTier, Found
from api.maps.tilecache_disk import DiskCache, cache_dir
from api.maps.tilecache_memory import MemoryCache
from api.maps.tiledata import MAX_TILE_BYTES, Tile, TileKey, cache_key, decode_tile, upstream_ttl
from api.settings import Settings
from api.singleflight import Flight, SingleFlight
from api.version import __version__

# What the renderer, the icon fetcher and the benchmarks import from here.
__all__ = ["TileBatch", "TileFetcher", "TileKey", "cache_dir", "decode_tile", "upstream_ttl", "user_agent"]

log = logging.getLogger(__name__)

BLOB_READERS = 8  # concurrent blob tier lookups (they hold no upstream slot)


@dataclass
class TileBatch:
    """The tiles of one map: an RGBA image per key, ``None`` where the tile failed."""

    images: dict[TileKey, Image.Image | None]
    failed: int
    total: int


@dataclass(frozen=True)
class _Job:
    provider: TileProvider
    key: TileKey  # x already wrapped
    hidpi: bool
    api_key: str | None = field(repr=False)
    ckey: str
    stale: Tile | None  # the cached copy, fresh or expired
    found: Found | None = None  # the blob tier's copy, once looked up


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
        self._flights: SingleFlight[str, Tile | None] = SingleFlight()
        self.memory = MemoryCache(settings.tile_cache_memory_bytes)
        self.disk = DiskCache(cache_dir(settings), settings.tile_cache_disk_bytes)
        self.blob = BlobTier.from_settings(settings)
        self._blob_pool = (
            ThreadPoolExecutor(BLOB_READERS, thread_name_prefix="tile-blob-read") if self.blob else None
        )
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
        waiting: dict[TileKey, tuple[Future[Tile | None], Tile | None]] = {}
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
        if self._blob_pool is not None:
            pools.append(self._blob_pool)
        for pool in pools:
            pool.shutdown(wait=False, cancel_futures=True)
        self._flights.land_all(None)  # cancelled or still running: nobody waits for them now
        self._session.close()
        if self.blob is not None:
            self.blob.close()
        self.disk.close()

    # -- fetching -----------------------------------------------------------------------

    def _job(self, provider: TileProvider, key: TileKey, hidpi: bool, api_key: str | None) -> _Job | None:
        """What it takes to get one tile, with its cached copy; None if it cannot be had."""
        z, x, y = key
        if not 0 <= z <= min(provider.max_zoom, 30) or not 0 <= y < (1 << z):
            return None
        if provider.needs_key and api_key is None:
            return None
        wrapped = (z, x % (1 << z), y)
        ckey = cache_key(provider, wrapped, hidpi)
        cached = self.memory.get(ckey)
        if cached is None:
            cached = self.disk.get(ckey)
            if cached is not None:
                self.memory.put(ckey, cached)
        return _Job(provider, wrapped, hidpi, api_key, ckey, cached)

    def _start(self, job: _Job, deadline: float) -> Future[Tile | None]:
        flight, leader = self._flights.lead_or_join(job.ckey, deadline)
        if not leader:
            return flight.future
        with self._lock:
            # The flight for this tile may have landed since the caller looked.
            cached = self.memory.get(job.ckey)
            if self._closed or (cached is not None and cached.fresh):
                self._flights.land(job.ckey, flight, None if self._closed else cached)
                return flight.future
            if self._blob_pool is not None:
                self._blob_pool.submit(self._from_blob, job, flight)
                return flight.future
            pool = self._upstream_pool(job.provider)
        pool.submit(self._run, job, flight)
        return flight.future

    def _upstream_pool(self, provider: TileProvider) -> ThreadPoolExecutor:
        """The provider's host's pool, as many threads as the per-host setting and the
        provider's own usage policy (``TileProvider.concurrency``) both allow: at most that
        many of its requests are in flight from this process, however many maps are drawn.
        The caller holds the lock."""
        pool = self._pools.get(provider.host)
        if pool is None:
            size = max(1, min(self._per_host, provider.concurrency))
            pool = ThreadPoolExecutor(size, thread_name_prefix="tiles")
            self._pools[provider.host] = pool
        return pool

    def _from_blob(self, job: _Job, flight: Flight[Tile | None]) -> None:
        """The blob tier's copy when it is fresh; else upstream, revalidating the newer of
        the disk's and the blob's expired copies."""
        assert self.blob is not None
        found = self.blob.get(job.ckey, job.provider.tile_pixels(job.hidpi))  # never raises
        tile = found.tile if found is not None else None
        if tile is not None and tile.fresh:
            self.memory.put(job.ckey, tile)
            self._flights.land(job.ckey, flight, tile)
            self.disk.put_later(job.ckey, tile)
            return
        stale = job.stale
        if tile is not None and (stale is None or tile.expires > stale.expires):
            stale = tile
        self._submit_upstream(replace(job, stale=stale, found=found), flight)

    def _submit_upstream(self, job: _Job, flight: Flight[Tile | None]) -> None:
        with self._lock:
            pool = None if self._closed else self._upstream_pool(job.provider)
        if pool is None:
            self._flights.land(job.ckey, flight, None)
            return
        try:
            pool.submit(self._run, job, flight)
        except RuntimeError:  # shut down meanwhile
            self._flights.land(job.ckey, flight, None)

    def _run(self, job: _Job, flight: Flight[Tile | None]) -> None:
        tile: Tile | None = None
        try:
            tile = self._fetch(job, flight)
        except _Failure as exc:
            log.info("tile %s %d/%d/%d failed: %s", job.provider.name, *job.key, exc)
        except Exception as exc:  # never let one tile take a map down
            log.warning("tile %s %d/%d/%d failed: %s", job.provider.name, *job.key, type(exc).__name__)
        if tile is not None:
            self.memory.put(job.ckey, tile)
            if self.blob is not None:
                self.blob.put_later(job.ckey, tile, job.found)  # queued: written in the background
        # Upstream failed to revalidate: an expired tile beats none (the blob tier's copy
        # is one the waiting maps do not have).
        self._flights.land(job.ckey, flight, tile if tile is not None else job.stale)
        if tile is not None:
            # After the waiting maps have their tile, in the disk's own writer: off their
            # clock, and off the host's threads, which go on to the next tiles.
            self.disk.put_later(job.ckey, tile)

    def _fetch(self, job: _Job, flight: Flight[Tile | None]) -> Tile:
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

    def _get(self, job: _Job, flight: Flight[Tile | None], url: str, headers: dict[str, str]) -> Tile:
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
                return Tile(
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
            return Tile(
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
