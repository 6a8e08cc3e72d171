"""The blob tier of the tile cache: tiles in an Azure Blob Storage container shared by every
instance of the app, so that a tile is fetched from upstream once per fleet.

Reached with the app's managed identity (``DefaultAzureCredential``) at an account URL, or
with a connection string (Azurite, the storage emulator, in development and tests). Each
blob is the tile as served, written in one request; its metadata holds its fetch time,
expiry, checksum and upstream validators, so it follows the same lifetime rules as the
other tiers. Writes are conditional: a new blob only if none exists (``If-None-Match: *``),
a refresh only of the version that was read (``If-Match``), so concurrent instances never
overwrite each other. Every read checks the checksum and that the tile decodes.

Nothing here raises to the fetcher: a failure (down, slow, refused, denied) is logged and
counted, and the tier is skipped for ``tile_blob_cooldown`` seconds, so the map is drawn
from upstream within its budget. A lifecycle rule of the storage account (infra/) deletes
blobs some days after their last write; that is the tier's bound.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from api.maps.tiledata import MAX_TILE_BYTES, MAX_TILE_EDGE, Tile, decode_tile
from api.settings import Settings

if TYPE_CHECKING:
    from azure.storage.blob import ContainerClient

log = logging.getLogger("api.maps.tiles")

PREFIX = "v1/"  # blob names: v1/<sha256 of the cache key>
MAX_PENDING_WRITES = 64  # writes queued beyond this are dropped (counted), never waited for
WRITERS = 2


@dataclass(frozen=True)
class Found:
    """A blob that exists: its tile (None when the blob does not check out) and its ETag,
    the version a refresh replaces."""

    tile: Tile | None
    etag: str


def blob_name(ckey: str) -> str:
    return PREFIX + hashlib.sha256(ckey.encode()).hexdigest()


def enabled(settings: Settings) -> bool:
    return bool(settings.tile_blob_connection_string or settings.tile_blob_account_url)


class BlobTier:
    """The shared tier; thread-safe. ``stats`` counts hits, stale hits, misses, corrupt
    blobs, writes, conflicts (another instance wrote first), errors, skipped (in cool-down)
    and dropped writes."""

    def __init__(self, container: ContainerClient, cooldown: float) -> None:
        self._container = container
        self._cooldown = cooldown
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._down_until = 0.0
        self._pending = 0
        self._writer = ThreadPoolExecutor(WRITERS, thread_name_prefix="tile-blob-write")
        self.stats: Counter[str] = Counter()

    @classmethod
    def from_settings(cls, settings: Settings) -> BlobTier | None:
        """The tier the settings ask for, None when they ask for none (or it cannot be set up)."""
        if not enabled(settings):
            return None
        try:
            container = _container_client(settings)
        except Exception as exc:  # a malformed connection string, a missing package...
            log.warning("tile blob tier not set up (%s): it is off", type(exc).__name__)
            return None
        return cls(container, settings.tile_blob_cooldown)

    # -- reading --------------------------------------------------------------------------

    def get(self, ckey: str, pixels: int) -> Found | None:
        """The blob of ``ckey``; None when there is none, or the tier failed or is cooling down."""
        from azure.core.exceptions import ResourceNotFoundError

        if self._cooling():
            return None
        try:
            download = self._container.get_blob_client(blob_name(ckey)).download_blob(max_concurrency=1)
            properties = download.properties
            data = download.readall() if download.size <= MAX_TILE_BYTES else b""
        except ResourceNotFoundError:
            self._count("misses")
            return None
        except Exception as exc:
            self._failed("read", exc)
            return None
        tile = _tile(data, properties.metadata or {}, pixels)
        if tile is None:
            self._count("corrupt")
            log.warning("tile blob %s does not check out: it will be replaced", blob_name(ckey)[:19])
        else:
            self._count("hits" if tile.fresh else "stale")
        return Found(tile, str(properties.etag))

    # -- writing --------------------------------------------------------------------------

    def put_later(self, ckey: str, tile: Tile, found: Found | None) -> None:
        """Store ``tile`` in the background: a new blob when ``found`` is None, else a
        refresh of that version (only its metadata when the bytes are the same)."""
        with self._lock:
            if time.monotonic() < self._down_until:
                self.stats["skipped"] += 1
                return
            if self._pending >= MAX_PENDING_WRITES:
                self.stats["dropped"] += 1
                return
            self._pending += 1
        try:
            self._writer.submit(self._put, ckey, tile, found)
        except RuntimeError:  # closed
            self._done()

    def _put(self, ckey: str, tile: Tile, found: Found | None) -> None:
        from azure.core import MatchConditions
        from azure.core.exceptions import ResourceExistsError, ResourceModifiedError

        blob = self._container.get_blob_client(blob_name(ckey))
        metadata = _metadata(tile)
        try:
            if found is None:
                blob.upload_blob(tile.data, overwrite=False, metadata=metadata, length=len(tile.data))
            elif found.tile is not None and found.tile.data == tile.data:
                blob.set_blob_metadata(
                    metadata, etag=found.etag, match_condition=MatchConditions.IfNotModified
                )
            else:
                blob.upload_blob(
                    tile.data,
                    overwrite=True,
                    metadata=metadata,
                    length=len(tile.data),
                    etag=found.etag,
                    match_condition=MatchConditions.IfNotModified,
                )
            self._count("writes")
        except (ResourceExistsError, ResourceModifiedError):
            self._count("conflicts")  # another instance stored it first: theirs stays
        except Exception as exc:
            self._failed("write", exc)
        finally:
            self._done()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait for the queued writes; False if some are still running after ``timeout``."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        self._writer.shutdown(wait=False, cancel_futures=True)
        with contextlib.suppress(Exception):  # closing sockets
            self._container.close()

    # -- health ---------------------------------------------------------------------------

    def _cooling(self) -> bool:
        with self._lock:
            if time.monotonic() < self._down_until:
                self.stats["skipped"] += 1
                return True
            return False

    def _failed(self, what: str, exc: BaseException) -> None:
        with self._lock:
            first = time.monotonic() >= self._down_until
            self._down_until = time.monotonic() + self._cooldown
            self.stats["errors"] += 1
        status = getattr(exc, "status_code", None)
        reason = type(exc).__name__ + (f" {status}" if status else "")
        # The reason is the exception's type and status only: its text may hold the account's URL.
        if first:
            log.warning("tile blob tier: %s failed (%s); skipped for %g s", what, reason, self._cooldown)
        else:
            log.info("tile blob tier: %s failed (%s)", what, reason)

    def _count(self, name: str) -> None:
        with self._lock:
            self.stats[name] += 1

    def _done(self) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()


def _metadata(tile: Tile) -> dict[str, str]:
    meta = {
        "sha256": hashlib.sha256(tile.data).hexdigest(),
        "pixels": str(tile.image.size[0]),
        "expires": f"{tile.expires:.3f}",
        "fetched": f"{time.time():.3f}",
    }
    # Header values: ASCII only, so the validators are stored percent-encoded.
    if tile.etag:
        meta["etag"] = quote(tile.etag, safe="")
    if tile.last_modified:
        meta["lastmodified"] = quote(tile.last_modified, safe="")
    return meta


def _tile(data: bytes, metadata: dict[str, str], pixels: int) -> Tile | None:
    """The blob's tile if its checksum, lifetime and image check out."""
    try:
        expires = float(metadata["expires"])
        stored_pixels = int(metadata["pixels"])
    except (KeyError, ValueError):
        return None
    if (
        not data
        or metadata.get("sha256") != hashlib.sha256(data).hexdigest()
        or stored_pixels != pixels
        or not 0 < pixels <= MAX_TILE_EDGE
    ):
        return None
    image = decode_tile(data, pixels)
    if image is None:
        return None
    etag, modified = metadata.get("etag"), metadata.get("lastmodified")
    return Tile(
        image, data, expires, unquote(etag) if etag else None, unquote(modified) if modified else None
    )


def _container_client(settings: Settings) -> ContainerClient:
    from azure.storage.blob import ContainerClient

    # No retries and short timeouts: a slow tier must cost a map little, and upstream is the fallback.
    options: dict[str, Any] = {
        "connection_timeout": settings.tile_blob_timeout,
        "read_timeout": settings.tile_blob_timeout,
        "retry_total": 0,
        "max_single_get_size": MAX_TILE_BYTES + 1,
        "max_single_put_size": MAX_TILE_BYTES + 1,
    }
    # Every request would be logged at INFO (with redacted headers): only problems are.
    logging.getLogger("azure.core.pipeline.policies.http_logging_policy").setLevel(logging.WARNING)
    if settings.tile_blob_connection_string:
        return ContainerClient.from_connection_string(
            settings.tile_blob_connection_string, settings.tile_blob_container, **options
        )
    from azure.identity import DefaultAzureCredential

    credential = DefaultAzureCredential(
        managed_identity_client_id=settings.tile_blob_client_id or None,
        connection_timeout=settings.tile_blob_timeout,  # the identity endpoint's too
        read_timeout=settings.tile_blob_timeout,
    )
    return ContainerClient(
        settings.tile_blob_account_url, settings.tile_blob_container, credential=credential, **options
    )
