"""Shipments and scenarios over HTTP: create, list, read, update, delete; kept across restarts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_live import BACKENDS, database, live_server

from corridor.api import Settings

QUERY = {"origin": "Almaty", "destination": "Duisburg", "depart": "2026-12-01", "commodity": "agri"}
RED_SEA = Path(__file__).parents[2] / "examples" / "red-sea-closed.toml"


def _route(http: httpx.Client, index: int = 0) -> dict[str, Any]:
    answer = http.post("/api/routes", json=QUERY)
    assert answer.status_code == 200, answer.text
    route: dict[str, Any] = answer.json()["routes"][index]
    return route


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_shipment_goes_through_its_whole_life_and_survives_a_restart(
    backend: str, tmp_path: Path
) -> None:
    with database(backend, tmp_path) as url:
        with live_server(Settings(db_url=url)) as server, httpx.Client(base_url=server.url) as http:
            route = _route(http, 1)
            created = http.post(
                "/api/shipments",
                json={
                    "name": "apples to Duisburg",
                    "query": QUERY,
                    "route_index": 1,
                    "route": route,
                },
            )
            assert created.status_code == 201, created.text
            shipment = created.json()
            assert shipment["network"] == "eurasia 0.1.0"
            assert shipment["route"] == route and shipment["route_index"] == 1
            # the stored query is the full request, defaults filled in
            assert shipment["query"]["containers"] == 1
            assert shipment["query"]["depart"] == "2026-12-01T00:00:00Z"
            second = http.post(
                "/api/shipments",
                json={"name": "second", "query": QUERY, "route_index": 0, "route": _route(http)},
            ).json()
            listed = http.get("/api/shipments").json()
            assert [s["id"] for s in listed] == [second["id"], shipment["id"]]
            renamed = http.put(f"/api/shipments/{shipment['id']}", json={"name": "apples"})
            assert renamed.status_code == 200
            assert renamed.json()["name"] == "apples" and renamed.json()["route"] == route
            deleted = http.delete(f"/api/shipments/{second['id']}")
            assert deleted.status_code == 204 and deleted.content == b""
            gone = http.get(f"/api/shipments/{second['id']}")
            assert gone.status_code == 404 and gone.json()["type"].endswith("not-found")
        # a new server on the same database finds what the first saved
        with live_server(Settings(db_url=url)) as server, httpx.Client(base_url=server.url) as http:
            again = http.get(f"/api/shipments/{shipment['id']}")
            assert again.status_code == 200
            assert again.json()["name"] == "apples" and again.json()["route"] == route
            assert [s["id"] for s in http.get("/api/shipments").json()] == [shipment["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"query": QUERY, "route_index": 0, "route": {}}, "name"),
        (
            {"name": "x", "query": {**QUERY, "containers": 0}, "route_index": 0, "route": {}},
            "query.containers",
        ),
        (
            {"name": "x", "query": {**QUERY, "commodity": "gold"}, "route_index": 0, "route": {}},
            "query.commodity",
        ),
        ({"name": "x", "query": QUERY, "route_index": -1, "route": {}}, "route_index"),
        ({"name": "x", "query": QUERY, "route_index": 0, "route": []}, "route"),
        ({"name": "a\x00b", "query": QUERY, "route_index": 0, "route": {}}, "name"),
    ],
)
def test_a_bad_shipment_is_refused_naming_the_field(
    client: httpx.Client, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/shipments", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


def test_unknown_ids_are_404_problems(client: httpx.Client) -> None:
    for method in ("GET", "PUT", "DELETE"):
        for kind in ("shipments", "scenarios"):
            response = client.request(
                method, f"/api/{kind}/999999", json={"name": "x"} if method == "PUT" else None
            )
            assert response.status_code == 404, (method, kind)
            assert response.headers["content-type"] == "application/problem+json"


def test_a_scenario_is_checked_saved_updated_and_deleted(client: httpx.Client) -> None:
    text = RED_SEA.read_text(encoding="utf-8")
    created = client.post("/api/scenarios", json={"name": "Red Sea", "text": text})
    assert created.status_code == 201, created.text
    scenario = created.json()
    assert scenario["text"] == text
    assert client.get(f"/api/scenarios/{scenario['id']}").json() == scenario
    assert scenario["id"] in [s["id"] for s in client.get("/api/scenarios").json()]
    updated = client.put(f"/api/scenarios/{scenario['id']}", json={"name": "Red Sea shut"})
    assert updated.json()["name"] == "Red Sea shut" and updated.json()["text"] == text
    assert client.delete(f"/api/scenarios/{scenario['id']}").status_code == 204


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name = ", "expected a scenario in TOML"),
        ('name = "x"\n[[change]]\ntype = "close_link"\nlink = "NO_SUCH_LINK"\n', "NO_SUCH_LINK"),
        ('name = "x"\n[[change]]\ntype = "teleport"\n', "teleport"),
    ],
)
def test_a_scenario_the_loader_refuses_is_a_422_on_text(
    client: httpx.Client, text: str, expected: str
) -> None:
    response = client.post("/api/scenarios", json={"name": "bad", "text": text})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["field"] == "text" and expected in problem["detail"], problem


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_serve(db: str, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "corridor.cli", "serve", "--port", str(port), "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CORRIDOR_API_TOKEN": ""},
    )


def _wait_healthy(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            if httpx.get(f"{url}/api/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("corridor serve did not come up")


def test_corridor_serve_prints_its_url_and_keeps_shipments_across_restarts(
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'served.db'}"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    first = _start_serve(db, port)
    try:
        _wait_healthy(url, first)
        assert first.stdout is not None
        assert f"{url}/" in first.stdout.readline()
        route = httpx.post(f"{url}/api/routes", json=QUERY, timeout=60).json()["routes"][0]
        saved = httpx.post(
            f"{url}/api/shipments",
            json={"name": "apples", "query": QUERY, "route_index": 0, "route": route},
        ).json()
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=30)
    second = _start_serve(db, port)
    try:
        _wait_healthy(url, second)
        found = httpx.get(f"{url}/api/shipments").json()
        assert [(s["id"], s["name"], s["route"]) for s in found] == [(saved["id"], "apples", route)]
    finally:
        second.send_signal(signal.SIGINT)
        second.communicate(timeout=30)
