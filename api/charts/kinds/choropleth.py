"""Maps with countries or US states filled in colours (Google Image Charts' ``cht=map`` and
``cht=t``), drawn from the embedded Natural Earth and US Census outlines (api/geodata/regions).

Regions are ISO 3166-1 alpha-2 country codes (``FR``) or ``US-`` and a state's postal code
(``US-CA``); when any state is named the United States is drawn as its states. Each named
region takes its colour along a gradient by its value (or a colour of its own); every other
region the default colour; the background is the sea. The view is the named regions'
(their main polygons: France without its overseas departments) or a fixed area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from marshmallow import fields
from marshmallow import validate as validators

from api.charts.frame import plot_area
from api.charts.options import KindOptions
from api.charts.specs import ChartKind, ChartSpec, SpecError, options_of
from api.fields import Color
from api.geodata.regions import Bounds, index
from api.outputfields import choice_field

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from api.settings import Limits

# Fixed areas (west, south, east, north): Google's chtm zoom areas.
AREAS: dict[str, Bounds] = {
    "world": (-180.0, -60.0, 180.0, 84.0),
    "africa": (-20.0, -36.0, 56.0, 38.0),
    "asia": (40.0, -12.0, 150.0, 78.0),
    "europe": (-25.0, 34.0, 45.0, 72.0),
    "middle_east": (25.0, 10.0, 65.0, 43.0),
    "south_america": (-93.0, -57.0, -30.0, 14.0),
    "usa": (-125.0, 24.0, -66.0, 50.0),
}
PROJECTIONS = ("mercator", "plate_carree")
DEFAULT_COLOR = "#dddddd"  # regions not named
DEFAULT_GRADIENT = ("#ffe8a0ff", "#e34a33ff")
BORDER_COLOR = "#ffffffff"
# Borders on a light default fill (Google's maps were often given white, chco=FFFFFF,...):
# white borders would leave the unnamed regions one blank shape.
LIGHT_FILL_BORDER = "#b0b0b0ff"
LIGHT_FILL_LUMINANCE = 0.9
BORDER_PX = 0.6
PAD = 0.06  # around the named regions, as a share of their extent
MAX_LAT = 85.0
MAX_REGIONS = 300
COARSE_FROM = 0.25  # degrees a pixel from which the coarse outlines are drawn


@dataclass(frozen=True)
class ChoroplethOptions(KindOptions):
    fills: tuple[tuple[str, str], ...]  # (region code, "#rrggbbaa") of the named regions
    view: Bounds  # west, south, east, north in degrees
    values: tuple[float, ...] = ()  # the fills' values as given (NaN: none), for descriptions
    default_color: str = DEFAULT_COLOR
    projection: str = "mercator"
    states: bool = False  # the United States drawn as its states
    border_color: str = BORDER_COLOR
    region_count: int = 0  # /charts: how many regions were named (one value each); 0: not checked


def _border(opts: ChoroplethOptions) -> str:
    if opts.border_color != BORDER_COLOR:
        return opts.border_color
    red, green, blue = (int(opts.default_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    light = 0.2126 * red + 0.7152 * green + 0.0722 * blue >= LIGHT_FILL_LUMINANCE
    return LIGHT_FILL_BORDER if light else BORDER_COLOR


def unknown_codes(codes: tuple[str, ...]) -> list[str]:
    known = index()
    return [code for code in codes if code not in known]


def auto_view(codes: tuple[str, ...]) -> Bounds:
    """Where the named regions are (their main polygons), padded; the world when none."""
    if not codes:
        return AREAS["world"]
    known = index()
    boxes = [known[code].focus for code in codes]
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad_x, pad_y = max((east - west) * PAD, 0.5), max((north - south) * PAD, 0.5)
    return (
        max(west - pad_x, -180.0),
        max(south - pad_y, -MAX_LAT),
        min(east + pad_x, 180.0),
        min(north + pad_y, MAX_LAT),
    )


def gradient(fractions: tuple[float, ...], colors: tuple[str, ...]) -> tuple[str, ...]:
    """Each value (0..1; NaN: none) as a colour along ``colors`` (interpolated in RGB)."""
    stops = [_rgba(c) for c in colors]
    found = []
    for given in fractions:
        if math.isnan(given):
            found.append("")
            continue
        position = min(max(given, 0.0), 1.0) * (len(stops) - 1)
        low = min(int(position), len(stops) - 2) if len(stops) > 1 else 0
        share = position - low if len(stops) > 1 else 0.0
        a, b = stops[low], stops[min(low + 1, len(stops) - 1)]
        mixed = tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))
        found.append("#" + "".join(f"{v:02x}" for v in mixed))
    return tuple(found)


def _rgba(color: str) -> tuple[int, ...]:
    text = color.lstrip("#")
    text = text + "ff" if len(text) == 6 else text
    return tuple(int(text[i : i + 2], 16) for i in range(0, 8, 2))


def _y(lat: Any, projection: str) -> Any:
    """Latitudes in degrees as projected y, in degrees of longitude at the equator."""
    import numpy as np

    if projection == "plate_carree":
        return lat
    clipped = np.radians(np.clip(lat, -MAX_LAT, MAX_LAT))
    return np.degrees(np.log(np.tan(np.pi / 4 + clipped / 2)))


@cache
def _projected(projection: str, level: str) -> tuple[tuple[str, Any, Bounds], ...]:
    """Every region as one path in projected units (degrees of longitude), with its bounds;
    built once per process and projection."""
    import numpy as np
    from matplotlib.path import Path

    from api.geodata.regions import regions

    found = []
    for code, region in regions(level).items():
        rings = [np.column_stack([ring[:, 0], _y(ring[:, 1], projection)]) for ring in region.rings]
        vertices = np.concatenate(rings)
        codes = np.full(len(vertices), Path.LINETO, dtype=Path.code_type)
        codes[np.cumsum([0] + [len(ring) for ring in rings[:-1]])] = Path.MOVETO
        bounds = (
            float(vertices[:, 0].min()),
            float(vertices[:, 1].min()),
            float(vertices[:, 0].max()),
            float(vertices[:, 1].max()),
        )
        found.append((code, Path(vertices, codes), bounds))
    return tuple(found)


def render(spec: ChartSpec, fig: Figure) -> None:
    from matplotlib.collections import PathCollection
    from matplotlib.transforms import Affine2D, Bbox

    opts = options_of(spec, ChoroplethOptions)
    box = plot_area(fig, spec, [])
    if spec.extras is None or spec.extras.margins_px is None:
        # The sea reaches the image's edges: only a title takes room.
        top = box[1] + box[3] + 0.02 if spec.title else 1.0
        box = (0.0, 0.0, 1.0, min(top, 1.0))
    west, south, east, north = opts.view
    bottom, top = float(_y(south, opts.projection)), float(_y(north, opts.projection))
    # Widen the view to the plot's shape (never distort the map).
    width_px, height_px = box[2] * fig.bbox.width, box[3] * fig.bbox.height
    per_px = max((east - west) / width_px, (top - bottom) / height_px)
    x0 = (west + east) / 2 - per_px * width_px / 2
    y0 = (bottom + top) / 2 - per_px * height_px / 2
    x1, y1 = x0 + per_px * width_px, y0 + per_px * height_px
    colors = dict(opts.fills)
    paths, faces = [], []
    level = "coarse" if per_px > COARSE_FROM else "fine"
    for code, path, (left, low, right, high) in _projected(opts.projection, level):
        # With states, the United States is its states; without, states are not drawn.
        if (code == "US" and opts.states) or (code.startswith("US-") and not opts.states):
            continue
        if right < x0 or left > x1 or high < y0 or low > y1:
            continue
        paths.append(path)
        faces.append(colors.get(code, opts.default_color))
    # Projected units -> display pixels, without an Axes (whose set-up costs more than the map).
    to_pixels = Affine2D().translate(-x0, -y0).scale(1 / per_px).translate(
        box[0] * fig.bbox.width, box[1] * fig.bbox.height
    ) + Affine2D().scale(fig.dpi / 100)
    collection = PathCollection(
        paths, facecolors=faces, edgecolors=_border(opts), linewidths=BORDER_PX * 0.72, antialiaseds=True
    )
    collection.set_transform(to_pixels)
    collection.set_clip_box(
        Bbox.from_bounds(*(v * s for v, s in zip(box, (fig.bbox.width, fig.bbox.height) * 2, strict=True)))
    )
    fig.add_artist(collection)


def own_fields(limits: Limits) -> dict[str, Any]:
    return {
        "regions": fields.String(
            required=True,
            validate=validators.Length(min=2, max=MAX_REGIONS * 6),
            metadata={
                "description": "Comma-separated regions, one per value: ISO 3166-1 alpha-2 country codes "
                "(FR) or US states (US-CA)."
            },
        ),
        "default_color": Color(
            load_default=DEFAULT_COLOR + "ff", metadata={"description": "Colour of the regions not named."}
        ),
        "area": choice_field(
            ("auto", *AREAS), "auto", "What the map shows: the named regions (auto) or a fixed area."
        ),
        "projection": choice_field(PROJECTIONS, "mercator", "Map projection."),
    }


def _codes(params: dict[str, Any]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in params["regions"].split(","))


def check(spec: ChartSpec, limits: Limits) -> None:
    opts = options_of(spec, ChoroplethOptions)
    unknown = unknown_codes(tuple(code for code, _ in opts.fills))
    if unknown:
        raise SpecError(
            "options.regions",
            f"Unknown region {unknown[0]!r}: use ISO country codes (FR) or US states (US-CA).",
        )
    if opts.region_count and (len(spec.series) != 1 or len(spec.series[0]) != opts.region_count):
        raise SpecError("series", f"Give one series of {opts.region_count} values, one per region.")


def options(params: dict[str, Any]) -> ChoroplethOptions:
    codes = _codes(params)
    values = params["data"][0]
    finite = [v for v in values if not math.isnan(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    fractions = tuple(
        math.nan if math.isnan(v) else (v - low) / (high - low) if high > low else 1.0 for v in values
    )
    colors = tuple(params.get("colors") or DEFAULT_GRADIENT)
    if len(colors) == 1:
        colors = (colors[0], colors[0])
    # Paired as far as both go: check() refuses a count that differs.
    named = [
        (code, color, v)
        for code, color, v in zip(codes, gradient(fractions, colors), values, strict=False)
        if color
    ]
    known = tuple(code for code in codes if code in index())
    area = params["area"]
    return ChoroplethOptions(
        fills=tuple((code, color) for code, color, _ in named),
        values=tuple(v for _, _, v in named),
        view=auto_view(known) if area == "auto" else AREAS[area],
        default_color=params["default_color"],
        projection=params["projection"],
        states=any(code.startswith("US-") for code in codes),
        region_count=len(codes),
    )


def describe(spec: ChartSpec, kind: ChartKind) -> list[str]:
    from api.plaintext import listing, number

    opts = options_of(spec, ChoroplethOptions)
    known = index()
    names = []
    for i, (code, _) in enumerate(opts.fills):
        name = known[code].name if code in known else code
        if i < len(opts.values) and not math.isnan(opts.values[i]):
            name += f" {number(opts.values[i])}"
        names.append(name)
    if not names:
        return ["No region is highlighted."]
    one, many = ("state", "states") if opts.states else ("country", "countries")
    return [f"It highlights {len(names)} {one if len(names) == 1 else many}: {listing(names)}."]


KIND = ChartKind(
    name="choropleth",
    summary="Map of countries",
    description="Countries (ISO 3166-1 alpha-2 codes) or US states (US-CA) filled along a colour "
    "gradient by their values; the other regions in default_color, the sea in the background colour. "
    "Outlines from Natural Earth (1:50m) and the US Census Bureau, drawn in the Mercator projection "
    "by default; the view fits the named regions unless area names a fixed one.",
    render=render,
    groups=("base", "colors"),
    omit=("theme",),
    own_fields=own_fields,
    options=options,
    check=check,
    labels_for=None,
    colors_for=None,
    default_size=(600, 360),
    point_ms=0.05,
    # Every outline in view is filled and stroked, named or not (measured with
    # bench-style repeats: about 20 ms at 640x480 and 0.1 us a pixel more at 2048x1953).
    base_ms=20.0,
    pixel_ns=100.0,
    describe=describe,
    examples={
        "regions": "FR,DE,ES,IT,PL",
        "data": "67,83,47,59,38",
        "colors": "fff5eb,d94801",
        "title": "Population (millions)",
        "background": "eaf4fc",
    },
)
