"""The property tests of tests/test_schemathesis.py through real HTTP: the production server
command (granian, the render pool) at the production limits, every operation, a response-time
limit, and a fresh seed on every run (printed in pytest's header; set CHARTMAP_TEST_SEED to
repeat one). ``python -m bench.schemathesis_long --http`` runs 500 examples per operation."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, seed, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode

from api import create_app
from tests.conftest import TEST_SEED
from tests.production import production_server
from tests.test_schemathesis import (
    MAX_REPAIRS,
    negative_data_rejection,
    parameters_accepted_by,
    positive_data_acceptance,
    schema_invalid_requests_rejected,
)

# Production limits; maps from the embedded basemap only (tests never reach the internet).
ENVIRON = {"CHARTMAP_ENABLED_PROVIDERS": "naturalearth"}
PARSERS = create_app({"TESTING": True, "SETTINGS": {"enabled_providers": "naturalearth"}})
URL_LIMIT = PARSERS.config["SETTINGS"].limits.max_url_length
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_HTTP_EXAMPLES", "12"))
SERVER_BUFFER_BYTES = 60_000  # below the 65,534 bytes of URI granian's HTTP parser takes
RESPONSE_SECONDS = 25.0  # past the render timeout (10 s) and a busy machine's queue: a stall, not noise

_REJECTIONS = SchemathesisConfig().projects.default.checks.negative_data_rejection.expected_statuses
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "negative_data_rejection": {"expected-statuses": [*_REJECTIONS, "414"]},
            "max_response_time": RESPONSE_SECONDS,
        }
    }
)


def parameters_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    return parameters_accepted_by(PARSERS, URL_LIMIT, ctx, response, case)


CHECKS: dict[str, Any] = {
    "excluded_checks": [positive_data_acceptance, negative_data_rejection],
    "additional_checks": [parameters_accepted, schema_invalid_requests_rejected],
}


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    with production_server(ENVIRON) as url:
        yield url


@pytest.fixture(scope="module")
def http_schema(server_url: str) -> Any:
    return schemathesis.openapi.from_url(f"{server_url}/openapi.json", config=CONFIG)


def operations() -> list[str]:
    return [
        result.ok().label
        for result in schemathesis.openapi.from_wsgi("/openapi.json", PARSERS).get_all_operations()
    ]


@pytest.mark.parametrize("label", operations())
def test_api_over_http(http_schema: Any, label: str) -> None:
    method, path = label.split(" ", 1)
    operation = http_schema[path][method]
    # Positive and negative cases together, as schemathesis mixes them: a negative case with
    # nothing to negate (an operation without parameters) is then dropped, not unsatisfiable.
    cases = st.one_of(operation.as_strategy(generation_mode=mode) for mode in GenerationMode)

    @given(case=cases)
    @seed(TEST_SEED)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=False,  # a fresh seed each run; tests/test_schemathesis.py keeps the fixed one
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        database=None,
    )
    def check(case: Any) -> None:
        # granian answers a URI longer than 64 KB (the Rust http crate's limit) with a bare 414
        # of its own, before the app sees it (README, Self-hosting): those are not the app's.
        assume(len(urlencode(case.query or {}, doseq=True)) < SERVER_BUFFER_BYTES)
        response = case.call_and_validate(timeout=60, **CHECKS)
        required = {p.name for p in case.operation.query if p.is_required}
        for _ in range(MAX_REPAIRS):  # as in tests/test_schemathesis.py: reach a renderer
            positive = case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
            if not positive or response.status_code != 422 or not case.query:
                break
            named = set(response.json()["detail"].get("query", {}))
            if named & required or not named & set(case.query):
                break
            case.query = {k: v for k, v in case.query.items() if k not in named}
            response = case.call_and_validate(timeout=60, **CHECKS)
        assert response.status_code < 500

    check()
