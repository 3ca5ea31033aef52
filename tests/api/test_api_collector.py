"""Each serving process frees reference cycles on a clock (`gc_interval_s`), not only when
allocations pass the youngest generation's threshold (corridor.api.collector; docs/soak.md)."""

from __future__ import annotations

import gc
import time
import weakref
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corridor.api import Settings, create_app
from corridor.errors import CorridorError


class _Node:
    me: object = None


def _cycle_freed_within(settings: Settings, seconds: float) -> bool:
    """Whether a cycle made while the app runs, with automatic collection off, is freed."""
    gc.disable()
    try:
        with TestClient(create_app(settings)) as client:
            assert client.get("/api/health").status_code == 200
            node = _Node()
            node.me = node
            alive = weakref.ref(node)
            del node
            deadline = time.monotonic() + seconds
            while alive() is not None and time.monotonic() < deadline:
                client.get("/api/health")  # the collector runs on the app's event loop
                time.sleep(0.05)
            return alive() is None
    finally:
        gc.enable()


def test_a_cycle_is_freed_within_the_interval_with_automatic_collection_off(
    tmp_path: Path,
) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'a.db'}", gc_interval_s=1, allowed_hosts=())
    assert _cycle_freed_within(settings, seconds=5.0)


def test_an_interval_of_zero_leaves_collection_to_python(tmp_path: Path) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'b.db'}", gc_interval_s=0, allowed_hosts=())
    assert not _cycle_freed_within(settings, seconds=1.5)


@pytest.mark.parametrize("value", [-1, 86_401, 1.5, True, "60"])
def test_the_interval_must_be_whole_seconds_up_to_a_day(value: object) -> None:
    with pytest.raises(CorridorError, match="gc_interval_s"):
        Settings(gc_interval_s=value)  # type: ignore[arg-type]
