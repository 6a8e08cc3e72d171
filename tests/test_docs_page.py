"""The docs page in a real browser: it loads offline and "Try it out" draws every chart."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from api import create_app

pytestmark = pytest.mark.browser

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
    path = shutil.which("chromium")
    if path is None:
        message = "chromium is not installed (apt-get install chromium); the browser test needs it"
        if os.environ.get("CI"):
            pytest.fail(message + ", and CI must run it")
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def image_operations(spec: dict[str, Any]) -> list[str]:
    """Paths of the GET operations tagged Charts or Maps, as found in the spec."""
    return sorted(
        path
        for path, item in spec["paths"].items()
        if {"Charts", "Maps"} & set(item.get("get", {}).get("tags", []))
    )


def test_docs_page_renders_every_image_operation_offline(base_url: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(15_000)

    page.goto(f"{base_url}/docs")
    page.wait_for_selector(".opblock")
    spec = page.evaluate("fetch('/openapi.json').then(r => r.json())")
    paths = image_operations(spec)
    assert "/maps/static" in paths and "/charts/bar" in paths, paths

    for path in paths:
        block = page.locator(".opblock", has=page.locator(f'.opblock-summary-path[data-path="{path}"]'))
        block.locator(".opblock-summary").first.click()
        try_it_out = block.locator("button.try-out__btn", has_text="Try it out")
        if try_it_out.count():
            try_it_out.click()
        block.locator("button.execute").click()
        status = block.locator(".live-responses-table tr.response .response-col_status").first
        status.wait_for()
        assert status.inner_text().strip() == "200", (
            path,
            block.locator(".live-responses-table").inner_text(),
        )
        image = block.locator(".live-responses-table .response-col_description img").first
        image.wait_for()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert image.evaluate("img => img.naturalWidth") > 0, path

    first = page.locator(".opblock", has=page.locator(f'.opblock-summary-path[data-path="{paths[0]}"]'))
    first.locator(".live-responses-table").scroll_into_view_if_needed()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "docs.png"))
    page.close()

    assert not errors, errors
    outside = [
        url
        for url in requests
        if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname != "127.0.0.1"
    ]
    assert not outside, f"the docs page reached beyond the app: {outside}"
    assert any(urlsplit(url).path.endswith("swagger-ui-bundle.js") for url in requests)
