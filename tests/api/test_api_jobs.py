"""Background jobs over HTTP: 202 with an id, then progress and the analysis' result."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_live import live_server

import corridor.api.routers.jobs
from corridor.api import Settings

RED_SEA = Path(__file__).parents[2] / "examples" / "red-sea-closed.toml"


def _finish(client: httpx.Client, job_id: str) -> dict[str, Any]:
    seen: list[float] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        seen.append(job["progress"])
        assert 0.0 <= job["progress"] <= 1.0
        if job["status"] in ("done", "failed"):
            assert seen == sorted(seen), "progress went backwards"
            return job
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_a_compare_job_of_a_saved_scenario_gives_the_comparison(client: httpx.Client) -> None:
    scenario = client.post(
        "/api/scenarios", json={"name": "red sea", "text": RED_SEA.read_text(encoding="utf-8")}
    ).json()
    started = client.post(
        "/api/jobs/compare",
        json={"scenario_id": scenario["id"], "depart": "2026-12-01T00:00:00Z", "samples": 0},
    )
    assert started.status_code == 202, started.text
    job = _finish(client, started.json()["id"])
    assert job["status"] == "done" and job["progress"] == 1.0, job
    assert job["kind"] == "compare"
    assert job["result"]["scenario"] == "Red Sea closed"
    assert job["result"]["ods"]


def test_a_criticality_job_ranks_elements(client: httpx.Client) -> None:
    started = client.post(
        "/api/jobs/criticality",
        json={"kinds": ["crossing"], "depart": "2026-12-01T00:00:00Z", "top": 5},
    )
    assert started.status_code == 202, started.text
    job = _finish(client, started.json()["id"])
    assert job["status"] == "done", job
    ranking = job["result"]["ranking"]
    assert 0 < len(ranking) <= 5 and all(e["kind"] == "crossing" for e in ranking)


def test_job_requests_are_checked_before_anything_runs(client: httpx.Client) -> None:
    missing = client.post("/api/jobs/compare", json={"scenario_id": 987654})
    assert missing.status_code == 422 and missing.json()["field"] == "scenario_id"
    neither = client.post("/api/jobs/compare", json={})
    assert neither.status_code == 422 and neither.json()["field"] == "scenario_id"
    bad_text = client.post("/api/jobs/criticality", json={"text": "x ="})
    assert bad_text.status_code == 422 and bad_text.json()["field"] == "text"
    kinds = client.post("/api/jobs/criticality", json={"kinds": ["river"]})
    assert kinds.status_code == 422 and kinds.json()["field"] == "kinds.0"
    unknown = client.get("/api/jobs/0123abcd")
    assert unknown.status_code == 404


class _Endless:
    """A stand-in analysis that reports progress forever (until its job is cancelled)."""

    def __init__(self) -> None:
        self.steps: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, spec: Any, pairs: Any, **kwargs: Any) -> Any:
        name = threading.current_thread().name
        for step in range(100_000):
            with self.lock:
                self.steps[name] = step
            kwargs["on_progress"](step, 100_000)  # raises once the job is cancelled
            time.sleep(0.01)
        raise AssertionError("an endless job was never cancelled")


@pytest.fixture
def endless(monkeypatch: pytest.MonkeyPatch) -> _Endless:
    work = _Endless()
    monkeypatch.setattr(corridor.api.routers.jobs, "criticality", work)
    return work


def _settings(tmp_path: Path, **limits: Any) -> Settings:
    return Settings(db_url=f"sqlite:///{tmp_path / 'jobs.db'}", job_threads=2, **limits)


def _wait_for(http: httpx.Client, job_id: str, status: str) -> dict[str, Any]:
    for _ in range(600):
        job: dict[str, Any] = http.get(f"/api/jobs/{job_id}").json()
        if job["status"] == status:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job never became {status}: {job}")


def test_a_client_over_its_job_share_gets_429_and_cancelling_frees_a_slot(
    tmp_path: Path, endless: _Endless
) -> None:
    with (
        live_server(_settings(tmp_path, max_jobs_per_client=2)) as srv,
        httpx.Client(base_url=srv.url) as http,
    ):
        body = {"kinds": ["crossing"]}
        first, second = (http.post("/api/jobs/criticality", json=body) for _ in range(2))
        assert first.status_code == second.status_code == 202
        third = http.post("/api/jobs/criticality", json=body)
        assert third.status_code == 429 and int(third.headers["retry-after"]) > 0
        assert third.json()["type"] == "urn:corridor:problem:too-many-jobs"
        cancelled = http.delete(f"/api/jobs/{first.json()['id']}")
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
        assert http.post("/api/jobs/criticality", json=body).status_code == 202
        for job in (second.json()["id"],):
            http.delete(f"/api/jobs/{job}")


def test_a_cancelled_job_stops_working(tmp_path: Path, endless: _Endless) -> None:
    with live_server(_settings(tmp_path)) as srv, httpx.Client(base_url=srv.url) as http:
        job_id = http.post("/api/jobs/criticality", json={"kinds": ["link"]}).json()["id"]
        _wait_for(http, job_id, "running")
        while not endless.steps:
            time.sleep(0.01)
        http.delete(f"/api/jobs/{job_id}")
        time.sleep(0.3)  # the job reaches its next progress step and stops there
        with endless.lock:
            stopped = dict(endless.steps)
        time.sleep(0.3)
        assert endless.steps == stopped  # no step since
        job = http.get(f"/api/jobs/{job_id}").json()
        assert job["status"] == "cancelled" and job["result"] is None


def test_a_full_job_queue_answers_503_and_queued_jobs_can_be_cancelled(
    tmp_path: Path, endless: _Endless
) -> None:
    limits = _settings(tmp_path, max_active_jobs=3, max_jobs_per_client=10)
    with live_server(limits) as srv, httpx.Client(base_url=srv.url) as http:
        ids = [
            http.post("/api/jobs/criticality", json={"kinds": ["hub"]}).json()["id"]
            for _ in range(3)
        ]
        full = http.post("/api/jobs/criticality", json={"kinds": ["hub"]})
        assert full.status_code == 503 and full.headers["retry-after"]
        assert full.json()["type"] == "urn:corridor:problem:busy"
        queued = ids[2]  # two threads: the third waits
        assert http.get(f"/api/jobs/{queued}").json()["status"] == "queued"
        assert http.delete(f"/api/jobs/{queued}").json()["status"] == "cancelled"
        time.sleep(0.2)
        assert http.get(f"/api/jobs/{queued}").json()["status"] == "cancelled"  # never ran
        assert len(endless.steps) <= 2
        for job_id in ids[:2]:
            assert http.delete(f"/api/jobs/{job_id}").status_code == 200
        assert http.delete("/api/jobs/abcdef").status_code == 404
