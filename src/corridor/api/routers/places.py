"""GET /api/places: find nodes by name, alias or id (fuzzy)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from corridor.api.context import ApiContext, get_context
from corridor.api.routers import GUARDED, problems
from corridor.api.schemas import PlaceOut
from corridor.network.places import find_places

router = APIRouter(prefix="/api", tags=["network"])


@router.get("/places", response_model=list[PlaceOut], responses=problems(*GUARDED, 422))
async def places(
    context: Annotated[ApiContext, Depends(get_context)],
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name, alias or id.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[dict[str, Any]]:
    """Places matching `q`, best first (case-, accent- and typo-tolerant)."""
    return [
        {
            "node_id": m.node.node_id,
            "name": m.node.name,
            "country": m.node.country,
            "kind": m.node.kind,
            "score": round(m.score, 1),
        }
        for m in find_places(context.network, q, limit=limit)
    ]
