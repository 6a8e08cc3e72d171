"""The Azure Functions entry point, loaded the way the Python worker loads it and driven
with real ``azure.functions.HttpRequest`` objects.

The worker (folder-per-function model) reads ``<folder>/function.json``, registers the
script root as the ``__app__`` namespace package and imports ``scriptFile`` from it
(``__app__.function_app`` for an ``__init__.py``), then calls ``entryPoint``.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import inspect
import json
import re
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import azure.functions as func
import pytest
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent
FUNCTION_DIR = ROOT / "function_app"
HOST = "https://func-chartmap.azurewebsites.net"

# Requests per top-level image path; a new image path gets an entry here (and a match value
# in the Front Door cache rule, see tests/test_infra.py). Paths the app does not serve yet
# are left out of the runs, and test_every_image_operation_has_sample_requests says when
# the app serves one that has no entry.
SAMPLE_REQUESTS = {
    "charts": [
        "/charts/bar?data=30,45,28,60|20,25,35,40&labels=Q1,Q2,Q3,Q4&legend=2025,2026&title=Revenue",
        "/charts/pie?data=45,30,25&labels=Rent,Food,Other&width=320&height=240",
    ],
    "chart": ["/chart?cht=bvs&chs=320x200&chd=t:30,45,28,60"],
    "maps": ["/maps/static?center=48.85,2.35&zoom=4&size=320x200&markers=color:red|label:P|48.85,2.35"],
    "generate_map": ["/generate_map?center=48.85,2.35&zoom=3&width=320&height=200"],
}


def top_segment(path: str) -> str:
    return path.lstrip("/").split("/", 1)[0].split("?", 1)[0]


def image_operation_paths() -> list[str]:
    """Paths of the image operations (tagged Charts or Maps) in the app's OpenAPI spec."""
    from api import create_app

    spec = create_app({"TESTING": True}).spec
    return sorted(
        path
        for path, item in spec["paths"].items()
        if {"Charts", "Maps"} & set(item.get("get", {}).get("tags", []))
    )


SERVED_SEGMENTS = {top_segment(path) for path in image_operation_paths()}
IMAGE_REQUESTS = [
    request
    for segment, requests in SAMPLE_REQUESTS.items()
    if segment in SERVED_SEGMENTS
    for request in requests
]

CACHE_CONTROL_IMAGE = re.compile(r"^public, max-age=[0-9]+$")


class InvocationContext(func.Context):
    """What the worker hands to a function that asks for ``context``."""

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def invocation_id(self) -> str:
        return "00000000-0000-0000-0000-000000000001"

    @property
    def thread_local_storage(self) -> Any:
        return self._local

    @property
    def function_name(self) -> str:
        return FUNCTION_DIR.name

    @property
    def function_directory(self) -> str:
        return str(FUNCTION_DIR)

    @property
    def trace_context(self) -> Any:
        return None

    @property
    def retry_context(self) -> Any:
        return None


def function_json() -> dict[str, Any]:
    return json.loads((FUNCTION_DIR / "function.json").read_text(encoding="utf-8"))


def load_like_worker(function_dir: Path) -> tuple[ModuleType, Callable[..., Any]]:
    """Import the function's script and return (module, entry point) as the worker does."""
    spec = function_json()
    script = function_dir / spec.get("scriptFile", "__init__.py")
    entry_point = spec.get("entryPoint", "main")
    script_root = function_dir.parent
    if "__app__" not in sys.modules:
        namespace = importlib.machinery.ModuleSpec("__app__", None)
        namespace.submodule_search_locations = [str(script_root)]
        sys.modules["__app__"] = importlib.util.module_from_spec(namespace)
    relative = script.relative_to(script_root)
    parts = ["__app__", *relative.parts[:-1]]
    if relative.stem != "__init__":  # the worker imports a package's __init__.py once
        parts.append(relative.stem)
    module = importlib.import_module(".".join(parts))
    entry = getattr(module, entry_point)
    assert callable(entry)
    return module, entry


@pytest.fixture(scope="module")
def loaded() -> Iterator[tuple[ModuleType, Callable[..., Any]]]:
    had_namespace = "__app__" in sys.modules
    try:
        yield load_like_worker(FUNCTION_DIR)
    finally:
        if not had_namespace:
            for name in [n for n in sys.modules if n == "__app__" or n.startswith("__app__.")]:
                del sys.modules[name]


@pytest.fixture(scope="module")
def main(loaded: tuple[ModuleType, Callable[..., Any]]) -> Callable[..., Any]:
    return loaded[1]


@pytest.fixture(scope="module")
def flask_client(loaded: tuple[ModuleType, Callable[..., Any]]) -> FlaskClient:
    """The same app object the function serves, through Flask's test client."""
    return loaded[0].app.test_client()


def invoke(
    main: Callable[..., Any], path_and_query: str, method: str = "GET", headers: dict[str, str] | None = None
) -> func.HttpResponse:
    """One invocation as the host makes it: the URL as received, query parameters, route."""
    url = HOST + path_and_query
    parts = urlsplit(url)
    request = func.HttpRequest(
        method=method,
        url=url,
        headers=headers or {},
        params=dict(parse_qsl(parts.query)),
        route_params={"route": parts.path.lstrip("/")},
        body=b"",
    )
    response = main(request, InvocationContext())
    assert isinstance(response, func.HttpResponse)
    return response


# -- how the worker finds and calls the function ------------------------------------


def test_function_json_declares_a_keyed_catch_all_get_and_head_trigger() -> None:
    bindings = function_json()["bindings"]
    triggers = [b for b in bindings if b["type"] == "httpTrigger"]
    assert len(triggers) == 1
    trigger = triggers[0]
    assert trigger["direction"] == "in"
    assert trigger["authLevel"] == "function"
    assert sorted(m.lower() for m in trigger["methods"]) == ["get", "head"]
    assert re.fullmatch(r"\{\*\w+\}", trigger["route"]), "the route must catch every path"
    outputs = [b for b in bindings if b["direction"] == "out"]
    assert outputs == [{"type": "http", "direction": "out", "name": "$return"}]


def test_layout_selects_the_folder_per_function_model() -> None:
    # The worker indexes decorated functions only when <script root>/function_app.py exists
    # (PYTHON_SCRIPT_FILE_NAME's default); without it the host reads function.json folders.
    assert not (ROOT / "function_app.py").exists()
    assert (ROOT / "host.json").is_file()
    assert (ROOT / "requirements.txt").is_file()
    script = FUNCTION_DIR / function_json().get("scriptFile", "__init__.py")
    assert script.is_file()
    assert "azure-functions==" in (ROOT / "requirements.txt").read_text(encoding="utf-8")


def test_entry_point_signature_matches_the_bindings(loaded: tuple[ModuleType, Callable[..., Any]]) -> None:
    _, entry = loaded
    trigger_names = {b["name"] for b in function_json()["bindings"] if b["direction"] == "in"}
    parameters = inspect.signature(entry, eval_str=True).parameters
    # The worker passes each input binding by name, and the invocation context as "context".
    assert set(parameters) == trigger_names | {"context"}
    assert parameters["req"].annotation is func.HttpRequest
    assert parameters["context"].annotation is func.Context
    assert inspect.signature(entry, eval_str=True).return_annotation is func.HttpResponse


def test_every_image_operation_has_sample_requests() -> None:
    assert {"charts", "maps", "generate_map"} <= SERVED_SEGMENTS
    assert set(SAMPLE_REQUESTS) >= SERVED_SEGMENTS, "add sample requests for the new image path"


# -- the response contract through the function ---------------------------------------


@pytest.mark.parametrize("path", IMAGE_REQUESTS)
def test_image_through_the_function_matches_the_wsgi_app(
    main: Callable[..., Any], flask_client: FlaskClient, path: str
) -> None:
    response = invoke(main, path)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Content-Type"] == "image/png"
    # Front Door caches what the origin allows: images must be public with a max-age.
    assert CACHE_CONTROL_IMAGE.match(response.headers["Cache-Control"])
    assert re.fullmatch(r'"[0-9a-f]+"', response.headers["ETag"])
    body = response.get_body()
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    assert response.headers["Content-Length"] == str(len(body))
    direct = flask_client.get(path)
    assert direct.status_code == 200
    assert body == direct.data
    assert response.headers["ETag"] == direct.headers["ETag"]


@pytest.mark.parametrize("path", IMAGE_REQUESTS)
def test_if_none_match_gets_304_without_a_body(main: Callable[..., Any], path: str) -> None:
    etag = invoke(main, path).headers["ETag"]
    response = invoke(main, path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.get_body() == b""
    assert response.headers["ETag"] == etag
    assert CACHE_CONTROL_IMAGE.match(response.headers["Cache-Control"])
    other = invoke(main, path, headers={"If-None-Match": '"0000"'})
    assert other.status_code == 200


@pytest.mark.parametrize("path", IMAGE_REQUESTS)
def test_head_has_the_headers_of_get_and_no_body(main: Callable[..., Any], path: str) -> None:
    get = invoke(main, path)
    head = invoke(main, path, method="HEAD")
    assert head.status_code == 200
    assert head.get_body() == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Cache-Control"):
        assert head.headers[name] == get.headers[name], name
    assert head.headers["Content-Length"] == str(len(get.get_body()))


def test_health_answers_json(main: Callable[..., Any]) -> None:
    response = invoke(main, "/health")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert json.loads(response.get_body())["status"] == "ok"


# -- the query string arrives intact ----------------------------------------------------

MARKER_A = "color:red|label:A|48.85,2.35"
MARKER_B = "color:blue%7Clabel:B%7C48.86%2C2.40"  # the same syntax, percent-encoded


def test_repeated_parameters_pipes_and_encoded_commas_reach_the_app(
    main: Callable[..., Any], flask_client: FlaskClient
) -> None:
    base = "/maps/static?center=48.85,2.37&zoom=11&size=240x160"
    both = invoke(main, f"{base}&markers={MARKER_A}&markers={MARKER_B}")
    assert both.status_code == 200
    assert both.get_body() == flask_client.get(f"{base}&markers={MARKER_A}&markers={MARKER_B}").data
    # Each marker changes the picture, so a dropped repeat or a mangled | or %2C would show.
    only_a = invoke(main, f"{base}&markers={MARKER_A}")
    only_b = invoke(main, f"{base}&markers={MARKER_B}")
    assert len({both.get_body(), only_a.get_body(), only_b.get_body()}) == 3
    decoded_b = invoke(main, f"{base}&markers=color:blue|label:B|48.86,2.40")
    assert decoded_b.get_body() == only_b.get_body()


@pytest.mark.parametrize(
    "title",
    [
        "Caf%C3%A9%20%E2%80%94%20%CE%91%CE%B8%CE%AE%CE%BD%CE%B1",  # percent-encoded UTF-8
        "Café — Αθήνα",  # as a client may send it unencoded
    ],
)
def test_unicode_in_the_query_is_decoded_as_utf8(
    main: Callable[..., Any], flask_client: FlaskClient, title: str
) -> None:
    path = "/charts/bar?data=3,5,4&labels=%C3%A9t%C3%A9,hiver,%C3%9Cber&title="
    response = invoke(main, path + title)
    assert response.status_code == 200
    expected = flask_client.get(path + "Caf%C3%A9%20%E2%80%94%20%CE%91%CE%B8%CE%AE%CE%BD%CE%B1")
    assert response.get_body() == expected.data
    mojibake = flask_client.get(path + "Caf%C3%83%C2%A9%20%E2%80%94%20Athens")
    assert response.get_body() != mojibake.data


def test_list_parameters_with_encoded_commas_split_like_plain_ones(main: Callable[..., Any]) -> None:
    plain = invoke(main, "/charts/bar?data=1,2|3,4&legend=one,two")
    encoded = invoke(main, "/charts/bar?data=1%2C2%7C3%2C4&legend=one%2Ctwo")
    assert plain.status_code == encoded.status_code == 200
    assert plain.get_body() == encoded.get_body()


# -- errors: named, never cached, never a 500 ----------------------------------------------


def test_bad_parameter_is_a_422_naming_it(main: Callable[..., Any]) -> None:
    response = invoke(main, "/charts/bar?data=1,2&width=0")
    assert response.status_code == 422
    assert response.headers["Cache-Control"] == "no-store"
    body = json.loads(response.get_body())
    assert "width" in body["detail"]["query"]


def test_bad_parameter_for_an_img_tag_is_a_png_naming_it(main: Callable[..., Any]) -> None:
    accept = "image/avif,image/webp,image/png,image/*;q=0.8,*/*;q=0.5"
    response = invoke(main, "/maps/static?center=48.85,2.35&zoom=99&size=200x100", headers={"Accept": accept})
    assert response.status_code == 422
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_body().startswith(b"\x89PNG")


def test_unknown_path_is_a_404(main: Callable[..., Any]) -> None:
    response = invoke(main, "/charts/no-such-kind?data=1")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


def test_an_error_written_by_one_request_does_not_fail_the_next(
    loaded: tuple[ModuleType, Callable[..., Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    module, entry = loaded

    def wsgi_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if environ["PATH_INFO"] == "/logs-an-error":
            environ["wsgi.errors"].write("something went wrong\n")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    monkeypatch.setattr(module.app, "wsgi_app", wsgi_app)
    with pytest.raises(Exception) as raised:  # noqa: PT011 (the middleware raises a bare Exception)
        invoke(entry, "/logs-an-error")
    # The middleware joins the characters of the message with line breaks.
    assert str(raised.value).replace("\n", "") == "something went wrong"
    response = invoke(entry, "/anything")
    assert response.status_code == 200
    assert response.get_body() == b"ok"
