"""Databases for the store tests: a real SQLite file, and a real PostgreSQL server when
CORRIDOR_TEST_POSTGRES_URL is set (each test gets a schema of its own there, dropped after)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

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


def postgres_schema(base: str) -> tuple[str, str]:
    """A URL whose connections use a fresh schema, and the schema's name."""
    schema = f"corridor_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(normalize_url(base))
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = normalize_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_postgres_schema(base: str, schema: str) -> None:
    engine = create_engine(normalize_url(base))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corridor.db'}"
        return
    base = os.environ[PG_ENV]
    url, schema = postgres_schema(base)
    try:
        yield url
    finally:
        drop_postgres_schema(base, schema)
