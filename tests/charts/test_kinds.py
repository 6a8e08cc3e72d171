"""Per-kind validation rules (422 naming the parameter) and hostile but valid input."""

from __future__ import annotations

import inspect
import re
import sys
from typing import Any

import pytest

from api.charts.kinds import KINDS
from tests.charts.test_baselines import example


def error_fields(client: Any, kind: str, **params: str) -> dict[str, Any]:
    response = client.get(f"/charts/{kind}", query_string=params)
    assert response.status_code == 422, response.data[:200]
    return response.json["detail"]["query"]


@pytest.mark.parametrize(
    ("kind", "params", "field", "message"),
    [
        ("pie", {"data": "1,-2,3"}, "data", "negative"),
        ("pie", {"data": "0,0,0"}, "data", "above 0"),
        ("donut", {"data": "1,2|3,4"}, "data", "one series"),
        ("donut", {"data": "1,2", "labels": "a,b,c"}, "labels", "Expected 2 labels"),
        ("pie", {"data": "1,2,3", "colors": "red,blue"}, "colors", "Expected 1 or 3"),
        ("radar", {"data": "1,2"}, "data", "at least 3"),
        ("scatter", {"data": "1,2,3"}, "x", "Missing"),
        ("scatter", {"data": "1,2,3", "x": "1,2"}, "x", "Expected 3 x values"),
        ("scatter", {"data": "1,2,3", "x": "1,2,3", "sizes": "1,2"}, "sizes", "Expected 3 sizes"),
        ("scatter", {"data": "1,2,3", "x": "1,2,3", "sizes": "1,0,2"}, "sizes", "above 0"),
        ("histogram", {"data": "1,2,3", "bins": "0"}, "bins", ""),
        ("histogram", {"data": "1,2,3", "bins": "101"}, "bins", ""),
        ("heatmap", {"data": "1,2,3|4,5"}, "data", "same number"),
        ("heatmap", {"data": "1,2|3,4", "rows": "a"}, "rows", "Expected 2 row labels"),
        ("heatmap", {"data": "1,2", "cmap": "jet"}, "cmap", ""),
        ("heatmap", {"data": "1,2", "colors": "red"}, "colors", "Unknown field"),
        ("gauge", {"data": "1,2,3,4,5,6"}, "data", "1 to 5"),
        ("gauge", {"data": "1|2"}, "data", "one series"),
        ("gauge", {"data": "120"}, "data", "outside"),
        ("gauge", {"data": "5", "min": "10", "max": "0"}, "max", "less than"),
        ("bar", {"data": "1,2|3"}, "data", "same number"),
        ("bar", {"data": "1,2", "legend": "a,b"}, "legend", "Expected 1 legend"),
        ("bar", {"data": "1,2", "log": "true", "min": "0"}, "min", "above 0"),
        ("bar", {"data": "0,2", "log": "true"}, "log", "above 0"),
        ("line", {"data": "1,2", "min": "5", "max": "1"}, "max", "less than"),
        ("sparkline", {"data": "1,2", "labels": "a,b"}, "labels", "Unknown field"),
        ("box", {"data": "1,2|3", "labels": "a"}, "labels", "Expected 2 labels"),
        ("line", {"data": "1,2", "format": "gif"}, "format", ""),
        ("line", {"data": "1,2", "width": "2048", "height": "2048", "scale": "2"}, "scale", "pixels"),
    ],
)
def test_validation(client: Any, kind: str, params: dict[str, str], field: str, message: str) -> None:
    errors = error_fields(client, kind, **params)
    assert field in errors, errors
    assert message in str(errors[field])


def test_box_and_histogram_take_series_of_different_lengths(client: Any) -> None:
    for kind in ("box", "histogram"):
        assert client.get(f"/charts/{kind}?data=1,2,3,4|5,6").status_code == 200


def test_every_kind_answers_its_own_examples(client: Any) -> None:
    for name in KINDS:
        response = client.get(f"/charts/{name}", query_string=example(name))
        assert response.status_code == 200, (name, response.json)


def hostile(kind: str) -> list[dict[str, str]]:
    """Valid but extreme requests: each must render (200) or be refused (422), never fail."""
    big = ",".join(str(i % 97) for i in range(2000))
    many = "|".join(",".join(str((i * j) % 13 + 1) for j in range(5)) for i in range(1, 21))
    long_label = "L" * 200
    cases = [
        {"data": "1e99,-1e99,1e-99"},
        {"data": "1e99,1e99,1e99"},
        {"data": big},
        {"data": many},
        {"data": "5,3,4", "title": long_label, "width": "1", "height": "1"},
        {"data": "5,3,4", "width": "2048", "height": "1"},
        {"data": "5,3,4", "width": "1", "height": "2048"},
        {"data": "5,3,4", "format": "svg"},
    ]
    if kind == "scatter":
        for case in cases:
            count = len(case["data"].split("|")[0].split(","))
            case["x"] = ",".join(str(i) for i in range(count))
    if kind == "qr":  # the same texts as text, and the largest codes at the extreme sizes
        cases = [{**{k: v for k, v in case.items() if k != "data"}, "text": case["data"]} for case in cases]
        cases += [
            {"text": "7" * 7089, "width": size, "height": size, "margin": "0"} for size in ("1", "29", "2048")
        ]
        cases.append({"text": "\x00\x01\u2028\U0001f600" * 100, "error_correction": "H", "format": "svg"})
    return cases


@pytest.mark.parametrize("kind", list(KINDS))
def test_hostile_input_never_fails(client: Any, kind: str) -> None:
    for params in hostile(kind):
        response = client.get(f"/charts/{kind}", query_string=params)
        assert response.status_code in (200, 422), (kind, params.get("data", "")[:30], response.status_code)


def test_every_field_a_kind_checks_is_one_of_its_parameters() -> None:
    """A kind's check names a spec field; /charts reports it under a parameter of that kind."""
    from api.charts.schemas import build_schema, parameter
    from api.settings import Limits

    checked = 0
    for kind in KINDS.values():
        source = inspect.getsource(sys.modules[kind.check.__module__])
        fields = set(re.findall(r'SpecError\(\s*"([\w.]+)"', source))
        declared = build_schema(kind, Limits())().fields
        for field in fields:
            assert parameter(field) in declared, (kind.name, field)
            checked += 1
    assert checked >= 10
