"""What a running server holds: its settings, network, database, planner and jobs."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from corridor.api.jobs import JobRunner
from corridor.api.planning import RoutePlanner
from corridor.api.settings import Settings
from corridor.network.model import Network
from corridor.store.database import Store


@dataclass(frozen=True)
class ApiContext:
    """The server's shared, thread-safe services; one per application."""

    settings: Settings
    network: Network
    store: Store
    planner: RoutePlanner
    jobs: JobRunner
    network_geojson: bytes  # serialized once: the network never changes

    @property
    def network_label(self) -> str:
        return f"{self.network.name} {self.network.version}"


async def get_context(request: Request) -> ApiContext:
    """FastAPI dependency: the application's context (async: no worker thread per request)."""
    context: ApiContext = request.app.state.context
    return context
