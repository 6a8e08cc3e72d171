"""QR codes (Google Image Charts' ``cht=qr``), encoded by segno.

The code is centred in the image and scaled to whole device pixels per module, drawn
without anti-aliasing, so that every module is a crisp square a scanner can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from marshmallow import fields
from marshmallow import validate as validators

from api.charts.frame import bare_axes, is_compact, plot_area
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, SpecError, options_of
from api.fields import Color
from api.outputfields import choice_field

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from segno import QRCode

    from api.settings import Limits

ERROR_LEVELS = ("L", "M", "Q", "H")
# The most any QR code holds: 7,089 digits (version 40, level L); other text holds less.
MAX_TEXT = 7089
MAX_MARGIN = 40  # modules of quiet zone on each side
DEFAULT_COLOR = "#000000ff"


@dataclass(frozen=True)
class QrOptions(KindOptions):
    text: str
    error_correction: str = "L"
    margin: int = 4  # quiet zone, in modules
    color: str = DEFAULT_COLOR  # the dark modules, "#rrggbbaa"


@lru_cache(maxsize=32)
def encode(text: str, error_correction: str) -> QRCode:
    """The QR code of ``text``; segno raises the error correction above the level asked
    for when the code stays the same size. Cached: validation and drawing both need it."""
    import segno

    return segno.make(text, error=error_correction, micro=False)


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "text": fields.String(
            required=True,
            validate=validators.Length(min=1, max=MAX_TEXT),
            metadata={
                "description": "The text to encode, as UTF-8 (ISO 8859-1 where it fits). A QR code holds "
                f"at most {MAX_TEXT} digits, 4,296 capital letters and digits, or 2,953 bytes of "
                "other text at error correction L, and less at higher levels; longer text is an "
                "error naming text."
            },
        ),
        "error_correction": choice_field(
            ERROR_LEVELS,
            "L",
            "Error correction: L (7% of the code may be lost), M (15%), Q (25%), H (30%). "
            "A higher level is used where it fits in the same size of code.",
        ),
        "margin": fields.Integer(
            load_default=4,
            validate=validators.Range(min=0, max=MAX_MARGIN),
            metadata={"description": "Quiet zone around the code, in modules (scanners want 4)."},
        ),
        "color": Color(
            load_default=DEFAULT_COLOR,
            metadata={"description": "Colour of the dark modules. Default: black."},
        ),
    }


def check(spec: ChartSpec, limits: Limits) -> None:
    from segno import DataOverflowError

    opts = options_of(spec, QrOptions)
    try:
        encode(opts.text, opts.error_correction)
    except DataOverflowError:
        level = opts.error_correction
        hint = "" if level == "L" else "; a lower level holds more"
        raise SpecError(
            "options.text",
            f"{len(opts.text)} characters are too many for a QR code at error correction {level}{hint}.",
        ) from None


def options(params: dict[str, Any]) -> QrOptions:
    return QrOptions(params["text"], params["error_correction"], params["margin"], params["color"])


def render(spec: ChartSpec, fig: Figure) -> None:
    from matplotlib.patches import PathPatch

    opts = options_of(spec, QrOptions)
    matrix = encode(opts.text, opts.error_correction).matrix
    # Axes over the whole figure whose data units are device pixels: a module edge on a
    # whole number is a pixel edge (in SVG, the same geometry scaled as a whole).
    ax = bare_axes(fig, (0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, fig.bbox.width)
    ax.set_ylim(0, fig.bbox.height)
    width, top = int(fig.bbox.width), int(fig.bbox.height)  # the canvas, in whole pixels
    if spec.title and not is_compact(spec):
        _, bottom, _, box_height = plot_area(fig, spec, [])
        top = int((bottom + box_height) * fig.bbox.height)
    modules = len(matrix) + 2 * opts.margin
    side = min(width, top)
    # Whole pixels per module; below one pixel per module the code cannot scan anyway.
    module: float = side // modules if side >= modules else side / modules
    left = (width - module * modules) // 2 + module * opts.margin
    upper = top - (top - module * modules) // 2 - module * opts.margin
    path = _modules_path(matrix, left, upper, module)
    if path is not None:
        modules_patch = PathPatch(
            path, facecolor=opts.color, linewidth=0, antialiased=False, snap=False, clip_on=False
        )
        modules_patch.set_gid("qr-modules")  # names the SVG group
        ax.add_artist(modules_patch)  # not add_patch: the limits are set, and it walks every segment


def _modules_path(matrix: tuple[bytearray, ...], left: float, upper: float, module: float) -> Any:
    """One path of rectangles, one per run of dark modules in a row, with corners rounded to
    whole pixels; None for no dark module."""
    import numpy as np
    from matplotlib.path import Path

    rects = []
    for row, values in enumerate(matrix):
        y0, y1 = round(upper - (row + 1) * module), round(upper - row * module)
        column = 0
        size = len(values)
        while column < size:
            if not values[column] & 1:
                column += 1
                continue
            start = column
            while column < size and values[column] & 1:
                column += 1
            rects.append((round(left + start * module), y0, round(left + column * module), y1))
    if not rects:
        return None
    x0, y0, x1, y1 = np.array(rects, dtype=float).T
    vertices = np.stack([x0, y0, x1, y0, x1, y1, x0, y1, x0, y0], axis=1).reshape(-1, 2)
    codes = np.tile([Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY], len(rects)).astype(
        Path.code_type
    )
    return Path(vertices, codes)


KIND = ChartKind(
    name="qr",
    summary="QR code",
    description="The text as a QR code (model 2, encoded by segno), centred and scaled to whole "
    "pixels per module so that it scans; margin is the quiet zone in modules. Takes no data.",
    render=render,
    groups=("base",),
    omit=("data", "theme"),
    own_fields=own_fields,
    options=options,
    check=check,
    default_size=(300, 300),
    examples={
        "title": "Your ticket",
        "text": "https://example.org/tickets/2026?seat=14C",
        "error_correction": "M",
        "margin": 4,
        "color": "000000",
        "background": "white",
    },
)
