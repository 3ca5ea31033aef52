"""Scenario jobs leave no network behind in the worker: a storm of them cannot keep a server's
memory growing, and the plain package stays open across jobs (docs/soak.md, "What each
process keeps")."""

from __future__ import annotations

import gc
import time
from typing import Any

import httpx
import pytest

from corridor.batch.spec import NetworkSpec
from corridor.network.model import Network

CLOSE = 'name = "closed {link}"\n[[change]]\ntype = "close_link"\nlink = "{link}"\n'
LINKS = ("rail_AKS_DOS", "road_DOS_ALA", "rail_ALA_SHU", "rail_DOS_AKG")


def _done(client: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def _run(client: httpx.Client, kind: str, link: str | None) -> None:
    body: dict[str, Any] = {"depart": "2026-12-01T00:00:00Z"}
    if link is not None:
        body["text"] = CLOSE.format(link=link)
    body |= {"kinds": ["crossing"], "top": 3} if kind == "criticality" else {"samples": 0}
    started = client.post(f"/api/jobs/{kind}", json=body)
    assert started.status_code == 202, started.text
    job = _done(client, started.json()["id"])
    assert job["status"] == "done", job


def _live_networks() -> int:
    gc.collect()
    return sum(isinstance(o, Network) for o in gc.get_objects())


@pytest.mark.parametrize("kind", ["criticality", "compare"])
def test_a_run_of_scenario_jobs_leaves_no_more_networks_alive_than_one(
    client: httpx.Client, kind: str
) -> None:
    _run(client, kind, LINKS[0])  # the first may open the plain package, which stays
    alive = _live_networks()
    for link in LINKS[1:]:
        _run(client, kind, link)
    assert _live_networks() == alive


def test_the_plain_package_and_what_was_derived_from_it_outlive_a_scenario_job(
    client: httpx.Client,
) -> None:
    _run(client, "criticality", None)
    base = NetworkSpec().open()
    derived = dict(base.derived)
    assert derived, "the job should have kept its searches on the network"
    _run(client, "criticality", LINKS[1])
    assert NetworkSpec().open() is base
    assert all(base.derived[key] is value for key, value in derived.items())
