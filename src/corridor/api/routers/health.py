"""GET /api/health: the server is up, and which network it plans on."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from corridor.api.context import ApiContext, get_context
from corridor.api.routers import problems
from corridor.api.schemas import Health

router = APIRouter(prefix="/api", tags=["server"])


@router.get("/health", response_model=Health, responses=problems(413))
async def health(context: Annotated[ApiContext, Depends(get_context)]) -> dict[str, Any]:
    """Liveness, and the name and version of the network this server plans on."""
    return {"status": "ok", "network": context.network_label}
