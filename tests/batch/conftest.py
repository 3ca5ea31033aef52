"""A two-worker Dask LocalCluster (real processes), started once for the batch tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from optional import require_module


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    distributed = require_module("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
