"""Security: the token off loopback, size and shape limits, the time budget, no injection."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from api_live import LiveServer, live_server
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor.api.planning
from corridor.api import Settings, create_app
from corridor.api.server import (
    SETTINGS_ENV,
    server_config,
    settings_from_env,
    settings_to_env,
)
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


# -- socket limits (corridor.api.server) -------------------------------------------------------


@contextmanager
def guarded_server(settings: Settings) -> Iterator[tuple[str, int]]:
    """The application under `server_config` (read deadline, connection cap), on loopback."""
    app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(app, settings))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", port
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        app.state.context.store.close()


def _closed_by_server(conn: socket.socket, wait: float) -> bytes:
    """What the server sent before closing `conn` (b'' if it closed silently)."""
    conn.settimeout(wait)
    received = b""
    while True:
        chunk = conn.recv(4096)
        if not chunk:
            return received
        received += chunk


def test_a_half_sent_request_is_closed_at_the_read_deadline(tmp_path: Path) -> None:
    limits = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", request_read_timeout_s=0.5)
    with guarded_server(limits) as (url, port):
        silent = socket.create_connection(("127.0.0.1", port))  # sends nothing at all
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: ")  # never ends
        body = socket.create_connection(("127.0.0.1", port))
        body.sendall(
            b"POST /api/routes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
            b"\r\nContent-Length: 100\r\n\r\n{"
        )
        for conn in (silent, slow):  # socket.timeout here would mean a socket held forever
            assert _closed_by_server(conn, 10).startswith(b"HTTP/1.1 408")
        assert _closed_by_server(body, 10) == b""  # mid-body: the request is dropped
        assert httpx.get(url + "/api/health").status_code == 200


def test_an_idle_keep_alive_connection_is_closed(tmp_path: Path) -> None:
    limits = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", keep_alive_timeout_s=1)
    with guarded_server(limits) as (_url, port):
        conn = socket.create_connection(("127.0.0.1", port))
        conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert b" 200 " in _closed_by_server(conn, 10)  # answered, then closed when idle


def test_connections_beyond_the_cap_get_503_and_the_server_keeps_answering(
    tmp_path: Path,
) -> None:
    limits = Settings(
        db_url=f"sqlite:///{tmp_path / 'x.db'}", max_connections=5, request_read_timeout_s=2
    )
    with guarded_server(limits) as (url, port):
        held = [socket.create_connection(("127.0.0.1", port)) for _ in range(5)]
        time.sleep(0.2)
        extra = socket.create_connection(("127.0.0.1", port))
        answer = _closed_by_server(extra, 10)
        assert answer.startswith(b"HTTP/1.1 503") and b"retry-after: 1" in answer.lower()
        problem = json.loads(answer.split(b"\r\n\r\n", 1)[1])
        assert problem["type"] == "urn:corridor:problem:busy"
        for conn in held:  # the held sockets are dropped at the read deadline ...
            _closed_by_server(conn, 10)
            conn.close()
        time.sleep(0.2)
        assert httpx.get(url + "/api/health").status_code == 200  # ... and service resumes


def test_a_head_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    limits = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", max_header_bytes=4096)
    with guarded_server(limits) as (_url, port):
        conn = socket.create_connection(("127.0.0.1", port))
        conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-big: " + b"a" * 8000)
        assert _closed_by_server(conn, 10).startswith(b"HTTP/1.1 4")


def test_deep_toml_is_a_422_and_the_connection_keeps_serving(client: httpx.Client) -> None:
    deep = "x = " + "[" * 600 + "]" * 600
    response = client.post("/api/scenarios", json={"name": "deep", "text": deep})
    assert response.status_code == 422 and "nested too deeply" in response.json()["detail"]
    assert client.get("/api/health").status_code == 200  # same keep-alive connection


# -- methods, schema and token -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/api/scenarios/1", {"GET", "PUT", "DELETE"}),
        ("DELETE", "/api/scenarios", {"GET", "POST"}),
        ("GET", "/api/jobs/compare", {"POST"}),
        ("PUT", "/api/routes", {"POST"}),
    ],
)
def test_a_wrong_method_is_a_405_listing_every_allowed_method(
    client: httpx.Client, method: str, path: str, allowed: set[str]
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405, response.text
    listed = {m.strip() for m in response.headers["allow"].split(",")}
    assert allowed <= listed and method not in listed
    assert response.json()["type"] == "urn:corridor:problem:method-not-allowed"


def test_the_openapi_schema_is_as_strict_as_validation(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    parts = schema["components"]["schemas"]
    item = parts["RouteRequest"]["properties"]["criteria"]["items"]
    assert item["minLength"] == 1 and "pattern" in item
    assert parts["ScenarioPatch"]["properties"]["name"]["type"] == "string"  # not nullable
    assert "anyOf" not in parts["ScenarioPatch"]["properties"]["name"]
    assert {"required": ["scenario_id"]} in parts["CompareIn"]["oneOf"]
    assert parts["CriticalityIn"]["not"] == {"required": ["scenario_id", "text"]}
    both = client.post("/api/jobs/compare", json={"scenario_id": 1, "text": "x = 1"})
    assert both.status_code == 422
    empty = client.post("/api/routes", json={**QUERY, "criteria": [""]})
    assert empty.status_code == 422


def test_a_non_ascii_token_matches_a_utf8_client(tmp_path: Path) -> None:
    token = "clé-secrète-ключ"
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", token=token)
    with live_server(settings) as srv:
        sent = b"Bearer " + token.encode("utf-8")
        good = httpx.get(srv.url + "/api/scenarios", headers={"Authorization": sent})
        assert good.status_code == 200
        latin = b"Bearer " + token.encode("utf-8").decode("latin-1").encode("utf-8")
        bad = httpx.get(srv.url + "/api/scenarios", headers={"Authorization": latin})
        assert bad.status_code == 401


def test_a_query_the_queue_would_delay_past_its_budget_is_shed_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    real_plan = corridor.api.planning.plan

    def busy_plan(network: Any, query: Any) -> Any:  # 0.3 s of CPU, then hold if asked
        spin = time.thread_time()
        while time.thread_time() - spin < 0.3:
            pass
        if query.cargo.containers == 2:
            started.set()
            release.wait(30)
        return real_plan(network, query)

    monkeypatch.setattr(corridor.api.planning, "plan", busy_plan)
    limits = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", query_timeout_s=0.5)
    with live_server(limits) as srv:
        # the first query teaches the planner that a query costs ~0.3 s of CPU; on a busy
        # machine it may overrun its budget, but it is cached once it has finished
        answers = [httpx.post(srv.url + "/api/routes", json=QUERY, timeout=30).status_code]
        while answers[-1] != 200 and len(answers) < 300:
            time.sleep(0.1)
            answers.append(httpx.post(srv.url + "/api/routes", json=QUERY).status_code)
        assert answers[-1] == 200, answers

        def hold() -> None:  # retried while earlier retries still fill the queue
            for _ in range(300):
                httpx.post(srv.url + "/api/routes", json={**QUERY, "containers": 2}, timeout=30)
                if started.is_set():
                    return
                time.sleep(0.1)

        blocker = threading.Thread(target=hold)
        blocker.start()
        assert started.wait(60)
        shed = httpx.post(srv.url + "/api/routes", json={**QUERY, "containers": 3}, timeout=30)
        release.set()
        blocker.join(60)
        assert shed.status_code == 503 and int(shed.headers["retry-after"]) >= 1
        assert shed.json()["type"] == "urn:corridor:problem:busy"
        assert "past its time budget" in shed.json()["detail"]


def test_settings_travel_to_worker_processes_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(
        network_path=tmp_path / "net",
        db_url="sqlite:///x.db",
        allowed_hosts=("a.example", "b.example"),
        max_connections=7,
        request_read_timeout_s=1.5,
    )
    monkeypatch.setenv(SETTINGS_ENV, settings_to_env(settings))
    assert settings_from_env() == settings


def test_serve_with_two_workers_answers_and_guards_every_connection(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "corridor.cli", "serve", "--port", str(port)]
    command += ["--workers", "2", "--db", f"sqlite:///{tmp_path / 'w.db'}"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            try:
                if httpx.get(url + "/api/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        answers = [httpx.get(url + "/api/health").json()["status"] for _ in range(10)]
        assert answers == ["ok"] * 10
        silent = socket.create_connection(("127.0.0.1", port))  # the read deadline holds
        assert _closed_by_server(silent, 30).startswith(b"HTTP/1.1 408")
    finally:
        server.terminate()
        out, err = server.communicate(timeout=60)
    assert b"2 worker processes" in out and b"Traceback" not in err, err[-2000:]


def test_one_client_cannot_take_every_connection(tmp_path: Path) -> None:
    limits = Settings(
        db_url=f"sqlite:///{tmp_path / 'x.db'}", max_connections_per_client=3, max_connections=50
    )
    with guarded_server(limits) as (_url, port):
        held = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        time.sleep(0.2)
        extra = socket.create_connection(("127.0.0.1", port))
        assert _closed_by_server(extra, 10).startswith(b"HTTP/1.1 503")
        for conn in held:
            conn.close()


def test_the_query_budget_reaches_the_search_and_a_stopped_search_answers_503(
    tmp_path: Path,
) -> None:
    """The engine gets the budget as its deadline (so a timed-out search frees its thread),
    and a search stopped there is a 503 time-budget problem, not a client error."""
    from fastapi.testclient import TestClient

    from corridor.api.problems import from_corridor_error
    from corridor.errors import SearchBudgetError

    seen: list[Any] = []
    real_plan = corridor.api.planning.plan

    def spying_plan(network: Any, query: Any) -> Any:
        seen.append(query.time_limit)
        return real_plan(network, query)

    limits = Settings(
        db_url=f"sqlite:///{tmp_path / 'x.db'}", query_timeout_s=7.5, allowed_hosts=("testserver",)
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(corridor.api.planning, "plan", spying_plan)
        with TestClient(create_app(limits)) as http:
            answer = http.post("/api/routes", json={**QUERY, "containers": 3})
    assert answer.status_code == 200, answer.text
    assert seen == [7.5]
    problem = from_corridor_error(SearchBudgetError("time", 7.5, 1000), places={})
    assert (problem.status, problem.kind) == (503, "time-budget")
