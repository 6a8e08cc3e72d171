"""The image response contract: ETag, 304, HEAD, cache headers, formats, scale, caching."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from typing import Any

import pytest
from PIL import Image as PILImage

from api import create_app
from api.encode import Image
from api.output import Output
from api.rendercache import RenderCache, cache_key

BAR = "/charts/bar?data=3,5,2,8&labels=a,b,c,d&title=Contract"


def test_image_has_contract_headers(client: Any) -> None:
    response = client.get(BAR)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert int(response.headers["Content-Length"]) == len(response.data)
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/"), "strong ETag expected"


def test_max_age_comes_from_settings() -> None:
    client = create_app({"TESTING": True, "SETTINGS": {"cache_max_age": 60}}).test_client()
    assert client.get(BAR).headers["Cache-Control"] == "public, max-age=60"


def test_if_none_match_gives_304_without_rendering(client: Any, app: Any) -> None:
    etag = client.get(BAR).headers["ETag"]
    app.extensions["render_cache"].clear()
    response = client.get(BAR, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"].startswith("public")
    assert app.extensions["render_cache"].current_bytes == 0, "a 304 must not render"


def test_if_none_match_other_etag_renders(client: Any) -> None:
    response = client.get(BAR, headers={"If-None-Match": '"something-else"'})
    assert response.status_code == 200
    assert response.data.startswith(b"\x89PNG")


def test_head_has_headers_and_no_body(client: Any) -> None:
    get = client.get(BAR)
    head = client.head(BAR)
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Length"] == get.headers["Content-Length"]


def test_identical_requests_identical_bytes_across_processes_state() -> None:
    first = create_app({"TESTING": True}).test_client().get(BAR)
    second = create_app({"TESTING": True}).test_client().get(BAR)
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]


def test_parameter_order_and_defaults_share_one_etag(client: Any) -> None:
    a = client.get("/charts/bar?data=1,2&title=t&format=png")
    b = client.get("/charts/bar?title=t&data=1,2")
    assert a.headers["ETag"] == b.headers["ETag"]


def test_different_requests_different_etags(client: Any) -> None:
    assert client.get(BAR).headers["ETag"] != client.get(BAR + "&theme=dark").headers["ETag"]


@pytest.mark.parametrize(
    ("fmt", "mimetype", "magic"),
    [
        ("png", "image/png", b"\x89PNG"),
        ("webp", "image/webp", b"RIFF"),
        ("jpeg", "image/jpeg", b"\xff\xd8\xff"),
        ("svg", "image/svg+xml", b"<?xml"),
    ],
)
def test_formats(client: Any, fmt: str, mimetype: str, magic: bytes) -> None:
    response = client.get(f"{BAR}&format={fmt}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.data.startswith(magic)
    again = create_app({"TESTING": True}).test_client().get(f"{BAR}&format={fmt}")
    assert again.data == response.data, f"{fmt} output must be deterministic"


def test_no_timestamps_or_versions_in_files(client: Any) -> None:
    png = client.get(BAR).data
    assert b"tIME" not in png and b"Software" not in png and b"matplotlib" not in png.lower()
    svg = client.get(BAR + "&format=svg").data
    assert b"<dc:date>" not in svg and b"Matplotlib v" not in svg


@pytest.mark.parametrize("scale", [1, 2, 3])
def test_scale_multiplies_pixels(client: Any, scale: int) -> None:
    data = client.get(f"{BAR}&width=300&height=200&scale={scale}").data
    assert PILImage.open(io.BytesIO(data)).size == (300 * scale, 200 * scale)


def test_transparent_background_keeps_alpha(client: Any) -> None:
    image = PILImage.open(io.BytesIO(client.get(BAR + "&background=transparent").data))
    assert image.mode == "RGBA"
    assert image.getpixel((1, 1))[3] == 0
    opaque = PILImage.open(io.BytesIO(client.get(BAR).data))
    assert opaque.mode == "RGB"


def test_jpeg_flattens_transparency_onto_white(client: Any) -> None:
    image = PILImage.open(io.BytesIO(client.get(BAR + "&background=transparent&format=jpeg").data))
    assert all(channel > 245 for channel in image.convert("RGB").getpixel((1, 1)))


def test_repeat_is_served_from_cache(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.charts import render

    calls = []
    original = render.render_figure
    monkeypatch.setattr(render, "render_figure", lambda spec: calls.append(1) or original(spec))
    first = client.get(BAR.replace("Contract", "cached"))
    second = client.get(BAR.replace("Contract", "cached"))
    assert len(calls) == 1
    assert first.data == second.data


def test_render_cache_is_bounded_in_bytes() -> None:
    cache = RenderCache(max_bytes=250)
    for i in range(10):
        cache.get_or_render(str(i), lambda: Image(b"x" * 100, "image/png"))
    assert cache.current_bytes <= 250
    # Least recently used entries went first.
    hits = []
    cache.get_or_render("9", lambda: hits.append(1) or Image(b"y", "image/png"))
    cache.get_or_render("0", lambda: hits.append(1) or Image(b"y", "image/png"))
    assert hits == [1]


def test_render_cache_skips_degraded_and_oversized() -> None:
    cache = RenderCache(max_bytes=10)
    cache.get_or_render("degraded", lambda: Image(b"x", "image/png", warning="1 of 4 tiles failed"))
    cache.get_or_render("big", lambda: Image(b"x" * 11, "image/png"))
    assert cache.current_bytes == 0


def test_concurrent_identical_requests_render_once() -> None:
    cache = RenderCache(max_bytes=1000)
    started = threading.Event()
    release = threading.Event()
    calls = []

    def slow_render() -> Image:
        calls.append(1)
        started.set()
        release.wait(5)
        return Image(b"body", "image/png")

    results: list[Image] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_render("k", slow_render)))
        for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    assert started.wait(5)
    release.set()
    for thread in threads:
        thread.join(5)
    assert len(calls) == 1
    assert [r.body for r in results] == [b"body"] * 5


def test_render_failure_is_not_cached_and_releases_waiters() -> None:
    cache = RenderCache(max_bytes=1000)

    def broken() -> Image:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cache.get_or_render("k", broken)
    assert cache.get_or_render("k", lambda: Image(b"ok", "image/png")).body == b"ok"


def degraded_image() -> Image:
    return Image(b"img", "image/png", warning="3 of 16 tiles failed")


@dataclass(frozen=True)
class _Spec:
    output: Output = field(default_factory=Output)


def test_degraded_image_contract(app: Any) -> None:
    from api.outputs import Outputs
    from api.renderpool import RenderJob
    from api.responses import image_response

    outputs = Outputs(render=lambda spec: RenderJob(degraded_image, ()), describe=str)
    with app.test_request_context("/x"):
        response = image_response(_Spec(), outputs)
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["Warning"] == '199 - "3 of 16 tiles failed"'
    assert "ETag" not in response.headers, "a degraded image must not be revalidated into staying"


def test_cache_key_depends_on_spec_type_and_value() -> None:
    assert cache_key(("a", 1)) == cache_key(("a", 1))
    assert cache_key(("a", 1)) != cache_key(("a", 2))
    assert len(cache_key(1)) == 64
