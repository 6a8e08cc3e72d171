"""The encoder: a drawn image (a Pillow image or a matplotlib figure) as deterministic bytes in
the requested format, with its mimetype. Renderers import this, never the HTTP layer."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from PIL.Image import Image as PILImage

MIMETYPES = {
    "png": "image/png",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "svg": "image/svg+xml",
    "gif": "image/gif",
    # Not an image: the image's description in plain language (its alt text), from the same spec.
    "txt": "text/plain",  # Flask adds "; charset=utf-8"
}


@dataclass(frozen=True)
class Image:
    """An encoded image; ``warning`` marks a degraded render (served, but briefly cached)."""

    body: bytes
    mimetype: str
    warning: str | None = None


def text_image(text: str) -> Image:
    """A description served through the image contract (same ETag rules, 304, HEAD, caching)."""
    return Image(text.encode("utf-8"), MIMETYPES["txt"])


def encode_pil(image: PILImage, fmt: str) -> bytes:
    """Deterministic bytes for a Pillow image (no timestamps or software tags)."""
    try:
        return _encode_pil(image, fmt)
    except (OSError, ValueError) as exc:
        # Pillow's encoders report a failed allocation as "encoding error": in a render worker
        # at its memory limit that is what happens, and the pool answers it as an overrun.
        if "encoding error" in str(exc):
            raise MemoryError(f"the {fmt} encoder failed: {exc}") from exc
        raise


def _encode_pil(image: PILImage, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "png" and image.mode in ("RGB", "RGBA"):
        import numpy as np

        from api.png import encode_png

        # tobytes: Pillow's own buffer, contiguous (numpy's view of an image copies it slower).
        pixels = np.frombuffer(image.tobytes(), np.uint8)
        return encode_png(pixels.reshape(image.height, image.width, len(image.mode)))
    if fmt == "png":
        # Other modes (palette, grey): zlib's run-length strategy (3) suits flat colours.
        image.save(out, format="PNG", compress_level=6, compress_type=3)
    elif fmt == "webp":
        image.save(out, format="WEBP", quality=90, method=4)
    elif fmt == "jpeg":
        _flatten(image).save(out, format="JPEG", quality=90, optimize=False)
    elif fmt == "gif":
        from PIL import Image as PILModule

        # An adaptive palette of the picture's own colours (charts have few).
        method = PILModule.Quantize.FASTOCTREE if image.mode == "RGBA" else PILModule.Quantize.MEDIANCUT
        image.quantize(256, method=method).save(out, format="GIF")
    else:  # the schemas only let the formats of MIMETYPES through
        raise ValueError(f"cannot encode {fmt} from a raster image")
    return out.getvalue()


def _flatten(image: PILImage) -> PILImage:
    """JPEG has no alpha: composite transparent parts onto white instead of black."""
    if image.mode != "RGBA":
        return image.convert("RGB")
    from PIL import Image as PILModule

    white = PILModule.new("RGB", image.size, "white")
    white.paste(image, mask=image.getchannel("A"))
    return white


def encode_figure(fig: Figure, fmt: str, size: tuple[int, int], opaque: bool, opacity: float = 1.0) -> bytes:
    """A figure's bytes: SVG from matplotlib, the raster formats through Pillow. ``size`` is
    the CSS pixel size (SVG states it), ``opaque`` drops the alpha channel, ``opacity`` (0..1)
    fades the whole image, as one layer (overlapping parts do not show through each other)."""
    if fmt == "svg":
        out = io.BytesIO()
        fig.savefig(
            out, format="svg", metadata={"Date": None, "Creator": None}, facecolor=fig.get_facecolor()
        )
        return _svg_opacity(_css_pixel_size(out.getvalue(), size), opacity)
    canvas = fig.canvas
    canvas.draw()
    from PIL import Image as PILImage

    width, height = canvas.get_width_height(physical=True)
    image = PILImage.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)  # type: ignore[attr-defined]
    if opacity < 1:
        return encode_pil(faded(image, opacity), fmt)
    return encode_pil(image.convert("RGB") if opaque else image, fmt)


def faded(image: PILImage, opacity: float) -> PILImage:
    """``image`` (RGBA) with every pixel's alpha times ``opacity``, rounded."""
    alpha = image.getchannel("A").point(lambda a: round(a * opacity))
    result = image.copy()
    result.putalpha(alpha)
    return result


def _svg_opacity(svg: bytes, opacity: float) -> bytes:
    """The root element's opacity: browsers composite the drawing once, then fade it."""
    if opacity >= 1:
        return svg
    return svg.replace(b"<svg ", b'<svg opacity="%s" ' % f"{opacity:.4g}".encode(), 1)


_SVG_SIZE = re.compile(rb'<svg([^>]*?) width="[0-9.]+pt" height="[0-9.]+pt"')


def _css_pixel_size(svg: bytes, size: tuple[int, int]) -> bytes:
    """matplotlib states the size in points (72 per inch, so a 200 px chart would show 192 px
    wide); the viewBox keeps the drawing's own units, so only the outer size changes."""
    return _SVG_SIZE.sub(rb'<svg\1 width="%dpx" height="%dpx"' % size, svg, count=1)
