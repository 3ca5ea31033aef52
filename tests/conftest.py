"""Shared fixtures: the bundled network (loaded once) and a writable copy of the tiny fixture."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import corridor

TINY = Path(__file__).parent / "fixtures" / "tiny"


@pytest.fixture(scope="session")
def eurasia() -> corridor.Network:
    return corridor.load_network()


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    return target
