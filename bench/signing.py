"""What checking signed URLs costs a request.

    python -m bench.signing [--rounds N] [--requests N]

Target: under 1 ms per request. Two apps in this process, the same but for the signing secret,
answer the same map and chart URLs from their render caches (so nothing is drawn and the
check's share is as large as it gets): unsigned URLs on the app without a secret, the same
URLs signed on the app with one. Rounds alternate between the apps; each round times a batch
of requests and the per-request difference is taken round by round (min and median). The
check alone (split, decode, HMAC, compare) is timed too.
"""

from __future__ import annotations

import argparse
import statistics
import time
import timeit
from collections.abc import Callable

from bench.common import Row, machine, print_rows

SECRET = "vNIXE0xscrmjlyV-12Nj_BvUPaw="  # any valid one
TARGET_MS = 1.0
URLS = (
    "/maps/static?center=48.8566,2.3522&zoom=5&size=320x240&markers=color:red|label:P|48.8566,2.3522"
    "&path=color:0x0072b2|weight:3|48.8566,2.3522|51.5074,-0.1278|52.52,13.405",
    "/charts/bar?data=30,45,28,60|20,25,35,40&labels=Q1,Q2,Q3,Q4&legend=2025,2026&title=Revenue",
    "/chart?cht=lc&chs=320x200&chd=t:10,40,25,60,35&chxt=x,y&chtt=Visits",
)


def batch(get: Callable[[str], int], urls: list[str], requests: int) -> float:
    """Seconds for ``requests`` requests cycling through ``urls``."""
    start = time.perf_counter()
    for i in range(requests):
        assert get(urls[i % len(urls)]) == 200
    return time.perf_counter() - start


def run(rounds: int = 20, requests: int = 150) -> list[Row]:
    from api import create_app
    from api.signing import decode_secret, problem, sign_url

    settings = {"render_isolation": False}
    plain = create_app({"SETTINGS": settings}).test_client()
    signed = create_app({"SETTINGS": {**settings, "url_signing_secret": SECRET}}).test_client()
    unsigned_urls = list(URLS)
    signed_urls = [sign_url(url, SECRET) for url in URLS]

    def plain_get(url: str) -> int:
        return plain.get(url).status_code

    def signed_get(url: str) -> int:
        return signed.get(url).status_code

    for _ in range(3):  # fill both render caches, warm every code path
        batch(plain_get, unsigned_urls, len(URLS))
        batch(signed_get, signed_urls, len(URLS))
    differences, baselines = [], []
    for _ in range(rounds):
        off = batch(plain_get, unsigned_urls, requests) / requests
        on = batch(signed_get, signed_urls, requests) / requests
        differences.append((on - off) * 1000)
        baselines.append(off * 1000)

    key = decode_secret(SECRET)
    path, query = signed_urls[0].split("?", 1)
    assert problem(path, query.encode(), key) is None
    loops = 20_000
    check_us = (
        min(timeit.repeat(lambda: problem(path, query.encode(), key), number=loops, repeat=5)) / loops * 1e6
    )

    median = statistics.median(differences)
    print(f"Machine: {machine()}")
    print(
        f"cached request without signing: median {statistics.median(baselines):.3f} ms; "
        f"with signing, more by: min {min(differences):.3f} ms, median {median:.3f} ms "
        f"({rounds} rounds of {requests}); the check alone {check_us:.1f} µs"
    )
    return [
        Row(
            "signature check, per request (signed vs unsigned, cached images)",
            f"< {TARGET_MS:g} ms",
            f"{median:.3f} ms median, {min(differences):.3f} ms min; check alone {check_us:.1f} µs",
            median < TARGET_MS,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--requests", type=int, default=150)
    args = parser.parse_args()
    print_rows(run(args.rounds, args.requests))


if __name__ == "__main__":
    main()
