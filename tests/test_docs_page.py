"""The docs page in a real browser: it loads offline, "Try it out" draws every image operation,
and our own markup passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from api.gallery import docs_anchor
from tests.browser import OUTPUT, axe_results, axe_violations, violation_report, wait_for_images, watched_page

pytestmark = pytest.mark.browser

# Swagger UI draws everything inside <div id="swagger-ui">; the page around it (html lang,
# title, head, body) is APIFlask's template with our configuration. Our own markup is that
# shell, so the audit excludes the Swagger UI container; Swagger UI's own findings inside it
# are the library's, reported by the second test without failing it.
SWAGGER_UI = "#swagger-ui"
SERIOUS = ("serious", "critical")


def image_operations(spec: dict[str, Any]) -> list[str]:
    """Paths of the GET operations tagged Charts or Maps, as found in the spec."""
    return sorted(
        path
        for path, item in spec["paths"].items()
        if {"Charts", "Maps"} & set(item.get("get", {}).get("tags", []))
    )


def test_docs_page_renders_every_image_operation_offline(live_url: str, browser: Any) -> None:
    with watched_page(browser, "docs") as (page, watch):
        page.goto(f"{live_url}/docs")
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

        broken = [image["src"] for image in wait_for_images(page) if image["naturalWidth"] == 0]
        assert not broken, f"images that did not load: {broken}"
        first = page.locator(".opblock", has=page.locator(f'.opblock-summary-path[data-path="{paths[0]}"]'))
        first.locator(".live-responses-table").scroll_into_view_if_needed()
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "docs.png"))

        assert not watch.errors, watch.errors
        assert not watch.outside(), f"the docs page reached beyond the app: {watch.outside()}"
        assert any(url.endswith("/docs/assets/swagger-ui-bundle.js") for url in watch.requests)


def test_docs_page_opens_at_operation_links_and_has_no_serious_violations_in_our_markup(
    live_url: str, browser: Any
) -> None:
    with watched_page(browser, "docs-axe") as (page, _):
        # Opened at the gallery's deep link to an operation: that operation is shown expanded.
        page.goto(live_url + docs_anchor("/maps/static"))
        opened = page.locator(".opblock.is-open .opblock-summary-path")
        opened.first.wait_for()
        assert opened.first.get_attribute("data-path") == "/maps/static"
        results = axe_results(page, {"exclude": [[SWAGGER_UI]]})
        ours = [v for v in results["violations"] if v["impact"] in SERIOUS]
        assert not ours, violation_report(ours)
        # The audit looked at the page shell: the document's language and title passed.
        passed = {rule["id"] for rule in results["passes"]}
        assert {"html-has-lang", "html-lang-valid", "document-title"} <= passed, sorted(passed)
        swagger = [v for v in axe_violations(page, {"include": [[SWAGGER_UI]]}) if v["impact"] in SERIOUS]
        if swagger:
            print("Swagger UI's own serious findings (not ours):\n" + violation_report(swagger))
