"""Spec -> encoded chart image. matplotlib is imported here, on the first chart drawn."""

from __future__ import annotations

import threading
import warnings
from functools import cache
from typing import TYPE_CHECKING

from api.charts.frame import theme_of
from api.charts.kinds import KINDS
from api.charts.specs import ChartSpec
from api.encode import MIMETYPES, Image, encode_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# matplotlib's global state (font caches, rcParams) is not thread-safe: one render at a time.
_RENDER_LOCK = threading.Lock()


def _no_property_table(artist: object) -> str:
    return ""


@cache
def _configure_matplotlib() -> None:
    import matplotlib.artist

    # Set before matplotlib defines its Artist classes (matplotlib.figure imports them): it
    # writes a table of every property into each class's set() docstring as the class is
    # defined, about a third of its import time, and no renderer reads a docstring.
    matplotlib.artist.kwdoc = _no_property_table

    # Same spec, same SVG bytes: element ids come from this salt, not from a random one.
    matplotlib.rcParams["svg.hashsalt"] = "chartmap"
    matplotlib.rcParams["text.parse_math"] = False  # user text is literal, never TeX
    # SVG text names its font with fallbacks of similar metrics; DejaVu Sans (bundled with
    # matplotlib) stays the font every raster chart is drawn and measured with.
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", "Verdana"]


def new_figure(spec: ChartSpec) -> Figure:
    from matplotlib.figure import Figure

    from api.charts.textcache import CachedTextCanvas

    out = spec.output
    # 100 dpi per unit of scale: sizes in points stay put, pixels multiply.
    fig = Figure(figsize=(out.width / 100, out.height / 100), dpi=100 * out.scale)
    CachedTextCanvas(fig)
    theme = theme_of(spec)
    if spec.background == "transparent":
        fig.patch.set_alpha(0.0)
    else:
        fig.patch.set_facecolor(spec.background or theme.background)
    return fig


def render_figure(spec: ChartSpec) -> Figure:
    """The chart as a matplotlib Figure: a pure function of the spec."""
    _configure_matplotlib()
    fig = new_figure(spec)
    KINDS[spec.kind].render(spec, fig)
    if spec.extras is not None:
        from api.charts.marks import draw_extras

        draw_extras(fig, spec.extras)
    return fig


def render_chart(spec: ChartSpec) -> Image:
    with _RENDER_LOCK, warnings.catch_warnings():
        # DejaVu Sans has no CJK and some other scripts: those characters are drawn as
        # boxes, which is the whole of what the warning would tell.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig = render_figure(spec)
        out = spec.output
        if out.format == "svg":
            import matplotlib

            matplotlib.rcParams["svg.fonttype"] = "none" if spec.svg_text == "text" else "path"
        opaque = spec.background != "transparent" and (
            spec.background is None or spec.background.endswith("ff")
        )
        body = encode_figure(fig, out.format, (out.width, out.height), opaque, spec.opacity)
        return Image(body, MIMETYPES[out.format])
