"""Baseline against scenario over an OD set: per OD, what changes and which routes come and go.

Each OD is planned on both networks with the same departure and cargo. Its headline figures
come from exact single-criterion optima on each side (`corridor.scenarios.optima`: one search
per criterion, no thinning, no ε): the fastest route's days, the cheapest cost, the lowest CO2e,
and the best P90. The P90 (Monte Carlo, `corridor.reliability`, one seed for every route) is the
least P90 over the candidate routes of both sides (each side's fastest and its robust-P90
optimum) that exist on that side's network; so a closure, which removes routes and changes none,
never shows as an improvement on any headline figure.

Routes are matched by identity: a route on both sides is `same` only when it uses the same links,
crossings and transfers in the same order. A baseline route without one is `rerouted` to the best
scenario route of its family (same modes and countries; a sea lane round the Cape instead of
through Suez), found by a search of its own when the planner did not offer it; else it
`vanished`. New routes `appeared`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal

from corridor.batch.executor import ProgressCallback, map_tasks
from corridor.batch.spec import NetworkSpec
from corridor.errors import CorridorError, NoRouteError, QueryError
from corridor.network.model import Network
from corridor.network.records import MODES
from corridor.routing.clock import today_utc
from corridor.routing.odset import ODPair
from corridor.routing.planner import plan
from corridor.routing.query import Cargo, Constraints, Query
from corridor.routing.result import Route
from corridor.scenarios.apply import apply_scenario
from corridor.scenarios.model import Scenario
from corridor.scenarios.optima import searches_for

Status = Literal["same", "rerouted", "vanished", "appeared"]
HOURS_PER_DAY = 24.0


@dataclass(frozen=True)
class Settings:
    """What every OD's query shares, and the Monte Carlo draw for P90 (0 samples: no P90)."""

    depart: datetime
    cargo: Cargo = field(default_factory=Cargo)
    alternatives: int = 3
    samples: int = 2000
    seed: int = 0


@dataclass(frozen=True)
class RouteFigures:
    """One planned route, reduced to what a comparison shows."""

    corridor: tuple[str, ...]
    via: tuple[str, ...]  # the corridor's elements by name ("Alashankou–Dostyk", "suez")
    modes: tuple[str, ...]
    countries: tuple[str, ...]
    pareto: bool
    days: float
    p90_days: float | None
    cost_usd: float
    co2e_kg: float
    distance_km: float
    path: tuple[str, ...] = ()  # link, crossing and transfer ids in order: the route's identity

    @property
    def key(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (self.path, self.modes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "corridor": list(self.corridor),
            "via": list(self.via),
            "modes": list(self.modes),
            "countries": list(self.countries),
            "pareto": self.pareto,
            "days": round(self.days, 3),
            "p90_days": None if self.p90_days is None else round(self.p90_days, 3),
            "cost_usd": round(self.cost_usd, 2),
            "co2e_kg": round(self.co2e_kg, 2),
            "distance_km": round(self.distance_km, 1),
        }


@dataclass(frozen=True)
class Outcome:
    """One side (baseline or scenario) of one OD: its routes, or why it has none."""

    routes: tuple[RouteFigures, ...]
    fastest: RouteFigures | None = None  # exact bests, from single-criterion searches
    cheapest: RouteFigures | None = None
    cleanest: RouteFigures | None = None
    error: str | None = None
    p90_days: float | None = None  # the least P90 of the candidates (see the module docstring)
    candidates: tuple[Route, ...] = field(default=(), repr=False, compare=False)

    def headline(self) -> dict[str, float | None]:
        fastest, cheapest, cleanest = self.fastest, self.cheapest, self.cleanest
        return {
            "days": None if fastest is None else fastest.days,
            "p90_days": self.p90_days,
            "cost_usd": None if cheapest is None else cheapest.cost_usd,
            "co2e_kg": None if cleanest is None else cleanest.co2e_kg,
        }

    def to_dict(self) -> dict[str, Any]:
        cheapest = self.cheapest
        return {
            **{k: _rounded(v) for k, v in self.headline().items()},
            "cheapest_modes": None if cheapest is None else list(cheapest.modes),
            "routes": len(self.routes),
            "error": self.error,
        }


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _delta(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else after - before


@dataclass(frozen=True)
class RouteChange:
    """A route of the baseline, the scenario, or both, and how it changed."""

    status: Status
    before: RouteFigures | None
    after: RouteFigures | None

    @property
    def modes(self) -> tuple[str, ...]:
        side = self.after or self.before
        assert side is not None
        return side.modes

    def delta(self) -> dict[str, float | None]:
        b, a = self.before, self.after
        if a is None or b is None:
            return {"days": None, "p90_days": None, "cost_usd": None, "co2e_kg": None}
        return {
            "days": a.days - b.days,
            "p90_days": _delta(a.p90_days, b.p90_days),
            "cost_usd": a.cost_usd - b.cost_usd,
            "co2e_kg": a.co2e_kg - b.co2e_kg,
        }

    def changed(self, *, days: float = 0.05, cost: float = 1.0, co2e: float = 1.0) -> bool:
        """Anything beyond rounding: a status other than same, a new Pareto flag, a delta."""
        if self.status != "same":
            return True
        assert self.before is not None and self.after is not None
        d = self.delta()
        return (
            self.before.pareto != self.after.pareto
            or abs(d["days"] or 0.0) >= days
            or abs(d["p90_days"] or 0.0) >= days
            or abs(d["cost_usd"] or 0.0) >= cost
            or abs(d["co2e_kg"] or 0.0) >= co2e
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "modes": list(self.modes),
            "before": None if self.before is None else self.before.to_dict(),
            "after": None if self.after is None else self.after.to_dict(),
            "delta": {k: _rounded(v) for k, v in self.delta().items()},
        }


@dataclass(frozen=True)
class ODComparison:
    """One OD pair in baseline and scenario."""

    pair: ODPair
    before: Outcome
    after: Outcome
    routes: tuple[RouteChange, ...]

    def delta(self) -> dict[str, float | None]:
        b, a = self.before.headline(), self.after.headline()
        return {k: _delta(a[k], b[k]) for k in b}

    @property
    def cut(self) -> bool:
        """The baseline had a route and the scenario has none."""
        return bool(self.before.routes) and not self.after.routes

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.pair.origin,
            "destination": self.pair.destination,
            "commodity": self.pair.commodity,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "delta": {k: _rounded(v) for k, v in self.delta().items()},
            "cut": self.cut,
            "routes": [r.to_dict() for r in self.routes],
        }


@dataclass(frozen=True)
class Comparison:
    """Every OD of the set, in the set's order."""

    scenario: str
    description: str
    network: str
    settings: Settings
    ods: tuple[ODComparison, ...]

    def to_dict(self) -> dict[str, Any]:
        s = self.settings
        return {
            "scenario": self.scenario,
            "description": self.description,
            "network": self.network,
            "depart": s.depart.isoformat().replace("+00:00", "Z"),
            "containers": s.cargo.containers,
            "size_ft": s.cargo.size_ft,
            "samples": s.samples,
            "ods": [od.to_dict() for od in self.ods],
        }


# -- planning one side -------------------------------------------------------------------------


def figures(network: Network, route: Route, settings: Settings) -> RouteFigures:
    p90: float | None = None
    if settings.samples > 0:
        from corridor.reliability.montecarlo import simulate

        dist = simulate(network, route, samples=settings.samples, seed=settings.seed)
        p90 = dist.p90 / HOURS_PER_DAY
    names = {c.crossing_id: c.name for c in network.crossings}
    return RouteFigures(
        corridor=route.corridor,
        via=tuple(
            names.get(c, c.removeprefix("passage:").replace("_", " ")) for c in route.corridor
        ),
        modes=route.modes,
        countries=route.countries,
        pareto=route.pareto,
        days=route.transit_days,
        p90_days=p90,
        cost_usd=route.cost_usd,
        co2e_kg=route.co2e_kg,
        distance_km=route.distance_km,
        path=tuple(leg.ref for leg in route.legs if leg.kind != "wait"),
    )


def outcome(network: Network, pair: ODPair, settings: Settings) -> Outcome:
    """The routes of one OD on one network; a closed end or no route is an error, not a raise."""
    for end in (pair.origin, pair.destination):
        if end not in network.node_index:
            return Outcome((), error=f"{end} is closed")
    query = Query(
        origin=pair.origin,
        destination=pair.destination,
        depart=settings.depart,
        cargo=settings.cargo,
        commodity=pair.commodity,
        alternatives=settings.alternatives,
    )
    try:
        result = plan(network, query)
    except NoRouteError as exc:
        return Outcome((), error=str(exc))
    routes = tuple(figures(network, r, settings) for r in result.routes)
    listed = {f.key: f for f in routes}
    search = searches_for(network).od(
        pair.origin, pair.destination, pair.commodity, settings.cargo, settings.depart
    )
    assert search is not None  # both ends are in the network (checked above)
    no_p90 = replace(settings, samples=0)

    def best(criterion: str) -> tuple[RouteFigures, Route]:
        # exact: the thinned Pareto set may miss a criterion's optimum by a few percent
        exact = search.best_route(criterion)
        assert exact is not None  # the planner found a route, so every criterion has one
        quick = figures(network, exact, no_p90)
        found = listed.get(quick.key)
        same = found is not None and (found.days, found.cost_usd, found.co2e_kg) == (
            quick.days,
            quick.cost_usd,
            quick.co2e_kg,
        )
        if found is not None and same:
            return replace(found, pareto=quick.pareto), exact
        return (figures(network, exact, settings) if criterion == "time" else quick), exact

    (fastest, quickest), (cheapest, _), (cleanest, _) = (best(c) for c in ("time", "cost", "co2e"))
    candidates: tuple[Route, ...] = (quickest,)
    if settings.samples > 0:
        robust = search.best_route("p90")
        if robust is not None:
            candidates += (robust,)
    return Outcome(
        routes,
        fastest,
        cheapest,
        cleanest,
        p90_days=_least_p90(network, candidates, settings),
        candidates=candidates,
    )


def _least_p90(network: Network, routes: Sequence[Route], settings: Settings) -> float | None:
    """The least Monte Carlo P90 (days, one seed for all) of the routes that exist on `network`."""
    if settings.samples <= 0:
        return None
    from corridor.reliability.montecarlo import simulate

    found: list[float] = []
    for route in routes:
        try:
            dist = simulate(network, route, samples=settings.samples, seed=settings.seed)
        except CorridorError:  # a leg of the route is not in this network (closed away)
            continue
        found.append(dist.p90 / HOURS_PER_DAY)
    return min(found) if found else None


def _shared_p90(
    baseline: Network, scenario: Network, before: Outcome, after: Outcome, settings: Settings
) -> tuple[Outcome, Outcome]:
    """Both sides' P90 over the candidates of both sides that exist on each side's network."""
    if settings.samples <= 0 or not (before.candidates or after.candidates):
        return before, after
    both = before.candidates + after.candidates
    sides = []
    for network, side in ((baseline, before), (scenario, after)):
        sides.append(side if not side.candidates else replace(
            side, p90_days=_least_p90(network, both, settings)
        ))  # fmt: skip
    return sides[0], sides[1]


def _overlap(a: RouteFigures, b: RouteFigures) -> int:
    return len(set(a.corridor) & set(b.corridor))


def _family(r: RouteFigures) -> tuple[frozenset[str], frozenset[str]]:
    return (frozenset(r.modes), frozenset(r.countries))


def match_routes(
    before: Sequence[RouteFigures],
    after: Sequence[RouteFigures],
    counterpart: Callable[[RouteFigures], RouteFigures | None] | None = None,
) -> tuple[RouteChange, ...]:
    """Pair baseline routes with scenario routes.

    Same identity is `same`. A baseline route left over pairs (`rerouted`) with a left-over
    scenario route of its family (same modes and countries), most shared corridor elements
    first; failing that with `counterpart(route)`, the best scenario route of its family even
    if the planner did not offer it (a Suez lane's Cape twin, dominated by rail); failing that
    it `vanished`. Scenario routes left over `appeared`. Order: the baseline's, then new ones.
    """
    # Several routes can share corridor and modes (road vs rail into the same city): among
    # those, a baseline route pairs with the one of nearest distance, its physical twin.
    left = list(after)
    changes: dict[int, RouteChange] = {}
    for i, b in enumerate(before):
        same = [a for a in left if a.key == b.key]
        if same:
            nearest = min(same, key=lambda a: abs(a.distance_km - b.distance_km))
            left.remove(nearest)
            changes[i] = RouteChange("same", b, nearest)
    for i, b in enumerate(before):
        if i in changes:
            continue
        kin = [a for a in left if _family(a) == _family(b)]
        twin = max(kin, key=lambda a: _overlap(a, b)) if kin else None
        if twin is None and counterpart is not None:
            twin = counterpart(b)
            if twin is not None and twin.key in {a.key for a in left}:
                twin = next(a for a in left if a.key == twin.key)
        if twin is None:
            changes[i] = RouteChange("vanished", b, None)
            continue
        if twin in left:
            left.remove(twin)
        changes[i] = RouteChange("rerouted", b, twin)
    return tuple(changes[i] for i in range(len(before))) + tuple(
        RouteChange("appeared", None, a) for a in left
    )


def family_route(
    network: Network, pair: ODPair, route: RouteFigures, settings: Settings
) -> RouteFigures | None:
    """The best route on `network` through the countries of `route` by its modes only: its
    family's best (fewest days, then cost), whether or not another family dominates it."""
    if pair.origin not in network.node_index or pair.destination not in network.node_index:
        return None
    avoid_countries = set(network.countries) - set(route.countries)
    avoid_modes = set(MODES) - set(route.modes)
    try:
        result = plan(
            network,
            Query(
                origin=pair.origin,
                destination=pair.destination,
                depart=settings.depart,
                cargo=settings.cargo,
                commodity=pair.commodity,
                constraints=Constraints(avoid_countries=avoid_countries, avoid_modes=avoid_modes),
                alternatives=0,
            ),
        )
    except (NoRouteError, QueryError):
        return None
    same = [r for r in result.routes if frozenset(r.modes) == frozenset(route.modes)]
    if not same:
        return None
    best = min(same, key=lambda r: (r.transit_hours, r.cost_usd))
    return replace(figures(network, best, settings), pareto=False)


def compare_od(
    baseline: Network, scenario: Network, pair: ODPair, settings: Settings
) -> ODComparison:
    before, after = _shared_p90(
        baseline,
        scenario,
        outcome(baseline, pair, settings),
        outcome(scenario, pair, settings),
        settings,
    )

    def counterpart(route: RouteFigures) -> RouteFigures | None:
        return family_route(scenario, pair, route, settings)

    return ODComparison(pair, before, after, match_routes(before.routes, after.routes, counterpart))


# -- many ODs, here or on workers --------------------------------------------------------------


@dataclass(frozen=True)
class _Task:
    spec: NetworkSpec
    scenario: Scenario
    pair: ODPair
    settings: Settings


def _scenario_network(spec: NetworkSpec, scenario: Scenario) -> Network:
    """`scenario` applied to the network `spec` opens now.

    The cache is keyed by the opened network object itself, which `NetworkSpec.open` builds
    anew when any file of the package or of its scenarios changes (modification time or size):
    a long-lived worker never serves a scenario network built from files since edited.
    """
    return _applied(spec.open(), scenario)


@lru_cache(maxsize=4)
def _applied(base: Network, scenario: Scenario) -> Network:
    return apply_scenario(base, scenario)


def _run_task(task: _Task) -> ODComparison:
    return compare_od(
        task.spec.open(), _scenario_network(task.spec, task.scenario), task.pair, task.settings
    )


def compare(
    baseline: Network,
    scenario: Scenario,
    pairs: Sequence[ODPair],
    *,
    depart: datetime | None = None,
    cargo: Cargo | None = None,
    alternatives: int = 3,
    samples: int = 2000,
    seed: int = 0,
    workers: int = 1,
    scheduler: Any = None,
    spec: NetworkSpec | None = None,
    progress: bool = True,
    on_progress: ProgressCallback | None = None,
) -> Comparison:
    """Plan every OD on `baseline` and on `baseline` with `scenario` applied, and compare.

    `depart` defaults to today 00:00 UTC. With `workers > 1` or a Dask `scheduler`, ODs are
    planned elsewhere and `spec` must say how to open `baseline` there (its package path).
    """
    moment = depart or today_utc()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    settings = Settings(moment, cargo or Cargo(), alternatives, samples, seed)
    description = f"comparing {scenario.name}"
    if workers == 1 and scheduler is None:
        changed = apply_scenario(baseline, scenario)
        ods = map_tasks(
            _Local(baseline, changed, settings),
            list(pairs),
            description=description,
            progress=progress,
            on_progress=on_progress,
        )
    else:
        if spec is None:
            raise CorridorError("compare: workers or a scheduler need the network's spec (path)")
        apply_scenario(baseline, scenario)  # fail here, not on every worker
        tasks = [_Task(spec, scenario, p, settings) for p in pairs]
        ods = map_tasks(
            _run_task,
            tasks,
            workers=workers,
            scheduler=scheduler,
            description=description,
            progress=progress,
            on_progress=on_progress,
        )
    return Comparison(
        scenario=scenario.name,
        description=scenario.description,
        network=f"{baseline.name} {baseline.version}",
        settings=settings,
        ods=tuple(ods),
    )


@dataclass(frozen=True, eq=False)
class _Local:
    """Compare one OD on networks held in this process (no pickling needed)."""

    baseline: Network
    scenario: Network
    settings: Settings

    def __call__(self, pair: ODPair) -> ODComparison:
        return compare_od(self.baseline, self.scenario, pair, self.settings)


__all__ = [
    "Comparison",
    "ODComparison",
    "Outcome",
    "RouteChange",
    "RouteFigures",
    "Settings",
    "compare",
    "compare_od",
    "match_routes",
    "outcome",
]
