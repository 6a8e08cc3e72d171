"""Query-string fields shared by the chart and map schemas.

Each field's OpenAPI ``pattern`` is the exact grammar its parser accepts, so the spec and
the parser cannot disagree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields
from marshmallow import fields as marshmallow_fields
from marshmallow import validate as validators
from PIL import ImageColor
from webargs.fields import DelimitedList

COLOR_NAMES = tuple(sorted(ImageColor.colormap))
_HEX = r"(?:#|0x)?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})"
COLOR_PATTERN = rf"^(?:{_HEX}|{'|'.join(COLOR_NAMES)})$"
_COLOR_RE = re.compile(COLOR_PATTERN)

# At most 15 significant digits and a two-digit exponent: every accepted number is finite.
# [0-9], not \d: Python's \d also matches other scripts' digits, the spec's (ECMA) does not.
NUMBER = r"-?(?:[0-9]{1,15}(?:\.[0-9]{0,15})?|\.[0-9]{1,15})(?:[eE][-+]?[0-9]{1,2})?"
SERIES_PATTERN = rf"^{NUMBER}(?:,{NUMBER})*(?:\|{NUMBER}(?:,{NUMBER})*)*$"
NUMBERS_PATTERN = rf"^{NUMBER}(?:,{NUMBER})*$"
NUMBER_CHARS = 37  # longest NUMBER (36 characters) plus its separator
_SERIES_RE = re.compile(SERIES_PATTERN)
_NUMBERS_RE = re.compile(NUMBERS_PATTERN)


def series_pattern(max_series: int) -> str:
    """The spec's pattern for at most ``max_series`` series of numbers. Points per series are
    left to the description: a bound of thousands nested in the series bound makes a regex
    too large for common JSON Schema validators."""
    series = rf"{NUMBER}(?:,{NUMBER})*"
    return rf"^{series}(?:\|{series}){{0,{max_series - 1}}}$"


# What the spec's "integer" and "number" mean in a query string: JSON's grammar, in ASCII.
# Python's int() and float() also take spaces, underscores and other scripts' digits.
_INTEGER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)")
_JSON_NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


def number_syntax_errors(schema_fields: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Integer and number parameters whose text is not a JSON integer or number."""
    errors: dict[str, list[str]] = {}
    for name, field in schema_fields.items():
        key = field.data_key or name
        value = data.get(key)
        if not isinstance(value, str):
            continue
        if isinstance(field, marshmallow_fields.Integer) and not _INTEGER_RE.fullmatch(value):
            errors[key] = ["Not a valid integer."]
        elif isinstance(field, marshmallow_fields.Float) and not _JSON_NUMBER_RE.fullmatch(value):
            errors[key] = ["Not a valid number."]
    return errors


def parse_color(text: str) -> str:
    """A colour name or hex value (``#``/``0x`` optional, with optional alpha) as ``#rrggbbaa``."""
    # fullmatch: with match, "$" would also accept a trailing newline.
    if not _COLOR_RE.fullmatch(text):
        raise ValidationError(
            f"Unknown colour {text[:40]!r}: use a CSS colour name or hex RGB/RRGGBB/RRGGBBAA."
        )
    if text in ImageColor.colormap:
        r, g, b = ImageColor.getrgb(text)[:3]
        return f"#{r:02x}{g:02x}{b:02x}ff"
    digits = text.removeprefix("#").removeprefix("0x").lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    if len(digits) == 6:
        digits += "ff"
    return f"#{digits}"


class Color(fields.String):
    """A colour, normalised to ``#rrggbbaa``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metadata = {"pattern": COLOR_PATTERN, **self.metadata}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return parse_color(super()._deserialize(value, attr, data, **kwargs))


class Series(fields.String):
    """``1,2,3|4,5,6``: numbers separated by commas, series separated by ``|``."""

    def __init__(
        self,
        *,
        max_series: int,
        max_points: int,
        max_total: int,
        max_chars: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_series, self.max_points, self.max_total = max_series, max_points, max_total
        super().__init__(**kwargs)
        # Validators see the parsed value, so the text bounds are checked in _deserialize
        # and declared here for the OpenAPI spec. ``max_chars``: no longer than the URL may be.
        self.max_length = min(max_total * NUMBER_CHARS, max_chars or max_total * NUMBER_CHARS)
        self.metadata = {
            **self.metadata,
            "pattern": series_pattern(max_series),
            "minLength": 1,
            "maxLength": self.max_length,
        }

    def _deserialize(  # type: ignore[override]  # parses text into numbers
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> tuple[tuple[float, ...], ...]:
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > self.max_length:
            raise ValidationError(f"Longer than {self.max_length} characters.")
        if not _SERIES_RE.fullmatch(text):
            raise ValidationError(
                "Expected numbers separated by ',' and series separated by '|', e.g. 1,2,3|4,5,6."
            )
        parts = text.split("|")
        if len(parts) > self.max_series:
            raise ValidationError(f"At most {self.max_series} series are allowed, got {len(parts)}.")
        series = tuple(tuple(float(v) for v in part.split(",")) for part in parts)
        for i, values in enumerate(series, start=1):
            if len(values) > self.max_points:
                raise ValidationError(
                    f"Series {i} has {len(values)} points; at most {self.max_points} are allowed."
                )
        total = sum(len(values) for values in series)
        if total > self.max_total:
            raise ValidationError(f"{total} points in all; at most {self.max_total} are allowed.")
        if not all(math.isfinite(v) for values in series for v in values):
            raise ValidationError("Values must be finite numbers.")
        return series


class Numbers(fields.String):
    """``1,2.5,-3``: one comma-separated list of numbers."""

    def __init__(self, *, max_items: int, **kwargs: Any) -> None:
        self.max_items = max_items
        super().__init__(**kwargs)
        self.max_length = max_items * NUMBER_CHARS
        self.metadata = {
            **self.metadata,
            "pattern": NUMBERS_PATTERN,
            "minLength": 1,
            "maxLength": self.max_length,
        }

    def _deserialize(  # type: ignore[override]  # parses text into numbers
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> tuple[float, ...]:
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > self.max_length:
            raise ValidationError(f"Longer than {self.max_length} characters.")
        if not _NUMBERS_RE.fullmatch(text):
            raise ValidationError("Expected numbers separated by ',', e.g. 1,2.5,-3.")
        values = tuple(float(v) for v in text.split(","))
        if len(values) > self.max_items:
            raise ValidationError(f"At most {self.max_items} values are allowed, got {len(values)}.")
        return values


class TextList(DelimitedList):
    """Comma-separated texts. An empty value is one empty text, as the spec's
    ``explode: false`` array of strings reads it (webargs would make it no item at all)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value == "":
            return marshmallow_fields.List._deserialize(self, [""], attr, data, **kwargs)
        return super()._deserialize(value, attr, data, **kwargs)  # type: ignore[no-untyped-call]


class Text(fields.String):
    """Free text drawn on an image: control characters (newlines, tabs...) become spaces,
    so equivalent texts share one canonical spec and no font is asked for missing glyphs."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        return "".join(c if c.isprintable() else " " for c in text)


def text_list(max_items: int, max_text: int, **kwargs: Any) -> DelimitedList:
    """Comma-separated texts (labels, legend entries)."""
    return TextList(
        # The spec says what the split implies: no item holds a comma.
        Text(validate=validators.Length(max=max_text), metadata={"pattern": "^[^,]*$"}),
        validate=validators.Length(min=1, max=max_items),
        **kwargs,
    )


def color_list(max_items: int, **kwargs: Any) -> DelimitedList:
    return DelimitedList(Color(), validate=validators.Length(min=1, max=max_items), **kwargs)
