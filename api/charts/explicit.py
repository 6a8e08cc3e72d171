"""Optional parts of a chart spec that a request states explicitly instead of leaving them to
the kind: axes with given labels, grid steps, markers and fills over the series, line styles,
the title's style, margins and the plot's background.

Google Image Charts URLs state all of these; a spec without extras draws as before. Positions
are fractions of the plot (0..1 from the left or bottom), sizes are CSS pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.charts.options import KindOptions

# Dashes and gaps are drawn at least this long (CSS pixels): shorter ones cannot be seen, and
# each costs a path segment (a 0.01 px dash made a line of millions, past Agg's limits).
MIN_DASH_PX = 1.0
PT_PER_PX = 72 / 100  # CSS pixels to points (figures have 100 dpi per unit of scale)


def dash_pattern(dash_px: float, gap_px: float) -> tuple[float, float]:
    """The dash and gap lengths drawn for those asked."""
    return max(dash_px, MIN_DASH_PX), max(gap_px, MIN_DASH_PX)


@dataclass(frozen=True)
class AxisGuide:
    """One axis on a side of the plot: labels at positions along it. Several on the same side
    are stacked outwards in order."""

    side: str  # "bottom", "top", "left" or "right"
    ticks: tuple[tuple[float, str], ...] = ()  # (position 0..1 along the axis, label)
    color: str | None = None  # labels; None: the theme's text colour
    font_px: float | None = None
    # Labels against their positions: "start", "center" or "end" (left to right, also on the
    # side axes, whose labels form a column); None: centred, or flush to a side axis's line.
    align: str | None = None
    line: bool = True  # the axis line
    tick_marks: bool = True
    line_color: str | None = None
    tick_color: str | None = None
    # Tick mark lengths in CSS pixels, cycled over the ticks; below 0 they point into the
    # plot (cut at its edges). Empty: the default length, outwards.
    tick_lengths_px: tuple[float, ...] = ()


@dataclass(frozen=True)
class GridGuide:
    """Grid lines every ``x_step`` / ``y_step`` of the plot (0: none), dashed."""

    x_step: float
    y_step: float
    dash_px: float = 4.0
    gap_px: float = 1.0  # 0: solid
    x_offset: float = 0.0
    y_offset: float = 0.0


@dataclass(frozen=True)
class ShapeMark:
    """A shape on points of a series: "circle", "square", "diamond", "cross", "x", or a
    line through the point: "vline" (from the bottom), "vline_full", "hline_full"."""

    shape: str
    color: str
    series: int
    points: tuple[float, ...]  # point indexes; a fraction lies between two points
    size_px: float
    above: bool = True  # over the series, or under them
    # vline_full, hline_full: a line this long centred on the point (a box plot's whiskers
    # and median), instead of across the plot.
    length_px: float | None = None


@dataclass(frozen=True)
class TextMark:
    """A text next to each of some points of a series (value labels).

    ``anchor`` is the part of the text on the point, as (horizontal, vertical) alignment
    ("left", "center", "right"; "bottom", "center", "top"); None: above the point (beside
    it on horizontal bars). ``bar_place`` and ``offset_px`` as :class:`FlagMark`'s."""

    color: str
    series: int
    points: tuple[int, ...]
    texts: tuple[str, ...]  # one per point
    size_px: float
    above: bool = True
    anchor: tuple[str, str] | None = None
    bar_place: str | None = None
    offset_px: tuple[float, float] = (0.0, 0.0)  # right, up


@dataclass(frozen=True)
class FillMark:
    """The area between two line series, or between a series and the bottom (``to`` None)."""

    color: str
    series: int
    to: int | None = None


@dataclass(frozen=True)
class RuleMark:
    """A horizontal line across the plot at ``position`` (0..1 up), or a band from ``position``
    to ``end`` that runs across (``vertical`` False) or up (True) the plot."""

    color: str
    position: float
    end: float | None = None  # a band
    vertical: bool = False
    width_px: float = 1.0


@dataclass(frozen=True)
class LineMark:
    """A line through points given in the data coordinates of the chart's axes (bar charts:
    the category index along the categories and the value as a fraction of the plot; line
    charts: x and value as fractions). NaN breaks the line. Compound charts draw a series
    this way over bars (Google's line markers)."""

    color: str
    points: tuple[tuple[float, float], ...]
    width_px: float = 2.0
    above: bool = True


@dataclass(frozen=True)
class PlacedMark:
    """A shape ("circle", "square", "diamond", "cross", "x") or a text centred at a position of
    the plot (fractions 0..1 from its left and bottom), not at a data point."""

    shape: str  # or "text"
    color: str
    x: float
    y: float
    size_px: float
    text: str = ""
    above: bool = True


@dataclass(frozen=True)
class CandleMark:
    """Candlesticks at positions along the categories (data coordinates of the chart's axes,
    as :class:`LineMark`): a thin line from low to high and a body ``width_px`` wide from open
    to close; across the plot when ``horizontal``."""

    color: str
    candles: tuple[tuple[float, float, float, float, float], ...]  # position, low, open, close, high
    width_px: float
    horizontal: bool = False
    above: bool = True
    # Positions are fractions of the plot (line charts): those at 0 and 1 stand on its edges,
    # and the plot leaves room for their bodies beside it.
    edge_to_edge: bool = False


@dataclass(frozen=True)
class ArrowMark:
    """An arrow pointing down at each of some points of a series, ``size_px`` long, its tip
    moved ``offset_px`` (right, up) from the point."""

    color: str
    series: int
    points: tuple[float, ...]  # point indexes; a fraction lies between two points
    size_px: float
    offset_px: tuple[float, float] = (0.0, 0.0)
    above: bool = True


@dataclass(frozen=True)
class ErrorBarMark:
    """Error bars at positions along the categories (data coordinates of the chart's axes, as
    :class:`LineMark`): a line ``width_px`` thick from low to high, with ends ``cap_px`` wide
    across it (0: none); across the plot when ``horizontal``."""

    color: str
    bars: tuple[tuple[float, float, float], ...]  # position, low, high
    width_px: float
    cap_px: float = 0.0
    horizontal: bool = False
    above: bool = True
    edge_to_edge: bool = False  # as CandleMark's


@dataclass(frozen=True)
class FlagMark:
    """A text in a box at each of some points of a series, joined to its point by a line: a
    flag on a short pole, or an annotation whose line grows to keep its box clear of the
    boxes before it.

    ``anchor`` is the part of the box at the pole's end: horizontally "left", "center" or
    "right", vertically "bottom" (the box above the point), "middle" or "top" (below);
    ``bar_place`` puts the point at a bar's "base", "center" or "end" (None: the bar's end).
    """

    color: str
    series: int
    points: tuple[float, ...]
    text: str
    size_px: float
    annotation: bool = False
    anchor: tuple[str, str] = ("left", "bottom")
    bar_place: str | None = None
    offset_px: tuple[float, float] = (0.0, 0.0)  # right, up
    above: bool = True


Mark = (
    ShapeMark
    | TextMark
    | FillMark
    | RuleMark
    | LineMark
    | PlacedMark
    | CandleMark
    | ArrowMark
    | ErrorBarMark
    | FlagMark
)


@dataclass(frozen=True)
class LineStyle:
    width_px: float
    dash_px: float = 0.0  # 0: solid
    gap_px: float = 0.0


@dataclass(frozen=True)
class TitleStyle:
    color: str | None = None
    font_px: float | None = None
    align: str = "center"  # "left", "center", "right"


@dataclass(frozen=True)
class StatedData:
    """The data as the request gave them, for descriptions (``format=txt``, alt text): a
    request that states its drawing (values as fractions of the plot, categories as axis
    labels) keeps what it meant here. Renderers never read it."""

    series: tuple[tuple[float, ...], ...]  # NaN where missing
    labels: tuple[str, ...] = ()  # categories or slices; empty: the spec's own labels
    min: float | None = None  # the value range the data were given against
    max: float | None = None
    options: KindOptions | None = None  # the kind's options with stated values (x, sizes); None: the spec's


@dataclass(frozen=True)
class AreaFill:
    """A gradient or stripes over the background or the plot area.

    ``direction`` in degrees: 0 runs left to right, 90 bottom to top. ``gradient``: colours at
    positions 0..1 along it, blended between. Otherwise stripes: colours with widths as
    fractions of the area along it, repeated until the area is filled.
    """

    direction: float
    stops: tuple[tuple[str, float], ...]  # (colour, position) or (colour, width)
    gradient: bool = True


@dataclass(frozen=True)
class ChartExtras:
    # None: the kind's own axes; (): no axes at all.
    axes: tuple[AxisGuide, ...] | None = None
    grid: GridGuide | None = None
    marks: tuple[Mark, ...] = ()
    line_styles: tuple[LineStyle | None, ...] = ()  # per series; None or missing: the kind's
    title_style: TitleStyle | None = None
    margins_px: tuple[float, float, float, float] | None = None  # least left, right, top, bottom
    legend_px: tuple[float, float] | None = None  # least legend width and height
    # The legend's order: None (as given), "r" (reversed), "a" (shortest first, in 10 px
    # steps), or the indexes of the entries to show, in order.
    legend_order: str | tuple[int, ...] | None = None
    plot_background: str | None = None
    background_fill: AreaFill | None = None  # over the whole image, below everything
    plot_fill: AreaFill | None = None  # over the plot area, below the series
    # Texts are drawn at every size (the request asked for them), not dropped on small images.
    keep_text: bool = False
    stated: StatedData | None = None
    # Smaller texts and margins (Google's sizes: 11 px labels, a 14 px title).
    compact_text: bool = False
