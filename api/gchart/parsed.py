"""One parsed ``/chart`` request and what every Google chart family builds from it.

:class:`ParsedChart` holds the parsed parameters of one chart and turns the shared ones (data,
scale, title, legend, fills, axes, grid, markers, line styles, colours) into checked parts of a
chart spec; each family module (``api.gchart.families``) builds its spec from them. Errors are
ValidationErrors naming the Google parameter.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError

from api.charts.explicit import (
    AreaFill,
    ArrowMark,
    AxisGuide,
    ChartExtras,
    ErrorBarMark,
    FlagMark,
    GridGuide,
    LineStyle,
    ShapeMark,
    StatedData,
    TextMark,
    TitleStyle,
)
from api.charts.legend import LegendStyle
from api.charts.specs import ChartKind, ChartSpec, SpecError
from api.gchart import axes, colors
from api.gchart.data import ChartData, Scaled, check_scale, scale
from api.gchart.grammar import Fill
from api.gchart.markers import MarkerError, MarkTarget, to_marks
from api.output import Output
from api.settings import Limits

# The parameters of every chart family but qr, and those of the families with axes.
COMMON = frozenset(
    ("cht", "chs", "chof", "chtt", "chts", "chf", "chma", "chd", "chds", "chco", "chdl", "chdlp", "chdls")
)
AXES = frozenset(("chxt", "chxl", "chxr", "chxp", "chxs", "chxtc", "chg", "chm"))
# The Google parameter each spec field a kind checks (ChartKind.check) comes from.
SPEC_PARAMETERS = {"series": "chd", "labels": "chdl", "colors": "chco", "options.text": "chl"}
LEGEND_POSITIONS = {"b": "bottom", "bv": "bottom", "t": "top", "tv": "top", "r": "right", "l": "left"}


def fail(parameter: str, message: str) -> ValidationError:
    return ValidationError(message, parameter)


@dataclass
class ParsedChart:
    """The parsed parameters of one chart, with the helpers every chart family shares."""

    params: dict[str, Any]
    cht: str
    family: Family
    output: Output
    limits: Limits

    def get(self, name: str, default: Any = None) -> Any:
        value = self.params.get(name)
        return default if value in (None, (), "") else value

    def data(self, *, all_hidden: bool = False) -> ChartData:
        """``chd``; ``all_hidden`` allows every series hidden (``t0:``) when markers are given:
        Google's box and candlestick charts draw only markers (chm) on hidden series."""
        chart_data: ChartData | None = self.get("chd")
        if chart_data is None:
            raise fail("chd", f"cht={self.cht} needs data.")
        if chart_data.visible == 0 and not (all_hidden and self.get("chm")):
            raise fail("chd", "No series is drawn: the count after the encoding letter is 0.")
        return chart_data

    def scaled(self, chart_data: ChartData) -> Scaled:
        chds = self.get("chds")
        if chds is not None:
            problem = check_scale(chds)
            if problem:
                raise fail("chds", problem)
        return scale(chart_data, chds)

    def title(self) -> str:
        return str(self.get("chtt", ""))

    def legend(self, count: int) -> tuple[str, ...]:
        entries: tuple[str, ...] = self.get("chdl", ())
        if len(entries) > count:
            raise fail("chdl", f"{len(entries)} legend entries for {count} series.")
        return entries

    def legend_position(self) -> str:
        position, _ = self.get("chdlp", ("r", "l"))
        return LEGEND_POSITIONS[position]

    def legend_order(self) -> str | tuple[int, ...] | None:
        """``chdlp``'s order: None (as given), "r" (reversed), "a" (shortest first), or the
        chdl indexes to show, in order."""
        _, order = self.get("chdlp", ("r", "l"))
        if order in ("l", "r", "a"):
            return None if order == "l" else order
        indexes = tuple(int(v) for v in order.split(","))
        count = len(self.get("chdl", ()))
        wrong = [i for i in indexes if i >= count]
        if wrong:
            raise fail(
                "chdlp", f"Legend order {order!r} names entry {wrong[0]}; chdl has {count} (0..{count - 1})."
            )
        return indexes

    def legend_style(self) -> LegendStyle | None:
        style = self.get("chdls")
        if style is None:
            return None
        color, size = style
        if size is not None and not 1 <= size <= 72:
            raise fail("chdls", f"Font size {size:g} is not within 1..72.")
        return LegendStyle(color, size)

    def all_fills(self) -> dict[str, Fill]:
        """chf by target, checked against the chart type."""
        found: dict[str, Fill] = {}
        for fill in self.get("chf", ()):
            target = fill.target
            if target in found:
                raise fail("chf", f"The fill {target} is given twice.")
            if target.startswith("b") and target != "bg" and not self.family.series_fills:
                raise fail("chf", f"A bar series fill ({target}) does not apply to cht={self.cht}.")
            if fill.kind != "s" and target not in ("bg", "c"):
                raise fail("chf", f"Gradients and stripes fill bg and c; {target} takes a solid colour (s).")
            if fill.kind == "ls" and not any(width > 0 for _, width in fill.stops):
                raise fail(
                    "chf", f"The stripes of {target} have no width: widths are fractions 0..1, one above 0."
                )
            found[target] = fill
        return found

    def fills(self) -> dict[str, str]:
        """The solid fills: colour by target (``a``, the whole chart's transparency, is not one)."""
        return {
            target: f.stops[0][0] for target, f in self.all_fills().items() if f.kind == "s" and target != "a"
        }

    def opacity(self) -> float:
        """The whole chart's opacity (``chf=a,s,<colour>``): the colour's alpha; Google ignored
        its red, green and blue."""
        fill = self.all_fills().get("a")
        if fill is None:
            return 1.0
        opacity = int(fill.stops[0][0][7:9], 16) / 255
        if opacity < 1 and self.output.format == "gif":
            raise fail(
                "chf",
                f"a,s,{fill.stops[0][0][1:].upper()}: a GIF has no partial transparency; use chof=png or webp.",
            )
        return opacity

    def area_fill(self, target: str) -> AreaFill | None:
        """The gradient or stripes of ``target`` (bg, c), if it has one."""
        fill = self.all_fills().get(target)
        if fill is None or fill.kind == "s":
            return None
        return AreaFill(fill.angle, fill.stops, gradient=fill.kind == "lg")

    def background(self) -> str | None:
        fill = self.fills().get("bg")
        if fill is not None and fill.endswith("00"):
            return "transparent"
        return fill

    def extras(
        self,
        *,
        axes_guides: tuple[AxisGuide, ...] | None = None,
        marks: tuple[Any, ...] = (),
        line_styles: tuple[LineStyle | None, ...] = (),
        stated: StatedData | None = None,
    ) -> ChartExtras:
        fills = self.fills()
        if "c" in self.all_fills() and not self.family.area_fill:
            raise fail("chf", f"A chart area fill (c) does not apply to cht={self.cht}; use bg.")
        return ChartExtras(
            axes=axes_guides,
            grid=self.grid(),
            marks=marks,
            line_styles=line_styles,
            title_style=self.title_style(),
            margins_px=self.get("chma", (None, None))[0],
            legend_px=self.get("chma", (None, None))[1],
            legend_order=self.legend_order(),
            plot_background=fills.get("c"),
            background_fill=self.area_fill("bg"),
            plot_fill=self.area_fill("c"),
            keep_text=True,
            stated=stated,
            compact_text=True,
        )

    def stated(
        self,
        rows: tuple[tuple[float | None, ...], ...],
        ranges: tuple[tuple[float, float], ...] = (),
        *,
        labels: tuple[str, ...] = (),
        options: Any = None,
        missing: float = math.nan,
    ) -> StatedData:
        """``rows`` (values as given, series as drawn) for descriptions, with the value range
        they were given against when every series shares one."""
        shared = set(ranges)
        low, high = shared.pop() if len(shared) == 1 else (None, None)
        series = tuple(tuple(missing if v is None else v for v in row) for row in rows)
        return StatedData(series, labels, low, high, options)

    def category_labels(self, axis_types: str, count: int) -> tuple[str, ...]:
        """The chxl labels of the first axis of ``axis_types`` that names each of ``count``
        points: Google's categories are axis labels, not part of the data."""
        types: tuple[str, ...] = self.get("chxt", ())
        for index, labels in self.get("chxl", ()):
            if index < len(types) and types[index] in axis_types and len(labels) == count:
                return tuple(labels)
        return ()

    def title_style(self) -> TitleStyle | None:
        style = self.get("chts")
        if style is None:
            return None
        color, size, align = style
        if size is not None and not 1 <= size <= 72:
            raise fail("chts", f"Font size {size:g} is not within 1..72.")
        return TitleStyle(
            color=color, font_px=size, align={"l": "left", "r": "right"}.get(align or "c", "center")
        )

    def grid(self) -> GridGuide | None:
        values: tuple[float, ...] | None = self.get("chg")
        if values is None:
            return None
        x_step, y_step, dash, gap, x_offset, y_offset = (*values, *(4.0, 1.0, 0.0, 0.0)[len(values) - 2 :])
        for step in (x_step, y_step):
            if step != 0 and not 0.5 <= step <= 100:
                raise fail("chg", f"Grid step {step:g}% must be 0 (none) or within 0.5..100.")
        if not (0 <= dash <= 100 and 0 <= gap <= 100):
            raise fail("chg", "Dash and gap lengths must be within 0..100 pixels.")
        if not (-100 <= x_offset <= 100 and -100 <= y_offset <= 100):
            raise fail("chg", "Grid offsets must be within -100..100%.")
        return GridGuide(x_step / 100, y_step / 100, dash, gap, x_offset / 100, y_offset / 100)

    def line_styles(self, count: int) -> tuple[LineStyle | None, ...]:
        styles = []
        given: tuple[tuple[float, ...], ...] = self.get("chls", ())
        for values in given:
            width, dash, gap = (*values, *(0.0, 0.0)[len(values) - 1 :])
            if len(values) == 2:
                gap = dash  # Google: a dash length alone is also the gap
            if not (0 <= width <= 50 and 0 <= dash <= 100 and 0 <= gap <= 100):
                raise fail("chls", "Line widths must be within 0..50 pixels, dashes and gaps within 0..100.")
            styles.append(LineStyle(width, dash, gap))
        if len(styles) > count:
            raise fail("chls", f"{len(styles)} line styles for {count} series.")
        return tuple(styles)

    def marks(self, target: MarkTarget, markers: tuple[Any, ...] | None = None) -> tuple[Any, ...]:
        """chm (or ``markers``: chm with series renumbered) as marks on ``target``."""
        try:
            marks = to_marks(self.get("chm", ()) if markers is None else markers, target)
        except MarkerError as exc:
            raise fail("chm", str(exc)) from None
        # Bounded before drawing: every marked point is an artist, every label a text.
        points = sum(
            len(m.points) for m in marks if isinstance(m, ShapeMark | TextMark | ArrowMark | FlagMark)
        )
        points += sum(len(m.bars) for m in marks if isinstance(m, ErrorBarMark))
        texts = sum(len(m.points) for m in marks if isinstance(m, TextMark | FlagMark))
        if points > self.limits.max_total_points:
            raise fail("chm", f"The markers mark {points} points; at most {self.limits.max_total_points}.")
        if texts > self.limits.max_points:
            raise fail("chm", f"The markers write {texts} labels; at most {self.limits.max_points}.")
        return marks

    def axes(
        self, *, category_sides: tuple[str, ...] = (), bars: int = 0, bare: bool = True
    ) -> tuple[AxisGuide, ...]:
        """The chart's axes: those of chxt, plus (``bare``) a line on the bottom and left where
        chxt names no axis."""
        try:
            request = axes.collect(
                self.get("chxt", ()),
                self.get("chxl", ()),
                self.get("chxr", ()),
                self.get("chxp", ()),
                self.get("chxs", ()),
                tick_lengths=self.get("chxtc", ()),
            )
            stated = axes.guides(request, category_sides=category_sides, bars=bars)
        except axes.AxisError as exc:
            raise fail(exc.parameter, str(exc)) from None
        labels = sum(len(guide.ticks) for guide in stated)
        if labels > self.limits.max_points:
            raise fail("chxl", f"The axes have {labels} labels in all; at most {self.limits.max_points}.")
        if not bare:
            return stated
        sides = {guide.side for guide in stated}
        lines = tuple(AxisGuide(side) for side in ("bottom", "left") if side not in sides)
        return lines + stated

    def colors(self) -> colors.Colors:
        return colors.Colors(self.get("chco", ()), self.fills())

    def check(self, kind: ChartKind, spec: ChartSpec) -> None:
        """The kind's own checks on ``spec``, their errors named by the Google parameter."""
        try:
            kind.check(spec, self.limits)
        except SpecError as exc:
            raise fail(SPEC_PARAMETERS.get(exc.field, "chd"), exc.message) from None


def series_values(scaled: Scaled, count: int) -> tuple[tuple[float, ...], ...]:
    """The first ``count`` series, all as long as the longest (missing points at the end)."""
    rows = scaled.fractions[:count]
    length = max(len(row) for row in rows)
    return tuple(row + (math.nan,) * (length - len(row)) for row in rows)


def base_spec(
    request: ParsedChart, kind: str, series: tuple[tuple[float, ...], ...], **fields: Any
) -> ChartSpec:
    """A chart spec with what every Google chart shares: title, size, background, no automatic grid."""
    return ChartSpec(
        kind=kind,
        series=series,
        title=request.title(),
        background=request.background(),
        opacity=request.opacity(),
        legend_style=request.legend_style(),
        output=request.output,
        grid=False,
        **fields,
    )


def check_texts(request: ParsedChart, name: str, texts: tuple[str, ...]) -> None:
    limit = request.limits.max_text
    for number, text in enumerate(texts, start=1):
        if len(text) > limit:
            raise fail(name, f"Label {number} has {len(text)} characters; at most {limit}.")


def printable(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text)


@dataclass(frozen=True)
class Family:
    """Google chart types (``cht`` values) drawn as one ``/charts`` kind, and their builder."""

    name: str
    types: tuple[str, ...]
    parameters: frozenset[str]  # those that apply to these types
    build: Callable[[ParsedChart], ChartSpec]
    default_size: tuple[int, int] = (500, 300)
    series_fills: bool = False  # chf b<n>: a fill per bar series
    area_fill: bool = True  # chf c: the chart area within the axes
    sizes_itself: bool = False  # the image's size follows its content (formulas): chs is the family's
