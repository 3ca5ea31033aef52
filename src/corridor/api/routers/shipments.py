"""/api/shipments: saved shipments (the query, the chosen route, the network it was planned on)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response

from corridor.api.context import ApiContext, get_context
from corridor.api.problems import from_corridor_error
from corridor.api.routers import GUARDED, problems
from corridor.api.routers.crud import Limit, Offset, deleted, found, listed, refuse_nulls
from corridor.api.schemas import RouteRequest, ShipmentIn, ShipmentOut, ShipmentPatch
from corridor.errors import CorridorError, QueryError
from corridor.network.model import Network
from corridor.network.places import resolve_place
from corridor.store import repository

router = APIRouter(prefix="/api/shipments", tags=["shipments"])
Context = Annotated[ApiContext, Depends(get_context)]
ShipmentId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The shipment's id.")]


def _check_query(query: RouteRequest, network: Network) -> dict[str, Any]:
    """The query as stored (defaults filled in). One the planner would refuse outright (a bad
    field, an unknown commodity or place) is a 422; whether a route exists is not checked."""
    try:
        planned = query.to_query()
        if planned.commodity not in network.commodity_index:
            known = ", ".join(c.commodity for c in network.commodities)
            raise QueryError("commodity", f"expected one of {known}, got {planned.commodity!r}")
        resolve_place(network, planned.origin)
        resolve_place(network, planned.destination)
    except CorridorError as exc:
        raise from_corridor_error(exc, prefix="query.", places=query.places()) from None
    return query.model_dump(mode="json")


@router.post(
    "",
    status_code=201,
    response_model=ShipmentOut,
    responses=problems(*GUARDED, 400, 422, 503),
)
def create_shipment(body: ShipmentIn, context: Context) -> dict[str, Any]:
    """Save a shipment: the route request, the chosen route and its index in the answer."""
    saved = repository.create_shipment(
        context.store,
        name=body.name,
        query=_check_query(body.query, context.network),
        route_index=body.route_index,
        route=body.route,
        network=context.network_label,
    )
    return saved.to_dict()


@router.get("", response_model=list[ShipmentOut], responses=problems(*GUARDED, 422, 503))
def list_shipments(
    context: Context,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Saved shipments, newest first."""
    return listed(repository.list_shipments(context.store, limit=limit, offset=offset))


@router.get(
    "/{shipment_id}", response_model=ShipmentOut, responses=problems(*GUARDED, 404, 422, 503)
)
def get_shipment(shipment_id: ShipmentId, context: Context) -> dict[str, Any]:
    """One saved shipment."""
    return found(repository.get_shipment(context.store, shipment_id), "shipment", shipment_id)


@router.put(
    "/{shipment_id}",
    response_model=ShipmentOut,
    responses=problems(*GUARDED, 400, 404, 422, 503),
)
def update_shipment(
    shipment_id: ShipmentId, body: ShipmentPatch, context: Context
) -> dict[str, Any]:
    """Change a saved shipment; fields left out stay. A new query records today's network."""
    changes: dict[str, Any] = body.model_dump(exclude_unset=True, exclude={"query"})
    refuse_nulls(changes)
    if body.query is not None:
        changes["query"] = _check_query(body.query, context.network)
        changes["network"] = context.network_label
    saved = repository.update_shipment(context.store, shipment_id, **changes)
    return found(saved, "shipment", shipment_id)


@router.delete("/{shipment_id}", status_code=204, responses=problems(*GUARDED, 404, 422, 503))
def delete_shipment(shipment_id: ShipmentId, context: Context) -> Response:
    """Delete a saved shipment."""
    return deleted(repository.delete_shipment(context.store, shipment_id), "shipment", shipment_id)
