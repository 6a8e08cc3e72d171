"""Renders in the render pool: the same bytes as in process, and bounded in time and memory
(an overrun is a 503 with Retry-After, the worker is replaced, and cheap renders bypass
expensive ones)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from api import create_app
from api.renderpool import RenderJob, RenderOverrun, RenderPool, shared_pool
from tests.conftest import IN_PROCESS

SAMPLE = (
    "/charts/bar?data=30,45,28,60|20,25,35,40&labels=Q1,Q2,Q3,Q4&legend=2025,2026&title=Revenue",
    "/charts/pie?data=45,30,25&labels=Rent,Food,Other&value_labels=true&format=webp",
    "/charts/radar?data=4,3,5,2,4|3,5,3,4,2&labels=Speed,Comfort,Price,Range,Safety&format=svg",
    "/charts/qr?text=hello&width=120&height=120",
    "/chart?cht=lc&chs=300x200&chd=s:helloWorld&chxt=x,y&chg=20,25&chm=o,FF0000,0,-1,6",
    "/chart?cht=bvs&chd=t:10,20|30,40&chof=json",
    "/maps/static?center=48.85,2.35&zoom=4&size=300x200&markers=color:red|label:P|48.85,2.35",
    "/maps/static?size=300x200&path=weight:4|geodesic:true|48.85,2.35|40.71,-74.0&format=jpeg",
)
HEAVY = "/charts/line?data=1,5,2,6,3&width=2048&height=1953&format=webp"  # estimated above HEAVY_MS
CHEAP = "/charts/bar?data=1,2&width=100&height=80"


def pooled_app(**settings: Any) -> Any:
    return create_app(
        {"TESTING": True, "SETTINGS": {"render_processes": 2, "render_cache_bytes": 0, **settings}}
    )


@pytest.fixture
def pool_app() -> Iterator[Any]:
    app = pooled_app()
    yield app
    app.extensions["render_pool"].close()


@pytest.mark.parametrize("url", SAMPLE)
def test_pool_renders_the_same_bytes(pool_app: Any, url: str) -> None:
    pooled = pool_app.test_client().get(url)
    here = (
        create_app({"TESTING": True, "SETTINGS": {**IN_PROCESS, "render_cache_bytes": 0}})
        .test_client()
        .get(url)
    )
    assert pooled.status_code == here.status_code == 200, pooled.data[:300]
    assert "Warning" not in pooled.headers  # no tile failed: the comparison is fair
    assert pooled.headers["Content-Type"] == here.headers["Content-Type"]
    assert pooled.data == here.data
    assert pooled.headers["ETag"] == here.headers["ETag"]


def _overrun_answer(response: Any) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json["detail"]["request"]


def test_a_render_past_its_time_is_stopped_and_the_worker_replaced(caplog: pytest.LogCaptureFixture) -> None:
    app = pooled_app(render_timeout=0.05)
    try:
        client = app.test_client()
        started = time.monotonic()
        response = client.get(HEAVY)
        _overrun_answer(response)
        assert response.json["message"] == "The image took too long to draw."
        assert "render overrun (time)" in caplog.text
        assert "estimated cost" in caplog.text and "/charts/line?data=1,5,2,6,3" in caplog.text
        # Stopped, not waited for: far less than the render's own time on a busy machine.
        assert time.monotonic() - started < 30
    finally:
        app.extensions["render_pool"].close()


def test_a_worker_replaced_after_a_kill_serves_the_next_render() -> None:
    app = pooled_app(render_timeout=0.05)
    pool: RenderPool = app.extensions["render_pool"]
    try:
        client = app.test_client()
        for _ in range(3):  # more overruns than workers: each one was replaced
            _overrun_answer(client.get(HEAVY))
        job = RenderJob(pow, (2, 10))
        assert pool.run(job) == 1024
    finally:
        pool.close()


def test_a_render_past_its_memory_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    app = pooled_app(render_memory_mb=48)
    try:
        response = app.test_client().get(HEAVY)  # a 4-megapixel figure needs more than 48 MB
        _overrun_answer(response)
        assert response.json["message"] == "The image needed more memory than a render may use."
        assert "render overrun (memory)" in caplog.text
    finally:
        app.extensions["render_pool"].close()


def test_cheap_renders_bypass_expensive_ones() -> None:
    app = pooled_app(render_timeout=60)
    pool: RenderPool = app.extensions["render_pool"]
    try:
        pool.run(RenderJob(pow, (2, 2)))  # both workers started
        finished: dict[str, float] = {}

        def fetch(name: str, url: str) -> None:
            response = app.test_client().get(url)
            assert response.status_code == 200
            finished[name] = time.monotonic()

        heavy = [threading.Thread(target=fetch, args=(f"heavy{i}", HEAVY + f"&title={i}")) for i in range(2)]
        for thread in heavy:
            thread.start()
        time.sleep(0.05)
        fetch("cheap", CHEAP)
        for thread in heavy:
            thread.join(timeout=120)
        assert len(finished) == 3
        # The two expensive renders share one worker, one after the other; the cheap chart
        # took the other worker and was done before the second expensive one.
        assert finished["cheap"] < max(finished["heavy0"], finished["heavy1"])
    finally:
        pool.close()


def test_in_process_renders_map_memory_errors_to_overruns() -> None:
    pool = shared_pool(pooled_app(render_isolation=False).extensions["render_pool"].config)

    def exhausted() -> None:
        raise MemoryError

    with pytest.raises(RenderOverrun) as raised:
        pool.run(RenderJob(exhausted, ()))
    assert raised.value.reason == "memory"


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    stack = [pid]
    while stack:
        parent = stack.pop()
        try:
            with open(f"/proc/{parent}/task/{parent}/children") as children:
                kids = {int(child) for child in children.read().split()}
        except OSError:
            continue
        stack.extend(kids - found)
        found |= kids
    return found


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads the process tree from /proc")
def test_workers_boot_before_the_first_request() -> None:
    before = _descendants(os.getpid())
    app = pooled_app(render_timeout=7.25)  # settings of its own: a pool no other test started
    pool: RenderPool = app.extensions["render_pool"]
    try:
        deadline = time.monotonic() + 120  # generous: the forkserver imports matplotlib first
        # its two workers (forked from the process's one forkserver, started by this pool or
        # by an earlier one), before any render was asked for
        while len(_descendants(os.getpid()) - before) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_descendants(os.getpid()) - before) >= 2
    finally:
        pool.close()
