"""A fetched map tile and what every cache tier shares: decoding, lifetimes, cache keys
and the self-checking entry format of the disk tier.

A leaf of the tile layer: the fetcher (:mod:`api.maps.tiles`) and the memory, disk and blob
tiers (``api.maps.tilecache_*``) import it; it imports none of them.
"""

from __future__ import annotations

import email.utils
import hashlib
import io
import json
import re
import struct
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError

from api.maps.providers import TileProvider

TileKey = tuple[int, int, int]  # z, x, y

MAX_TILE_BYTES = 4 * 1024 * 1024  # a response body larger than this is not a tile
MAX_TILE_EDGE = 2048
MAGIC = b"CMT1"
HEADER = struct.Struct(">4sI")  # magic, length of the JSON metadata that follows
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass
class Tile:
    """A decoded tile and what is needed to revalidate it."""

    image: Image.Image
    data: bytes
    expires: float  # wall-clock time (time.time())
    etag: str | None = None
    last_modified: str | None = None

    @property
    def fresh(self) -> bool:
        return time.time() < self.expires


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


def cache_key(provider: TileProvider, key: TileKey, hidpi: bool) -> str:
    """The key of a tile in every tier. The template, not the URL: a provider's API key is
    never part of a cache key."""
    z, x, y = key
    return f"{provider.name}|{provider.url_template}|{'2x' if hidpi else '1x'}|{z}/{x}/{y}"


def tile_bytes(tile: Tile) -> int:
    """What a tile holds in memory: encoded plus decoded size."""
    width, height = tile.image.size
    return len(tile.data) + width * height * 4 + 256


def pack_entry(tile: Tile) -> bytes:
    """``CMT1``, the length of a JSON header (sha256 and length of the body, expiry, ETag,
    Last-Modified, edge in pixels), the header, then the tile as served."""
    meta = {
        "sha256": hashlib.sha256(tile.data).hexdigest(),
        "length": len(tile.data),
        "expires": tile.expires,
        "etag": tile.etag,
        "last_modified": tile.last_modified,
        "pixels": tile.image.size[0],
    }
    header = json.dumps(meta, separators=(",", ":")).encode()
    return HEADER.pack(MAGIC, len(header)) + header + tile.data


def parse_entry(raw: bytes) -> Tile | None:
    """The tile of an entry whose header, checksum and image all check out, else None."""
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
    return Tile(
        image,
        data,
        expires,
        etag if isinstance(etag, str) else None,
        modified if isinstance(modified, str) else None,
    )


def _split_entry(raw: bytes) -> tuple[dict[str, Any], bytes] | None:
    """The metadata and body of an entry whose checksum matches, else None."""
    if len(raw) < HEADER.size:
        return None
    magic, header_len = HEADER.unpack_from(raw)
    start = HEADER.size + header_len
    if magic != MAGIC or start > len(raw):
        return None
    try:
        meta = json.loads(raw[HEADER.size : start])
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
