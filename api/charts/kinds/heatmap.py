"""Heatmaps: a matrix of values as coloured cells, rows from the series."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.charts.frame import CategoryAxis, add_axes, finish, is_compact, theme_of
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, SpecError, options_of
from api.charts.style import FONT_SIZE, format_number, tick_decimals
from api.fields import text_list
from api.outputfields import choice_field
from api.plaintext import listing, number, plural

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from api.settings import Limits

COLORMAPS = ("viridis", "cividis", "magma", "blues", "greens", "reds")
MAX_CELL_LABELS = 400
COLORBAR_PX = 12.0


@dataclass(frozen=True)
class HeatmapOptions(KindOptions):
    rows: tuple[str, ...] = ()
    cmap: str = "viridis"


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "rows": text_list(
            limits.max_series,
            limits.max_text,
            metadata={
                "description": "Row labels (not a count of rows): comma-separated, one per series; "
                "each series in data (separated by |) is one row."
            },
        ),
        "cmap": choice_field(COLORMAPS, "viridis", "Colour map (perceptually uniform)."),
    }


def check(spec: ChartSpec, limits: Limits) -> None:
    rows, count = options_of(spec, HeatmapOptions).rows, len(spec.series)
    if rows and len(rows) != count:
        raise SpecError("options.rows", f"Expected {count} row labels (one per series), got {len(rows)}.")
    if rows and count == 1 and _reads_as_row_count(rows[0], len(spec.series[0])):
        raise SpecError(
            "options.rows",
            f"rows takes row labels, not a count of rows: {rows[0]!r} would label the one row. "
            "Separate the rows in data with | (data=1,2|3,4) and name each in rows.",
        )


def _reads_as_row_count(label: str, values: int) -> bool:
    """A lone label that is a whole number of rows the one series could be split into."""
    text = label.strip()
    return text.isdigit() and 2 <= int(text) <= values and values % int(text) == 0


def render(spec: ChartSpec, fig: Figure) -> None:
    import numpy as np
    from matplotlib import colormaps

    opts = options_of(spec, HeatmapOptions)
    ax = add_axes(fig, spec)
    matrix = np.asarray(spec.series, dtype=float)
    low, high = float(matrix.min()), float(matrix.max())
    if low == high:
        low, high = low - 0.5, high + 0.5
    cmap = colormaps[opts.cmap.title() if opts.cmap in ("blues", "greens", "reds") else opts.cmap]
    ax.imshow(matrix, cmap=cmap, vmin=low, vmax=high, aspect="auto", interpolation="nearest")
    rows = opts.rows or tuple(str(i + 1) for i in range(len(spec.series)))
    columns = spec.labels or tuple(str(i + 1) for i in range(matrix.shape[1]))
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    finish(fig, ax, spec, x=CategoryAxis(columns), y=CategoryAxis(rows, inverted=True), legend=[])
    if spec.value_labels and matrix.size <= MAX_CELL_LABELS and not is_compact(spec):
        _cell_labels(ax, spec, matrix, (low + high) / 2)
    if not is_compact(spec):
        _colorbar(fig, ax, spec, cmap, (low, high))


def _cell_labels(ax: Axes, spec: ChartSpec, matrix: Any, middle: float) -> None:
    decimals = min(max((tick_decimals(abs(float(v))) for v in matrix.flat if v), default=0), 2)
    for (row, column), value in _cells(matrix):
        color = "#ffffff" if value < middle else "#111111"
        ax.text(
            column,
            row,
            format_number(value, spec.number_format, decimals),
            ha="center",
            va="center",
            fontsize=FONT_SIZE * 0.85,
            color=color,
        )


def _cells(matrix: Any) -> list[tuple[tuple[int, int], float]]:
    return [((r, c), float(matrix[r, c])) for r in range(matrix.shape[0]) for c in range(matrix.shape[1])]


def _colorbar(fig: Figure, ax: Axes, spec: ChartSpec, cmap: Any, span: tuple[float, float]) -> None:
    """A slim colour scale right of the cells, with its ends and middle labelled."""
    theme = theme_of(spec)
    low, high = span
    x, y, w, h = ax.get_position().bounds
    width, gap = COLORBAR_PX / fig.bbox.width * spec.output.scale, 8 / fig.bbox.width * spec.output.scale
    labels_room = 48 / fig.bbox.width * spec.output.scale
    ax.set_position((x, y, max(w - width - gap - labels_room, w * 0.3), h))
    bar_x = x + ax.get_position().width + gap
    cax = fig.add_axes((bar_x, y, width, h))
    cax.set_axis_off()
    cax.imshow([[i / 255] for i in range(255, -1, -1)], cmap=cmap, aspect="auto", extent=(0, 1, 0, 1))
    decimals = min(max((tick_decimals(abs(v)) for v in (low, high, (low + high) / 2) if v), default=0), 2)
    for value, place in ((high, 1.0), ((low + high) / 2, 0.5), (low, 0.0)):
        fig.text(
            bar_x + width + 3 / fig.bbox.width * spec.output.scale,
            y + h * place,
            format_number(value, spec.number_format, decimals),
            va="center",
            ha="left",
            fontsize=FONT_SIZE * 0.85,
            color=theme.text,
        )


def describe(spec: ChartSpec, kind: ChartKind) -> list[str]:
    series = [values for values in spec.series if values]
    if not series:
        return []
    rows = list(getattr(spec.options, "rows", ()) or ()) or [f"row {i + 1}" for i in range(len(series))]
    columns = list(spec.labels) or [f"column {i + 1}" for i in range(len(series[0]))]
    cells = [(v, r, c) for r, values in enumerate(series) for c, v in enumerate(values)]
    low, high = min(cells), max(cells)
    fmt = spec.number_format

    def where(cell: tuple[float, int, int]) -> str:
        _, r, c = cell
        row = rows[r] if r < len(rows) else f"row {r + 1}"
        column = columns[c] if c < len(columns) else f"column {c + 1}"
        return f"{row}, {column}"

    return [
        f"{plural(len(series), 'row')} ({listing(rows)}) by {plural(len(series[0]), 'column')} "
        f"({listing(columns)}).",
        f"Cell values run from {number(low[0], fmt)} ({where(low)}) to {number(high[0], fmt)} ({where(high)}).",
    ]


KIND = ChartKind(
    max_value_labels=MAX_CELL_LABELS,
    point_ms=0.04,
    name="heatmap",
    summary="Heatmap",
    description="Each series is a row of cells (all rows the same length), coloured by value with a "
    "colour scale; labels name the columns, rows the rows.",
    render=render,
    describe=describe,
    groups=("base", "labels", "value_labels"),
    own_fields=own_fields,
    options=lambda params: HeatmapOptions(rows=tuple(params.get("rows") or ()), cmap=params["cmap"]),
    check=check,
    examples={
        "data": "1,3,5,7,4|2,6,8,5,3|4,7,9,6,2",
        "labels": "Mon,Tue,Wed,Thu,Fri",
        "rows": "Morning,Noon,Evening",
        "title": "Visits",
        "value_labels": True,
        "cmap": "viridis",
    },
)
