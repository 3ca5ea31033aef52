"""GET /api/network: the network's nodes and links as GeoJSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from corridor.api.context import ApiContext, get_context
from corridor.api.routers import GUARDED, problems
from corridor.api.schemas import FeatureCollection

router = APIRouter(prefix="/api", tags=["network"])


@router.get(
    "/network",
    response_model=None,
    responses={200: {"model": FeatureCollection}, **problems(*GUARDED)},
)
async def network(context: Annotated[ApiContext, Depends(get_context)]) -> Response:
    """Nodes as points and links as lines, with their attributes (for a map)."""
    return Response(context.network_geojson, media_type="application/json")
