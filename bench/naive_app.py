"""The throughput baseline: a single-file Flask app that draws charts the plain way.

    gunicorn --workers 2 --bind 127.0.0.1:8001 bench.naive_app:app

``GET /charts/<kind>?<the same parameters as this API>`` draws a fresh ``Figure()`` and
``savefig``s it to PNG on every request (bench/plain.py): no validation beyond what the
drawing needs, no cache, no ETag. It serves the kinds in ``PLAIN_KINDS`` only, and no maps.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request

from bench.plain import PLAIN_KINDS, render_plain

app = Flask(__name__)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/charts/<kind>")
def chart(kind: str) -> Response:
    if kind not in PLAIN_KINDS:
        abort(404)
    return Response(render_plain(kind, request.args), mimetype="image/png")
