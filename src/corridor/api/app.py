"""The FastAPI application: `create_app(settings)` wires the network, database, routers and guards."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from corridor import __version__
from corridor.api import problems
from corridor.api.collector import collect_cycles
from corridor.api.context import ApiContext
from corridor.api.guards import BodyLimit, HostGuard, TokenGuard
from corridor.api.jobs import JobRunner
from corridor.api.planning import RoutePlanner
from corridor.api.routers import (
    docs,
    health,
    jobs,
    network,
    places,
    routes,
    scenarios,
    shipments,
    web,
)
from corridor.api.settings import Settings
from corridor.errors import CorridorError, StoreError
from corridor.network.geojson import network_geojson
from corridor.network.loader import load_network
from corridor.store.database import open_store

DESCRIPTION = """Plan freight routes across the China–Kazakhstan–Caspian–Europe network, find
places, fetch the network as GeoJSON, and keep shipments and scenarios in a database.

Every error is an RFC 9457 problem (`application/problem+json`) whose `field` names the request
field at fault. Off loopback, /api requests (but /api/health) need `Authorization: Bearer <token>`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready application: the network loaded, the database migrated, every route mounted.

    Raises NetworkValidationError for a bad network and StoreError for an unusable database,
    before any request is served.
    """
    settings = settings or Settings()
    net = load_network(settings.network_path)
    store = open_store(settings.db_url)
    context = ApiContext(
        settings=settings,
        network=net,
        store=store,
        planner=RoutePlanner(net, settings),
        jobs=JobRunner(
            threads=settings.job_threads,
            keep=settings.max_jobs,
            keep_bytes=settings.job_results_bytes,
            max_active=settings.max_active_jobs,
            per_client=settings.max_jobs_per_client,
        ),
        network_geojson=json.dumps(network_geojson(net), ensure_ascii=False).encode(),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        collector = None
        if settings.gc_interval_s:
            collector = asyncio.create_task(collect_cycles(settings.gc_interval_s))
        yield
        if collector is not None:
            collector.cancel()
        context.planner.shutdown()
        context.jobs.shutdown()
        store.close()

    app = FastAPI(
        title="corridor",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # Swagger UI from vendored assets: routers/docs.py (works offline)
        redoc_url=None,
    )
    app.state.context = context
    app.add_exception_handler(RequestValidationError, problems.validation_handler)
    app.add_exception_handler(StarletteHTTPException, problems.http_handler)
    app.add_exception_handler(problems.ApiProblem, problems.problem_handler)
    app.add_exception_handler(StoreError, problems.store_handler)
    app.add_exception_handler(CorridorError, problems.corridor_handler)
    app.add_exception_handler(Exception, problems.unexpected_handler)
    for module in (health, places, network, routes, shipments, scenarios, jobs, web, docs):
        app.include_router(module.router)
    if settings.static_dir.is_dir():
        app.mount("/static", StaticFiles(directory=settings.static_dir), name="static")
    # outermost first: the token is checked before a byte of the body is read
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.token is not None:
        app.add_middleware(TokenGuard, token=settings.token)
    if settings.hosts():
        app.add_middleware(HostGuard, hosts=settings.hosts())
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, with error bodies as application/problem+json and the token scheme."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status[:1] in ("4", "5") and "application/json" in content:
                    content[problems.MEDIA_TYPE] = content.pop("application/json")
    context: ApiContext = app.state.context
    if context.settings.token is not None:
        components = schema.setdefault("components", {})
        components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        for path, item in schema.get("paths", {}).items():
            if path.startswith("/api/") and path != "/api/health":
                for operation in item.values():
                    operation["security"] = [{"bearer": []}]
    app.openapi_schema = schema
    return schema
