"""Query schemas for ``/charts/<kind>``, built per kind from parameter groups and the limits.

The schemas are built when the app is created so that the OpenAPI spec states the
limits actually in force.
"""

from __future__ import annotations

from typing import Any

from apiflask import Schema, fields, validators
from marshmallow import RAISE, ValidationError, post_load, pre_load, validates_schema
from marshmallow.fields import Field

from api.charts.cost import estimate_chart
from api.charts.specs import LEGEND_POSITIONS, ChartKind, ChartSpec, SpecError
from api.cost import check_cost
from api.fields import COLOR_PATTERN, Color, Series, Text, color_list, number_syntax_errors, text_list
from api.output import Output
from api.outputfields import check_output, choice_field, output_fields
from api.settings import Limits

FORMATS = ("png", "webp", "jpeg", "svg")
SVG_TEXT = ("text", "paths")
THEMES = ("light", "dark")
NUMBER_FORMATS = ("plain", "thousands", "percent")
AXIS_BOUND = 1e120  # beyond any value data can hold (15 digits, two-digit exponent)


class Background(Color):
    """A colour, or ``transparent``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metadata = {**self.metadata, "pattern": "^(?:transparent|" + COLOR_PATTERN[1:-1] + ")$"}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if value == "transparent":
            return "transparent"
        return super()._deserialize(value, attr, data, **kwargs)


def group_fields(
    limits: Limits, default_size: tuple[int, int] = (640, 480)
) -> dict[str, dict[str, Field[Any]]]:
    """The parameter groups a chart kind picks from."""
    text = validators.Length(max=limits.max_text)
    return {
        "base": {
            "data": Series(
                required=True,
                max_series=limits.max_series,
                max_points=limits.max_points,
                max_total=limits.max_total_points,
                max_chars=limits.max_url_length,
                metadata={
                    "description": "The values: numbers separated by ',' and series separated by '|', "
                    "e.g. 1,2,3|4,5,6. Numbers are decimal (optional sign, fraction and two-digit "
                    f"exponent). At most {limits.max_series} series, {limits.max_points} points per "
                    f"series, {limits.max_total_points} points in all."
                },
            ),
            "title": Text(validate=text, metadata={"description": "Title above the chart."}),
            "background": Background(
                metadata={
                    "description": "Background colour, or transparent. Default: the theme's.",
                    "example": "white",
                }
            ),
            "theme": choice_field(THEMES, "light", "Colour theme."),
            **output_fields(limits, FORMATS, default_size),
            "svg_text": choice_field(
                SVG_TEXT,
                "text",
                "With format=svg: text keeps texts as SVG text (selectable, searchable, smaller; "
                'font-family "DejaVu Sans", Verdana, sans-serif), paths draws their glyphs as outlines '
                "(the same look without the font). Other formats ignore it.",
            ),
        },
        "colors": {
            "colors": color_list(
                limits.max_points,
                metadata={
                    "description": "Comma-separated colours, one for all or one per series (per slice "
                    "for pie charts): CSS names or hex RGB, RRGGBB or RRGGBBAA with optional # or 0x. "
                    "Default: a colour-blind-safe palette."
                },
            ),
        },
        "labels": {
            "labels": text_list(
                limits.max_points,
                limits.max_text,
                metadata={"description": "Comma-separated category labels, one per point."},
            ),
        },
        "legend": {
            "legend": text_list(
                limits.max_series,
                limits.max_text,
                metadata={"description": "Comma-separated series names, one per series; shows a legend."},
            ),
            "legend_position": choice_field(
                LEGEND_POSITIONS,
                "right",
                "Where the legend goes; inside: in the corner of the plot the data leaves emptiest.",
            ),
        },
        "range": {
            # Bounded well inside float range: an axis from -1e308 to 1e308 has no width.
            "min": fields.Float(
                allow_nan=False,
                validate=validators.Range(min=-AXIS_BOUND, max=AXIS_BOUND),
                metadata={"description": "Lower end of the value axis."},
            ),
            "max": fields.Float(
                allow_nan=False,
                validate=validators.Range(min=-AXIS_BOUND, max=AXIS_BOUND),
                metadata={"description": "Upper end of the value axis."},
            ),
        },
        "axes": {
            "xlabel": Text(validate=text, metadata={"description": "Label of the x axis."}),
            "ylabel": Text(validate=text, metadata={"description": "Label of the y axis."}),
            "log": fields.Boolean(load_default=False, metadata={"description": "Logarithmic value axis."}),
            "grid": fields.Boolean(load_default=True, metadata={"description": "Draw grid lines."}),
            "number_format": choice_field(NUMBER_FORMATS, "plain", "Number format of the value axis."),
        },
        "value_labels": {
            "value_labels": fields.Boolean(
                load_default=False, metadata={"description": "Write each value on its bar, point or slice."}
            ),
        },
    }


class ChartQuery(Schema):
    """Base of every kind's query schema; subclasses carry ``kind`` and ``limits``."""

    kind: ChartKind
    limits: Limits

    class Meta:
        unknown = RAISE  # a misspelt parameter is an error, not silently ignored

    @pre_load
    def strict_numbers(self, data: Any, **kwargs: Any) -> Any:
        errors = number_syntax_errors(self.fields, data)
        if errors:
            raise ValidationError(errors)
        return data

    @validates_schema
    def check(self, params: dict[str, Any], **kwargs: Any) -> None:
        check_output(params, self.limits)
        series = params.get("data", ())
        if series is None:  # already reported as missing or invalid
            return
        if series:
            check_lengths(self.kind, params, series)
            values = sum(len(v) for v in series)
            if params.get("value_labels") and values > self.kind.max_value_labels:
                raise ValidationError(
                    f"Value labels are drawn on at most {self.kind.max_value_labels} values; "
                    f"this chart has {values}.",
                    "value_labels",
                )
        low, high = params.get("min"), params.get("max")
        if low is not None and high is not None and low >= high:
            raise ValidationError(f"min ({low:g}) must be less than max ({high:g}).", "max")
        if params.get("log"):
            if any(v <= 0 for values in series for v in values):
                raise ValidationError("A logarithmic axis needs values above 0.", "log")
            if low is not None and low <= 0:
                raise ValidationError("A logarithmic axis needs min above 0.", "min")
            if high is not None and high <= 0:
                raise ValidationError("A logarithmic axis needs max above 0.", "max")

    @post_load
    def to_spec(self, params: dict[str, Any], **kwargs: Any) -> ChartSpec:
        common = {
            name: params[name]
            for name in ChartSpec.__dataclass_fields__
            if name in params and name not in ("kind", "output", "options")
        }
        for name in ("labels", "legend", "colors"):
            if name in common:
                common[name] = tuple(common[name])
        if params["format"] != "svg":
            common.pop("svg_text", None)  # one spec (and ETag) for the raster formats
        spec = ChartSpec(
            kind=self.kind.name,
            series=params.get("data", ()),  # kinds that omit data (qr) have none
            output=Output(params["width"], params["height"], params["scale"], params["format"]),
            options=self.kind.options(params),
            **{k: v for k, v in common.items() if k != "data"},
        )
        try:
            self.kind.check(spec, self.limits)
        except SpecError as exc:
            raise ValidationError(exc.message, parameter(exc.field)) from None
        check_cost(estimate_chart(spec, self.kind), self.limits.max_render_ms, COST_PARAMETERS, "width")
        return spec


# The parameter that stands for each spec field of the cost model.
COST_PARAMETERS = {"series": "data", "labels": "labels", "legend": "legend", "value_labels": "value_labels"}


def parameter(field: str) -> str:
    """The parameter a spec field comes from: a kind's options are its own parameters."""
    return "data" if field == "series" else field.removeprefix("options.")


def check_lengths(kind: ChartKind, params: dict[str, Any], series: tuple[tuple[float, ...], ...]) -> None:
    """Labels, legend entries and colours must match the data they describe."""
    points = max(len(values) for values in series)
    if kind.equal_lengths and any(len(values) != points for values in series):
        lengths = ", ".join(str(len(values)) for values in series)
        raise ValidationError(f"All series need the same number of values, got {lengths}.", "data")
    labels = params.get("labels")
    if labels is not None and kind.labels_for is not None:
        wanted = matching_counts(kind.labels_for, series)
        if len(labels) not in wanted:
            raise ValidationError(
                f"Expected {' or '.join(map(str, wanted))} labels ({_one_per(kind.labels_for, wanted)}), "
                f"got {len(labels)}.",
                "labels",
            )
    legend = params.get("legend")
    if legend is not None and len(legend) != len(series):
        raise ValidationError(
            f"Expected {len(series)} legend entries (one per series), got {len(legend)}.", "legend"
        )
    colors = params.get("colors")
    if colors is not None and kind.colors_for is not None:
        wanted = matching_counts(kind.colors_for, series)
        if len(colors) not in (1, *wanted):
            raise ValidationError(
                f"Expected 1 or {' or '.join(map(str, wanted))} colours ({_one_per(kind.colors_for, wanted)}), "
                f"got {len(colors)}.",
                "colors",
            )


def matching_counts(names: str, series: tuple[tuple[float, ...], ...]) -> tuple[int, ...]:
    """How many labels or colours describe the data: one per point, series or slice."""
    points = max(len(values) for values in series)
    if names == "series":
        return (len(series),)
    if names == "slices":
        total = sum(len(values) for values in series)
        shared = all(len(values) == points for values in series)
        return (points, total) if shared and total != points else (total,)
    return (points,)


def _one_per(names: str, wanted: tuple[int, ...]) -> str:
    if len(wanted) > 1:
        return "one per slice of every series in order, or one per position shared by all series"
    return "one per " + {"points": "point", "series": "series", "slices": "slice"}[names]


def build_schema(kind: ChartKind, limits: Limits) -> type[ChartQuery]:
    """The query schema class of one kind, with its examples attached for the docs."""
    groups = group_fields(limits, kind.default_size)
    declared: dict[str, Any] = {}
    for group in kind.groups:
        declared.update(groups[group])
    for name in kind.omit:
        del declared[name]
    declared.update(kind.own_fields(limits))
    for name, example in kind.examples.items():
        declared[name].metadata["example"] = example
    missing = [name for name, f in declared.items() if f.required and name not in kind.examples]
    if missing:
        raise ValueError(f"chart kind {kind.name}: required parameters without example: {missing}")
    class_name = kind.name.title().replace("_", "") + "ChartQuery"
    return type(class_name, (ChartQuery,), {**declared, "kind": kind, "limits": limits})
