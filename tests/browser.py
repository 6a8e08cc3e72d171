"""Pages in headless Chromium (Debian's package, driven by Playwright): the app served on a
loopback port, a watch on every request and error of a page, screenshots on failure, axe-core."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from api import create_app

OUTPUT = Path(__file__).parent / "output"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_SCHEMES = {"blob", "data", "about"}


def chromium_path() -> str:
    """Debian's Chromium; skipped without it on a developer's machine, a failure in CI."""
    path = shutil.which("chromium")
    if path is None:
        message = "chromium is not installed (apt-get install chromium); the browser tests need it"
        if os.environ.get("CI"):
            pytest.fail(message + ", and CI must run them")
        pytest.skip(message)
    return path


@contextmanager
def serve_app() -> Iterator[str]:
    """The app on a free loopback port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def launch_browser() -> Iterator[Any]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageWatch:
    """Every request a page makes, and every script error and console error it shows."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")
            ),
        )

    def outside(self) -> list[str]:
        """Requests that left the app (anything but 127.0.0.1 and local schemes)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname != "127.0.0.1"
        ]


@contextmanager
def watched_page(browser: Any, name: str, **options: Any) -> Iterator[tuple[Any, PageWatch]]:
    """A new page with a watch; a screenshot to tests/output/<name>-failure.png if the
    block fails."""
    page = browser.new_page(**{"viewport": {"width": 1280, "height": 900}, **options})
    page.set_default_timeout(15_000)
    watch = PageWatch()
    watch.attach(page)
    try:
        yield page, watch
    except BaseException:
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / f"{name}-failure.png"), full_page=True)
        raise
    finally:
        page.close()


def wait_for_images(page: Any) -> list[dict[str, Any]]:
    """Waits until every <img> has finished loading (or failed); returns their state."""
    page.wait_for_function("() => [...document.images].every(img => img.complete)")
    states: list[dict[str, Any]] = page.evaluate(
        "() => [...document.images].map(img => ({src: img.currentSrc || img.src, "
        "naturalWidth: img.naturalWidth, alt: img.getAttribute('alt')}))"
    )
    return states


def axe_results(page: Any, context: Any = None) -> dict[str, Any]:
    """axe-core's results for the page as it is now. axe-playwright-python injects the
    axe.min.js bundled in its package into the page (no CDN), then runs it."""
    from axe_playwright_python.sync_playwright import Axe

    response: dict[str, Any] = Axe().run(page, context=context).response
    return response


def axe_violations(page: Any, context: Any = None) -> list[dict[str, Any]]:
    violations: list[dict[str, Any]] = axe_results(page, context)["violations"]
    return violations


def violation_report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return "\n".join(lines)
