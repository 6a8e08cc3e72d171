"""Custom marker icons: fetched from allowed hosts only, never from the server's own network.

An icon server runs on 127.0.0.1; a patched resolver plays DNS, so a "public" name can answer
a private or metadata address. Loopback is itself forbidden in production: these tests allow
127.0.0.1 through ``icon_test_addresses``, a setting only code can set. As a second guard,
every outgoing connection is checked to go to 127.0.0.1, so a broken check could never send
traffic anywhere else.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import urllib3.util.connection
from PIL import Image

from api import create_app
from api.maps import icons
from api.maps.icons import IconFetcher, forbidden
from api.settings import Settings

MAGENTA = (255, 0, 255)


def png(size: tuple[int, int], color: tuple[int, int, int] = MAGENTA) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (*color, 255)).save(out, format="PNG")
    return out.getvalue()


class IconServer:
    """Serves /pin.png (16x16 magenta), /big.png (too many pixels), /huge.png (too many bytes),
    /slow.png (answers after 3 s), /not-an-image and /go?to=URL (a 302 redirect)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                path, _, query = self.path.partition("?")
                if path == "/go":
                    self.send_response(302)
                    self.send_header("Location", query.removeprefix("to="))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if path == "/slow.png":
                    server._stop.wait(3)
                body = {
                    "/pin.png": png((16, 16)),
                    "/slow.png": png((16, 16)),
                    "/big.png": png((200, 200)),
                    "/huge.png": png((8, 8)) + b"\0" * 400_000,
                    "/not-an-image": b"<html>hello</html>",
                }.get(path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def icon_server() -> Iterator[IconServer]:
    server = IconServer()
    yield server
    server.close()


# The fake DNS: name -> addresses.
ZONE = {
    "icons.test": ["127.0.0.1"],
    "public.test": ["93.184.215.14"],
    "intranet.test": ["10.20.30.40"],
    "metadata.test": ["169.254.169.254"],
    "mixed.test": ["127.0.0.1", "192.168.1.10"],
    "v6.test": ["::ffff:10.0.0.1"],
}


@pytest.fixture(autouse=True)
def fake_dns_and_loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The resolver answers from ZONE; a connection anywhere but 127.0.0.1 fails the test."""
    asked: list[str] = []

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        asked.append(host)
        if host not in ZONE:
            raise socket.gaierror(f"no such name {host}")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in ZONE[host]]

    real_connect = urllib3.util.connection.create_connection

    def connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        assert address[0] == "127.0.0.1", f"a connection to {address[0]} was attempted"
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(icons, "getaddrinfo", resolve)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", connect)
    return asked


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "icon_hosts": "icons.test,public.test,intranet.test,metadata.test,mixed.test,v6.test,nowhere.test",
        "icon_allow_http": True,
        "icon_test_addresses": ("127.0.0.1",),
        "icon_timeout": 1.0,
        "icon_max_bytes": 64 * 1024,
    }
    values.update(overrides)
    return Settings().with_overrides(values)


def client(**overrides: Any) -> Any:
    return create_app({"TESTING": True, "SETTINGS": settings(**overrides)}).test_client()


CENTER = "center=20,10&zoom=5&size=200x150"


def magenta_box(data: bytes) -> tuple[int, int, int, int] | None:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    points = [
        (x, y) for y in range(image.height) for x in range(image.width) if image.getpixel((x, y)) == MAGENTA
    ]
    if not points:
        return None
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def test_an_allowed_icon_is_drawn_and_fetched_once(icon_server: IconServer) -> None:
    app = client()
    url = f"/maps/static?{CENTER}&markers=icon:http://icons.test:{icon_server.port}/pin.png|20,10"
    first = app.get(url)
    assert first.status_code == 200
    assert "Warning" not in first.headers
    assert magenta_box(first.data) == (92, 59, 107, 74), "16x16, its bottom centre on the location"
    again = app.get(f"{url}&padding=10")  # another spec, same icon: from the icon cache
    assert magenta_box(again.data) == (92, 59, 107, 74)
    assert icon_server.requests == ["/pin.png"]


@pytest.mark.parametrize(
    ("anchor", "box"),
    [("topleft", (100, 75, 115, 90)), ("center", (92, 67, 107, 82)), ("4,12", (96, 63, 111, 78))],
)
def test_the_anchor_is_honoured(icon_server: IconServer, anchor: str, box: tuple[int, int, int, int]) -> None:
    response = client().get(
        f"/maps/static?{CENTER}&markers=anchor:{anchor}|icon:http://icons.test:{icon_server.port}/pin.png|20,10"
    )
    assert magenta_box(response.data) == box


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("intranet.test", "a public-looking name that answers a private address"),
        ("metadata.test", "the cloud metadata address"),
        ("mixed.test", "one private address among others"),
        ("v6.test", "a private IPv4 address inside IPv6"),
        ("nowhere.test", "a name that does not resolve"),
    ],
)
def test_private_targets_are_refused(icon_server: IconServer, host: str, why: str) -> None:
    response = client().get(
        f"/maps/static?{CENTER}&markers=color:blue|icon:http://{host}:{icon_server.port}/pin.png|20,10"
    )
    assert response.status_code == 200, why
    assert "icon could not be fetched" in response.headers["Warning"], why
    assert response.headers["Cache-Control"] == "public, max-age=60", "refusals are not cached for long"
    assert magenta_box(response.data) is None, "the default pin is drawn instead"
    assert icon_server.requests == [], why


def test_loopback_is_forbidden_without_the_test_allowance(icon_server: IconServer) -> None:
    response = client(icon_test_addresses=()).get(
        f"/maps/static?{CENTER}&markers=icon:http://icons.test:{icon_server.port}/pin.png|20,10"
    )
    assert "icon could not be fetched" in response.headers["Warning"]
    assert icon_server.requests == []


def test_only_loopback_test_addresses_are_honoured(icon_server: IconServer) -> None:
    response = client(icon_test_addresses=("127.0.0.1", "10.20.30.40")).get(
        f"/maps/static?{CENTER}&markers=icon:http://intranet.test:{icon_server.port}/pin.png|20,10"
    )
    assert "icon could not be fetched" in response.headers["Warning"]


def test_the_test_allowance_is_never_read_from_the_environment() -> None:
    env = {"CHARTMAP_ICON_TEST_ADDRESSES": "127.0.0.1", "CHARTMAP_ICON_HOSTS": "icons.test"}
    loaded = Settings.from_env(env)
    assert loaded.icon_test_addresses == ()
    assert loaded.icon_hosts == "icons.test"


def test_a_redirect_to_a_private_address_is_refused(
    icon_server: IconServer, fake_dns_and_loopback_only: list[str]
) -> None:
    target = f"http://intranet.test:{icon_server.port}/pin.png"
    response = client().get(
        f"/maps/static?{CENTER}&markers=icon:http://icons.test:{icon_server.port}/go%3Fto%3D{target}|20,10"
    )
    assert "icon could not be fetched" in response.headers["Warning"]
    assert icon_server.requests == [f"/go?to={target}"], "the redirect was not followed"
    assert "intranet.test" in fake_dns_and_loopback_only, "the hop was checked, not skipped"


def test_a_redirect_to_another_host_is_refused(icon_server: IconServer) -> None:
    target = f"http://elsewhere.example:{icon_server.port}/pin.png"
    response = client().get(
        f"/maps/static?{CENTER}&markers=icon:http://icons.test:{icon_server.port}/go%3Fto%3D{target}|20,10"
    )
    assert "icon could not be fetched" in response.headers["Warning"]


def test_a_redirect_to_an_allowed_host_is_followed(icon_server: IconServer) -> None:
    target = f"http://icons.test:{icon_server.port}/pin.png"
    response = client().get(
        f"/maps/static?{CENTER}&markers=icon:http://icons.test:{icon_server.port}/go%3Fto%3D{target}|20,10"
    )
    assert "Warning" not in response.headers
    assert magenta_box(response.data) is not None


@pytest.mark.parametrize("path", ["/big.png", "/huge.png", "/not-an-image", "/missing.png"])
def test_bad_icons_fall_back_to_the_pin(icon_server: IconServer, path: str) -> None:
    response = client().get(
        f"/maps/static?{CENTER}&markers=icon:http://icons.test:{icon_server.port}{path}|20,10"
    )
    assert response.status_code == 200
    assert "icon could not be fetched" in response.headers["Warning"]
    assert magenta_box(response.data) is None


def test_a_slow_icon_is_bounded_in_time(icon_server: IconServer) -> None:
    started = time.monotonic()
    response = client(icon_timeout=0.5).get(
        f"/maps/static?{CENTER}&markers=icon:http://icons.test:{icon_server.port}/slow.png|20,10"
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert "icon could not be fetched" in response.headers["Warning"]
    assert elapsed < 2.0, f"took {elapsed:.2f} s"


def test_hosts_not_allowed_are_not_asked(
    icon_server: IconServer, fake_dns_and_loopback_only: list[str]
) -> None:
    response = client(icon_hosts="").get(
        f"/maps/static?{CENTER}&markers=color:blue|icon:http://icons.test:{icon_server.port}/pin.png|20,10"
    )
    assert response.headers["Warning"].startswith('299 - "a custom marker icon')
    assert response.headers["Cache-Control"] == "public, max-age=86400", (
        "a persistent warning keeps the cache"
    )
    assert icon_server.requests == [] and fake_dns_and_loopback_only == []


def test_http_icons_need_the_http_setting(icon_server: IconServer) -> None:
    response = client(icon_allow_http=False).get(
        f"/maps/static?{CENTER}&markers=icon:http://icons.test:{icon_server.port}/pin.png|20,10"
    )
    assert response.headers["Warning"].startswith("299 - ")
    assert icon_server.requests == []


def test_replaced_icons_share_an_etag() -> None:
    app = client(icon_hosts="")
    one = app.get(f"/maps/static?{CENTER}&markers=color:red|icon:https://a.example/1.png|20,10")
    two = app.get(f"/maps/static?{CENTER}&markers=color:red|icon:https://b.example/2.png|20,10")
    assert one.headers["ETag"] == two.headers["ETag"]


def test_at_most_five_distinct_icons() -> None:
    markers = "".join(f"&markers=icon:https://a.example/{i}.png|1,{i}" for i in range(6))
    response = client().get(f"/maps/static?size=100x100{markers}")
    assert response.status_code == 422
    assert "at most 5" in str(response.json["detail"]["query"]["markers"])


def test_the_fetcher_alone_returns_only_what_it_could_get(icon_server: IconServer) -> None:
    fetcher = IconFetcher(settings())
    try:
        good = f"http://icons.test:{icon_server.port}/pin.png"
        found = fetcher.fetch_all(
            [good, f"http://intranet.test:{icon_server.port}/pin.png", "ftp://icons.test/x.png"]
        )
        assert list(found) == [good]
        assert found[good].size == (16, 16)
    finally:
        fetcher.close()


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("93.184.215.14", False),
        ("2606:4700::1111", False),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("10.0.0.1", True),
        ("172.16.5.4", True),
        ("192.168.0.1", True),
        ("100.64.0.1", True),  # carrier-grade NAT
        ("169.254.169.254", True),  # cloud metadata
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("240.0.0.1", True),
        ("255.255.255.255", True),
        ("::1", True),
        ("fe80::1", True),
        ("fd00:ec2::254", True),  # a cloud's IPv6 metadata address
        ("::ffff:127.0.0.1", True),
        ("2002:a00:1::", True),  # 6to4 of 10.0.0.1
        ("ff02::1", True),
    ],
)
def test_forbidden_addresses(address: str, refused: bool) -> None:
    assert forbidden(ipaddress.ip_address(address)) is refused
