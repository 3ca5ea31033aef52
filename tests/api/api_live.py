"""Helpers of the API tests: the real application under uvicorn on a loopback port, and
databases (an SQLite file, or a fresh schema on PostgreSQL when CORRIDOR_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import create_engine, text

from corridor.api import Settings, create_app
from corridor.store.database import normalize_url

PG_ENV = "CORRIDOR_TEST_POSTGRES_URL"
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        # .ci/run starts PostgreSQL and sets CORRIDOR_REQUIRE_SERVICES: CI never skips these
        marks=pytest.mark.skipif(
            not os.environ.get(PG_ENV) and not os.environ.get("CORRIDOR_REQUIRE_SERVICES"),
            reason=f"{PG_ENV} not set",
        ),
    ),
]


@dataclass
class LiveServer:
    url: str
    app: FastAPI


@contextmanager
def live_server(settings: Settings, bind: str = "127.0.0.1") -> Iterator[LiveServer]:
    """Run `create_app(settings)` under uvicorn in a thread, on a free port of `bind`."""
    app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((bind, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """A database URL: an SQLite file in `folder`, or a fresh schema on the PostgreSQL server."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'api.db'}"
        return
    base = normalize_url(os.environ[PG_ENV])
    schema = f"corridor_api_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
