"""An Agg canvas whose text measurement and glyph layout are kept across figures.

matplotlib caches a text's size per renderer, and every chart has a new renderer: each chart
measured and laid out "0", "10", "Q1", its title... from scratch, and that was most of a small
chart's drawing time. Both results are pure functions of the string, the font properties and
the dpi, so they are kept here, across renders, in bounded LRU tables.

Rasterising each glyph was the largest part left. A glyph's bitmap depends on where it lands
only through the fraction of a pixel (FreeType positions in 1/64 px; a whole-pixel shift
moves the outline and its bitmap by exactly that many pixels), so bitmaps are kept per font,
size, glyph, angle and that fraction, and placed at the whole-pixel part: the pixels are the
same as Agg's own, bit for bit.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import RenderMode

# Bounds: entries of the size table (about 250 bytes each), and glyphs (about 30 bytes each)
# across the layout table.
MAX_MEASURED = 2048
MAX_LAID_OUT_GLYPHS = 20_000
# Text anchored farther than this from the canvas is not drawn (200 characters of the largest
# font at scale 4 span under 20,000 px).
OFF_CANVAS_PX = 1e6
MAX_CACHED_LENGTH = 64  # longer strings (titles) are seldom drawn twice
# Glyph bitmaps, in bytes (a 10 pt glyph at scale 1 is about 100 bytes, at scale 4 about 1.6 KB;
# each entry is charged GLYPH_OVERHEAD more: its key, array and table slot, as measured).
MAX_GLYPH_BYTES = 2 * 1024 * 1024
GLYPH_OVERHEAD = 480


class _LRU:
    """A small LRU table bounded by a total weight (entries, or glyphs)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.weight = 0
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: Hashable, value: Any, weight: int = 1) -> None:
        if weight > self.budget:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.weight -= old[1]
            self._items[key] = (value, weight)
            self.weight += weight
            while self.weight > self.budget:
                _, (_, dropped) = self._items.popitem(last=False)
                self.weight -= dropped

    def __len__(self) -> int:
        return len(self._items)


MEASURED = _LRU(MAX_MEASURED)
LAID_OUT = _LRU(MAX_LAID_OUT_GLYPHS)
GLYPHS = _LRU(MAX_GLYPH_BYTES)


_FONT_KEYS: dict[tuple[Hashable, ...], tuple[Hashable, ...]] = {}


def _font_key(prop: FontProperties, dpi: float) -> tuple[Hashable, ...]:
    key: tuple[Hashable, ...] = (
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_size_in_points(),
        prop.get_file(),
        dpi,
        get_hinting_flag(),
    )
    # One stored tuple per font and size (charts use a handful), not one per table entry.
    if len(_FONT_KEYS) < MAX_MEASURED:
        key = _FONT_KEYS.setdefault(key, key)
    return key


def _font_height_metrics(prop: FontProperties, dpi: float) -> tuple[float | None, float | None, float | None]:
    """Ascent, descent and line gap in pixels, as Text._get_layout computes them (None each
    where the font has neither table: matplotlib then measures "lp")."""
    from matplotlib.font_manager import fontManager, get_font

    font: Any = get_font(fontManager._find_fonts_by_props(prop))  # its tables, read by name
    for table_name, gap_key, ascent_key, descent_key in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
        return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None, None, None


class CachedTextRenderer(RendererAgg):
    """RendererAgg with the size and layout of plain (non-math) text taken from the tables."""

    def get_text_width_height_descent(self, s: str, prop: FontProperties, ismath: Any) -> Any:
        if ismath or len(s) > MAX_CACHED_LENGTH:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, _font_key(prop, self.dpi))
        extent = MEASURED.get(key)
        if extent is None:
            extent = super().get_text_width_height_descent(s, prop, ismath)
            MEASURED.put(key, extent)
        return extent

    def _get_font_height_metrics(
        self, prop: FontProperties
    ) -> tuple[float | None, float | None, float | None]:
        """The hook Text._get_layout asks first (matplotlib 3.11): its own fallback reads the
        font's tables for every text of every figure; the same figures, kept per font."""
        key = ("height metrics", _font_key(prop, self.dpi))
        metrics = MEASURED.get(key)
        if metrics is None:
            metrics = _font_height_metrics(prop, self.dpi)
            MEASURED.put(key, metrics)
        return metrics

    def draw_text(  # noqa: PLR0917 (matplotlib's signature)
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        if not (abs(x) < OFF_CANVAS_PX and abs(y) < OFF_CANVAS_PX):
            # A value label of a value far beyond the axis range (max=1e-170 with data 28):
            # none of it could be visible, and FreeType's integer glyph positions would overflow.
            return
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        if ismath or len(s) > MAX_CACHED_LENGTH:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        key = (s, _font_key(prop, self.dpi), features, language)
        glyphs = LAID_OUT.get(key)
        if glyphs is None:
            font = self._prepare_font(prop)
            items = font._layout(s, flags=get_hinting_flag(), features=features, language=language)
            # Compact: a font per glyph (references), glyph indices and positions in arrays.
            glyphs = (
                tuple(item.ft_object for item in items),
                array("I", (item.glyph_index for item in items)),
                array("d", (v for item in items for v in (item.x, item.y))),
            )
            LAID_OUT.put(key, glyphs, max(1, len(glyphs[0])))
        fonts, indices, positions = glyphs
        self._draw_glyphs(gc, x, y, angle, prop.get_size_in_points(), fonts, indices, positions)

    def _draw_glyphs(  # noqa: PLR0917
        self,
        gc: Any,
        x: float,
        y: float,
        angle: float,
        size: float,
        fonts: tuple[Any, ...],
        indices: array[int],
        positions: array[float],
    ) -> None:
        """matplotlib's glyph loop (RendererAgg._draw_text_glyphs_and_boxes, for plain text)
        with each glyph's bitmap taken from :data:`GLYPHS` when it was rendered before."""
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        load_flags = get_hinting_flag()
        antialiased = bool(gc.get_antialiased())
        height = self.height
        canvas_height = int(height)
        draw = self._renderer.draw_text_image
        for i, (font, index) in enumerate(zip(fonts, indices, strict=True)):
            dx, dy = positions[2 * i], positions[2 * i + 1]  # dy is upwards
            # FreeType's 26.6 fixed point, as matplotlib rounds it; FreeType's y is upwards.
            x64 = round(0x40 * (x + dx * cos - dy * sin))
            y64 = round(0x40 * (height - y + dx * sin + dy * cos))
            key = (font.fname, size, self.dpi, index, angle, x64 & 63, y64 & 63, antialiased, load_flags)
            cached = GLYPHS.get(key)
            if cached is None:
                phase = (x64 & 63, y64 & 63)
                cached = self._render_glyph(font, size, index, (cos, sin), phase, antialiased, load_flags)
                GLYPHS.put(key, cached, cached[0].nbytes + GLYPH_OVERHEAD)
            buffer, left, top = cached
            # draw_text_image's y is downwards and the bitmap's bottom side.
            draw(buffer, left + (x64 >> 6), canvas_height - top - (y64 >> 6) + buffer.shape[0], 0, gc)

    def _render_glyph(  # noqa: PLR0917
        self,
        font: Any,
        size: float,
        index: int,
        rotation: tuple[float, float],
        phase: tuple[int, int],
        antialiased: bool,
        load_flags: Any,
    ) -> tuple[np.ndarray, int, int]:
        """The glyph rendered at the fraction ``phase`` / 64 of a pixel from the origin,
        turned by ``rotation`` (cos, sin)."""
        cos, sin = rotation
        font.set_size(size, self.dpi)
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
        font._set_transform(matrix, list(phase))
        bitmap = font._render_glyph(index, load_flags, RenderMode.NORMAL if antialiased else RenderMode.MONO)
        buffer = np.array(bitmap.buffer)  # a copy the cache owns
        if not antialiased:
            buffer *= 0xFF
        return buffer, bitmap.left, bitmap.top


class CachedTextCanvas(FigureCanvasAgg):
    """FigureCanvasAgg drawing through :class:`CachedTextRenderer`."""

    def get_renderer(self) -> RendererAgg:
        width, height = self.get_width_height(physical=True)
        key = width, height, self.figure.dpi
        if self._lastKey != key:
            self.renderer = CachedTextRenderer(width, height, self.figure.dpi)
            self._lastKey = key
        return self.renderer
