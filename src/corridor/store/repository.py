"""Reading and writing saved shipments and scenarios; each write is one transaction.

Functions take a `Store` and return detached frozen records (`SavedShipment`, `SavedScenario`);
a missing id gives None (or False for a delete), never an exception.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from corridor.errors import StoreError
from corridor.store.database import Store
from corridor.store.records import SavedScenario, SavedShipment
from corridor.store.tables import ScenarioRow, ShipmentRow

_UNSET: Any = object()


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


def _failed(store: Store, exc: SQLAlchemyError) -> StoreError:
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return StoreError(f"database {store.url}: {reason}")


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
    try:
        with store.sessions.begin() as session:
            session.add(row)
            session.flush()
            return _shipment(row)
    except SQLAlchemyError as exc:
        raise _failed(store, exc) from exc


def list_shipments(store: Store, *, limit: int = 100, offset: int = 0) -> list[SavedShipment]:
    """Saved shipments, newest first."""
    statement = (
        select(ShipmentRow)
        .order_by(ShipmentRow.created_at.desc(), ShipmentRow.id.desc())
        .limit(limit)
        .offset(offset)
    )
    try:
        with store.sessions() as session:
            return [_shipment(row) for row in session.scalars(statement)]
    except SQLAlchemyError as exc:
        raise _failed(store, exc) from exc


def get_shipment(store: Store, shipment_id: int) -> SavedShipment | None:
    """The shipment with this id, or None."""
    try:
        with store.sessions() as session:
            row = session.get(ShipmentRow, shipment_id)
            return None if row is None else _shipment(row)
    except SQLAlchemyError as exc:
        raise _failed(store, exc) from exc


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
    try:
        with store.sessions.begin() as session:
            row = session.get(ShipmentRow, shipment_id)
            if row is None:
                return None
            for key, value in changes.items():
                if value is not _UNSET:
                    setattr(row, key, value)
            row.updated_at = _now()
            session.flush()
            return _shipment(row)
    except SQLAlchemyError as exc:
        raise _failed(store, exc) from exc


def delete_shipment(store: Store, shipment_id: int) -> bool:
    """Delete a shipment; False when there was none with this id."""
    try:
        with store.sessions.begin() as session:
            row = session.get(ShipmentRow, shipment_id)
            if row is None:
                return False
            session.delete(row)
            return True
    except SQLAlchemyError as exc:
        raise _failed(store, exc) from exc


# --- scenarios ----------------------------------------------------------------------------------


def create_scenario(store: Store, *, name: str, text: str) -> SavedScenario:
    """Save a new scenario (TOML text, kept verbatim)."""
    now = _now()
    row = ScenarioRow(name=name, text=text, created_at=now, updated_at=now)
    try:
        with store.sessions.begin() as session:
            session.add(row)
            session.flush()
            return _scenario(row)
    except SQLAlchemyError as exc:
        raise _failed(store, exc) from exc


def list_scenarios(store: Store, *, limit: int = 100, offset: int = 0) -> list[SavedScenario]:
    """Saved scenarios, newest first."""
    statement = (
        select(ScenarioRow)
        .order_by(ScenarioRow.created_at.desc(), ScenarioRow.id.desc())
        .limit(limit)
        .offset(offset)
    )
    try:
        with store.sessions() as session:
            return [_scenario(row) for row in session.scalars(statement)]
    except SQLAlchemyError as exc:
        raise _failed(store, exc) from exc


def get_scenario(store: Store, scenario_id: int) -> SavedScenario | None:
    """The scenario with this id, or None."""
    try:
        with store.sessions() as session:
            row = session.get(ScenarioRow, scenario_id)
            return None if row is None else _scenario(row)
    except SQLAlchemyError as exc:
        raise _failed(store, exc) from exc


def update_scenario(
    store: Store, scenario_id: int, *, name: str = _UNSET, text: str = _UNSET
) -> SavedScenario | None:
    """Change a scenario's name and/or text; None when the id does not exist."""
    try:
        with store.sessions.begin() as session:
            row = session.get(ScenarioRow, scenario_id)
            if row is None:
                return None
            if name is not _UNSET:
                row.name = name
            if text is not _UNSET:
                row.text = text
            row.updated_at = _now()
            session.flush()
            return _scenario(row)
    except SQLAlchemyError as exc:
        raise _failed(store, exc) from exc


def delete_scenario(store: Store, scenario_id: int) -> bool:
    """Delete a scenario; False when there was none with this id."""
    try:
        with store.sessions.begin() as session:
            row = session.get(ScenarioRow, scenario_id)
            if row is None:
                return False
            session.delete(row)
            return True
    except SQLAlchemyError as exc:
        raise _failed(store, exc) from exc
