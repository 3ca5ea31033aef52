"""Security: the token off loopback, size and shape limits, the time budget, no injection."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_live import LiveServer, live_server
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor.api.planning
from corridor.api import Settings
from corridor.errors import CorridorError

TOKEN = "s3cret-token"
QUERY = {"origin": "Kuryk", "destination": "Alat", "depart": "2026-12-01"}


@pytest.fixture(scope="module")
def exposed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server bound to every interface (so it must have a token), reached over loopback."""
    db = f"sqlite:///{tmp_path_factory.mktemp('exposed') / 'api.db'}"
    with live_server(Settings(db_url=db, host="0.0.0.0", token=TOKEN), bind="0.0.0.0") as srv:
        yield srv


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with a 4 KiB body limit and at most 2 alternatives."""
    db = f"sqlite:///{tmp_path_factory.mktemp('small') / 'api.db'}"
    with live_server(Settings(db_url=db, max_body_bytes=4096, max_alternatives=2)) as srv:
        yield srv


def test_binding_beyond_loopback_without_a_token_is_refused() -> None:
    with pytest.raises(CorridorError, match="set an API token"):
        Settings(host="0.0.0.0")
    with pytest.raises(CorridorError, match="set an API token"):
        Settings(host="192.168.1.20")
    assert Settings(host="::1").token is None and Settings(host="localhost").token is None


def test_corridor_serve_refuses_a_public_host_without_a_token() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "corridor.cli", "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(Path.home())},
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert "set an API token" in proc.stderr


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/places?q=almaty"),
        ("GET", "/api/network"),
        ("POST", "/api/routes"),
        ("GET", "/api/shipments"),
        ("POST", "/api/shipments"),
        ("DELETE", "/api/shipments/1"),
        ("GET", "/api/scenarios"),
        ("POST", "/api/jobs/criticality"),
        ("GET", "/api/jobs/abc"),
    ],
)
def test_every_api_request_off_loopback_needs_the_token(
    exposed: LiveServer, method: str, path: str
) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = httpx.request(method, exposed.url + path, headers=headers, json=QUERY)
        assert response.status_code == 401, (headers, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_the_right_token_opens_the_api_and_health_needs_none(exposed: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert httpx.post(exposed.url + "/api/routes", json=QUERY, headers=auth).status_code == 200
    assert httpx.get(exposed.url + "/api/health").status_code == 200
    assert httpx.get(exposed.url + "/").status_code == 200


def test_a_body_over_the_limit_is_413_by_its_declared_length(small: LiveServer) -> None:
    big = {**QUERY, "avoid": ["x" * 100] * 50}
    response = httpx.post(small.url + "/api/routes", json=big)
    assert response.status_code == 413
    assert response.json()["type"] == "urn:corridor:problem:too-large"


def test_more_alternatives_than_the_server_allows_is_a_422(small: LiveServer) -> None:
    response = httpx.post(small.url + "/api/routes", json={**QUERY, "alternatives": 3})
    assert response.status_code == 422
    assert response.json()["field"] == "alternatives"
    assert "at most 2" in response.json()["detail"]


def test_a_streamed_body_over_the_limit_is_413(small: LiveServer) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"origin": "Kuryk", "destination": "Alat", "avoid": ['
        for _ in range(200):
            yield b'"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",'
        yield b'"y"]}'

    response = httpx.post(
        small.url + "/api/routes", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost.:80"])
def test_a_loopback_server_answers_no_other_host_name(client: httpx.Client, host: str) -> None:
    response = client.get("/api/shipments", headers={"Host": host})
    assert response.status_code == 400
    assert response.json()["type"] == "urn:corridor:problem:bad-host"
    for good in ("localhost:8000", "127.0.0.1", "[::1]:8000"):
        assert client.get("/api/health", headers={"Host": good}).status_code == 200


def _raw(server: LiveServer, request: bytes) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(request)
        return conn.recv(65536)


def test_a_non_numeric_content_length_is_a_4xx(small: LiveServer) -> None:
    answer = _raw(small, b"POST /api/routes HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n{}")
    status = int(answer.split(b" ", 2)[1])
    assert 400 <= status < 500


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b'{"origin": "Kuryk", ', "application/json", 400),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 413),
        (b"[" * 2000 + b"]" * 2000, "application/json", 400),
        (b"\xff\xfe not utf-8", "application/json", 400),
        (b"origin=Kuryk", "application/x-www-form-urlencoded", 422),
        (b"[1, 2]", "application/json", 422),
        (b"", "application/json", 422),
        # what a page elsewhere can send without a CORS preflight is refused (no CSRF)
        (b'{"origin": "Kuryk", "destination": "Alat"}', "text/plain", 422),
    ],
)
def test_malformed_bodies_are_4xx_problems(
    small: LiveServer, content: bytes, content_type: str, status: int
) -> None:
    response = httpx.post(
        small.url + "/api/routes", content=content, headers={"Content-Type": content_type}
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path",
    [
        "/api/shipments/1%20OR%201=1",
        "/api/shipments/1;DROP%20TABLE%20shipments",
        "/api/shipments/-1",
        "/api/shipments/99999999999999999999",
        "/api/scenarios/1'--",
        "/api/jobs/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_injection_through_a_path_id_is_refused(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (404, 422), response.text
    assert client.get("/api/shipments").status_code == 200  # the table is still there


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2f..%2fpyproject.toml",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
    ],
)
def test_no_file_outside_the_static_folder_is_served(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert "root:" not in response.text and "[project]" not in response.text


SQL = st.sampled_from(
    [
        "'; DROP TABLE shipments; --",
        "1' OR '1'='1",
        '" OR ""="',
        "Robert'); DELETE FROM scenarios;--",
        "%' AND 1=0 UNION SELECT * FROM alembic_version --",
        "\\'; SELECT pg_sleep(10); --",
    ]
)


@settings(max_examples=15, deadline=None)
@given(name=SQL, extra=st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20))
def test_sql_in_any_field_is_stored_verbatim_and_breaks_nothing(
    server: LiveServer, name: str, extra: str
) -> None:
    with httpx.Client(base_url=server.url) as http:
        body: dict[str, Any] = {
            "name": name + extra,
            "query": {"origin": "Kuryk", "destination": "Alat", "avoid": [name]},
            "route_index": 0,
            "route": {name: [name, extra], "detail": name},
        }
        created = http.post("/api/shipments", json=body)
        assert created.status_code == 201, created.text
        again = http.get(f"/api/shipments/{created.json()['id']}").json()
        assert again["name"] == name + extra and again["route"] == body["route"]
        assert again["query"]["avoid"] == [name]
        # as a place, it is just text that matches no place
        planned = http.post("/api/routes", json={"origin": name, "destination": "Alat"})
        assert planned.status_code == 422 and planned.json()["field"] == "origin"
        scenario = http.post("/api/scenarios", json={"name": name, "text": f"name = {name!r}\n"})
        assert scenario.status_code in (201, 422)
        assert http.get("/api/scenarios").status_code == 200
        assert http.get("/api/health").status_code == 200


def test_a_query_over_its_time_budget_is_a_503_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_plan = corridor.api.planning.plan

    def slow_plan(network: Any, query: Any) -> Any:
        release.wait(30)
        return real_plan(network, query)

    monkeypatch.setattr(corridor.api.planning, "plan", slow_plan)
    limits = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", query_timeout_s=0.2)
    try:
        with live_server(limits) as srv:
            response = httpx.post(srv.url + "/api/routes", json=QUERY, timeout=30)
            assert response.status_code == 503
            assert response.json()["type"] == "urn:corridor:problem:time-budget"
            assert "time budget of 0.2 s" in response.json()["detail"]
            assert httpx.get(srv.url + "/api/health").status_code == 200  # still serving
    finally:
        release.set()


def test_queries_beyond_the_pending_limit_are_refused_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    started = threading.Event()
    real_plan = corridor.api.planning.plan

    def blocked_plan(network: Any, query: Any) -> Any:
        started.set()
        release.wait(30)
        return real_plan(network, query)

    monkeypatch.setattr(corridor.api.planning, "plan", blocked_plan)
    limits = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", max_pending_queries=1)
    with live_server(limits) as srv:
        results: list[int] = []
        first = threading.Thread(
            target=lambda: results.append(
                httpx.post(srv.url + "/api/routes", json=QUERY, timeout=60).status_code
            )
        )
        first.start()
        assert started.wait(30)
        busy = httpx.post(srv.url + "/api/routes", json={**QUERY, "containers": 2}, timeout=30)
        release.set()
        first.join(60)
        assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
        assert busy.json()["type"] == "urn:corridor:problem:busy"
        assert results == [200]
