"""Scenario jobs leave no network behind in the worker's caches: a storm of them cannot keep
a server's memory growing (docs/soak.md, "What each process keeps")."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import corridor.batch.spec
from corridor.scenarios.optima import searches_for

CLOSE = 'name = "closed {link}"\n[[change]]\ntype = "close_link"\nlink = "{link}"\n'


@pytest.fixture
def empty_caches() -> Iterator[None]:
    corridor.batch.spec.forget_opened()
    searches_for.cache_clear()
    yield


def _done(client: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def _networks_kept() -> tuple[int, int]:
    opened = corridor.batch.spec._open.cache_info().currsize
    return opened, searches_for.cache_info().currsize


@pytest.mark.parametrize("kind", ["criticality", "compare"])
def test_a_scenario_job_leaves_no_network_in_the_process_caches(
    client: httpx.Client, empty_caches: None, kind: str
) -> None:
    for link in ("rail_AKS_DOS", "road_DOS_ALA"):
        body: dict[str, Any] = {"text": CLOSE.format(link=link), "depart": "2026-12-01T00:00:00Z"}
        body |= {"kinds": ["crossing"], "top": 3} if kind == "criticality" else {"samples": 0}
        started = client.post(f"/api/jobs/{kind}", json=body)
        assert started.status_code == 202, started.text
        job = _done(client, started.json()["id"])
        assert job["status"] == "done", job
        assert _networks_kept() == (0, 0)


def test_a_job_without_a_scenario_reuses_the_network_it_opened(
    client: httpx.Client, empty_caches: None
) -> None:
    body = {"kinds": ["crossing"], "depart": "2026-12-01T00:00:00Z", "top": 3}
    for _ in range(2):
        job = _done(client, client.post("/api/jobs/criticality", json=body).json()["id"])
        assert job["status"] == "done", job
        assert _networks_kept() == (1, 1)
