"""Property-based tests of the whole OpenAPI spec: every operation, positive and negative cases.

The app under test has small size limits so that a hundred renders per operation stay fast;
the spec states those limits, so the generated requests explore exactly their boundaries.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import schemathesis
from hypothesis import HealthCheck, settings
from marshmallow import Schema, ValidationError
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

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
}

# Rules on a single parameter that JSON Schema cannot state, so the spec states them in words
# (each is in the parameter's description): a schema-valid value may still break them.
RULES_IN_WORDS = (
    re.compile(r"\d+ points in all; at most \d+ are allowed\."),  # a sum across series
)

app = create_app({"TESTING": True, "SETTINGS": SMALL_LIMITS})
schema = schemathesis.openapi.from_wsgi("/openapi.json", app)


def query_schema(method: str, path: str) -> Schema | None:
    """The marshmallow schema that parses an operation's query string, if it has one."""
    adapter = app.url_map.bind("localhost")
    endpoint, _ = adapter.match(path, method=method)
    spec = getattr(app.view_functions[endpoint], "_spec", {})
    for instance, location in spec.get("args", []):
        if location == "query":
            return instance  # type: ignore[no-any-return]
    return None


@schemathesis.check
def schema_valid_parameters_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """``positive_data_acceptance``, minus what OpenAPI cannot express.

    A request valid by the spec may still break a rule across parameters (labels must match
    the number of points, min below max, the output pixel budget): OpenAPI describes each
    parameter alone. So a 422 for a schema-valid request passes only if every parameter,
    parsed on its own by the app's field, is accepted -- any parameter the parser rejects
    although the spec allows it is a disagreement between the spec and the parser.
    """
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return None
    if response.status_code != 422:
        return positive_data_acceptance(ctx, response, case)
    url = urlsplit(response.request.url)
    parser = query_schema(case.method, url.path)
    assert parser is not None, f"422 from {url.path}, which takes no query parameters"
    by_key = {f.data_key or name: f for name, f in parser.fields.items()}
    for key, value in parse_qsl(url.query, keep_blank_values=True):
        field = by_key.get(key)
        assert field is not None, f"parameter {key!r} was sent but {url.path} does not declare it"
        try:
            field.deserialize(value)
        except ValidationError as exc:
            messages = exc.messages if isinstance(exc.messages, list) else [exc.messages]
            if all(any(rule.fullmatch(str(m)) for rule in RULES_IN_WORDS) for m in messages):
                continue
            raise AssertionError(
                f"the spec allows {key}={value!r} but the parser rejects it: {exc.messages}"
            ) from None
    detail = response.json().get("detail", {}).get("query", {})
    assert detail, "a 422 must name the parameters it rejects"
    return True


MAX_REPAIRS = 4
CHECKS: dict[str, Any] = {
    # Replaced by schema_valid_parameters_accepted above, which allows a 422 only for rules
    # across parameters (OpenAPI cannot state them) and still checks every parameter.
    "excluded_checks": [positive_data_acceptance],
    "additional_checks": [schema_valid_parameters_accepted],
}


@schema.parametrize()
@settings(
    max_examples=100,
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
