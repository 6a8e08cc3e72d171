"""Found by the long schemathesis run: the spec allowed a comma inside one item of a
comma-separated text list, which the parser (rightly) reads as two items."""

from __future__ import annotations

from typing import Any

from api import create_app


def test_text_list_items_cannot_hold_a_comma() -> None:
    client = create_app({"TESTING": True}).test_client()
    spec = client.get("/openapi.json").get_json()
    lists: list[tuple[str, Any]] = [
        (f"{path} {p['name']}", p["schema"])
        for path, item in spec["paths"].items()
        for p in item.get("get", {}).get("parameters", [])
        if p["name"] in ("labels", "legend", "rows")
    ]
    assert len(lists) > 10
    for name, schema in lists:
        assert schema["items"]["pattern"] == "^[^,]*$", name
    # What the pattern states: an encoded comma splits the list like a plain one.
    response = client.get("/charts/area?data=1,2|3,4&legend=a%2Cb,c")
    assert response.status_code == 422
    assert "legend" in response.get_json()["detail"]["query"]
