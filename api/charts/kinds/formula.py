"""Mathematical formulas written in TeX (Google Image Charts' ``cht=tx``), typeset by
matplotlib's mathtext in Computer Modern.

mathtext covers most of TeX's math mode: fractions, roots, sub- and superscripts, Greek
letters, operators, accents, ``\\left(`` ... ``\\right)``, ``\\mathrm`` and friends. TeX's
spacing switches that change nothing here (``\\displaystyle``, ``\\limits``) are accepted and
skipped; a command mathtext lacks (``\\begin{matrix}``) is an error naming it. The formula is
bounded before it is typeset: its length and how deeply its groups nest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from marshmallow import fields
from marshmallow import validate as validators

from api.charts.frame import free_centre
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, SpecError, options_of
from api.fields import Color

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from api.settings import Limits

MAX_TEX = 300  # characters of TeX
MAX_DEPTH = 8  # groups ({...}, \left...\right) inside one another
DEFAULT_FONT_PX = 16.0
MIN_FONT_PX, MAX_FONT_PX = 4.0, 200.0
PAD_PX = 2.0  # around the formula when the image is sized to fit it
MATH_FONT = "cm"
# TeX commands that only choose a style mathtext already uses, skipped.
SKIPPED = ("displaystyle", "textstyle", "limits", "nolimits", "nonumber", "big", "Big", "bigg", "Bigg")
# Spellings mathtext knows under another name.
RENAMED = {"mbox": "text", "textrm": "text", "textnormal": "text", "tfrac": "frac", "dfrac": "frac"}
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_UNKNOWN = re.compile(r"Unknown symbol: \\?([^\s,]+)")


class FormulaError(ValueError):
    """A formula that cannot be typeset; the message says where and why."""


@dataclass(frozen=True)
class FormulaOptions(KindOptions):
    tex: str  # as given
    color: str = "#000000ff"
    font_px: float = DEFAULT_FONT_PX


def prepare(tex: str) -> str:
    """The formula as mathtext reads it (math mode, skipped commands dropped), or a
    FormulaError naming what is wrong."""
    if not tex.strip():
        raise FormulaError("The formula is empty.")
    if len(tex) > MAX_TEX:
        raise FormulaError(f"The formula has {len(tex)} characters; at most {MAX_TEX}.")
    depth = deepest = 0
    for token in re.finditer(r"\\left\b|\\right\b|\\[{}]|[{}]", tex):
        text = token.group()
        if text in ("{", "\\left"):
            depth += 1
            deepest = max(deepest, depth)
        elif text in ("}", "\\right"):
            depth -= 1
            if depth < 0:
                raise FormulaError(f"'{text}' at character {token.start() + 1} closes no group.")
    if depth > 0:
        raise FormulaError("A group ({ or \\left) is not closed.")
    if deepest > MAX_DEPTH:
        raise FormulaError(f"Groups nest {deepest} deep; at most {MAX_DEPTH}.")

    def rewrite(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in SKIPPED:
            return " "
        return "\\" + RENAMED.get(name, name)

    body = _COMMAND.sub(rewrite, tex)
    body = re.sub(r"(?<!\\)\$", r"\\$", body)  # a dollar sign is a dollar sign, not the end of math
    return f"${body}$"


@lru_cache(maxsize=256)
def measure(tex: str, font_px: float) -> tuple[float, float, float]:
    """Width, height and depth (below the baseline) of the typeset formula in pixels, or a
    FormulaError naming the command mathtext lacks or where the formula cannot be read."""
    from matplotlib.font_manager import FontProperties

    text = prepare(tex)
    prop = FontProperties(size=font_px * 72 / 100, math_fontfamily=MATH_FONT)
    try:
        parsed = _parser().parse(text, dpi=100, prop=prop)
    except RecursionError:
        raise FormulaError(f"The formula nests too deeply; at most {MAX_DEPTH} groups.") from None
    except ValueError as exc:
        raise FormulaError(_reason(str(exc), tex)) from None
    except Exception:  # mathtext's other failures on odd input: not drawable
        raise FormulaError("The formula cannot be typeset.") from None
    return float(parsed.width), float(parsed.height), float(parsed.depth)


@lru_cache(maxsize=1)
def _parser() -> Any:
    from matplotlib.mathtext import MathTextParser

    return MathTextParser("path")


def _reason(message: str, tex: str) -> str:
    unknown = _UNKNOWN.search(message)
    if unknown:
        name = unknown.group(1).lstrip("\\")
        return f"The TeX command \\{name} is not supported."
    found = re.search(r"Expected ([^,]+?), found .*?\(at char (\d+)\)", message)
    if found:
        # Character positions count the leading '$'.
        return f"The formula cannot be read at character {max(int(found.group(2)), 1)}: expected {found.group(1).strip()}."
    return "The formula cannot be read."


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "tex": fields.String(
            required=True,
            validate=validators.Length(min=1, max=MAX_TEX),
            metadata={
                "description": "The formula in TeX's math mode, without dollar signs (x = \\frac{-b\\pm\\sqrt{b^2-4ac}}{2a}). "
                f"At most {MAX_TEX} characters and {MAX_DEPTH} nested groups; a TeX command "
                "not supported is an error naming it."
            },
        ),
        "color": Color(
            load_default="#000000ff", metadata={"description": "Colour of the formula. Default: black."}
        ),
        "font_size": fields.Float(
            load_default=DEFAULT_FONT_PX,
            validate=validators.Range(min=MIN_FONT_PX, max=MAX_FONT_PX),
            metadata={"description": "Font size in pixels."},
        ),
    }


def check(spec: ChartSpec, limits: Limits) -> None:
    opts = options_of(spec, FormulaOptions)
    try:
        measure(opts.tex, opts.font_px)
    except FormulaError as exc:
        raise SpecError("options.tex", str(exc)) from None


def options(params: dict[str, Any]) -> FormulaOptions:
    return FormulaOptions(params["tex"], params["color"], float(params["font_size"]))


def render(spec: ChartSpec, fig: Figure) -> None:
    opts = options_of(spec, FormulaOptions)
    width, height, depth = measure(opts.tex, opts.font_px)
    fig_w, fig_h = spec.output.width, spec.output.height
    centre_x, centre_y = free_centre(fig, spec)
    # Centred as typeset: the box measured, the text placed by its baseline.
    x = (centre_x - width / 2) / fig_w
    y = (centre_y - height / 2 + depth) / fig_h
    fig.text(
        x,
        y,
        prepare(opts.tex),
        color=opts.color,
        fontsize=opts.font_px * 72 / 100,
        math_fontfamily=MATH_FONT,
        parse_math=True,
        ha="left",
        va="baseline",
    )


def describe(spec: ChartSpec, kind: ChartKind) -> list[str]:
    from api.plaintext import quoted

    return [f"It reads {quoted(options_of(spec, FormulaOptions).tex, 200)} (TeX)."]


KIND = ChartKind(
    name="formula",
    summary="Formula",
    description="A mathematical formula written in TeX's math mode, typeset by matplotlib's mathtext "
    "(Computer Modern), centred in the image. Takes no data.",
    render=render,
    groups=("base",),
    omit=("data", "theme"),
    own_fields=own_fields,
    options=options,
    check=check,
    default_size=(320, 80),
    # Parsing and typesetting, and glyphs that grow with the image (chs scales the formula).
    base_ms=10.0,
    pixel_ns=60.0,
    describe=describe,
    examples={
        "tex": "x = \\frac{-b\\pm\\sqrt{b^2-4ac}}{2a}",
        "color": "000000",
        "font_size": 20,
        "title": "The quadratic formula",
    },
)
