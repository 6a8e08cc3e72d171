"""The production WSGI front (api/front.py): early health probes answered as the app answers
them, everything else by the app once it is built, and threads waiting safely meanwhile."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from werkzeug.test import Client

from api import create_app
from api.front import Front
from tests.conftest import IN_PROCESS


def held_front() -> tuple[Front, threading.Event, list[int]]:
    """A front whose app is built only when the returned event is set."""
    release = threading.Event()
    builds: list[int] = []

    def build() -> Any:
        release.wait(60)
        builds.append(1)
        return create_app({"TESTING": True, "SETTINGS": IN_PROCESS})

    return Front(build), release, builds


def answer(app: Any, method: str, path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    response = Client(app).open(path, method=method)
    return response.status, sorted(response.headers.items()), response.get_data()


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_an_early_health_probe_is_answered_as_the_app_answers_it(method: str) -> None:
    front, release, builds = held_front()
    early = answer(front, method, "/health")
    assert not builds  # answered before the app exists
    real = answer(create_app({"TESTING": True, "SETTINGS": IN_PROCESS}), method, "/health")
    assert early == real
    release.set()


def test_other_requests_wait_for_the_app_and_get_its_answer() -> None:
    front, release, builds = held_front()
    results: list[tuple[str, list[tuple[str, str]], bytes]] = []
    threads = [
        threading.Thread(target=lambda: results.append(answer(front, "GET", "/charts/bar?data=1,2")))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    assert not front.wait(0.2)  # still building: the requests wait
    release.set()
    for thread in threads:
        thread.join(60)
    assert builds == [1]  # built once for everyone
    assert len(results) == 4
    real = answer(create_app({"TESTING": True, "SETTINGS": IN_PROCESS}), "GET", "/charts/bar?data=1,2")
    assert all(result == real for result in results)
    assert real[0] == "200 OK"


def test_once_built_health_probes_go_to_the_app() -> None:
    seen: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ["PATH_INFO"])
        start_response("204 No Content", [])
        return []

    front = Front(lambda: app)
    assert front.wait(10)
    assert Client(front).get("/health").status_code == 204
    assert seen == ["/health"]


def test_a_failed_build_fails_the_requests() -> None:
    def broken() -> Any:
        raise ValueError("CHARTMAP_X=1: bad value")

    front = Front(broken)
    assert front.wait(10)
    with pytest.raises(RuntimeError, match="could not be built"):
        Client(front).get("/charts/bar?data=1")
