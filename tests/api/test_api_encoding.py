"""Response bodies: compact JSON with the same values as the standard library's, and route
GeoJSON whose lines and header agree with the rest of the answer."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from corridor.api.encoding import stdlib_json, to_json

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@given(JSON_VALUES)
def test_a_body_reads_back_as_the_value_it_encodes(value: Any) -> None:
    assert json.loads(to_json(value)) == value
    assert json.loads(stdlib_json(value)) == value


def test_text_is_utf8_not_escaped_and_separators_are_compact() -> None:
    body = to_json({"name": "Łódź → Brest", "xs": [1, 2.5]})
    assert body == '{"name":"Łódź → Brest","xs":[1,2.5]}'.encode()
    assert stdlib_json({"name": "Łódź → Brest", "xs": [1, 2.5]}) == body


def _answer(client: httpx.Client) -> dict[str, Any]:
    query = {"origin": "Xi'an", "destination": "Duisburg", "depart": "2026-12-01T00:00:00Z"}
    response = client.post("/api/routes", json={**query, "alternatives": 3})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_each_route_line_joins_its_move_legs_lines(client: httpx.Client) -> None:
    body = _answer(client)
    nodes = {
        f["properties"]["id"]: f["geometry"]["coordinates"]
        for f in client.get("/api/network").json()["features"]
        if f["properties"]["kind"] == "node"
    }
    features = body["geojson"]["features"]
    for rank, route in enumerate(body["routes"], start=1):
        expected = [nodes[route["nodes"][0]]]
        for leg in features:
            props = leg["properties"]
            if props["feature"] == "leg" and props["rank"] == rank and props["kind"] == "move":
                for point in leg["geometry"]["coordinates"]:
                    if point != expected[-1]:
                        expected.append(point)
        (line,) = [
            f["geometry"]["coordinates"]
            for f in features
            if f["properties"]["feature"] == "route" and f["properties"]["rank"] == rank
        ]
        assert line == expected


def test_the_geojson_header_and_leg_features_repeat_the_answer(client: httpx.Client) -> None:
    body = _answer(client)
    geojson = body.pop("geojson")
    header = {k: v for k, v in body.items() if k not in ("routes", "understood")}
    assert geojson["properties"] == header
    legs = [f["properties"] for f in geojson["features"] if f["properties"]["feature"] == "leg"]
    flat = [
        {"feature": "leg", "rank": rank, "leg": i, **leg}
        for rank, route in enumerate(body["routes"], start=1)
        for i, leg in enumerate(route["legs"], start=1)
    ]
    assert legs == flat
    routes = [f["properties"] for f in geojson["features"] if f["properties"]["feature"] == "route"]
    for props, route in zip(routes, body["routes"], strict=True):
        assert props["cost_usd"] == route["cost_usd"]
        assert props["nodes"] == ";".join(route["nodes"])
        assert "legs" not in props
