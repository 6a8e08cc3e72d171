"""/chart?chof=txt: the chart described with the values and categories the URL gave, not the
fractions of the plot and the axis labels it is drawn with."""

from __future__ import annotations

from typing import Any

import pytest

from api.alttext import alt_text

REVENUE = "cht=bvg&chs=300x200&chd=t:28,45,60&chds=0,80&chxt=x,y&chxl=0:|Q1|Q2|Q3&chtt=Revenue"


def described(client: Any, query: str) -> str:
    response = client.get(f"/chart?{query}&chof=txt")
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    return str(response.get_data(as_text=True))


def test_bar_states_given_values_and_axis_categories(client: Any) -> None:
    text = described(client, REVENUE)
    assert text.startswith("A bar chart titled \u201cRevenue\u201d.")
    assert "One series of 3 points." in text
    assert "Categories: Q1, Q2 and Q3." in text
    assert "Values range from 28 (Q1) to 60 (Q3)." in text
    assert "The value axis runs from 0 to 80." in text
    assert "0.35" not in text and "0.75" not in text  # not the fractions it is drawn with


def test_encoded_data_mapped_onto_chds(client: Any) -> None:
    # Simple encoding: A is 0 and 9 is 61 of the alphabet; chds maps them onto 0..610.
    text = described(client, "cht=lc&chd=s:A9&chds=0,610&chxt=x&chxl=0:|Mon|Tue")
    assert "from 0 (Mon) to 610 (Tue), ending at 610" in text
    assert "The value axis runs from 0 to 610." in text


def test_missing_values_are_left_out(client: Any) -> None:
    text = described(client, "cht=lc&chd=t:5,_,9")
    assert "One series of 3 points." in text
    assert "Values range from 5 (point 1) to 9 (point 3), ending at 9." in text


def test_pie_slices_with_chl_labels(client: Any) -> None:
    text = described(client, "cht=p&chs=300x200&chd=t:45,30,25&chl=Rent|Food|Other&chtt=Budget")
    assert text.startswith("A pie chart titled \u201cBudget\u201d.")
    assert "3 slices: Rent 45 (45%), Food 30 (30%) and Other 25 (25%); total 100." in text


def test_meter_names_its_arrow_and_range(client: Any) -> None:
    text = described(client, "cht=gom&chd=t:70&chds=0,200&chl=Speed")
    assert "The dial runs from 0 to 200, with 1 needle: Speed at 70." in text


def test_scatter_states_x_values_and_sizes(client: Any) -> None:
    text = described(client, "cht=s&chd=t:10,20,30|40,50,60|1,2,3")
    assert "x values run from 10 to 30." in text
    assert "Bubble sizes run from 1 to 3." in text
    assert "Values range from 40 (at x 10) to 60 (at x 30)." in text


def test_qr_code_states_its_text(client: Any) -> None:
    text = described(client, "cht=qr&chs=150x150&chl=https://example.org/menu")
    assert text == "A QR code. It encodes \u201chttps://example.org/menu\u201d."


def test_txt_has_the_image_contract(client: Any) -> None:
    image = client.get(f"/chart?{REVENUE}")
    twin = client.get(f"/chart?{REVENUE}&chof=txt")
    assert twin.status_code == 200
    assert twin.headers["Cache-Control"] == image.headers["Cache-Control"]
    etag = twin.headers["ETag"]
    assert etag != image.headers["ETag"]
    not_modified = client.get(f"/chart?{REVENUE}&chof=txt", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    head = client.head(f"/chart?{REVENUE}&chof=txt")
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == etag


def test_txt_validates_like_the_image(client: Any) -> None:
    response = client.get("/chart?cht=bvg&chd=t:1,2&chdl=a|b|c&chof=txt")
    assert response.status_code == 422
    assert "chdl" in response.json["detail"]["query"]


def test_alt_text_in_process_matches_the_twin(app: Any, client: Any) -> None:
    assert alt_text(app, f"/chart?{REVENUE}") == described(client, REVENUE)


@pytest.mark.parametrize("fmt", ["png", "json"])
def test_other_formats_still_served(client: Any, fmt: str) -> None:
    response = client.get(f"/chart?{REVENUE}&chof={fmt}")
    assert response.status_code == 200
    assert response.mimetype == {"png": "image/png", "json": "application/json"}[fmt]


def test_openapi_documents_chof_txt(client: Any) -> None:
    operation = client.get("/openapi.json").json["paths"]["/chart"]["get"]
    chof = next(p for p in operation["parameters"] if p["name"] == "chof")
    assert "txt" in chof["schema"]["enum"]
    ok = operation["responses"]["200"]
    assert "text/plain" in ok["content"]
    assert "chof=txt" in ok["description"]
