"""Background jobs over HTTP: 202 with an id, then progress and the analysis' result."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

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
