"""A PNG writer for 8-bit RGB and RGBA pixels: the Up filter and libdeflate.

Pillow's PNG encoder spent about a quarter of a 640x480 chart's render time choosing a
filter per row and deflating with zlib. Charts and maps are flat colours with many rows
alike, where the Up filter (each byte minus the one above) turns repeated rows into zeros;
libdeflate compresses that about three times faster than Pillow's encoder, to about the same
size (640x480 charts: 1.5 against 4-5 ms; bars and pies 3-12% smaller, antialiased lines up
to 2% larger).
The bytes are deterministic: no timestamps, no text chunks.
"""

from __future__ import annotations

import struct
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
COLOR_TYPES = {3: 2, 4: 6}  # channels -> PNG colour type (truecolour, truecolour with alpha)
UP_FILTER = 2
LEVEL = 6  # libdeflate's default: levels 7+ cost 15-250% more time for under 1% fewer bytes


def _chunk(kind: bytes, data: bytes | bytearray) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(pixels: np.ndarray) -> bytes:
    """PNG bytes of an ``(height, width, 3 or 4)`` uint8 array (RGB or RGBA)."""
    import deflate
    import numpy as np

    height, width, channels = pixels.shape
    if pixels.dtype != np.uint8 or channels not in COLOR_TYPES:
        raise ValueError(f"encode_png takes 8-bit RGB or RGBA pixels, not {pixels.dtype} x {channels}")
    # Rows of bytes (a strided view, such as the RGB of an RGBA buffer, is copied here).
    rows = pixels.reshape(height, width * channels)
    filtered = np.empty((height, width * channels + 1), np.uint8)
    filtered[:, 0] = UP_FILTER
    filtered[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])  # uint8 arithmetic wraps, as PNG's does
    header = struct.pack(">IIBBBBB", width, height, 8, COLOR_TYPES[channels], 0, 0, 0)
    return b"".join(
        (
            SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", deflate.zlib_compress(filtered.data, LEVEL)),
            _chunk(b"IEND", b""),
        )
    )
