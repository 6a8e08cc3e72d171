from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from api import create_app
from tests.imagecompare import check_baseline

# The seed of the property tests that take a fresh one each run (tests/test_schemathesis_http.py).
TEST_SEED = int(os.environ.get("CHARTMAP_TEST_SEED") or random.SystemRandom().randrange(2**32))


def pytest_report_header() -> str:
    return f"property tests over HTTP: seed {TEST_SEED} (repeat with CHARTMAP_TEST_SEED={TEST_SEED})"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-baselines",
        action="store_true",
        help="rewrite tests/baselines/*.png from the current renderers (look at them before committing)",
    )


# Renders in the test's own thread: coverage sees the renderers, and a test app costs no
# processes. tests/test_renderpool.py runs the same requests through the render pool.
IN_PROCESS = {"render_isolation": False}


@pytest.fixture
def app() -> Any:
    return create_app({"TESTING": True, "SETTINGS": IN_PROCESS})


@pytest.fixture
def client(app: Any) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def baseline(request: pytest.FixtureRequest) -> Callable[[str, bytes], None]:
    """``baseline(name, png_bytes)`` compares with tests/baselines/<name>.png."""
    update = bool(request.config.getoption("--update-baselines"))
    return lambda name, png: check_baseline(name, png, update)


@pytest.fixture(scope="session")
def live_url() -> Iterator[str]:
    """The app served on a loopback port, for the browser tests."""
    from tests.browser import serve_app

    with serve_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (skips without it locally, fails without it in CI)."""
    from tests.browser import launch_browser

    with launch_browser() as chromium:
        yield chromium
