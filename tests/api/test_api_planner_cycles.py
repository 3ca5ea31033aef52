"""A failed route query leaves no reference cycle behind: its search's frames, graphs and arrays
are freed by reference counting, not held until a full garbage collection (docs/soak.md)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest

from corridor.api.planning import RoutePlanner
from corridor.api.problems import ApiProblem
from corridor.api.schemas import RouteRequest
from corridor.api.settings import Settings
from corridor.network.loader import load_network

NO_ROUTE = {"origin": "Almaty", "destination": "Duisburg", "avoid_modes": ["rail", "road", "sea"]}


@pytest.fixture(scope="module")
def planner() -> Iterator[RoutePlanner]:
    running = RoutePlanner(load_network(None), Settings(result_cache_size=0))
    yield running
    running.shutdown()


def _ask(planner: RoutePlanner, body: dict[str, object]) -> ApiProblem:
    async def ask() -> ApiProblem:
        try:
            await planner.plan_json(RouteRequest.model_validate(body))
        except ApiProblem as problem:
            return problem
        raise AssertionError("the query was answered; it should have found no route")

    return asyncio.run(ask())


def _status(planner: RoutePlanner, body: dict[str, object]) -> int:
    """The answer's status, keeping nothing of the problem (as a server that has answered)."""
    return _ask(planner, body).status


def _garbage_after(action: object) -> list[object]:
    """What only the cycle collector could free of what `action()` left behind."""
    gc.collect()
    gc.disable()
    try:
        action()  # type: ignore[operator]
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    return found


def test_a_query_without_a_route_answers_422_and_leaves_no_cycle(planner: RoutePlanner) -> None:
    statuses: list[int] = []
    garbage = _garbage_after(lambda: statuses.extend(_status(planner, NO_ROUTE) for _ in range(3)))
    assert statuses == [422, 422, 422]
    kinds = {type(item).__name__ for item in garbage}
    assert not kinds & {"frame", "traceback", "Future", "CSRGraph", "NoRouteError"}, kinds


def test_the_problem_still_says_why_there_is_no_route(planner: RoutePlanner) -> None:
    problem = _ask(planner, NO_ROUTE)
    assert (problem.status, problem.kind) == (422, "no-route")
    assert "Almaty" in problem.detail or "Duisburg" in problem.detail, problem.detail
