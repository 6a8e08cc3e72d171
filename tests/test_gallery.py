"""The gallery page's HTML (no browser): every example is a working URL, with its alt text,
size and hi-DPI source; alt text comes from the describers in process."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from marshmallow import ValidationError
from PIL import Image as PILImage

from api import create_app
from api.alttext import alt_text, spec_for
from api.charts.kinds import KINDS
from api.gallery import docs_anchor, first_sentence


class Images(HTMLParser):
    """Every <img> of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img":
            self.images.append(found)
        if found.get("id"):
            self.ids.append(str(found["id"]))


def text_twin(url: str) -> str:
    parts = urlsplit(url)
    switch = "chof" if parts.path == "/chart" else "format"  # Google's URLs name it chof
    query = [(name, value) for name, value in parse_qsl(parts.query) if name != switch]
    return f"{parts.path}?{urlencode([*query, (switch, 'txt')])}"


def page_images(client: Any) -> Images:
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    parser = Images()
    parser.feed(response.get_data(as_text=True))
    return parser


def test_every_gallery_image_is_a_working_url_with_alt_text_and_size(client: Any) -> None:
    parser = page_images(client)
    assert len(parser.images) >= len(KINDS) + 15
    for image in parser.images:
        src = str(image["src"])
        response = client.get(src)
        assert response.status_code == 200, (src, response.get_data(as_text=True))
        assert response.mimetype.startswith("image/"), src
        assert image["width"] and image["height"], src
        assert str(image["alt"]) == client.get(text_twin(src)).get_data(as_text=True), src
    assert len(parser.ids) == len(set(parser.ids)), "ids must be unique"


def test_gallery_shows_every_kind_and_map_feature(client: Any) -> None:
    sources = [str(image["src"]) for image in page_images(client).images]
    for kind in KINDS:
        assert any(src.startswith(f"/charts/{kind}?") for src in sources), kind
    maps = [src for src in sources if src.startswith(("/maps/static?", "/generate_map?"))]
    for feature in ("markers=", "path=", "fillcolor:", "circle=", "enc:", "center="):
        assert any(feature in src for src in maps), feature
    assert all("provider=naturalearth" in src or "tile_provider=naturalearth" in src for src in maps)
    google = [src for src in sources if src.startswith("/chart?")]
    for cht in ("cht=bvg", "cht=lc", "cht=p&", "cht=gom", "cht=qr"):
        assert any(cht in src for src in google), cht
    for option in ("theme=dark", "stacked=true", "horizontal=true", "log=true", "value_labels=true"):
        assert any(option in src for src in sources), option
    for option in (
        "legend_position=bottom",
        "legend_position=inside",
        "background=transparent",
        "format=svg",
    ):
        assert any(option in src for src in sources), option


def test_raster_images_offer_scale_2_in_srcset(client: Any) -> None:
    images = page_images(client).images
    with_srcset = [image for image in images if image.get("srcset")]
    assert len(with_srcset) >= len(KINDS)
    for image in with_srcset:
        assert image["srcset"] == f"{image['src']}&scale=2 2x"
    hidpi = client.get(str(with_srcset[0]["src"]) + "&scale=2")
    assert hidpi.status_code == 200
    assert PILImage.open(io.BytesIO(hidpi.data)).width == 2 * int(str(with_srcset[0]["width"]))
    svg = [image for image in images if "format=svg" in str(image["src"])]
    assert svg and not any(image.get("srcset") for image in svg), "vectors need no 2x source"


def test_gallery_without_the_offline_basemap_still_renders() -> None:
    """A server that turns the offline basemap off shows its charts, and no broken maps."""
    settings = {"enabled_providers": "osm", "default_provider": "osm"}
    client = create_app({"TESTING": True, "SETTINGS": settings}).test_client()
    sources = [str(image["src"]) for image in page_images(client).images]
    assert any(src.startswith("/charts/bar?") for src in sources)
    assert not any("/maps/" in src or "/generate_map" in src for src in sources)


def test_static_files_are_served(client: Any) -> None:
    for name, mimetype in (
        ("gallery.css", "text/css"),
        ("gallery.js", "text/javascript"),
        ("favicon.svg", "image/svg+xml"),
    ):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert response.mimetype == mimetype, name
        response.close()


def test_gallery_is_not_an_api_operation(client: Any) -> None:
    assert "/" not in client.get("/openapi.json").json["paths"]


def test_alt_text_reads_repeated_parameters_as_the_view_does(app: Any) -> None:
    url = "/maps/static?provider=naturalearth&markers=label:A|1,2&markers=label:B|3,4&path=1,1|2,2"
    with app.app_context():
        spec = spec_for(app, url)
        text = alt_text(app, url)
    assert [group.label for group in spec.markers] == ["A", "B"]
    assert "labelled A" in text and "labelled B" in text and "1 line" in text


def test_alt_text_refuses_invalid_urls(app: Any) -> None:
    with pytest.raises(ValidationError) as error:
        spec_for(app, "/charts/bar?data=1,2&width=0")
    assert "width" in error.value.messages
    with pytest.raises(ValidationError):
        spec_for(app, "/charts/bar?data=1&titel=typo")
    with pytest.raises(KeyError):
        spec_for(app, "/health")


def test_docs_anchor_is_swagger_uis_operation_id() -> None:
    assert docs_anchor("/charts/bar") == "/docs#/Charts/get_charts_bar"
    assert docs_anchor("/maps/static") == "/docs#/Maps/get_maps_static"
    assert docs_anchor("/generate_map") == "/docs#/Maps/get_generate_map"
    assert docs_anchor("/chart") == "/docs#/Charts/get_chart"


def test_first_sentence() -> None:
    assert first_sentence("One. Two.") == "One."
    assert first_sentence("Only one") == "Only one"


def test_google_chart_examples_link_their_chof_text_twin(client: Any) -> None:
    html = client.get("/").get_data(as_text=True)
    links = [part.split('"', 1)[0] for part in html.split('href="/chart?')[1:]]
    twins = [f"/chart?{link}".replace("&amp;", "&") for link in links if "chof=txt" in link]
    assert len(twins) >= 5
    for url in twins:
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "text/plain", url
