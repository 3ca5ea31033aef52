"""Shared fixtures: the bundled network (loaded once) and a writable copy of the tiny fixture."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

import corridor

TINY = Path(__file__).parent / "fixtures" / "tiny"

# CI replays a fixed sequence of examples so a landing never hinges on luck; local runs explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session", autouse=True)
def _compiled_route_engine() -> None:
    """Compile the route kernels (or load numba's cache) before any test times a request."""
    from corridor.routing.pareto import warm_up

    warm_up()


@pytest.fixture(scope="session")
def eurasia() -> corridor.Network:
    return corridor.load_network()


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    return target
