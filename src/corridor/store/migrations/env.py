"""Alembic environment: runs migrations on the engine `corridor.store.migrate` passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, text

from corridor.store.tables import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through corridor.store.migrate, which passes the engine")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # servers starting together migrate one at a time (SQLite: BEGIN IMMEDIATE does it)
            connection.execute(text("SELECT pg_advisory_xact_lock(7262771)"))
        context.run_migrations()
