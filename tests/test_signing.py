"""Signed URLs: Google's algorithm (its documented example as a known answer), the server's
check before any parsing, tampering, the secret kept out of responses and logs, the signer."""

from __future__ import annotations

import base64
import logging
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from api import create_app
from api.settings import Settings
from api.signing import decode_secret, new_secret, sign_url, signature, split_signed
from tests.conftest import IN_PROCESS

# Google's documented example of URL signing (Maps Platform, "digital signatures"): this key
# signs "/maps/api/geocode/json?address=New+York&client=clientID" as the value below.
GOOGLE_KEY = "vNIXE0xscrmjlyV-12Nj_BvUPaw="
GOOGLE_PATH_AND_QUERY = "/maps/api/geocode/json?address=New+York&client=clientID"
GOOGLE_SIGNATURE = "chaRF2hTJKOScPr-RQCEhZbSzIE="

# This server's own URLs, signed with that key.
SECRET = GOOGLE_KEY
OTHER_SECRET = "Zm9yIHRlc3RzIG9ubHksIG5ldmVyIGEgcmVhbCBvbmU="
MAP = "/maps/static?center=48.8566,2.3522&zoom=5&size=160x120&markers=color:red|48.8566,2.3522"
BAR = "/charts/bar?data=3,5,2&labels=a,b,c&width=160&height=120"
GCHART = "/chart?cht=p&chd=t:40,60&chs=160x120"
IMG = {"Sec-Fetch-Dest": "image", "Accept": "image/avif,image/webp,*/*"}


@pytest.fixture
def signed_app() -> Any:
    return create_app({"TESTING": True, "SETTINGS": {**IN_PROCESS, "url_signing_secret": SECRET}})


@pytest.fixture
def signed_client(signed_app: Any) -> FlaskClient:
    return signed_app.test_client()


def detail(response: Any) -> str:
    return response.json["detail"]["query"]["signature"][0]


# -- the algorithm -----------------------------------------------------------------------


def test_signature_is_googles_for_its_documented_example() -> None:
    assert signature(GOOGLE_PATH_AND_QUERY, decode_secret(GOOGLE_KEY)) == GOOGLE_SIGNATURE


def test_sign_url_appends_the_signature_as_google_does() -> None:
    url = f"https://maps.googleapis.com{GOOGLE_PATH_AND_QUERY}"
    assert sign_url(url, GOOGLE_KEY) == f"{url}&signature={GOOGLE_SIGNATURE}"
    # A path with its query works too, and a signature already there is replaced.
    assert (
        sign_url(GOOGLE_PATH_AND_QUERY, GOOGLE_KEY) == f"{GOOGLE_PATH_AND_QUERY}&signature={GOOGLE_SIGNATURE}"
    )
    stale = f"{GOOGLE_PATH_AND_QUERY}&signature=AAAA"
    assert sign_url(stale, GOOGLE_KEY) == f"{GOOGLE_PATH_AND_QUERY}&signature={GOOGLE_SIGNATURE}"


def test_split_signed() -> None:
    assert split_signed(b"a=1&b=2&signature=xyz") == (b"a=1&b=2", b"xyz")
    assert split_signed(b"signature=xyz") == (b"", b"xyz")
    assert split_signed(b"a=1") == (b"a=1", None)
    assert split_signed(b"mysignature=1") == (b"mysignature=1", None)


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("not base64!", "not URL-safe base64"),
        ("c2hvcnQ=", "decodes to 5 bytes"),  # "short"
    ],
)
def test_bad_secrets_stop_the_app_without_showing_the_value(secret: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        create_app({"TESTING": True, "SETTINGS": {**IN_PROCESS, "url_signing_secret": secret}})
    assert secret not in str(info.value)


def test_new_secrets_are_googles_format() -> None:
    secret = new_secret()
    assert len(decode_secret(secret)) == 20
    assert secret != new_secret()


# -- the server ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [MAP, BAR, GCHART])
def test_signed_urls_draw_what_unsigned_ones_draw_without_a_secret(
    signed_client: FlaskClient, client: FlaskClient, url: str
) -> None:
    signed = signed_client.get(sign_url(url, SECRET))
    unsigned = client.get(url)
    assert signed.status_code == 200, signed.json
    assert signed.data == unsigned.data
    assert signed.headers["ETag"] == unsigned.headers["ETag"]
    # The signature is consumed by the check: no compatibility endpoint reports it as ignored.
    assert "signature" not in signed.headers.get("Ignored-Parameters", "")


@pytest.mark.parametrize("url", [MAP, BAR, GCHART, "/generate_map?center=0,0&zoom=2"])
def test_unsigned_image_requests_are_403_naming_the_problem(signed_client: FlaskClient, url: str) -> None:
    response = signed_client.get(url)
    assert response.status_code == 403
    assert response.headers["Cache-Control"] == "no-store"
    assert detail(response).startswith("Missing")


def test_img_tags_get_the_403_as_a_picture(signed_client: FlaskClient) -> None:
    response = signed_client.get(MAP, headers=IMG)
    assert response.status_code == 403
    assert response.mimetype == "image/png"


def tampered(url: str, how: str) -> str:
    signed = sign_url(url, SECRET)
    path, query = signed.split("?", 1)
    parts = query.split("&")
    ways = {
        "changed parameter": lambda: signed.replace("zoom=5", "zoom=6"),
        "reordered": lambda: f"{path}?" + "&".join([parts[1], parts[0], *parts[2:]]),
        "parameter removed": lambda: f"{path}?" + "&".join([*parts[:-2], parts[-1]]),
        "signature truncated": lambda: signed[:-4],
        "wrong key": lambda: sign_url(url, OTHER_SECRET),
        "parameter appended after it": lambda: signed + "&zoom=9",
        "other path": lambda: signed.replace("/maps/static?", "/generate_map?"),
    }
    return ways[how]()


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("changed parameter", "Does not match"),
        ("reordered", "Does not match"),
        ("parameter removed", "Does not match"),
        ("signature truncated", "Does not match"),
        ("wrong key", "Does not match"),
        ("parameter appended after it", "must be the last parameter"),
        ("other path", "Does not match"),
    ],
)
def test_tampered_urls_are_refused(signed_client: FlaskClient, how: str, reason: str) -> None:
    url = tampered(MAP, how)
    assert url != sign_url(MAP, SECRET)
    response = signed_client.get(url)
    assert response.status_code == 403, how
    assert reason in detail(response), detail(response)


@pytest.mark.parametrize("value", ["!!!!", "a b", "%FF%FE"])
def test_malformed_signatures_are_named(signed_client: FlaskClient, value: str) -> None:
    response = signed_client.get(f"{MAP}&signature={value}")
    assert response.status_code == 403
    assert detail(response) == "Not URL-safe base64."


def test_signature_spellings_that_carry_the_same_bytes_are_accepted(signed_client: FlaskClient) -> None:
    signed = sign_url(MAP, SECRET)
    assert signed.endswith("=")  # HMAC-SHA1 in base64 ends in one "="
    for variant in (signed[:-1], signed[:-1] + "%3D"):  # padding left out, or percent-encoded
        assert signed_client.get(variant).status_code == 200, variant


def test_the_query_is_signed_as_sent(signed_client: FlaskClient) -> None:
    # Percent-encoded and plain spellings of one value are different URLs to sign.
    url = "/charts/bar?data=3,5&labels=" + quote("ä,b") + "&title=" + quote("x y")
    assert signed_client.get(sign_url(url, SECRET)).status_code == 200
    respelled = sign_url(url, SECRET).replace("x%20y", "x+y")
    assert signed_client.get(respelled).status_code == 403


def test_the_check_runs_before_any_parsing(
    signed_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webargs.flaskparser import FlaskParser

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the query was parsed")

    monkeypatch.setattr(FlaskParser, "load_querystring", never)
    # Invalid and over-budget parameters: still a 403, and nothing read them.
    for url in ("/charts/bar?data=1,2&width=0", "/maps/static?size=2048x2048&scale=4&path=" + "0,0|" * 3000):
        response = signed_client.get(url)
        assert response.status_code == 403
        assert detail(response).startswith("Missing")
    with pytest.raises(AssertionError, match="the query was parsed"):  # a signed one is parsed
        signed_client.get(sign_url(BAR, SECRET))


def test_signatures_are_compared_in_constant_time(
    signed_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hmac

    import api.signing

    compared = []
    original = hmac.compare_digest

    def recording(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(api.signing.hmac, "compare_digest", recording)
    assert signed_client.get(sign_url(MAP, SECRET)).status_code == 200
    assert signed_client.get(tampered(MAP, "wrong key")).status_code == 403
    assert len(compared) == 2


def test_head_and_conditional_requests_need_the_signature_too(signed_client: FlaskClient) -> None:
    signed = sign_url(BAR, SECRET)
    etag = signed_client.get(signed).headers["ETag"]
    assert signed_client.head(BAR).status_code == 403
    assert signed_client.head(signed).status_code == 200
    assert signed_client.get(BAR, headers={"If-None-Match": etag}).status_code == 403
    assert signed_client.get(signed, headers={"If-None-Match": etag}).status_code == 304


def test_gallery_docs_and_health_need_no_signature(signed_client: FlaskClient) -> None:
    for path in ("/", "/docs", "/openapi.json", "/health", "/docs/assets/swagger-ui.css"):
        assert signed_client.get(path).status_code == 200, path
    assert signed_client.options(BAR).status_code == 200  # preflights carry no signature


def test_the_spec_documents_the_signature_only_when_signing_is_on(signed_app: Any, app: Any) -> None:
    operation = signed_app.spec["paths"]["/charts/bar"]["get"]
    parameter = next(p for p in operation["parameters"] if p["name"] == "signature")
    assert parameter["required"] is True
    assert "403" in operation["responses"]
    assert not any(p["name"] == "signature" for p in app.spec["paths"]["/charts/bar"]["get"]["parameters"])
    assert "403" not in app.spec["paths"]["/charts/bar"]["get"]["responses"]


def test_the_secret_never_appears_in_responses_or_logs(
    signed_client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    key = decode_secret(SECRET)
    spellings = {SECRET, SECRET.rstrip("="), base64.b64encode(key).decode(), key.hex()}
    caplog.set_level(logging.DEBUG)
    responses = [
        signed_client.get(sign_url(MAP, SECRET)),
        signed_client.get(MAP),
        signed_client.get(MAP, headers=IMG),
        signed_client.get(tampered(MAP, "wrong key"), headers={"Sec-Fetch-Dest": "document"}),
        signed_client.get("/openapi.json"),
        signed_client.get("/charts/nope"),
    ]
    for response in responses:
        text = str(response.headers) + response.get_data(as_text=False).decode("latin-1")
        for spelling in spellings:
            assert spelling not in text
    assert not any(s in record.getMessage() for record in caplog.records for s in spellings)
    settings = Settings().with_overrides({"url_signing_secret": SECRET})
    assert SECRET not in repr(settings)


# -- signing off ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [MAP, GCHART])
def test_without_a_secret_signature_is_inert_on_compatibility_endpoints(
    client: FlaskClient, url: str
) -> None:
    plain = client.get(url)
    with_signature = client.get(f"{url}&signature=anything")
    assert with_signature.status_code == 200, with_signature.json
    assert with_signature.data == plain.data
    assert with_signature.headers["ETag"] == plain.headers["ETag"]


def test_without_a_secret_signature_is_unknown_on_our_own_endpoints(client: FlaskClient) -> None:
    response = client.get(f"{BAR}&signature=anything")
    assert response.status_code == 422
    assert "signature" in response.json["detail"]["query"]


# -- the signer --------------------------------------------------------------------------


def test_the_command_line_signer(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from api.sign import main

    monkeypatch.setenv("CHARTMAP_URL_SIGNING_SECRET", GOOGLE_KEY)
    assert main([f"https://maps.googleapis.com{GOOGLE_PATH_AND_QUERY}", BAR]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"https://maps.googleapis.com{GOOGLE_PATH_AND_QUERY}&signature={GOOGLE_SIGNATURE}",
        sign_url(BAR, GOOGLE_KEY),
    ]
    assert main(["--new-secret"]) == 0
    assert len(decode_secret(capsys.readouterr().out.strip())) == 20


def test_the_signer_needs_the_secret_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from api.sign import main

    monkeypatch.delenv("CHARTMAP_URL_SIGNING_SECRET", raising=False)
    with pytest.raises(SystemExit) as info:
        main([BAR])
    assert info.value.code == 2
    assert "CHARTMAP_URL_SIGNING_SECRET" in capsys.readouterr().err
