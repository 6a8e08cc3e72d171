"""Chart specs: the canonical, hashable form of a chart request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from api.charts.explicit import ChartExtras
from api.charts.legend import LegendStyle
from api.charts.options import KindOptions
from api.output import Output

# Where a chart's legend goes (the legend_position parameter).
LEGEND_POSITIONS = ("right", "left", "top", "bottom", "inside", "none")

if TYPE_CHECKING:
    from marshmallow.fields import Field
    from matplotlib.figure import Figure

    from api.settings import Limits


Options = TypeVar("Options", bound=KindOptions)


@dataclass(frozen=True)
class ChartSpec:
    kind: str
    series: tuple[tuple[float, ...], ...]
    labels: tuple[str, ...] = ()
    legend: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()  # "#rrggbbaa"
    title: str = ""
    xlabel: str = ""
    ylabel: str = ""
    min: float | None = None
    max: float | None = None
    log: bool = False
    grid: bool = True
    value_labels: bool = False
    number_format: str = "plain"
    legend_position: str = "right"
    legend_style: LegendStyle | None = None  # the legend's text colour and size; None: the theme's
    background: str | None = None  # None: the theme's; "transparent" or "#rrggbbaa"
    # The whole image's opacity 0..1, over everything drawn (backgrounds, texts, series alike).
    opacity: float = 1.0
    theme: str = "light"
    svg_text: str = "text"  # SVG only: "text" keeps <text> elements, "paths" draws glyph outlines
    output: Output = field(default_factory=Output)
    options: KindOptions | None = None  # the kind's own options
    extras: ChartExtras | None = None  # explicit axes, markers, styles (api.charts.explicit)


def options_of(spec: ChartSpec, options: type[Options], default: Options | None = None) -> Options:
    """The spec's options as its kind's class, or ``default`` when the spec has none."""
    if spec.options is None and default is not None:
        return default
    if not isinstance(spec.options, options):
        raise TypeError(f"A {spec.kind} chart takes {options.__name__}, not {type(spec.options).__name__}.")
    return spec.options


class SpecError(ValueError):
    """A chart spec its kind cannot draw. ``field`` names the spec field at fault (``series``,
    ``labels``, ``colors``, ``max``, ``options.x``...); each front end reports it under its own
    parameter name."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ChartKind:
    """One chart kind: its parameters, checks and renderer, registered in ``kinds``."""

    name: str
    summary: str
    description: str
    render: Callable[[ChartSpec, Figure], None]
    # Parameter groups from api.charts.schemas.GROUPS this kind accepts.
    groups: tuple[str, ...]
    # Parameters of those groups this kind does not take (a QR code takes no ``data``).
    omit: tuple[str, ...] = ()
    # Parameters of this kind only: name -> field factory taking the limits.
    own_fields: Callable[[Limits], dict[str, Field[Any]]] = lambda limits: {}
    # Builds the kind's options from the parsed parameters.
    options: Callable[[dict[str, Any]], KindOptions | None] = lambda params: None
    # The kind's invariants on a spec: raise SpecError naming the spec field.
    check: Callable[[ChartSpec, Limits], None] = lambda spec, limits: None
    # The sentences of its description (format=txt, alt text) after the headline; None: the
    # generic description of series (api.charts.sentences.series_details).
    describe: Callable[[ChartSpec, ChartKind], list[str]] | None = None
    # One working value per parameter, shown in the docs and used by "Try it out".
    examples: dict[str, Any] = field(default_factory=dict)
    # Series must all have the same number of values (not for distributions).
    equal_lengths: bool = True
    # What ``labels`` and ``colors`` name: one per point, per series, or per slice (every
    # value of every series, or one per position shared by series of equal length);
    # None: the kind's ``validate`` checks their number.
    labels_for: str | None = "points"
    colors_for: str | None = "series"
    # width x height when the request names none.
    default_size: tuple[int, int] = (640, 480)
    # Estimated drawing time of one value (a bar, slice, cell or point), for the cost model.
    point_ms: float = 0.03
    # What the kind draws whatever its data (a map's outlines), for the cost model: a fixed
    # time and a time per output pixel, besides the figure and the encoder every kind has.
    base_ms: float = 0.0
    pixel_ns: float = 0.0
    # value_labels on more values than this is refused: each label is a text to lay out,
    # and so many are noise.
    max_value_labels: int = 200
