"""`assess`: simulate every route of a plan and fill in its P50, P90, P95 and on-time probability."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from corridor.errors import QueryError
from corridor.network.model import Network
from corridor.reliability.montecarlo import TransitDistribution, simulate
from corridor.routing.result import PlanResult
from corridor.routing.weights import LINE_HAUL_P90_RATIO


@dataclass(frozen=True, eq=False)
class Assessment:
    """A plan with reliability figures on its routes, and each route's simulated distribution."""

    result: PlanResult
    distributions: tuple[TransitDistribution, ...]  # one per route, in the result's order
    deadline: datetime | None

    @property
    def deadline_hours(self) -> float | None:
        """The deadline in hours from the plan's departure, if one was given."""
        if self.deadline is None:
            return None
        return (self.deadline - self.result.depart).total_seconds() / 3600.0


def assess(
    network: Network,
    result: PlanResult,
    *,
    samples: int = 10_000,
    seed: int = 0,
    deadline: datetime | None = None,
    line_haul: Mapping[str, float] = LINE_HAUL_P90_RATIO,
) -> Assessment:
    """Simulate each route with the same seed (common random numbers, fair comparisons).

    `deadline` is a UTC datetime (naive means UTC); with it each route gets the probability
    of arriving by then. Raises `QueryError` for a deadline not after the departure.
    """
    if deadline is not None:
        deadline = deadline.replace(tzinfo=UTC) if deadline.tzinfo is None else deadline
        if deadline <= result.depart:
            raise QueryError(
                "deadline",
                f"expected a time after the departure {result.depart:%Y-%m-%d %H:%M} UTC, "
                f"got {deadline:%Y-%m-%d %H:%M} UTC",
            )
    distributions = tuple(
        simulate(network, r, samples=samples, seed=seed, line_haul=line_haul) for r in result.routes
    )
    assessment = Assessment(result, distributions, deadline)
    limit = assessment.deadline_hours
    routes = tuple(
        replace(
            r,
            p50_hours=d.p50,
            p90_hours=d.p90,
            p95_hours=d.p95,
            on_time_probability=None if limit is None else d.on_time_probability(limit),
        )
        for r, d in zip(result.routes, distributions, strict=True)
    )
    return replace(assessment, result=replace(result, routes=routes))
