"""Saved shipments and scenarios through the repository, on a real SQLite file and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.store import open_store, repository
from corridor.store.database import Store

# JSON as a browser sends it: no NaN or infinities; text without NUL (PostgreSQL refuses it)
TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=30)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=15,
)
OBJECTS = st.dictionaries(TEXT, JSON, max_size=5)
NAMES = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=200)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.close()


def _shipment(store: Store, name: str = "apples", **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "name": name,
        "query": {"origin": "Almaty", "destination": "Duisburg", "commodity": "agri"},
        "route_index": 0,
        "route": {"legs": [{"kind": "move", "hours": 1.5}], "cost_usd": 1234.5},
        "network": "eurasia 0.1.0",
    }
    fields.update(overrides)
    return repository.create_shipment(store, **fields)


def test_a_saved_shipment_reads_back_with_its_query_route_and_network(store: Store) -> None:
    saved = _shipment(store)
    again = repository.get_shipment(store, saved.id)
    assert again == saved
    assert again is not None and again.network == "eurasia 0.1.0"
    assert again.route["legs"][0]["hours"] == 1.5
    assert again.created_at.tzinfo is not None and again.created_at == again.updated_at


def test_shipments_list_newest_first(store: Store) -> None:
    ids = [_shipment(store, name=f"s{i}").id for i in range(4)]
    assert [s.id for s in repository.list_shipments(store)] == ids[::-1]
    assert [s.id for s in repository.list_shipments(store, limit=2, offset=1)] == ids[::-1][1:3]


def test_updating_a_shipment_changes_only_the_given_fields(store: Store) -> None:
    saved = _shipment(store)
    changed = repository.update_shipment(store, saved.id, name="pears", route_index=2)
    assert changed is not None
    assert (changed.name, changed.route_index) == ("pears", 2)
    assert (changed.query, changed.route, changed.network) == (
        saved.query,
        saved.route,
        saved.network,
    )
    assert changed.updated_at >= saved.updated_at and changed.created_at == saved.created_at


def test_deleted_records_are_gone_and_their_ids_are_never_reused(store: Store) -> None:
    first = _shipment(store)
    assert repository.delete_shipment(store, first.id) is True
    assert repository.get_shipment(store, first.id) is None
    assert repository.delete_shipment(store, first.id) is False
    assert repository.update_shipment(store, first.id, name="x") is None
    assert _shipment(store).id > first.id


def test_scenarios_keep_their_toml_text_verbatim(store: Store) -> None:
    text = '# comment kept\nname = "Red Sea closed"\n\n[[change]]\ntype = "close_passage"\n'
    saved = repository.create_scenario(store, name="red sea", text=text)
    assert repository.get_scenario(store, saved.id) == saved
    assert saved.text == text
    renamed = repository.update_scenario(store, saved.id, name="Red Sea")
    assert renamed is not None and renamed.text == text and renamed.name == "Red Sea"
    assert [s.id for s in repository.list_scenarios(store)] == [saved.id]
    assert repository.delete_scenario(store, saved.id) is True
    assert repository.list_scenarios(store) == []


def test_sql_in_a_name_is_stored_as_text_and_harms_nothing(store: Store) -> None:
    nasty = "x'); DROP TABLE shipments; --"
    saved = _shipment(store, name=nasty, query={"origin": "' OR 1=1 --"})
    assert repository.get_shipment(store, saved.id) == saved
    assert [s.name for s in repository.list_shipments(store)] == [nasty]
    assert repository.get_scenario(store, 1) is None  # the other table is still there too


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=NAMES, query=OBJECTS, route=OBJECTS, index=st.integers(0, 1000))
def test_any_json_a_client_sends_round_trips_unchanged(
    store: Store, name: str, query: dict[str, Any], route: dict[str, Any], index: int
) -> None:
    saved = _shipment(store, name=name, query=query, route=route, route_index=index)
    again = repository.get_shipment(store, saved.id)
    assert again is not None
    assert (again.name, again.query, again.route, again.route_index) == (
        name,
        query,
        route,
        index,
    )


def test_concurrent_writers_all_commit(store: Store) -> None:
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(10):
                _shipment(store, name=f"w{worker}-{i}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    names = {s.name for s in repository.list_shipments(store, limit=500)}
    assert names == {f"w{w}-{i}" for w in range(4) for i in range(10)}
