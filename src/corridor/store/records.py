"""What the store hands out: plain frozen dataclasses, detached from any database session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SavedShipment:
    """A shipment as stored: `query` is the route request, `route` the chosen route's JSON."""

    id: int
    name: str
    query: dict[str, Any]
    route_index: int
    route: dict[str, Any]
    network: str
    created_at: datetime
    updated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "query": self.query,
            "route_index": self.route_index,
            "route": self.route,
            "network": self.network,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
        }


@dataclass(frozen=True)
class SavedScenario:
    """A scenario as stored: its name and TOML text."""

    id: int
    name: str
    text: str
    created_at: datetime
    updated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "text": self.text,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
        }


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
