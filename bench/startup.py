"""Start-up speed: a fresh process answering /health (and drawing its first chart) vs
importing the renderers.

    python -m bench.startup [--rounds N]

Targets: process start to the first /health response <= 0.3x the time to import matplotlib
and py-staticmaps, as the production front (api.wsgi:app) answers it; and a fresh process's
first chart <= 1.0x plain matplotlib's first chart (Figure + savefig) in a fresh process. Each side is a fresh interpreter that prints a line when it
is done; the time is from spawning it to reading that line (interpreter exit is not part
of either), less a bare interpreter's. Rounds are interleaved against machine noise.

Every side runs with compiled bytecode, as an installed deployment does: the children get
a private ``PYTHONPYCACHEPREFIX`` (filled by one warm-up run of each) and never see
``PYTHONDONTWRITEBYTECODE``, which would otherwise make the project's own modules, and only
those, compile from source on every start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Row, print_rows

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.3
FIRST_CHART_TARGET = 1.0
_WSGI_CALL = (
    "status = []\n"
    "body = b''.join(app({{'PATH_INFO': '{path}', 'QUERY_STRING': '{query}', 'REQUEST_METHOD': 'GET', "
    "'SERVER_NAME': 'localhost', 'SERVER_PORT': '80', 'wsgi.url_scheme': 'http', 'wsgi.input': None}}, "
    "lambda s, h, *e: status.append(s)))\n"
    "assert status == ['200 OK'], status\n"
)
DONE = "print('done', flush=True)"
SIDES = {
    "interpreter": DONE,
    "health": "from api import create_app\n"
    "c = create_app().test_client()\n"
    "assert c.get('/health').status_code == 200\n" + DONE,
    "first chart": "from api import create_app\n"
    "c = create_app().test_client()\n"
    "assert c.get('/charts/bar?data=30,45,28,60&labels=Q1,Q2,Q3,Q4&title=Revenue').status_code == 200\n"
    + DONE,
    "front health": "from api.wsgi import app\n" + _WSGI_CALL.format(path="/health", query="") + DONE,
    "front first chart": "from api.wsgi import app\n"
    + _WSGI_CALL.format(path="/charts/bar", query="data=30,45,28,60&labels=Q1,Q2,Q3,Q4&title=Revenue")
    + DONE,
    "plain first chart": "import io\nfrom matplotlib.figure import Figure\n"
    "fig = Figure(figsize=(6.4, 4.8))\nax = fig.add_subplot()\n"
    "ax.bar(['Q1', 'Q2', 'Q3', 'Q4'], [30, 45, 28, 60])\nax.set_title('Revenue')\n"
    "fig.savefig(io.BytesIO(), format='png')\n" + DONE,
    "renderers": "import matplotlib.figure, matplotlib.backends.backend_agg, staticmaps\n" + DONE,
    # The floor: APIFlask and the libraries it imports unconditionally (Flask, Werkzeug,
    # Jinja2, marshmallow, webargs, apispec, pydantic), one route, one request.
    "apiflask alone": "from apiflask import APIFlask\n"
    "app = APIFlask('floor')\n"
    "app.get('/health')(lambda: {'status': 'ok'})\n"
    "assert app.test_client().get('/health').status_code == 200\n" + DONE,
}


def child_env(pycache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def time_to_done_ms(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env
    ) as child:
        assert child.stdout is not None
        line = child.stdout.readline()
        elapsed = (time.perf_counter() - start) * 1000
        child.stdout.read()
    if line.strip() != "done" or child.returncode != 0:
        raise RuntimeError(f"start-up child failed: {code!r}")
    return elapsed


def run(rounds: int = 10) -> list[Row]:
    with tempfile.TemporaryDirectory() as pycache:
        env = child_env(pycache)
        for code in SIDES.values():
            time_to_done_ms(code, env)  # fills the bytecode cache
        times: dict[str, list[float]] = {name: [] for name in SIDES}
        for _ in range(rounds):
            for name, code in SIDES.items():
                times[name].append(time_to_done_ms(code, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["interpreter"]
    health, chart, renderers, floor, front, front_chart, plain_chart = (
        medians[name] - base
        for name in (
            "health",
            "first chart",
            "renderers",
            "apiflask alone",
            "front health",
            "front first chart",
            "plain first chart",
        )
    )
    print(f"bare interpreter:                         {base:.0f} ms (subtracted below)")
    print(f"create_app() + first /health:             {health:.0f} ms")
    print(f"create_app() + first bar chart:           {chart:.0f} ms")
    print(f"import matplotlib + staticmaps:           {renderers:.0f} ms")
    print(f"APIFlask alone, one route, first request: {floor:.0f} ms")
    print(f"api.wsgi:app, first /health:              {front:.0f} ms")
    print(f"api.wsgi:app, first bar chart:            {front_chart:.0f} ms")
    print(f"plain matplotlib, first bar chart:        {plain_chart:.0f} ms")
    return [
        Row(
            "process start to first /health (production front, api.wsgi:app) vs importing matplotlib + staticmaps",
            f"<= {TARGET}x",
            f"{front / renderers:.2f}x ({front:.0f} vs {renderers:.0f} ms)",
            front / renderers <= TARGET,
        ),
        Row(
            "first chart in a fresh process (production front, render pool) vs plain matplotlib's first chart",
            f"<= {FIRST_CHART_TARGET}x",
            f"{front_chart / plain_chart:.2f}x ({front_chart:.0f} vs {plain_chart:.0f} ms)",
            front_chart / plain_chart <= FIRST_CHART_TARGET,
        ),
        Row(
            "process start to first /health, create_app() itself",
            "",
            f"{health / renderers:.2f}x ({health:.0f} ms)",
        ),
        Row(
            "the floor: an empty APIFlask app to its first response, same baseline",
            "",
            f"{floor / renderers:.2f}x ({floor:.0f} ms)",
        ),
        Row(
            "process start to first chart vs importing matplotlib + staticmaps",
            "",
            f"{chart / renderers:.2f}x ({chart:.0f} ms)",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    print_rows(run(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
