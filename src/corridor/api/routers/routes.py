"""POST /api/routes: plan a shipment; the CLI's JSON plus GeoJSON of the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from corridor.api.context import ApiContext, get_context
from corridor.api.problems import ApiProblem
from corridor.api.routers import GUARDED, problems
from corridor.api.schemas import PlanOut, RouteRequest

router = APIRouter(prefix="/api", tags=["routes"])


@router.post(
    "/routes",
    response_model=None,
    responses={200: {"model": PlanOut}, **problems(*GUARDED, 400, 422, 503)},
)
async def routes(
    body: RouteRequest, context: Annotated[ApiContext, Depends(get_context)]
) -> Response:
    """The Pareto routes over the criteria, fastest first, then corridor alternatives.

    A place that matches nothing or several nodes, or a constraint that removes every route,
    is a 422 problem naming the field; a query over the time budget is a 503 problem.
    """
    if body.alternatives > context.settings.max_alternatives:
        limit = context.settings.max_alternatives
        raise ApiProblem(
            422,
            "invalid-field",
            "Invalid request field",
            f"alternatives: this server gives at most {limit}, got {body.alternatives}",
            field="alternatives",
        )
    content = await context.planner.plan_json(body)
    return Response(content, media_type="application/json")
