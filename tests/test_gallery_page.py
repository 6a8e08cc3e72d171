"""The gallery at / in headless Chromium: every image loads offline with its alt text, the
page passes axe-core, copy buttons copy, and the URL builder follows its fields."""

from __future__ import annotations

from typing import Any

import pytest

from api.charts.kinds import KINDS
from tests.browser import OUTPUT, axe_violations, violation_report, wait_for_images, watched_page

pytestmark = pytest.mark.browser


def test_gallery_images_load_offline_with_alt_text(live_url: str, browser: Any) -> None:
    with watched_page(browser, "gallery") as (page, watch):
        page.goto(f"{live_url}/")
        images = wait_for_images(page)
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "gallery.png"), full_page=True)

        broken = [image["src"] for image in images if image["naturalWidth"] == 0]
        assert not broken, f"images that did not load: {broken}"
        sources = [image["src"] for image in images]
        for kind in KINDS:
            assert any(f"/charts/{kind}?" in src for src in sources), f"no example of {kind}"
        assert sum("/maps/static?" in src for src in sources) >= 8
        for image in images:
            assert image["alt"] and len(image["alt"]) > 20, image
        # The alt text is the image's own description, as its format=txt twin gives it.
        first = page.locator("#chart-kinds img").first
        twin = page.evaluate(
            "src => fetch(src + '&format=txt').then(r => r.text())", first.get_attribute("src")
        )
        assert first.get_attribute("alt") == twin
        assert page.locator("img[srcset*='scale=2 2x']").count() >= len(KINDS)
        assert not watch.errors, watch.errors
        assert not watch.outside(), f"the gallery reached beyond the app: {watch.outside()}"


def test_gallery_serves_hidpi_images_to_hidpi_screens(live_url: str, browser: Any) -> None:
    with watched_page(browser, "gallery-hidpi", device_scale_factor=2) as (page, _):
        page.goto(f"{live_url}/")
        hero = page.locator(".hero img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=hero.element_handle())
        source = hero.evaluate("img => img.currentSrc")
        assert "scale=2" in source
        # naturalWidth is in CSS pixels (corrected by the 2x descriptor); the file has twice as many.
        pixels = page.evaluate(
            "src => fetch(src).then(r => r.blob()).then(createImageBitmap).then(b => b.width)", source
        )
        assert pixels == 2 * int(hero.get_attribute("width") or 0)


def test_gallery_has_no_accessibility_violations(live_url: str, browser: Any) -> None:
    with watched_page(browser, "gallery-axe") as (page, _):
        page.goto(f"{live_url}/")
        wait_for_images(page)
        page.wait_for_selector("#field-data")  # the builder's fields are part of the page
        violations = axe_violations(page)
        assert not violations, violation_report(violations)


def test_copy_button_copies_the_absolute_url(live_url: str, browser: Any) -> None:
    permissions = ["clipboard-read", "clipboard-write"]
    with watched_page(browser, "gallery-copy", permissions=permissions) as (page, watch):
        page.goto(f"{live_url}/")
        example = page.locator("#maps figure.example").first
        example.locator("button.copy").click()
        page.wait_for_function("() => document.querySelector('#maps button.copy.copied') !== null")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == live_url + example.locator("code").inner_text()
        assert "/maps/static?" in copied
        assert not watch.errors, watch.errors


def test_url_builder_updates_the_image_and_shows_the_apis_messages(live_url: str, browser: Any) -> None:
    with watched_page(browser, "gallery-builder") as (page, watch):
        page.goto(f"{live_url}/")
        image = page.locator("#builder-image")
        status = page.locator("#builder-status")
        page.wait_for_selector("#field-data")
        page.wait_for_function(
            "() => document.querySelector('#builder-status').textContent.startsWith('200')"
        )
        assert page.locator("#field-data").input_value() == KINDS["bar"].examples["data"]

        page.fill("#field-width", "300")
        page.wait_for_function(
            "() => { const img = document.querySelector('#builder-image');"
            " return img.complete && img.naturalWidth === 300; }"
        )
        assert "width=300" in page.locator("#builder-url").inner_text()
        assert image.get_attribute("src").startswith("blob:")
        assert (image.get_attribute("alt") or "").startswith("A bar chart titled")

        page.fill("#field-width", "99999")
        error = page.locator("#field-width-error")
        page.wait_for_function("() => document.querySelector('#field-width-error').textContent !== ''")
        assert "less than or equal to 2048" in error.inner_text()
        assert page.locator("#field-width").get_attribute("aria-invalid") == "true"
        assert status.inner_text().startswith("422")
        assert image.evaluate("img => img.naturalWidth") == 300, "the last good image stays"

        page.select_option("#builder-operation", "/maps/static")
        page.wait_for_selector("#field-markers")
        page.wait_for_function(
            "() => document.querySelector('#builder-status').textContent.startsWith('200')"
            " && document.querySelector('#builder-image').alt.startsWith('A map')"
        )
        assert "/maps/static?" in page.locator("#builder-url").inner_text()
        assert page.locator("#builder-docs").get_attribute("href") == "/docs#/Maps/get_maps_static"
        # Chromium logs every 4xx response; the only ones allowed are the refusals of width=99999.
        unexpected = [e for e in watch.errors if not ("status of 422" in e and "width=99999" in e)]
        assert not unexpected, watch.errors
        assert not watch.outside(), watch.outside()
