"""What Google accepted, /chart accepts: parameters that change nothing are named in the
Ignored-Parameters header and leave the spec (its ETag) as if they were not given."""

from __future__ import annotations

from typing import Any

import pytest

from api.charts.explicit import FillMark
from api.gchart.schema import build_schema
from api.notices import Parsed
from api.settings import Limits

SCHEMA = build_schema(Limits())()
BAR = {"cht": "bvg", "chs": "300x200", "chd": "t:10,20,30"}


def get(client: Any, params: dict[str, str] | str) -> Any:
    if isinstance(params, str):
        return client.get(f"/chart?{params}")
    return client.get("/chart", query_string=params)


def load(params: dict[str, str]) -> Parsed:
    parsed = SCHEMA.load(params)
    assert isinstance(parsed, Parsed)
    return parsed


@pytest.mark.parametrize(
    ("base", "extra", "ignored"),
    [
        (BAR, {"x": ".png"}, "x"),  # the Markdown image trick
        (BAR, {"foo": ""}, "foo"),
        (BAR, {"chl": "a|b|c"}, "chl"),  # slice labels on a bar chart
        (BAR, {"chls": "2,4,2"}, "chls"),  # line styles on bars
        (BAR, {"chld": "H|2", "choe": "UTF-8"}, "chld, choe"),  # QR options
        ({"cht": "s", "chd": "t:1,2|3,4"}, {"chls": "3"}, "chls"),
        ({"cht": "lc", "chd": "t:1,2"}, {"chl": "a|b"}, "chl"),
        ({"cht": "r", "chd": "t:10,20,30,40"}, {"chxr": "0,0,50", "chg": "25,25"}, "chg, chxr"),
        ({"cht": "qr", "chl": "hello"}, {"chco": "FF0000"}, "chco"),
    ],
)
def test_what_changes_nothing_is_named_and_keeps_the_etag(
    client: Any, base: dict[str, str], extra: dict[str, str], ignored: str
) -> None:
    plain = get(client, base)
    response = get(client, {**base, **extra})
    assert plain.status_code == 200 and response.status_code == 200, response.data[:300]
    assert response.headers["Ignored-Parameters"] == ignored
    assert "Ignored-Parameters" not in plain.headers
    assert response.headers["ETag"] == plain.headers["ETag"]
    assert response.data == plain.data


def test_a_qr_text_split_by_an_unencoded_ampersand_is_joined_back(client: Any) -> None:
    text = "otpauth://totp/Shop:ann@example.org?secret=MZXW6YTBOI&issuer=Shop&digits=6"
    encoded = text.replace("&", "%26").replace("=", "%3D").replace("?", "%3F")
    split = get(client, f"cht=qr&chs=150x150&chl={text}&chld=M|2")
    whole = get(client, f"cht=qr&chs=150x150&chl={encoded}&chld=M|2")
    assert split.status_code == 200 and whole.status_code == 200
    assert split.headers["ETag"] == whole.headers["ETag"]
    assert "Ignored-Parameters" not in split.headers
    warning = split.headers["Warning"]
    assert warning.startswith("299 - ") and "(issuer, digits)" in warning
    assert "Warning" not in whole.headers


def test_only_a_url_text_takes_back_what_follows_it() -> None:
    # Not a URL with a query: the extra parameter is an ignored one, the text stays as given.
    parsed = load({"cht": "qr", "chl": "plain text", "issuer": "Shop"})
    assert parsed.spec.options.text == "plain text"
    assert parsed.notices.ignored == ("issuer",)
    # A /chart parameter after the text ends it.
    parsed = load({"cht": "qr", "chl": "https://example.org/?a=1", "chs": "99x99", "b": "2"})
    assert parsed.spec.options.text == "https://example.org/?a=1"
    assert parsed.notices.ignored == ("b",)


def test_fill_lines_written_as_decimals_are_their_whole_parts() -> None:
    decimal = load({"cht": "lc", "chd": "t:10,20,30", "chm": "B,FF000080,0,1.0,5.0"}).spec
    whole = load({"cht": "lc", "chd": "t:10,20,30", "chm": "B,FF000080,0,1,5"}).spec
    assert decimal == whole
    assert decimal.extras is not None
    assert [type(m) for m in decimal.extras.marks] == [FillMark]


def test_text_values_with_seventeen_decimals() -> None:
    spec = load({"cht": "lc", "chd": "t:12.345678901234567,50.00000000000000001"}).spec
    assert spec.series[0] == pytest.approx((0.12345678901234567, 0.5))


def test_axis_font_size_zero_hides_the_labels_but_keeps_the_axis() -> None:
    spec = load({"cht": "lc", "chd": "t:1,2", "chxt": "x,y", "chxs": "1,000000,0"}).spec
    assert spec.extras is not None and spec.extras.axes is not None
    x_axis, y_axis = spec.extras.axes
    assert any(label for _, label in x_axis.ticks)
    assert y_axis.ticks and all(label == "" for _, label in y_axis.ticks)
    assert y_axis.line and y_axis.font_px is None


def test_a_venn_diagram_with_two_colours_for_three_circles() -> None:
    spec = load({"cht": "v", "chd": "t:100,80,60,30,30,30,10", "chco": "FF0000,00FF00"}).spec
    # Google's colour rules: the last colour given is used for the circles without one.
    assert spec.colors == ("#ff0000ff", "#00ff00ff", "#00ff00ff")


def test_an_empty_inner_ring_makes_a_donut() -> None:
    spec = load({"cht": "pc", "chd": "t:-1|64,36", "chco": "FF0000|00FF00"}).spec
    assert spec.series == ((1.0,), (0.64, 0.36))
    assert spec.colors == ("#00000000", "#ff0000ff", "#00ff00ff")


@pytest.mark.parametrize(
    ("params", "name", "message"),
    [
        ({"cht": "pc", "chd": "t:-1|-1"}, "chd", "At least one slice of series 1 must be above 0"),
        ({"cht": "p", "chd": "t:-1"}, "chd", "At least one slice"),
        (
            {"cht": "lc", "chd": "t:1,2", "chxt": "y", "chxs": "0,000000,-1"},
            "chxs",
            "font size -1 is not 0 (no labels)",
        ),
        ({"cht": "lc", "chd": "t:1,2", "chxt": "y", "chxs": "0,000000,80"}, "chxs", "font size 80"),
        ({"cht": "lc", "chd": "t:1,2", "chm": "B,FF0000,0.5.1,1,0"}, "chm", "'B,FF0000,0.5.1,1,0'"),
        ({"cht": "lc", "chd": "t:1.123456789012345678901"}, "chd", "'1.123456789012345678901'"),
    ],
)
def test_real_refusals_still_name_parameter_and_value(
    client: Any, params: dict[str, str], name: str, message: str
) -> None:
    response = get(client, params)
    assert response.status_code == 422, response.data[:300]
    found = response.json["detail"]["query"]
    assert name in found and message in " ".join(found[name]), found


def test_an_empty_outer_ring_is_left_empty_too() -> None:
    spec = load({"cht": "pc", "chd": "t:1,2|0,0"}).spec
    assert spec.series == ((0.01, 0.02), (1.0, 0.0))
    assert spec.colors[2:] == ("#00000000", "#00000000")
