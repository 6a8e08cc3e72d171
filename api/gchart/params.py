"""The ``/chart`` query parameters: one field a parameter, its OpenAPI pattern the exact
grammar its parser accepts (api/gchart/grammar.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from apiflask import fields, validators
from marshmallow import ValidationError
from marshmallow.fields import Field

from api.fields import NUMBER, NUMBER_CHARS
from api.gchart import data, grammar
from api.gchart.families import CHART_TYPES
from api.settings import Limits

MAP_AREAS = ("world", "africa", "asia", "europe", "middle_east", "south_america", "usa")
SIZE = r"^(?:[0-9]{1,5}x)?[0-9]{1,5}$"  # WIDTHxHEIGHT, or (cht=tx) a height alone
FORMATS = ("png", "gif", "webp", "json", "txt")
QR_ENCODINGS = ("UTF-8",)
QR_MAX_TEXT = 7089  # the most a QR code holds (digits, version 40, level L)
MAX_AXES = 8
# Parameters that have a documented default: sent with it, they are fine on every chart type.
DEFAULTS = {"chof": "png", "chld": "L|4", "choe": "UTF-8"}


# cht=map with Google's zoom suffix: map:fixed=<south>,<west>,<north>,<east> (degrees) or
# map:auto=<left>,<right>,<top>,<bottom> (margins in pixels).
MAP_ZOOM = re.compile(rf"^map:(fixed|auto)=({NUMBER}(?:,{NUMBER}){{3}})$")


class ChartType(validators.OneOf):
    """One of the chart types, or ``map`` with a zoom suffix (:data:`MAP_ZOOM`)."""

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str) and MAP_ZOOM.fullmatch(value):
            return value
        return super().__call__(value)


class GoogleParam(fields.String):
    """A parameter in Google's syntax: matched against its pattern, then parsed."""

    def __init__(
        self,
        pattern: str,
        parse: Callable[[str], Any],
        *,
        max_length: int,
        describe: Callable[[str], str] | None = None,
        count: Callable[[Any], int] | None = None,
        max_count: int | None = None,
        url_length: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.regex = re.compile(pattern)
        self.parse, self.describe = parse, describe
        self.max_length, self.count, self.max_count = max_length, count, max_count
        self.metadata = {**self.metadata, "pattern": pattern}
        # A bound as long as the URL itself goes without saying (a longer value is a 414);
        # stated, it only makes property tests search for values of exactly that length.
        if url_length is None or max_length < url_length:
            self.metadata["maxLength"] = max_length

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > self.max_length:
            raise ValidationError(f"Longer than {self.max_length} characters.")
        if not self.regex.fullmatch(text):
            if self.describe is not None:
                raise ValidationError(self.describe(text))
            raise ValidationError(f"{text[:40]!r} is not of the form: {self.metadata.get('description', '')}")
        parsed = self.parse(text)
        if self.count is not None and self.max_count is not None:
            # Worded like the other list limits (a count the pattern leaves to the description).
            count = self.count(parsed)
            if count > self.max_count:
                raise ValidationError(f"At most {self.max_count} values are allowed, got {count}.")
        return parsed


class DataParam(GoogleParam):
    """``chd``: the limits on points, worded as for ``/charts`` data."""

    def __init__(self, limits: Limits, **kwargs: Any) -> None:
        self.limits = limits
        super().__init__(
            data.data_pattern(limits.max_series),
            data.parse_data,
            max_length=min(limits.max_total_points * NUMBER_CHARS, limits.max_url_length),
            describe=data.describe_data_error,
            url_length=limits.max_url_length,
            **kwargs,
        )

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        parsed = super()._deserialize(value, attr, data, **kwargs)
        for i, values in enumerate(parsed.series, start=1):
            if len(values) > self.limits.max_points:
                raise ValidationError(
                    f"Series {i} has {len(values)} points; at most {self.limits.max_points} are allowed."
                )
        total = sum(len(values) for values in parsed.series)
        if total > self.limits.max_total_points:
            raise ValidationError(
                f"{total} points in all; at most {self.limits.max_total_points} are allowed."
            )
        return parsed


def _clean(text: str) -> str:
    """Control characters become spaces, as in every drawn text."""
    return "".join(c if c.isprintable() else " " for c in text)


def _texts(text: str) -> tuple[str, ...]:
    return tuple(_clean(t) for t in text.split("|")) if text else ()


def _axis_labels(text: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    return tuple((axis, tuple(_clean(t) for t in labels)) for axis, labels in grammar.parse_axis_labels(text))


def _optional(pattern: str) -> str:
    """The pattern, or the empty value (which means: not given)."""
    return f"^(?:{pattern[1:-1]})?$"


def query_fields(limits: Limits) -> dict[str, Field[Any]]:
    """Every ``/chart`` parameter, its limits stated in the spec."""
    url = limits.max_url_length
    text = limits.max_text

    def param(pattern: str, parse: Callable[[str], Any], description: str, **kwargs: Any) -> GoogleParam:
        return GoogleParam(
            pattern, parse, max_length=url, url_length=url, metadata={"description": description}, **kwargs
        )

    return {
        "cht": fields.String(
            validate=ChartType(
                CHART_TYPES, error="Chart type {input!r} is not supported; supported: {choices}."
            ),
            metadata={
                "description": "Chart type: bars bvs, bvg, bhs, bhg, bvo; lines lc (lc:nda without default axes), "
                "ls (sparkline), lxy (x,y pairs); pies p, p3 (drawn flat), pc (concentric); scatter s; "
                "radar r, rs; Google-o-meter gom; QR code qr; Venn v; TeX formula tx; maps map and t (the "
                "older one, with chtm); map:fixed=<south>,<west>,<north>,<east> shows those latitudes and "
                "longitudes, map:auto=<left>,<right>,<top>,<bottom> fits the regions with margins in pixels. "
                "Required unless chst asks for a dynamic icon."
            },
        ),
        "chd": DataParam(
            limits,
            metadata={
                "description": "Data: t:1.5,_,30|4,5,6 (text, 0..100 unless chds; _ missing), s:Ab_9,XY (simple, "
                "0..61), e:AAB.__ (extended, 0..4095), a:1,5,3 (text scaled automatically); t2: draws the first 2 series and keeps the rest for "
                f"markers. At most {limits.max_series} series, {limits.max_points} points per series, "
                f"{limits.max_total_points} points in all. Required except for qr."
            },
        ),
        "chds": param(
            data.SCALE_PATTERN,
            data.parse_scale,
            "Text data ranges: min,max per series (the last pair repeats), or a for automatic.",
        ),
        "chs": param(
            SIZE,
            _parse_size,
            f"Size WIDTHxHEIGHT in pixels (cht=tx: also a height alone): up to {limits.max_width}x{limits.max_height} and "
            f"{limits.max_pixels} pixels (Google's own limit was 1000x1000 and 300000 pixels). "
            "Default: 500x300 (pies, radar, Venn, QR 300x300; Google-o-meter 400x260).",
        ),
        "chco": param(
            grammar.COLORS,
            grammar.parse_colors,
            "Colours RRGGBB[AA]: one per series (','), or per bar, slice or point ('|'); for gom the "
            "dial's gradient.",
        ),
        "chl": GoogleParam(
            r"^[\s\S]*$",
            _raw_text,
            max_length=min(QR_MAX_TEXT, url),
            url_length=url,
            metadata={
                "description": "Pie slice labels (written beside the slices; chdl gives a legend too) and "
                f"Google-o-meter labels separated by '|' ({text} characters each); for qr the text "
                "to encode (UTF-8)."
            },
        ),
        "chdl": param(
            grammar.text_list_pattern(text),
            _texts,
            f"Legend entries separated by '|', {text} characters each.",
            count=len,
            max_count=limits.max_points,
        ),
        "chdlp": param(
            grammar.LEGEND_POSITION,
            grammar.parse_legend_position,
            "Legend position: b, bv, t, tv, r (default), l; optionally |<order>: l (as given), r (reversed), "
            "a (shortest first, in 10 px steps) or indexes of chdl entries (0,2,1).",
            describe=_describe_legend_position_error,
        ),
        "chdls": param(
            grammar.LEGEND_STYLE,
            grammar.parse_legend_style,
            "Legend text style: <colour RRGGBB[AA]>,<font size px 1..72>.",
        ),
        "chtt": GoogleParam(
            r"^[\s\S]*$",
            lambda t: "\n".join(_clean(line) for line in t.split("|")),
            max_length=text,
            metadata={"description": f"Title, up to {text} characters; '|' breaks the line."},
        ),
        "chts": param(
            grammar.TITLE_STYLE,
            grammar.parse_title_style,
            "Title style: RRGGBB[AA],<font size px 1..72>,<l|c|r>.",
        ),
        "chxt": param(
            grammar.AXIS_TYPES,
            grammar.parse_axis_types,
            f"Visible axes, up to {MAX_AXES}: x (bottom), t (top), y (left), r (right); a letter may repeat. "
            "Google-o-meters: y and r around the dial, x and t under it.",
        ),
        "chxl": param(
            grammar.axis_labels_pattern(text),
            _axis_labels,
            f"Axis labels: <axis>:|label|label|<axis>:|... ({text} characters each), spread evenly.",
            count=lambda axes: max((len(labels) for _, labels in axes), default=0),
            max_count=limits.max_points,
        ),
        "chxr": param(
            grammar.AXIS_RANGES,
            grammar.parse_axis_ranges,
            "Axis ranges: <axis>,<start>,<end>[,<step>]|... (default 0..100); labels only, the data do not move.",
        ),
        "chxp": param(
            grammar.AXIS_POSITIONS,
            grammar.parse_axis_positions,
            "Axis label positions in the axis range: <axis>,<position>,...|...",
            count=lambda axes: max((len(p) for _, p in axes), default=0),
            max_count=limits.max_points,
        ),
        "chxs": param(
            grammar.AXIS_STYLES,
            grammar.parse_axis_styles,
            "Axis styles: <axis>[N<format>],<colour>,<font px>,<align -1|0|1>,<l|t|lt|_>,<tick colour>,"
            "<axis colour>|...",
        ),
        "chxtc": param(
            grammar.TICK_LENGTHS,
            grammar.parse_tick_lengths,
            "Tick mark lengths: <axis>,<px>[,<px>...]|... (cycled over the axis's ticks; outwards up to 25, "
            "below 0 into the plot, cut at its edges: -1000 crosses it like a grid line).",
        ),
        "chf": param(
            grammar.FILLS,
            grammar.parse_fills,
            "Fills: bg,s,<colour> (background), c,s,<colour> (chart area), b<series>,s,<colour> (bar "
            "series), a,s,<colour> (the whole chart's transparency: the colour's alpha); gradients <bg|c>,lg,<angle>,<colour>,<position 0..1>,... and stripes "
            "<bg|c>,ls,<angle>,<colour>,<width 0..1>,... (angle 0: left to right, 90: bottom to top).",
            describe=_describe_fill_error,
        ),
        "chma": param(
            grammar.MARGINS,
            grammar.parse_margins,
            "Least margins in pixels: left,right,top,bottom, optionally |<legend width>,<legend height> "
            "(the least room the legend takes; either part may be given alone).",
            describe=_describe_margins_error,
        ),
        "chp": param(
            grammar.ZERO_LINES,
            grammar.parse_numbers,
            "Bar charts: the zero line bars rise from, as a fraction 0..1 of the plot height (one for "
            "every series). Pie charts: the rotation in radians, clockwise (the first slice starts at "
            "three o'clock).",
        ),
        "chbh": param(
            grammar.BAR_SIZES,
            grammar.parse_bar_sizes,
            "Bar width and gaps: <width px>|a|r,<gap between bars>,<gap between groups> (r: relative to "
            "the bar width). Bars fill the chart with these proportions; a chart too small for the "
            "stated pixels keeps the bars as thick as it can.",
        ),
        "chg": param(
            grammar.GRID,
            grammar.parse_numbers,
            "Grid: <x step %>,<y step %>[,<dash px>,<gap px>[,<x offset %>,<y offset %>]].",
        ),
        "chls": param(
            _optional(grammar.LINE_STYLES),
            lambda t: grammar.parse_line_styles(t) if t else (),
            "Line styles per series: <width px>[,<dash px>,<gap px>]|... Google-o-meters: an arrow body "
            "per series, then an arrow head size (px) per series: 3|3,5,5|15|10.",
            count=len,
            max_count=limits.max_series,
        ),
        "chm": param(
            grammar.MARKERS,
            grammar.parse_markers,
            "Markers: <o|s|d|c|x|v|V|H>,<colour>,<series>,<points>,<size> shapes; N<format>,... values; "
            "t<text>,... texts; h,<colour>,0,<height 0..1>,<width> lines; r|R,<colour>,0,<start>,<end> bands; "
            "D,<colour>,<series>,0,<width> a series as a line; @<o|s|d|c|x|t<text>>,<colour>,0,<x>:<y>,<size> "
            "at a position; F,<colour>,<series>,<points>,<width> candlesticks; "
            "a,<colour>,<series>,<points>,<size>[,<z>[,:<x>:<y>]] arrows; "
            "E,<colour>,<series>,<points>,<width>[:<cap>] error bars (to the next series); "
            "f|A<text>,<colour>,<series>,<points>,<size>[,<z>[,<[lhr][bvt][sce][:<x>:<y>]>]] flags and "
            "annotations; "
            f"B|b,<colour>,<line>,<line>,0 fills. Separated by '|', at most {limits.max_markers}.",
            describe=grammar.describe_marker_error,
            count=len,
            max_count=limits.max_markers,
        ),
        "chof": fields.String(
            validate=validators.OneOf(
                FORMATS, error="Output format {input!r} is not supported; use {choices}."
            ),
            metadata={
                "description": "Output: png, gif, webp, json (Google's image map: the region of every bar, "
                "slice and point), or txt (the chart described in plain language, for alt text).",
                "default": DEFAULTS["chof"],
            },
        ),
        "chld": GoogleParam(
            r"^[\s\S]*$",
            _raw_text,
            max_length=url,
            url_length=url,
            metadata={
                "description": "QR code: <error correction L|M|Q|H>|<margin in modules>. Maps: the regions, "
                "ISO 3166-1 alpha-2 country codes or US-<state> codes separated by '|' (cht=map), or "
                "two-letter codes run together (cht=t: DZEGMG, state codes for chtm=usa). Dynamic "
                "icons (chst): the icon's fields separated by '|'.",
                "default": DEFAULTS["chld"],
            },
        ),
        "chtm": GoogleParam(
            "^(?:" + "|".join(MAP_AREAS) + ")?$",
            _raw_text,
            max_length=20,
            describe=lambda t: f"Map area {t[:20]!r} is not one of {', '.join(MAP_AREAS)}.",
            metadata={
                "description": "Map area of cht=t (the older map chart): " + ", ".join(MAP_AREAS) + "."
            },
        ),
        "chst": GoogleParam(
            r"^[A-Za-z0-9_]{0,60}$",
            _raw_text,
            max_length=60,
            metadata={
                "description": "Dynamic icon (without cht): d_map_pin_letter, d_map_pin_icon, "
                "d_map_xpin_letter, d_bubble_text_small, d_bubble_icon_text_small; chld holds its "
                "fields separated by '|'."
            },
        ),
        "choe": fields.String(
            validate=validators.OneOf(
                QR_ENCODINGS, error="QR text encoding {input!r} is not supported; only UTF-8."
            ),
            metadata={"description": "QR code text encoding: UTF-8 only.", "default": DEFAULTS["choe"]},
        ),
    }


def _describe_margins_error(text: str) -> str:
    return (
        f"{text[:40]!r} is not of the form: least margins in pixels, left,right,top,bottom, "
        "optionally |<legend width>,<legend height>."
    )


def _describe_legend_position_error(text: str) -> str:
    position, _, order = text.partition("|")
    if position in ("", "b", "bv", "t", "tv", "r", "l") and order:
        return f"Legend order {order!r}: use l, r, a or indexes of chdl entries (0,2,1)."
    return f"Legend position {position!r} is not supported; use b, bv, t, tv, r or l."


def _raw_text(text: str) -> str:
    return text


def _parse_size(text: str) -> tuple[int | None, int]:
    if "x" not in text:
        return None, int(text)
    width, height = text.split("x")
    return int(width), int(height)


def _describe_fill_error(text: str) -> str:
    for part in text.split("|"):
        kind = part.split(",")[1] if part.count(",") >= 1 else ""
        if kind in ("lg", "ls"):
            name = "gradient" if kind == "lg" else "stripes"
            return (
                f"{part[:40]!r}: a {name} fill is <bg|c>,{kind},<angle>,<RRGGBB[AA]>,<"
                f"{'position' if kind == 'lg' else 'width'}>,... (up to 16 colours)."
            )
    return (
        "Expected fills <bg|c|b<series>|a>,s,<RRGGBB[AA]>, or gradients (lg) and stripes (ls) of bg "
        "and c, separated by '|'."
    )
