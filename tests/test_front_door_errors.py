"""Errors that reach an ``<img>`` behind Front Door, tested against the rules the Bicep declares.

Front Door does not forward ``Accept`` (nor Accept-Charset, Accept-Language, Content-Length,
Transfer-Encoding) to the origin on the requests it caches. The edge below applies the rule
set of infra/app/frontdoor.bicep, as parsed by pycep, to a client's request, drops those
headers when a rule caches it, and hands what is left to the app.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

from tests.test_function_app import SAMPLE_REQUESTS
from tests.test_infra import INFRA, RULE, Docs, attached_rule_sets, infra_docs, parse_text, resources

# Front Door's documented list ("Caching with Azure Front Door", Request headers).
NOT_FORWARDED_WHEN_CACHED = (
    "Accept",
    "Accept-Charset",
    "Accept-Language",
    "Content-Length",
    "Transfer-Encoding",
)
ROUTES = "Microsoft.Cdn/profiles/afdEndpoints/routes"

# What clients send. Browsers since 2020-2023 add Fetch Metadata (Sec-Fetch-Dest); Safari
# before 16.4 and e-mail image proxies send Accept alone.
CLIENTS: dict[str, dict[str, str]] = {
    "Chrome <img>": {
        "Accept": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
        "Sec-Fetch-Dest": "image",
    },
    "Firefox <img>": {"Accept": "image/avif,image/webp,*/*", "Sec-Fetch-Dest": "image"},
    "Safari 15 <img>": {"Accept": "image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5"},
    "e-mail image proxy": {"Accept": "image/*"},
    "navigation": {
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        "Sec-Fetch-Dest": "document",
    },
    "navigation without Fetch Metadata": {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    "fetch() asking for JSON": {"Accept": "application/json", "Sec-Fetch-Dest": "empty"},
    "curl": {"Accept": "*/*"},
}
EXPECTED = {
    "Chrome <img>": "image/png",
    "Firefox <img>": "image/png",
    "Safari 15 <img>": "image/png",
    "e-mail image proxy": "image/png",
    "navigation": "text/html",
    # Its Accept is dropped at the edge and no header stands in for it: JSON, readable too.
    "navigation without Fetch Metadata": "application/json",
    "fetch() asking for JSON": "application/json",
    "curl": "application/json",
}
# An invalid request on every cached image path.
BAD_REQUESTS = [
    re.sub(r"(width=|size=|chs=)\d+", r"\g<1>0", request)
    for requests in SAMPLE_REQUESTS.values()
    for request in requests
    if re.search(r"(width=|size=|chs=)\d+", request)
]


class UnknownRule(NotImplementedError):
    """A condition or action this edge does not model: extend it rather than guess."""


def _matches(condition: dict[str, Any], path: str, headers: Headers) -> bool:
    name, parameters = condition["name"], condition["parameters"]
    if name == "UrlPath":
        subject = path.split("?", 1)[0].lstrip("/")  # Front Door matches without the leading slash
    elif name == "RequestHeader":
        subject = headers.get(parameters["selector"], "")
    else:
        raise UnknownRule(name)
    for transform in parameters.get("transforms", []):
        if transform != "Lowercase":
            raise UnknownRule(transform)
        subject = subject.lower()
    values = parameters.get("matchValues", [])
    operator = parameters["operator"]
    if operator == "BeginsWith":
        result = any(subject.startswith(v) for v in values)
    elif operator == "Contains":
        result = any(v in subject for v in values)
    elif operator == "Equal":
        result = subject in values
    elif operator == "Any":
        result = True
    else:
        raise UnknownRule(operator)
    return result != bool(parameters.get("negateCondition", False))


def front_door(docs: Docs, path: str, client_headers: dict[str, str]) -> tuple[Headers, bool]:
    """The headers the origin gets for a client's request, and whether the edge caches it."""
    attached = attached_rule_sets(docs)
    rules = sorted(
        (config for file, _, config in resources(docs, RULE) if (file, config["parent"]) in attached),
        key=lambda config: int(config["properties"]["order"]),
    )
    received = Headers(client_headers)  # conditions see the client's request as it arrived
    forwarded = Headers(client_headers)
    cached = any(config["properties"].get("cacheConfiguration") for _, _, config in resources(docs, ROUTES))
    for rule in rules:
        properties = rule["properties"]
        if not all(_matches(c, path, received) for c in properties.get("conditions", [])):
            continue
        for action in properties["actions"]:
            parameters = action["parameters"]
            if action["name"] == "ModifyRequestHeader":
                header, value = parameters["headerName"], str(parameters.get("value", ""))
                if parameters["headerAction"] == "Overwrite":
                    forwarded[header] = value
                elif parameters["headerAction"] == "Append":
                    forwarded.add(header, value)
                else:
                    forwarded.pop(header, None)
            elif action["name"] == "RouteConfigurationOverride":
                cached = bool(parameters.get("cacheConfiguration"))
            else:
                raise UnknownRule(action["name"])
        if properties.get("matchProcessingBehavior") == "Stop":
            break
    if cached:
        for header in NOT_FORWARDED_WHEN_CACHED:
            forwarded.pop(header, None)
    return forwarded, cached


def through_front_door(client: FlaskClient, docs: Docs, path: str, headers: dict[str, str]) -> Any:
    forwarded, _ = front_door(docs, path, headers)
    return client.get(path, headers=list(forwarded.items()))


def without_error_rule() -> Docs:
    text = (INFRA / "app/frontdoor.bicep").read_text(encoding="utf-8")
    without = re.sub(r"resource errorImagesRule .*?\n}\n", "", text, flags=re.DOTALL)
    without = without.replace("    errorImagesRule\n", "")
    assert without != text
    return {**infra_docs(), "app/frontdoor.bicep": parse_text(without)}


def test_the_edge_drops_accept_on_image_paths_only() -> None:
    docs = infra_docs()
    for path in BAD_REQUESTS:
        forwarded, cached = front_door(docs, path, {"Accept": "image/*", "Sec-Fetch-Dest": "image"})
        assert cached, path
        assert "Accept" not in forwarded and forwarded["Sec-Fetch-Dest"] == "image"
    forwarded, cached = front_door(docs, "/docs", {"Accept": "text/html"})
    assert not cached and forwarded["Accept"] == "text/html"


@pytest.mark.parametrize("path", BAD_REQUESTS)
@pytest.mark.parametrize("who", CLIENTS)
def test_each_client_gets_its_error_behind_front_door(client: FlaskClient, path: str, who: str) -> None:
    response = through_front_door(client, infra_docs(), path, CLIENTS[who])
    assert response.status_code == 422, path
    assert response.mimetype == EXPECTED[who], f"{who} on {path}"
    assert response.headers["Cache-Control"] == "no-store"  # so the edge keeps none of them


@pytest.mark.parametrize("who", ["Safari 15 <img>", "e-mail image proxy"])
def test_without_the_rule_image_clients_without_fetch_metadata_get_json(
    client: FlaskClient, who: str
) -> None:
    # The failure the rule exists for: Accept dropped, nothing in its place.
    response = through_front_door(client, without_error_rule(), BAD_REQUESTS[0], CLIENTS[who])
    assert response.mimetype == "application/json"


def test_403_of_an_unsigned_url_reaches_an_img_behind_front_door() -> None:
    from api import create_app
    from tests.conftest import IN_PROCESS
    from tests.test_signing import SECRET

    signed = create_app({"TESTING": True, "SETTINGS": {**IN_PROCESS, "url_signing_secret": SECRET}})
    response = through_front_door(
        signed.test_client(), infra_docs(), "/charts/bar?data=1,2", CLIENTS["Safari 15 <img>"]
    )
    assert response.status_code == 403
    assert response.mimetype == "image/png"
