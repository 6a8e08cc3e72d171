"""Property-based tests of the whole OpenAPI spec: every operation, positive and negative cases.

The app under test has small size limits so that a hundred renders per operation stay fast;
the spec states those limits, so the generated requests explore exactly their boundaries.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from marshmallow import Schema, ValidationError
from marshmallow.fields import List
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from webargs.fields import DelimitedList

from api import create_app

SMALL_LIMITS = {
    "max_width": 300,
    "max_height": 300,
    "max_pixels": 300 * 300 * 2,
    "max_series": 4,
    "max_points": 30,
    "max_total_points": 60,
    "max_text": 40,
    "max_markers": 10,
    "max_path_vertices": 60,
    "max_paths": 4,
    # Small enough that long generated values reach it: the 414 must conform to the spec too.
    "max_url_length": 1500,
    # Maps from the embedded basemap only: tests never reach the internet.
    "enabled_providers": "naturalearth",
}

# Rules on a single parameter that JSON Schema cannot state, so the spec states them in words
# (each is in the parameter's description): a schema-valid value may still break them.
RULES_IN_WORDS = (
    re.compile(r"\d+ points in all; at most \d+ are allowed\."),  # a sum across series
    # Counts in the thousands make a pattern too large for common JSON Schema validators.
    re.compile(r"Series \d+ has \d+ points; at most \d+ are allowed\."),
    re.compile(r"At most \d+ values are allowed, got \d+\."),
    # Encoded polylines: where the decoded points land is a sum over the whole string.
    re.compile(r"the encoded polyline has a point out of range \(.*\)"),
    # Place names: whether a name is in the offline gazetteer is data, not syntax.
    re.compile(r"part \d+ \(.*\): no place named .* is known to the offline gazetteer .*"),
    re.compile(r"part \d+ \(.*\): the place name .* is longer than \d+ characters"),
)

app = create_app({"TESTING": True, "SETTINGS": SMALL_LIMITS})
# A URL over the length limit is refused as a whole with 414 (documented), which is as good a
# rejection of invalid data as a 422.
_REJECTIONS = SchemathesisConfig().projects.default.checks.negative_data_rejection.expected_statuses
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": [*_REJECTIONS, "414"]}}}
)
schema = schemathesis.openapi.from_wsgi("/openapi.json", app, config=CONFIG)


def query_schema(method: str, path: str, of: Any = None) -> Schema | None:
    """The marshmallow schema that parses an operation's query string in app ``of`` (this
    module's app by default), if it has one."""
    app_ = of if of is not None else app
    adapter = app_.url_map.bind("localhost")
    endpoint, _ = adapter.match(path, method=method)
    spec = getattr(app_.view_functions[endpoint], "_spec", {})
    for instance, location in spec.get("args", []):
        if location == "query":
            return instance  # type: ignore[no-any-return]
    return None


def schema_valid_parameters_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    return parameters_accepted_by(app, SMALL_LIMITS["max_url_length"], ctx, response, case)


def parameters_accepted_by(parsers: Any, url_limit: int, ctx: Any, response: Any, case: Any) -> bool | None:
    """``positive_data_acceptance``, minus what OpenAPI cannot express.

    A request valid by the spec may still break a rule across parameters (labels must match
    the number of points, min below max, the output pixel budget): OpenAPI describes each
    parameter alone. So a 422 for a schema-valid request passes only if every parameter,
    parsed on its own by the app's field, is accepted -- any parameter the parser rejects
    although the spec allows it is a disagreement between the spec and the parser.
    """
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return None
    if response.status_code == 414:
        # The URL limit is on the whole URL, across parameters.
        url = urlsplit(response.request.url)
        full_path = f"{url.path}?{url.query}"
        assert len(full_path) > url_limit, f"414 for a {len(full_path)}-character URL"
        return True
    if response.status_code != 422:
        return positive_data_acceptance(ctx, response, case)
    url = urlsplit(response.request.url)
    parser = query_schema(case.method, url.path, parsers)
    assert parser is not None, f"422 from {url.path}, which takes no query parameters"
    by_key = {f.data_key or name: f for name, f in parser.fields.items()}
    for key, value in parse_qsl(url.query, keep_blank_values=True):
        field = by_key.get(key)
        assert field is not None, f"parameter {key!r} was sent but {url.path} does not declare it"
        # A repeatable parameter: the parser sees each of its values in a list.
        repeatable = isinstance(field, List) and not isinstance(field, DelimitedList)
        try:
            field.deserialize([value] if repeatable else value)
        except ValidationError as exc:
            messages = flatten(exc.messages)
            if all(any(rule.fullmatch(str(m)) for rule in RULES_IN_WORDS) for m in messages):
                continue
            raise AssertionError(
                f"the spec allows {key}={value!r} but the parser rejects it: {exc.messages}"
            ) from None
    detail = response.json().get("detail", {}).get("query", {})
    assert detail, "a 422 must name the parameters it rejects"
    return True


def flatten(messages: Any) -> list[str]:
    """Messages of a field, of a list's items ({index: [...]}) included."""
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in flatten(value)]
    if isinstance(messages, list):
        return [m for value in messages for m in flatten(value)]
    return [str(messages)]


def schema_invalid_requests_rejected(ctx: Any, response: Any, case: Any) -> bool | None:
    """``negative_data_rejection``, judged on the request as sent.

    A negative case can turn valid on the wire: the boolean ``false`` for an array of strings
    is sent as the one-label list ``false``, and an object for an integer is sent as nothing.
    Such a request is valid by the spec, so the app is right to draw it.
    """
    if case.meta is None or case.meta.generation.mode != GenerationMode.NEGATIVE:
        return None
    if response.status_code < 400 and sent_query_is_valid(case, response):
        return True
    return negative_data_rejection(ctx, response, case)


def sent_query_is_valid(case: Any, response: Any) -> bool:
    """Whether the query string actually sent, read as the spec's serialisation says (form
    style; arrays comma-separated unless exploded), is valid by every parameter's schema."""
    sent: dict[str, list[str]] = {}
    for key, value in parse_qsl(urlsplit(response.request.url).query, keep_blank_values=True):
        sent.setdefault(key, []).append(value)
    for parameter in case.operation.query:
        values = sent.pop(parameter.name, None)
        if values is None:
            if parameter.is_required:
                return False
            continue
        param_schema = parameter.definition["schema"]
        if param_schema.get("type") == "array":
            exploded = parameter.definition.get("explode", True)
            if not exploded and len(values) != 1:
                return False
            items = values if exploded else values[0].split(",")
            typed: Any = [_typed(item, param_schema.get("items", {})) for item in items]
        elif len(values) == 1:
            typed = _typed(values[0], param_schema)
        else:
            return False
        if not jsonschema_rs.validator_for(param_schema).is_valid(typed):
            return False
    return not sent  # nothing undeclared


def _typed(text: str, item_schema: dict[str, Any]) -> Any:
    """A query value as the JSON value it serialises, where that is unambiguous; otherwise
    the text itself, which an integer or number schema then rejects."""
    kind = item_schema.get("type")
    if kind == "integer" and re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if kind == "number" and re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?", text):
        return float(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


MAX_REPAIRS = 4
# Examples per operation; `python -m bench.schemathesis_long` runs 1,000.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "100"))
CHECKS: dict[str, Any] = {
    # Replaced by the two checks above: a 422 only for rules across parameters (OpenAPI cannot
    # state them), and a negative case judged by the request actually sent.
    "excluded_checks": [positive_data_acceptance, negative_data_rejection],
    "additional_checks": [schema_valid_parameters_accepted, schema_invalid_requests_rejected],
}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,  # renders take tens of milliseconds, more on a busy CI machine
    derandomize=True,  # the same examples on every run, so CI failures reproduce
    # Renders are slow compared to what Hypothesis expects of a data generator.
    suppress_health_check=[HealthCheck.too_slow],
)
def test_api(case: Any) -> None:
    response = case.call_and_validate(**CHECKS)
    # Random optional parameters mostly break some rule across parameters (label count, pixel
    # budget), so few requests would reach a renderer. Drop the optional parameters a 422
    # names and ask again, until the request renders: each retry is still schema-valid.
    required = {p.name for p in case.operation.query if p.is_required}
    for _ in range(MAX_REPAIRS):
        if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
            break
        if response.status_code != 422 or not case.query:
            break
        named = set(response.json()["detail"].get("query", {}))
        if named & required or not named & set(case.query):
            break
        case.query = {k: v for k, v in case.query.items() if k not in named}
        response = case.call_and_validate(**CHECKS)


def image_operations() -> list[Any]:
    operations = [result.ok() for result in schema.get_all_operations()]
    return [
        op for op in operations if "image/png" in op.definition.raw["responses"]["200"].get("content", {})
    ]


def example_query(operation: Any) -> dict[str, Any]:
    return {
        p.name: p.definition["schema"]["example"]
        for p in operation.query
        if "example" in p.definition["schema"]
    }


def test_every_image_operation_has_a_working_example() -> None:
    operations = image_operations()
    assert operations, "no image operations found in the spec"
    for operation in operations:
        case = operation.Case(query=example_query(operation))
        response = case.call()
        assert response.status_code == 200, (operation.label, response.text)
        case.validate_response(response)


def test_not_modified_and_image_errors_conform() -> None:
    for operation in image_operations():
        query = example_query(operation)
        case = operation.Case(query=query)
        etag = case.call().headers["etag"][0]
        not_modified = case.call(headers={"If-None-Match": etag})
        assert not_modified.status_code == 304
        case.validate_response(not_modified)

        # /chart takes Google's chs (an unknown width is accepted and ignored there, as by Google).
        invalid = {"chs": "0x0"} if operation.path == "/chart" else {"width": 0}
        bad = operation.Case(query={**query, **invalid})
        as_json = bad.call()
        assert as_json.status_code == 422
        bad.validate_response(as_json)
        as_image = bad.call(headers={"Accept": "image/avif,image/webp,image/png,*/*;q=0.8"})
        assert as_image.status_code == 422
        assert as_image.headers["content-type"] == ["image/png"]
        bad.validate_response(as_image)

        too_long = operation.Case(query={**query, "title": "x" * SMALL_LIMITS["max_url_length"]})
        response = too_long.call()
        assert response.status_code == 414
        too_long.validate_response(response)


@pytest.mark.parametrize("settings_", [None, SMALL_LIMITS], ids=["default-limits", "small-limits"])
def test_spec_is_valid_openapi(settings_: dict[str, int] | None) -> None:
    config = {"SETTINGS": settings_} if settings_ else {}
    loaded = schemathesis.openapi.from_wsgi("/openapi.json", create_app(config))
    loaded.validate()  # against the OpenAPI meta-schema of the declared version
    for result in loaded.get_all_operations():
        operation = result.ok()
        for parameter in operation.query:
            param_schema = parameter.definition["schema"]
            validator = jsonschema_rs.validator_for(param_schema)
            for key in ("default", "example"):
                if key in param_schema:
                    value = param_schema[key]
                    if param_schema.get("type") == "array" and isinstance(value, str):
                        value = value.split(",")  # examples are written as sent: comma-separated
                    assert validator.is_valid(value), (operation.label, parameter.name, key, value)


# Texts Python's int(), float() or re's "$" accept although the spec's types and patterns do
# not: too rare for the generator to find, so listed here.
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("width", "\uff11\uff10\uff10"),  # fullwidth digits
        ("width", "1_00"),
        ("width", " 100"),
        ("width", "+100"),
        ("width", "100\n"),
        ("min", "1_0"),
        ("min", ".5"),
        ("min", "\u0661"),  # Arabic-Indic digit one
        ("data", "1,2\n"),
        ("data", "\u0661,2"),
        ("colors", "red\n"),
        ("background", "fff\n"),
    ],
)
def test_parser_rejects_what_the_spec_rejects(name: str, value: str) -> None:
    client = app.test_client()
    query = {"data": "1,2", name: value}
    response = client.get("/charts/bar", query_string=query)
    assert response.status_code == 422, response.json
    assert name in response.json["detail"]["query"]


@pytest.mark.parametrize(
    ("query", "valid"),
    [
        ({"data": "0", "labels": "false"}, True),  # a negative case that turned valid when sent
        ({"data": "0", "labels": "a,b"}, True),
        ({"data": "0", "width": "abc"}, False),
        ({"data": "0", "width": "0"}, False),  # below the minimum
        ({"labels": "a"}, False),  # data is required
        ({"data": "0", "colour": "red"}, False),  # undeclared
    ],
)
def test_the_sent_query_is_judged_by_the_spec(query: dict[str, str], valid: bool) -> None:
    case = schema["/charts/heatmap"]["GET"].Case(query=query)
    assert sent_query_is_valid(case, case.call()) is valid
