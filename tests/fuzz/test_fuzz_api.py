"""API bodies beyond the schema (hypothesis): every answer is a 2xx, a 4xx problem or a 503.

Bodies start from a valid request and have fields replaced by arbitrary JSON (wrong types,
NaN-free huge and tiny numbers, control characters, deep nesting) or by hostile scenario text;
the application runs in-process on the tiny fixture. Every body that comes back must parse with
a strict JSON parser, and no answer may be a 500.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fuzzing import SCALE, TALLY, rng, strict_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_scenarios import hostile_scenario

from corridor.api import Settings, create_app

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
ROUTE = {"origin": "AA_A", "destination": "CC_E", "depart": "2026-12-01T00:00:00Z"}
SCENARIO = {"name": "s", "text": 'name = "s"\n[[change]]\ntype = "close_link"\nlink = "L5"\n'}

json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([1e308, -1e308, 5e-324, 0.0, -0.0])
    | st.text(max_size=30)
    | st.sampled_from(["\x00", "x" * 300, "2026-12-01", "9999-12-31T00:00:00Z", "AA_A", "time"])
)
json_any = st.recursive(
    json_leaf,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
ENDPOINTS = (
    ("POST", "/api/routes", ROUTE),
    ("POST", "/api/scenarios", SCENARIO),
    ("POST", "/api/shipments", {"name": "n", "query": ROUTE, "route_index": 0, "route": {}}),
    ("POST", "/api/jobs/criticality", {"kinds": ["link"], "top": 3}),
    ("POST", "/api/jobs/compare", {"text": SCENARIO["text"], "samples": 0}),
    ("PUT", "/api/scenarios/1", {"name": "t"}),
    ("PUT", "/api/shipments/1", {"name": "t"}),
)
JSON = {"content-type": "application/json"}
KEYS = sorted({key for _, _, body in ENDPOINTS for key in body} | {"extra", "text", "criteria"})


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("fuzz-api")
    network = folder / "tiny"
    shutil.copytree(TINY, network)
    (network / "demand.csv").write_text(
        "origin,destination\nAA_A,CC_E\nCC_E,AA_A\n", encoding="utf-8"
    )
    app = create_app(
        Settings(
            network_path=network,
            db_url=f"sqlite:///{folder / 'api.db'}",
            allowed_hosts=("testserver",),
            max_active_jobs=1000,
            max_jobs_per_client=1000,
        )
    )
    with TestClient(app, raise_server_exceptions=False) as http:
        http.post("/api/scenarios", json=SCENARIO)
        http.post("/api/shipments", json=ENDPOINTS[2][2])
        yield http
    app.state.context.jobs.shutdown()


def _check(response: Any, suite: str) -> None:
    assert response.status_code < 500 or response.status_code == 503, response.text[:2000]
    if response.content:
        body = strict_json(response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json"
            assert body["status"] == response.status_code and body["detail"]
    kind = "success" if response.status_code < 400 else "clean-error"
    TALLY[(suite, kind)] += 1


@settings(
    max_examples=60 * SCALE,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    changes=st.dictionaries(st.sampled_from(KEYS), json_any, max_size=3),
    drop=st.lists(st.sampled_from(KEYS), max_size=2),
)
def test_any_json_body_is_answered_with_a_problem_or_a_result(
    client: TestClient,
    endpoint: tuple[str, str, dict[str, Any]],
    changes: dict[str, Any],
    drop: list[str],
) -> None:
    method, path, base = endpoint
    body = {k: v for k, v in {**base, **changes}.items() if k not in drop}
    response = client.request(method, path, content=json.dumps(body).encode(), headers=JSON)
    _check(response, "API bodies")


RAW = (
    b'{"origin": "AA_A", "destination": "CC_E", "tonnes": NaN}',
    b'{"origin": "AA_A", "destination": "CC_E", "containers": Infinity}',
    b'{"origin": "AA_A", "destination": "CC_E", "tonnes": 1e400}',
    b"[" * 20_000 + b"]" * 20_000,
    b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    b'{"origin": "\\ud800", "destination": "CC_E"}',
    b"\xff\xfe",
    b"",
)


@pytest.mark.parametrize("raw", RAW, ids=range(len(RAW)))
@pytest.mark.parametrize("path", ["/api/routes", "/api/scenarios", "/api/jobs/compare"])
def test_malformed_json_is_a_4xx_problem(client: TestClient, path: str, raw: bytes) -> None:
    response = client.post(path, content=raw, headers=JSON)
    assert 400 <= response.status_code < 500, response.text[:500]
    _check(response, "API raw bodies")


def test_hostile_scenario_text_is_answered_with_a_problem_or_saved(client: TestClient) -> None:
    r = rng("api-scenarios")
    for _ in range(40 * SCALE):
        text = hostile_scenario(r).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        response = client.post("/api/scenarios", json={"name": "s", "text": text})
        _check(response, "API scenario text")
