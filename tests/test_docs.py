"""The docs page works offline: every asset it references is served by the app itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest

CONTENT_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".png": "image/png",
    ".json": "application/json",
}


class _References(HTMLParser):
    """Every URL in src and href attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.extend(value for name, value in attrs if name in ("src", "href") and value)


def references(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    # The page's script loads the spec by URL as well.
    parser.urls.extend(re.findall(r'url:\s*"([^"]+)"', html))
    return parser.urls


def test_docs_page_references_only_local_urls(client: Any) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    urls = references(html)
    assert any(url.endswith(".js") for url in urls), urls
    assert any(url.endswith(".css") for url in urls), urls
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme, f"{url} is not served by the app"
        assert not parts.netloc, f"{url} is not served by the app"
        assert url.startswith("/"), url
    # No absolute URL anywhere else in the page either (script comments aside).
    code = re.sub(r"^\s*//.*$", "", html, flags=re.MULTILINE)
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", code, re.IGNORECASE)


def test_docs_assets_are_served_with_their_content_types(client: Any) -> None:
    html = client.get("/docs").get_data(as_text=True)
    for url in references(html):
        response = client.get(url)
        assert response.status_code == 200, url
        suffix = "." + url.rsplit(".", 1)[-1]
        expected = CONTENT_TYPES[suffix]
        assert response.mimetype == expected, (url, response.mimetype)
        assert len(response.data) > 0, url
        if suffix == ".js":
            # A real Swagger UI bundle, not an empty or placeholder file.
            assert len(response.data) > 10_000, url


@pytest.mark.parametrize("name", ["../settings.py", "swagger-ui.js.map", "index.html"])
def test_only_the_listed_assets_are_served(client: Any, name: str) -> None:
    assert client.get(f"/docs/assets/{name}").status_code == 404


def test_docs_assets_are_not_in_the_spec(client: Any) -> None:
    paths = client.get("/openapi.json").json["paths"]
    assert not [path for path in paths if path.startswith("/docs")]


def test_docs_page_does_not_call_the_online_validator(client: Any) -> None:
    html = client.get("/docs").get_data(as_text=True)
    assert '"validatorUrl": null' in html


def test_every_parameter_has_an_example_or_default(client: Any) -> None:
    """ "Try it out" prefills examples and defaults: every parameter needs one of them,
    except alternatives to a parameter that has one (width and height next to size)."""
    alternatives = {"/maps/static": {"width", "height"}}
    spec = client.get("/openapi.json").json
    for path, item in spec["paths"].items():
        for parameter in item.get("get", {}).get("parameters", []):
            if parameter["name"] in alternatives.get(path, set()):
                continue
            schema = parameter["schema"]
            assert "example" in schema or "default" in schema or "example" in parameter, (
                path,
                parameter["name"],
            )
