"""Fixtures of the API tests: one live server per module, on a fresh SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from api_live import LiveServer, live_server

from corridor.api import Settings


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server per test module, on a fresh SQLite file."""
    folder = tmp_path_factory.mktemp("api")
    with live_server(Settings(db_url=f"sqlite:///{folder / 'api.db'}")) as running:
        yield running


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http
