"""Concurrency: many threads, one app, every answer identical to its serial render.

    python -m bench.concurrency [--threads N] [--requests N]

``--threads`` threads (8) each send ``--requests`` (200) mixed requests to one app in one
process: every chart kind in every format, offline maps, HEAD requests and invalid
requests, many URLs repeated across threads so that the same image is drawn at the same
time by several of them. The render cache is off, so every request renders. Each answer
(status, content type and body) must be byte-identical to the one a fresh app gives when
the same URL is requested serially. tests/test_concurrency.py runs a short version.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import threading
import time
from urllib.parse import urlencode

from api import create_app

Answer = tuple[int, str, str]  # status, content type, sha256 of the body


def mixed_urls(count: int, seed: int = 8) -> list[str]:
    """``count`` distinct requests: chart kinds in every format, offline maps, bad input."""
    from api.charts.kinds import KINDS

    rng = random.Random(seed)
    kinds = sorted(KINDS)
    formats = ("png", "png", "webp", "jpeg", "svg")
    urls = []
    for i in range(count):
        choice = i % 10
        if choice < 7:
            kind = kinds[i % len(kinds)]
            params = {
                k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in KINDS[kind].examples.items()
            }
            params.update(
                title=f"Chart {i}", width=str(rng.randrange(120, 500)), height=str(rng.randrange(90, 400))
            )
            params["format"] = formats[i % len(formats)]
            urls.append(f"/charts/{kind}?" + urlencode(params))
        elif choice < 9:
            lat, lng = rng.uniform(-60, 60), rng.uniform(-170, 170)
            query = {
                "center": f"{lat:.3f},{lng:.3f}",
                "zoom": str(rng.randrange(0, 7)),
                "size": f"{rng.randrange(100, 400)}x{rng.randrange(100, 300)}",
                "markers": f"color:red|label:{chr(65 + i % 26)}|{lat:.3f},{lng:.3f}",
                "path": f"weight:4|{lat:.3f},{lng:.3f}|{lat + 2:.3f},{lng + 3:.3f}",
            }
            urls.append("/maps/static?" + urlencode(query))
        else:
            urls.append(f"/charts/bar?data=1,2,x{i}")  # 422 naming the parameter
    return urls


def answer_of(client: object, url: str, method: str = "GET") -> Answer:
    response = client.open(url, method=method)  # type: ignore[attr-defined]
    return response.status_code, response.content_type or "", hashlib.sha256(response.data).hexdigest()


def serial_answers(urls: list[str]) -> dict[str, Answer]:
    client = create_app({"SETTINGS": {"render_cache_bytes": 0}}).test_client()
    return {url: answer_of(client, url) for url in urls}


def concurrent_answers(
    urls: list[str], threads: int, per_thread: int, seed: int = 8
) -> list[tuple[str, Answer]]:
    """Each thread sends ``per_thread`` requests drawn from ``urls`` in its own order."""
    app = create_app({"SETTINGS": {"render_cache_bytes": 0}})
    results: list[tuple[str, Answer]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        client = app.test_client()
        mine = [rng.choice(urls) for _ in range(per_thread)]
        start.wait()
        try:
            for url in mine:
                got = answer_of(client, url)
                with lock:
                    results.append((url, got))
        except BaseException as exc:  # reported by the caller
            with lock:
                failures.append(exc)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(600)
    if failures:
        raise failures[0]
    return results


def mismatches(threads: int, per_thread: int, distinct: int) -> tuple[int, list[str]]:
    """(requests sent, URLs whose concurrent answer differed from the serial one)."""
    urls = mixed_urls(distinct)
    expected = serial_answers(urls)
    got = concurrent_answers(urls, threads, per_thread)
    wrong = sorted({url for url, answer in got if answer != expected[url]})
    return len(got), wrong


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="per thread")
    parser.add_argument("--distinct", type=int, default=300, help="distinct URLs they are drawn from")
    args = parser.parse_args()
    started = time.perf_counter()
    sent, wrong = mismatches(args.threads, args.requests, args.distinct)
    print(
        f"{args.threads} threads x {args.requests} requests ({sent} sent) over {args.distinct} URLs "
        f"in {time.perf_counter() - started:.0f} s: {len(wrong)} differ from their serial answer"
    )
    for url in wrong[:20]:
        print("  differs:", url)
    raise SystemExit(1 if wrong or sent != args.threads * args.requests else 0)


if __name__ == "__main__":
    main()
