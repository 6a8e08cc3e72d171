"""``cht=map`` and ``cht=t``: Google's map charts as ``choropleth`` chart specs.

- ``cht=map``: ``chld=FR|DE|US-CA`` (countries by ISO 3166-1 alpha-2 code, US states as
  ``US-<postal code>``); the view fits them. Without ``chd``, ``chco`` is
  ``<default>|<colour of region 1>|<colour of region 2>...``; with ``chd``,
  ``<default>|<gradient start>|...|<gradient end>`` and each region's value picks its colour.
- ``cht=t`` (the older one): ``chtm`` the area (world, africa, asia, europe, middle_east,
  south_america, usa), ``chld`` two-letter codes run together (``DZEGMG``; state codes for
  usa), ``chco=<default>,<gradient start>,...,<gradient end>``, drawn in the plate carrée
  projection as Google's were.

``chf=bg`` is the sea. A code that names no country or US state is an error naming it.
"""

from __future__ import annotations

import math
import re

from api.charts.kinds.choropleth import (
    AREAS,
    DEFAULT_COLOR,
    DEFAULT_GRADIENT,
    MAX_LAT,
    MAX_REGIONS,
    ChoroplethOptions,
    auto_view,
    gradient,
    unknown_codes,
)
from api.charts.specs import ChartSpec
from api.gchart.colors import DEFAULT as GOOGLE_YELLOW
from api.gchart.parsed import Family, ParsedChart, base_spec, fail

_MAP_CODE = re.compile(r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$")


def map_spec(request: ParsedChart) -> ChartSpec:
    codes = _codes(request)
    if len(codes) > MAX_REGIONS:
        raise fail("chld", f"{len(codes)} regions; at most {MAX_REGIONS}.")
    unknown = unknown_codes(codes)
    if unknown:
        raise fail("chld", _unknown_message(unknown[0], request.cht))
    if "c" in request.fills():
        raise fail("chf", "A map takes a background fill (bg), the sea; c does not apply.")
    colors = request.colors().flat()
    default, given = (colors[0], colors[1:]) if colors else (DEFAULT_COLOR + "ff", ())
    values: tuple[float, ...]
    if request.get("chd") is not None:
        chart_data = request.data()
        scaled = request.scaled(chart_data)
        fractions = scaled.fractions[0]
        if len(fractions) > len(codes):
            raise fail("chd", f"{len(fractions)} values for {len(codes)} regions (chld).")
        fractions = fractions + (math.nan,) * (len(codes) - len(fractions))
        shown = scaled.values[0] + (None,) * (len(codes) - len(scaled.values[0]))
        values = tuple(math.nan if v is None else float(v) for v in shown)
        stops = given if len(given) >= 2 else (given[0], given[0]) if given else DEFAULT_GRADIENT
        region_colors = gradient(fractions, stops)
    else:
        values = (math.nan,) * len(codes)
        if request.cht == "t":
            region_colors = (given[-1] if given else DEFAULT_GRADIENT[-1],) * len(codes)
        else:
            own = given or (GOOGLE_YELLOW,)
            region_colors = tuple(own[i % len(own)] for i in range(len(codes)))
    named = [(c, color, v) for c, color, v in zip(codes, region_colors, values, strict=True) if color]
    area = request.get("chtm")
    options = ChoroplethOptions(
        fills=tuple((c, color) for c, color, _ in named),
        values=tuple(v for _, _, v in named),
        view=AREAS[area or "world"] if request.cht == "t" else _view(request, codes),
        default_color=default,
        projection="plate_carree" if request.cht == "t" else "mercator",
        states=area == "usa" if request.cht == "t" else any(c.startswith("US-") for c in codes),
    )
    return base_spec(
        request,
        "choropleth",
        (tuple(0.0 if math.isnan(v) else v for v in values),),
        options=options,
        extras=request.extras(),
    )


def _view(request: ParsedChart, codes: tuple[str, ...]) -> tuple[float, float, float, float]:
    """cht=map's view: fitted to the regions, with margins (map:auto=), or fixed (map:fixed=)."""
    _, _, zoom = request.params["cht"].partition(":")
    if not zoom:
        return auto_view(codes)
    mode, _, numbers = zoom.partition("=")
    values = [float(v) for v in numbers.split(",")]
    if mode == "fixed":
        south, west, north, east = values
        if not (-90 <= south < north <= 90 and -180 <= west <= 180 and -180 <= east <= 180 and west != east):
            raise fail(
                "cht",
                "map:fixed= takes <south>,<west>,<north>,<east>: latitudes -90..90 (south below north), "
                "longitudes -180..180.",
            )
        if east < west:  # across the antimeridian: shown up to it
            east = 180.0
        return (west, max(south, -MAX_LAT), east, min(north, MAX_LAT))
    if any(not 0 <= v <= 1000 for v in values):
        raise fail("cht", "map:auto= margins are 0..1000 pixels: <left>,<right>,<top>,<bottom>.")
    left, right, top, bottom = values
    west, south, east, north = auto_view(codes)
    # Pixels as degrees at the size the fitted view would have.
    width = max(request.output.width - left - right, 1)
    height = max(request.output.height - top - bottom, 1)
    per_px = max((east - west) / width, (north - south) / height)
    return (
        max(west - left * per_px, -180.0),
        max(south - bottom * per_px, -MAX_LAT),
        min(east + right * per_px, 180.0),
        min(north + top * per_px, MAX_LAT),
    )


def _codes(request: ParsedChart) -> tuple[str, ...]:
    chld: str = request.get("chld", "")
    if request.cht == "map":
        if request.get("chtm") is not None:
            raise fail("chtm", "chtm is for cht=t; cht=map fits the regions in chld.")
        codes = tuple(code for code in chld.split("|") if code) if chld else ()
        for code in codes:
            if not _MAP_CODE.fullmatch(code):
                raise fail("chld", f"Region {code[:20]!r} is not an upper-case code like FR or US-CA.")
        return codes
    if len(chld) % 2 or not re.fullmatch(r"[A-Za-z]*", chld):
        raise fail("chld", "cht=t takes two-letter codes run together (chld=DZEGMG).")
    pairs = tuple(chld[i : i + 2].upper() for i in range(0, len(chld), 2))
    if request.get("chtm") == "usa":
        return tuple(f"US-{code}" for code in pairs)
    return pairs


def _unknown_message(code: str, cht: str) -> str:
    if cht == "t" and code.startswith("US-"):
        return f"{code[3:]!r} is not a US state code (chtm=usa takes state codes: CA, NY...)."
    if "-" in code and not code.startswith("US-"):
        return f"Region {code!r}: only countries and US states are drawn, not the subdivisions of other countries."
    return f"Region {code!r} is not a country code (ISO 3166-1 alpha-2) or US state (US-CA) known here."


_PARAMETERS = frozenset(("cht", "chs", "chof", "chtt", "chts", "chf", "chma", "chd", "chds", "chco", "chld"))
# chtm is refused by map_spec with a word on cht=t.
FAMILY = Family("map", ("map",), _PARAMETERS | {"chtm"}, map_spec, (500, 300), area_fill=False)
# The older map chart: its area in chtm; Google's size limit was 440x220.
OLD_FAMILY = Family("t", ("t",), _PARAMETERS | {"chtm"}, map_spec, (440, 220), area_fill=False)
