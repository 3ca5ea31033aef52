"""Reading and writing saved shipments and scenarios; each write is one transaction.

Functions take a `Store` and return detached frozen records (`SavedShipment`, `SavedScenario`);
a missing id gives None (or False for a delete), never an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from corridor.errors import StoreError
from corridor.store.database import Store
from corridor.store.records import SavedScenario, SavedShipment
from corridor.store.tables import ScenarioRow, ShipmentRow

_UNSET: Any = object()
_Row = TypeVar("_Row", ShipmentRow, ScenarioRow)
_Saved = TypeVar("_Saved")


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored moment is UTC
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _shipment(row: ShipmentRow) -> SavedShipment:
    return SavedShipment(
        id=row.id,
        name=row.name,
        query=row.query,
        route_index=row.route_index,
        route=row.route,
        network=row.network,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
    )


def _scenario(row: ScenarioRow) -> SavedScenario:
    return SavedScenario(
        id=row.id,
        name=row.name,
        text=row.text,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
    )


@contextmanager
def _translated(store: Store) -> Iterator[None]:
    """Turn a database failure into a StoreError naming the database."""
    try:
        yield
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"database {store.url}: {reason}") from exc


def _insert(store: Store, row: _Row, convert: Callable[[_Row], _Saved]) -> _Saved:
    with _translated(store), store.sessions.begin() as session:
        session.add(row)
        session.flush()
        return convert(row)


def _list(
    store: Store, model: type[_Row], convert: Callable[[_Row], _Saved], limit: int, offset: int
) -> list[_Saved]:
    statement = (
        select(model).order_by(model.created_at.desc(), model.id.desc()).limit(limit).offset(offset)
    )
    with _translated(store), store.sessions() as session:
        return [convert(row) for row in session.scalars(statement)]


def _get(
    store: Store, model: type[_Row], row_id: int, convert: Callable[[_Row], _Saved]
) -> _Saved | None:
    with _translated(store), store.sessions() as session:
        row = session.get(model, row_id)
        return None if row is None else convert(row)


def _update(
    store: Store,
    model: type[_Row],
    row_id: int,
    changes: dict[str, Any],
    convert: Callable[[_Row], _Saved],
) -> _Saved | None:
    """Set the changed fields (those not `_UNSET`) and `updated_at`; None for a missing id."""
    with _translated(store), store.sessions.begin() as session:
        row = session.get(model, row_id)
        if row is None:
            return None
        for key, value in changes.items():
            if value is not _UNSET:
                setattr(row, key, value)
        row.updated_at = _now()
        session.flush()
        return convert(row)


def _delete(store: Store, model: type[_Row], row_id: int) -> bool:
    with _translated(store), store.sessions.begin() as session:
        row = session.get(model, row_id)
        if row is None:
            return False
        session.delete(row)
        return True


# --- shipments ----------------------------------------------------------------------------------


def create_shipment(
    store: Store,
    *,
    name: str,
    query: dict[str, Any],
    route_index: int,
    route: dict[str, Any],
    network: str,
) -> SavedShipment:
    """Save a new shipment and return it with its id and timestamps."""
    now = _now()
    row = ShipmentRow(
        name=name,
        query=query,
        route_index=route_index,
        route=route,
        network=network,
        created_at=now,
        updated_at=now,
    )
    return _insert(store, row, _shipment)


def list_shipments(store: Store, *, limit: int = 100, offset: int = 0) -> list[SavedShipment]:
    """Saved shipments, newest first."""
    return _list(store, ShipmentRow, _shipment, limit, offset)


def get_shipment(store: Store, shipment_id: int) -> SavedShipment | None:
    """The shipment with this id, or None."""
    return _get(store, ShipmentRow, shipment_id, _shipment)


def update_shipment(
    store: Store,
    shipment_id: int,
    *,
    name: str = _UNSET,
    query: dict[str, Any] = _UNSET,
    route_index: int = _UNSET,
    route: dict[str, Any] = _UNSET,
    network: str = _UNSET,
) -> SavedShipment | None:
    """Change the given fields of a shipment (others stay); None when the id does not exist."""
    changes = {
        "name": name,
        "query": query,
        "route_index": route_index,
        "route": route,
        "network": network,
    }
    return _update(store, ShipmentRow, shipment_id, changes, _shipment)


def delete_shipment(store: Store, shipment_id: int) -> bool:
    """Delete a shipment; False when there was none with this id."""
    return _delete(store, ShipmentRow, shipment_id)


# --- scenarios ----------------------------------------------------------------------------------


def create_scenario(store: Store, *, name: str, text: str) -> SavedScenario:
    """Save a new scenario (TOML text, kept verbatim)."""
    now = _now()
    return _insert(
        store, ScenarioRow(name=name, text=text, created_at=now, updated_at=now), _scenario
    )


def list_scenarios(store: Store, *, limit: int = 100, offset: int = 0) -> list[SavedScenario]:
    """Saved scenarios, newest first."""
    return _list(store, ScenarioRow, _scenario, limit, offset)


def get_scenario(store: Store, scenario_id: int) -> SavedScenario | None:
    """The scenario with this id, or None."""
    return _get(store, ScenarioRow, scenario_id, _scenario)


def update_scenario(
    store: Store, scenario_id: int, *, name: str = _UNSET, text: str = _UNSET
) -> SavedScenario | None:
    """Change a scenario's name and/or text; None when the id does not exist."""
    return _update(store, ScenarioRow, scenario_id, {"name": name, "text": text}, _scenario)


def delete_scenario(store: Store, scenario_id: int) -> bool:
    """Delete a scenario; False when there was none with this id."""
    return _delete(store, ScenarioRow, scenario_id)
