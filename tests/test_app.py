from __future__ import annotations

import subprocess
import sys
from typing import Any


def test_health(client: Any) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"


def test_openapi_lists_every_chart_kind(client: Any) -> None:
    from api.charts.kinds import KINDS

    paths = client.get("/openapi.json").json["paths"]
    for name in KINDS:
        assert f"/charts/{name}" in paths


def test_app_and_health_do_not_import_matplotlib() -> None:
    code = (
        "import sys; from api import create_app; c = create_app().test_client(); "
        "assert c.get('/health').status_code == 200; "
        "assert c.get('/openapi.json').status_code == 200; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported at start'; "
        "assert c.get('/charts/bar?data=1,2').status_code == 200; "
        # Charts are drawn by the render pool's workers: the web process never loads matplotlib.
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported by the web process'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_in_process_rendering_imports_matplotlib_on_the_first_chart() -> None:
    code = (
        "import sys; from api import create_app; "
        "c = create_app({'SETTINGS': {'render_isolation': False}}).test_client(); "
        "assert c.get('/health').status_code == 200; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported at start'; "
        "assert c.get('/charts/bar?data=1,2').status_code == 200; "
        "assert 'matplotlib' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
