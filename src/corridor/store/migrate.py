"""Schema migrations: Alembic, configured in code, scripts packaged in `corridor/store/migrations`."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config

from corridor.store.database import Store

SCRIPTS = Path(__file__).resolve().parent / "migrations"
# Alembic's command API runs through a process-wide `alembic.context`: one migration at a time
# per process (processes are kept apart by the database's own locks, see migrations/env.py).
_ONE_AT_A_TIME = threading.Lock()


def alembic_config(store: Store) -> Config:
    """An Alembic config that runs the packaged scripts on `store`'s engine (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["engine"] = store.engine
    return config


def upgrade(store: Store, revision: str = "head") -> None:
    """Migrate the schema up to `revision` (idempotent; a no-op when already there)."""
    with _ONE_AT_A_TIME:
        command.upgrade(alembic_config(store), revision)


def downgrade(store: Store, revision: str) -> None:
    """Migrate the schema down to `revision` ("base" drops every table)."""
    with _ONE_AT_A_TIME:
        command.downgrade(alembic_config(store), revision)


def current_revision(store: Store) -> str | None:
    """The schema revision the database is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
