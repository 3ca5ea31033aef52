"""Connecting to the database of saved work: the default location, URLs, engines and sessions.

SQLite connections run in WAL mode with full fsync and take the write lock when a transaction
begins (`BEGIN IMMEDIATE`), so concurrent writers queue instead of failing half-way and a process
killed mid-write leaves the last committed state behind.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from corridor.errors import StoreError

ENV_URL = "CORRIDOR_DB_URL"


@dataclass(frozen=True)
class Store:
    """An open database: its engine and a session factory. Safe to share between threads."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    def close(self) -> None:
        self.engine.dispose()


def data_folder() -> Path:
    """The user's data folder for corridor: $XDG_DATA_HOME/corridor or ~/.local/share/corridor."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "corridor"


def default_url() -> str:
    """$CORRIDOR_DB_URL when set, else an SQLite file in the user's data folder."""
    return os.environ.get(ENV_URL) or f"sqlite:///{data_folder() / 'corridor.db'}"


def normalize_url(url: str) -> URL:
    """Parse a database URL; plain postgresql:// URLs use the psycopg (3) driver."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"database URL {url!r}: expected sqlite:///PATH or postgresql://USER@HOST/DB"
        ) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"database URL {parsed.render_as_string(hide_password=True)!r}: expected an sqlite "
            "or postgresql URL"
        )
    return parsed


def connect(url: str | None = None) -> Store:
    """An engine for `url` (default: `default_url()`), without migrating the schema."""
    parsed = normalize_url(url or default_url())
    shown = parsed.render_as_string(hide_password=True)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"cannot open database {shown}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return Store(url=shown, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def open_store(url: str | None = None) -> Store:
    """Connect to `url` and migrate its schema to the newest revision."""
    from corridor.store.migrate import upgrade

    store = connect(url)
    try:
        upgrade(store)
    except SQLAlchemyError as exc:
        store.close()
        raise StoreError(f"cannot open database {store.url}: {_first_line(exc)}") from exc
    return store


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot take the write lock up front;
    # this is SQLAlchemy's documented recipe for driving transactions ourselves.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
