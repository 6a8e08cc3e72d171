"""Custom marker icons (``markers=icon:https://...``), fetched without letting a request reach
the server's own network (SSRF).

Only hosts the deployer allows (``CHARTMAP_ICON_HOSTS``) are asked, over https unless http is
allowed too. For every request, including each redirect hop (at most three, each checked
as the first), this module resolves the host name itself, refuses it if ANY of its addresses
is loopback, private, link-local (169.254.169.254, the cloud metadata service, is one),
multicast, reserved or otherwise not global, and then connects to the address it checked, so
a second DNS answer cannot swap in another (no time-of-check/time-of-use gap). TLS still
verifies the certificate against the host name. Environment proxies are not used (through a
proxy the checked address would not be the one connected to).

Icons are bounded in bytes, pixels and time, and cached in memory. An icon that cannot be had
is simply absent from :meth:`IconFetcher.fetch_all`'s answer: the map draws the default pin.
"""

from __future__ import annotations

import io
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from cachetools import LRUCache
from PIL import Image, UnidentifiedImageError
from requests.adapters import HTTPAdapter

from api.maps.tiles import upstream_ttl, user_agent
from api.settings import Settings

log = logging.getLogger(__name__)

MAX_REDIRECTS = 3
MAX_ICONS = 5
ICON_FORMATS = ("PNG", "GIF", "JPEG", "WEBP")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
getaddrinfo = socket.getaddrinfo  # module attribute: tests replace the resolver here


class IconRefused(Exception):
    """An icon that may not or cannot be fetched; the message says why (no URL in it)."""


def forbidden(address: IPAddress) -> bool:
    """Whether an address is anything but a public unicast one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None and forbidden(embedded):
            return True
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


@dataclass
class _Icon:
    image: Image.Image
    expires: float


class _PinnedAdapter(HTTPAdapter):
    """Resolves and checks the host of every request, and connects to the checked address."""

    def __init__(self, check: Any, **kwargs: Any) -> None:
        self._check = check  # host, port -> the address to connect to (or IconRefused)
        super().__init__(**kwargs)

    def build_connection_pool_key_attributes(  # type: ignore[override]  # adds pool keys the stubs lack
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        params, kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        host_params: dict[str, Any] = dict(params)
        pool_kwargs: dict[str, Any] = dict(kwargs)
        host = host_params["host"]
        port = host_params["port"] or (443 if host_params["scheme"] == "https" else 80)
        host_params["host"] = self._check(host, port)
        if host_params["scheme"] == "https":
            # The certificate is verified for the name, the connection goes to the address.
            pool_kwargs["server_hostname"] = host
            pool_kwargs["assert_hostname"] = host
        return host_params, pool_kwargs


class IconFetcher:
    """Fetches and caches the custom icons of maps; thread-safe, one per process."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.hosts = frozenset(h.strip().lower() for h in settings.icon_hosts.split(",") if h.strip())
        self.schemes = ("https", "http") if settings.icon_allow_http else ("https",)
        # Test-only: loopback addresses a test server listens on (never read from the environment).
        self._test_addresses = frozenset(
            address
            for address in (ipaddress.ip_address(a) for a in settings.icon_test_addresses)
            if address.is_loopback
        )
        self._session = requests.Session()
        self._session.trust_env = False  # no proxies from the environment: see the module docstring
        adapter = _PinnedAdapter(self._address, pool_connections=8, pool_maxsize=MAX_ICONS, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers["User-Agent"] = user_agent(settings)
        self._session.headers["Accept"] = "image/png,image/*;q=0.9"
        self._pool = ThreadPoolExecutor(MAX_ICONS, thread_name_prefix="icons")
        self._cache: LRUCache[str, _Icon] = LRUCache(
            maxsize=max(settings.icon_cache_bytes, 1),
            getsizeof=lambda icon: icon.image.width * icon.image.height * 4,
        )
        self._lock = threading.Lock()
        self._flights: dict[str, Future[Image.Image | None]] = {}

    def fetch_all(self, urls: Iterable[str]) -> dict[str, Image.Image]:
        """The icons that could be had, by URL (RGBA images), within the icon time budget."""
        deadline = time.monotonic() + self._settings.icon_timeout
        wanted = list(dict.fromkeys(urls))[:MAX_ICONS]
        futures = {url: self._start(url, deadline) for url in wanted}
        wait(list(futures.values()), timeout=max(0.0, deadline - time.monotonic()) + 0.05)
        found: dict[str, Image.Image] = {}
        for url, future in futures.items():
            image = future.result() if future.done() else None
            if image is not None:
                found[url] = image.copy()
        return found

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._session.close()

    # -- fetching -----------------------------------------------------------------------

    def _start(self, url: str, deadline: float) -> Future[Image.Image | None]:
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None and cached.expires > time.time():
                done: Future[Image.Image | None] = Future()
                done.set_result(cached.image)
                return done
            flight = self._flights.get(url)
            if flight is None:
                flight = self._pool.submit(self._run, url, deadline)
                self._flights[url] = flight
            return flight

    def _run(self, url: str, deadline: float) -> Image.Image | None:
        try:
            image, ttl = self._fetch(url, deadline)
        except IconRefused as exc:
            log.info("icon from %s not used: %s", urlsplit(url).hostname, exc)
            return None
        except (requests.RequestException, OSError) as exc:
            log.info("icon from %s failed: %s", urlsplit(url).hostname, type(exc).__name__)
            return None
        finally:
            with self._lock:
                self._flights.pop(url, None)
        with self._lock:
            self._cache[url] = _Icon(image, time.time() + ttl)
        return image

    def _fetch(self, url: str, deadline: float) -> tuple[Image.Image, float]:
        for _ in range(MAX_REDIRECTS + 1):
            parts = self._check_url(url)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise IconRefused("out of time")
            host = parts.netloc.rpartition("@")[2]
            with self._session.get(
                url,
                headers={"Host": host},
                timeout=(remaining, remaining),
                stream=True,
                allow_redirects=False,
            ) as response:
                if response.is_redirect and "Location" in response.headers:
                    url = urljoin(url, response.headers["Location"])
                    continue
                if response.status_code != 200:
                    raise IconRefused(f"HTTP {response.status_code}")
                body = self._read(response, deadline)
                ttl = max(upstream_ttl(response.headers, time.time()), float(self._settings.tile_min_ttl))
                return self._decode(body), ttl
        raise IconRefused(f"more than {MAX_REDIRECTS} redirects")

    def _check_url(self, url: str) -> Any:
        parts = urlsplit(url)
        if parts.scheme not in self.schemes:
            raise IconRefused(f"scheme {parts.scheme!r} is not allowed")
        if (parts.hostname or "").lower() not in self.hosts:
            raise IconRefused("host is not in CHARTMAP_ICON_HOSTS")
        return parts

    def _address(self, host: str, port: int) -> str:
        """The address to connect to for ``host``: every address it resolves to must be public."""
        try:
            answers = getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise IconRefused("the host name does not resolve") from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in answers]
        if not addresses:
            raise IconRefused("the host name has no address")
        for address in addresses:
            if forbidden(address) and address not in self._test_addresses:
                raise IconRefused(f"the host resolves to a non-public address ({address})")
        return str(addresses[0])

    def _read(self, response: requests.Response, deadline: float) -> bytes:
        limit = self._settings.icon_max_bytes
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise IconRefused(f"larger than {limit} bytes")
        body = bytearray()
        for chunk in response.iter_content(16 * 1024):
            body += chunk
            if len(body) > limit:
                raise IconRefused(f"larger than {limit} bytes")
            if time.monotonic() > deadline:
                raise IconRefused("out of time while reading")
        return bytes(body)

    def _decode(self, body: bytes) -> Image.Image:
        try:
            with Image.open(io.BytesIO(body), formats=ICON_FORMATS) as opened:
                width, height = opened.size
                if width * height > self._settings.icon_max_pixels or not width or not height:
                    raise IconRefused(
                        f"{width}x{height} pixels is more than {self._settings.icon_max_pixels}"
                    )
                opened.load()
                return opened.convert("RGBA")
        except (
            UnidentifiedImageError,
            OSError,
            ValueError,
            SyntaxError,
            Image.DecompressionBombError,
        ) as exc:
            raise IconRefused("not an image") from exc
