"""The offline gazetteer: qualifiers, ambiguity, unknown names, accents, determinism."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from api.geodata.gazetteer import UnknownPlace, fold, resolve


@pytest.mark.parametrize(
    ("name", "resolved"),
    [
        ("Chicago,IL", "Chicago, Illinois, United States"),
        ("Paris", "Paris, France"),
        ("Paris,France", "Paris, France"),
        ("Paris,TX", "Paris, Texas, United States"),
        ("Paris, Texas, USA", "Paris, Texas, United States"),
        ("Brooklyn Bridge,New York,NY", "New York City, New York, United States"),
        ("New York", "New York City, New York, United States"),
        ("Williamsburg,Brooklyn,NY", "Williamsburg, New York, United States"),
        ("Springfield", "Springfield, Missouri, United States"),  # the most populous
        ("Springfield, IL", "Springfield, Illinois, United States"),
        ("Portland, ME", "Portland, Maine, United States"),
        ("London", "London, England, United Kingdom"),
        ("London, Ontario", "London, Ontario, Canada"),
        ("London ON", "London, Ontario, Canada"),
        ("Canberra ACT", "Canberra, Australian Capital Territory, Australia"),
        ("Sydney NSW", "Sydney, New South Wales, Australia"),
        ("Seattle,WA", "Seattle, Washington, United States"),
        ("Washington, DC", "Washington, District of Columbia, United States"),
        ("New York, NY 10001", "New York City, New York, United States"),
        ("Golden Gate Bridge, San Francisco, CA", "San Francisco, California, United States"),
        ("Atlanta, Georgia", "Atlanta, Georgia, United States"),
        ("Georgia", "Georgia"),
        ("Georgia, USA", "Georgia, United States"),
        ("Texas", "Texas, United States"),
        ("Tok,AK", "Alaska, United States"),  # the town is too small: the state is the best part
        ("France", "France"),
        ("UK", "United Kingdom"),
        ("Cologne", "Köln, Germany"),  # an alternate name
        ("Bombay", "Mumbai, India"),
        ("Kiev", "Kyiv, Ukraine"),
    ],
)
def test_names_and_qualifiers(name: str, resolved: str) -> None:
    assert resolve(name).name == resolved


@pytest.mark.parametrize(
    ("written", "same_as"),
    [
        ("São Paulo", "sao paulo"),
        ("SÃO PAULO", "Sao Paulo"),
        ("Zürich", "Zurich"),
        ("zürich, switzerland", "ZURICH"),
        ("Montréal", "Montreal"),
        ("Köln", "Koln"),
        ("København", "Kobenhavn"),
        ("St. Louis, MO", "St Louis, MO"),
        ("Saint-Étienne", "saint etienne"),
    ],
)
def test_accents_case_and_punctuation_do_not_matter(written: str, same_as: str) -> None:
    assert resolve(written) == resolve(same_as)


def test_places_are_where_they_should_be() -> None:
    lat, lng = resolve("São Paulo").point
    assert -24 < lat < -23 and -47 < lng < -46
    lat, lng = resolve("Zürich").point
    assert 47 < lat < 48 and 8 < lng < 9
    # A region is placed at one of its own cities, near its middle.
    lat, lng = resolve("France").point
    assert 45 < lat < 48 and 1 < lng < 4
    lat, lng = resolve("United States").point
    assert 33 < lat < 41 and -105 < lng < -88
    assert resolve("Texas").kind == "state" and resolve("France").kind == "country"


@pytest.mark.parametrize("name", ["Gotham City", "Narnia, ZZ", "Eiffel Tower", "11211", ",,", "x" * 201])
def test_unknown_names_say_so_and_suggest_coordinates(name: str) -> None:
    with pytest.raises(UnknownPlace) as raised:
        resolve(name)
    message = str(raised.value)
    assert "lat,lng" in message or "longer than" in message
    assert len(message) < 300


def test_a_qualifier_that_fits_no_candidate_moves_on() -> None:
    # No Chicago in California: the next part that resolves is California itself.
    assert resolve("Chicago, CA").name in ("California, United States", "Canada")


def test_fold() -> None:
    assert fold("  Saint-Étienne  ") == "saint etienne"
    assert fold("Xi\u2019an") == "xian"  # a typographic apostrophe


def test_resolution_is_the_same_in_a_fresh_process_and_across_threads() -> None:
    names = ["Springfield", "Portland", "Paris", "Victoria", "Georgia", "Cambridge", "Santiago"]
    here = [resolve(name) for name in names]
    code = (
        "from api.geodata.gazetteer import resolve\n"
        f"for n in {names!r}:\n"
        "    p = resolve(n); print(p.name, p.point[0], p.point[1])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.splitlines() == [f"{p.name} {p.point[0]} {p.point[1]}" for p in here]
    seen: list[str] = []
    threads = [threading.Thread(target=lambda: seen.append(resolve("Portland").name)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == ["Portland, Oregon, United States"] * 8
