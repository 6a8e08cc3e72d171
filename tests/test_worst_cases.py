"""The slowest accepted requests (bench/worst_cases.py finds them) sit at the limits: one
step beyond each is rejected up front, before anything is drawn, and the worst ones found
still finish well within a generous bound."""

from __future__ import annotations

import time
from typing import Any

import pytest

from api import create_app
from bench.worst_cases import LONG_TEXT

BAR = "/charts/bar?data=30,45,28,60&labels=Q1,Q2,Q3,Q4"
MAP = "/maps/static?center=45,10&zoom=0"  # one tile, repeated: a cheap check of the size limits


@pytest.fixture(scope="module")
def client() -> Any:
    return create_app({"TESTING": True, "SETTINGS": {"render_cache_bytes": 0}}).test_client()


@pytest.mark.parametrize(
    ("accepted", "beyond", "parameter"),
    [
        # The pixel budget (4 Mpx after scale) is reported on `scale`.
        (f"{BAR}&width=2048&height=1953", f"{BAR}&width=2048&height=1954", "scale"),
        (f"{BAR}&width=500&height=500&scale=4", f"{BAR}&width=500&height=501&scale=4", "scale"),
        (f"{BAR}&width=500&height=500&scale=4", f"{BAR}&width=500&height=500&scale=5", "scale"),
        (f"{BAR}&title={'t' * 200}", f"{BAR}&title={'t' * 201}", "title"),
        (
            "/charts/line?data=" + ",".join(["1"] * 2000),
            "/charts/line?data=" + ",".join(["1"] * 2001),
            "data",
        ),
        (
            "/charts/line?data=" + "|".join(["1,2"] * 20),
            "/charts/line?data=" + "|".join(["1,2"] * 21),
            "data",
        ),
        ("/charts/qr?text=" + "7" * 7089, "/charts/qr?text=" + "7" * 7090, "text"),
        # Every slice is a shape of its own: a pie's slices are bounded apart from its points.
        (
            "/charts/pie?data=" + "|".join([",".join(["1"] * 500)] * 2),
            "/charts/pie?data=" + "|".join([",".join(["1"] * 500)] * 2) + ",1",
            "data",
        ),
        (
            "/chart?cht=pc&chs=300x300&chd=s:" + ",".join(["B" * 500] * 2),
            "/chart?cht=pc&chs=300x300&chd=s:" + ",".join(["B" * 500] * 2) + "B",
            "chd",
        ),
        (f"{MAP}&size=2048x1953", f"{MAP}&size=2048x1954", "scale"),
        (f"{MAP}&size=500x500&scale=4", f"{MAP}&size=500x501&scale=4", "scale"),
        (
            f"{MAP}&size=200x200&markers=" + "|".join(["45,10"] * 200),
            f"{MAP}&size=200x200&markers=" + "|".join(["45,10"] * 201),
            "markers",
        ),
    ],
)
def test_one_step_beyond_the_worst_case_is_rejected(
    client: Any, accepted: str, beyond: str, parameter: str
) -> None:
    assert client.head(accepted).status_code == 200
    response = client.get(beyond)
    assert response.status_code == 422
    assert parameter in str(response.get_json()["detail"])


def test_a_url_past_the_length_limit_is_refused_whole(client: Any) -> None:
    url = "/charts/line?data=" + ",".join(["1"] * 8183) + "1"
    assert len(url) == 16_384
    assert client.get(url).status_code == 422  # read, and refused for its 8,183 > 2,000 points
    assert client.get(url + "1").status_code == 414


@pytest.mark.parametrize(
    "url",
    [
        # The slowest found (bench/worst_cases.py, README "Benchmarks"): about 1 s of CPU on
        # an idle 2-core machine; the bound leaves room for a busy one.
        "/maps/static?center=45,10&zoom=4&size=2048x1953",
        f"/charts/histogram?data={','.join(str(i % 10) for i in range(2000))}&bins=100"
        f"&width=2048&height=1953&format=webp&title={LONG_TEXT}",
    ],
)
def test_the_worst_cases_found_stay_bounded(client: Any, url: str) -> None:
    started = time.process_time()
    response = client.get(url)
    assert response.status_code == 200
    assert time.process_time() - started < 10
