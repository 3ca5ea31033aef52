"""Schema migrations: Alembic scripts packaged with corridor, run in code, matching the models."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from corridor.errors import StoreError
from corridor.store import default_url, normalize_url, open_store
from corridor.store.database import connect
from corridor.store.migrate import current_revision, downgrade, upgrade
from corridor.store.tables import Base


def test_opening_a_new_database_migrates_it_to_the_newest_revision(database_url: str) -> None:
    store = open_store(database_url)
    try:
        assert current_revision(store) == "0001"
        assert {"shipments", "scenarios"} <= set(inspect(store.engine).get_table_names())
    finally:
        store.close()


def test_the_migrated_schema_matches_the_models(database_url: str) -> None:
    store = open_store(database_url)
    try:
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, Base.metadata) == []
    finally:
        store.close()


def test_downgrade_to_base_drops_the_tables_and_upgrade_is_idempotent(database_url: str) -> None:
    store = connect(database_url)
    try:
        upgrade(store)
        upgrade(store)
        downgrade(store, "base")
        assert current_revision(store) is None
        assert not {"shipments", "scenarios"} & set(inspect(store.engine).get_table_names())
        upgrade(store)
        assert current_revision(store) == "0001"
    finally:
        store.close()


def test_the_default_database_is_sqlite_in_the_users_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CORRIDOR_DB_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_url() == f"sqlite:///{tmp_path / 'corridor' / 'corridor.db'}"
    store = open_store()
    store.close()
    assert (tmp_path / "corridor" / "corridor.db").is_file()
    monkeypatch.setenv("CORRIDOR_DB_URL", "sqlite:////elsewhere.db")
    assert default_url() == "sqlite:////elsewhere.db"


def test_plain_postgresql_urls_use_the_psycopg_driver() -> None:
    assert normalize_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://u@h/db").drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url", "oracle://x"])
def test_a_url_of_another_kind_is_a_store_error_naming_it(url: str) -> None:
    with pytest.raises(StoreError, match="expected"):
        normalize_url(url)


def test_an_unreachable_postgresql_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_servers_starting_together_on_a_new_database_all_open_it(database_url: str) -> None:
    starter = "import sys; from corridor.store import open_store; open_store(sys.argv[1]).close()"
    servers = [
        subprocess.Popen([sys.executable, "-c", starter, database_url], stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    failures = [p.communicate(timeout=120)[1] for p in servers if p.wait(timeout=120) != 0]
    assert failures == []
    errors: list[BaseException] = []

    def start() -> None:  # and threads of one process
        try:
            open_store(database_url).close()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
