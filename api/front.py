"""The front of a production process (``api.wsgi:app`` is one): it answers ``/health`` from the first moment, importing nothing heavy, and builds the real app
(:func:`api.create_app`: APIFlask, the schemas, the render pool and its warm workers) in a
background thread as soon as the process starts, so neither a health probe nor the first
image waits for more than it must. Every request but an early health probe goes to the real
app, waiting for it to be built; once built, health probes go there too. The early answer is
the one the app gives (tests/test_front.py compares them).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from api.cors import cors_headers, cors_origin
from api.settings import Settings
from api.version import __version__

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

# As Flask's JSON provider writes it: sorted keys, compact, a final newline.
_HEALTH = (
    json.dumps({"status": "ok", "version": __version__}, separators=(",", ":"), sort_keys=True) + "\n"
).encode()


def _build_app() -> WSGIApp:
    from api import create_app

    app: WSGIApp = create_app()
    return app


class Front:
    """Answers early health probes; hands everything else to the app ``build`` returns."""

    def __init__(self, build: Callable[[], WSGIApp] = _build_app) -> None:
        self._build = build
        self._app: WSGIApp | None = None
        self._error: BaseException | None = None
        self._ready = threading.Event()
        threading.Thread(target=self._run_build, name="app-build", daemon=True).start()

    def _run_build(self) -> None:
        try:
            self._app = self._build()
        except BaseException as exc:  # raised to every request, so the server logs it
            self._error = exc
        finally:
            self._ready.set()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if not self._ready.is_set() and _is_health_probe(environ):
            return _health(environ, start_response)
        self._ready.wait()
        if self._error is not None:
            raise RuntimeError("the app could not be built") from self._error
        assert self._app is not None
        return self._app(environ, start_response)

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the app is built (waiting up to ``timeout`` seconds)."""
        return self._ready.wait(timeout)


@cache
def _cors() -> list[tuple[str, str]]:
    # The app's after_request hook adds the same (api/headers.py), from the same settings.
    try:
        return cors_headers(cors_origin(Settings.from_env().cors_origin))
    except ValueError:  # the app refuses to start over it; the probe says nothing of it
        return []


def _is_health_probe(environ: Environ) -> bool:
    return environ.get("PATH_INFO") == "/health" and environ.get("REQUEST_METHOD") in ("GET", "HEAD")


def _health(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(_HEALTH)))]
    start_response("200 OK", headers + _cors())
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else [_HEALTH]
