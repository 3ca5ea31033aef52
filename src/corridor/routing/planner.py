"""`plan`: resolve a query, run the Pareto engine, add corridor alternatives, explain no route."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from corridor.errors import CorridorError, NoRouteError, QueryError, SearchBudgetError
from corridor.network.model import Network
from corridor.network.places import resolve_place
from corridor.routing.alternatives import corridor_candidates
from corridor.routing.clock import to_datetime, to_hours
from corridor.routing.legs import route_from_path
from corridor.routing.pareto import (
    CRITERION_INDEX,
    LabelPath,
    SearchStats,
    dominators,
    pareto_paths,
    prepare,
    search,
)
from corridor.routing.query import CRITERIA, Query
from corridor.routing.result import PlanResult
from corridor.routing.weights import Exclusions, Shipment, edge_weights, shipment_of

# A route is a near-tie of a kept one when it is no more than this better on every criterion:
# (absolute, relative) slack per criterion. Half a day, 5% of the transit time and 10% of cost
# or CO2e are below what a shipper acts on; `Query(thin=False)` keeps the exact Pareto set.
NEAR_TIE: dict[str, tuple[float, float]] = {
    "time": (12.0, 0.05),
    "cost": (1.0, 0.10),
    "co2e": (0.5, 0.10),
    "p90": (12.0, 0.05),
}
EXACT: dict[str, tuple[float, float]] = {c: (1e-6, 0.0) for c in NEAR_TIE}
_TOL = 1e-6
# With eps merging, the exact checks of one plan's routes may store together this many labels
# per label of the front search, and at least CHECK_FLOOR (docs/engine.md).
CHECK_SHARE = 1.0
CHECK_FLOOR = 20_000
# With the default epsilon, the exact search runs first and gives up at this many labels per
# vertex (a few single-criterion searches; every shipped OD pair of the bundled network needs
# at most 2.04), then the eps search runs.
EXACT_FIRST = 2.5


@dataclass(frozen=True)
class _Resolved:
    origin: int
    destination: int
    shipment: Shipment
    exclude: Exclusions
    start: float


def plan(network: Network, query: Query) -> PlanResult:
    """The Pareto routes for `query` (thinned), then up to `query.alternatives` other corridors.

    Each criterion's exact optimum is always among the routes. A route marked `pareto` is
    Pareto-optimal; an alternative is dominated by the shown route `dominated_by` names.
    Raises `UnknownPlaceError`/`AmbiguousPlaceError` for places, `QueryError` for other fields,
    `NoRouteError` naming the constraint that removed the last route, and `SearchBudgetError`
    when the search outruns `query.time_limit`.
    """
    resolved = _resolve(network, query)
    graph = network.graph
    sources = graph.vertices_of_node[resolved.origin]
    targets = graph.vertices_of_node[resolved.destination]
    criteria = [CRITERION_INDEX[c] for c in query.criteria]
    max_transfers = query.constraints.max_transfers
    deadline = None if query.time_limit is None else time.monotonic() + query.time_limit
    epsilon = query.effective_epsilon()

    weights = edge_weights(
        network,
        resolved.shipment,
        resolved.exclude,
        destination_country=network.nodes[resolved.destination].country,
    )
    space = prepare(graph, weights)

    def front_search(eps: float, max_labels: int | None) -> tuple[list[LabelPath], SearchStats]:
        return search(
            space, sources, targets, resolved.start, criteria, max_transfers,
            epsilon=eps, deadline=deadline, merge=eps > 0.0, max_labels=max_labels,
        )  # fmt: skip

    front, cost, epsilon = _front(front_search, epsilon, query.epsilon is None, graph.n_vertices)
    if not front:
        raise NoRouteError(_explain_no_route(network, query, resolved))

    def boxed(path: LabelPath, max_labels: int) -> tuple[list[LabelPath], int]:
        found, stats = dominators(
            space, sources, targets, resolved.start, criteria, path, max_transfers,
            deadline=deadline, max_labels=max_labels,
        )  # fmt: skip
        return found, stats.labels

    exact_within = _Checks(boxed, max(CHECK_FLOOR, int(CHECK_SHARE * cost.labels)))

    kept = thin(front, query.criteria, NEAR_TIE if query.thin else EXACT)
    if epsilon > 0.0:
        kept = _checked(kept, extremes(front, query.criteria), query.criteria, exact_within)
    extra: list[LabelPath] = []
    if query.alternatives:
        extra = corridor_candidates(
            network, space, sources, targets, resolved.start, criteria, kept,
            query.alternatives, max_transfers, deadline,
        )  # fmt: skip
    shown, alternatives = _classify(kept, extra, front, query, exact_within if epsilon else None)
    routes = [route_from_path(network, weights, resolved.shipment, p, pareto=True) for p in shown]
    for path, by in alternatives:
        route = route_from_path(network, weights, resolved.shipment, path, pareto=False)
        routes.append(replace(route, dominated_by=by))
    return PlanResult(
        origin=network.nodes[resolved.origin].node_id,
        destination=network.nodes[resolved.destination].node_id,
        commodity=resolved.shipment.commodity,
        criteria=query.criteria,
        depart=to_datetime(resolved.start),
        tonnes=resolved.shipment.tonnes,
        network=f"{network.name} {network.version}",
        routes=tuple(routes),
    )


def _front(
    front_search: Callable[[float, int | None], tuple[list[LabelPath], SearchStats]],
    epsilon: float,
    default: bool,
    n_vertices: int,
) -> tuple[list[LabelPath], SearchStats, float]:
    """The front, what it cost and the epsilon it was found with. With the default epsilon,
    the exact search is tried first under a budget of EXACT_FIRST labels per vertex: a small
    network gets its exact front, cheaper than eps's extra searches (docs/engine.md)."""
    if default and epsilon > 0.0:
        try:
            front, cost = front_search(0.0, max(1, int(EXACT_FIRST * n_vertices)))
            return front, cost, 0.0
        except SearchBudgetError as exc:
            if exc.what != "label":
                raise
    front, cost = front_search(epsilon, None)
    return front, cost, epsilon


class _Checks:
    """The exact boxed searches (`pareto.dominators`) of one plan, under one label budget.

    Each check may store an equal share of what is left for the checks still expected; a
    check that outgrows its share answers None (not certified), and its labels are spent.
    """

    def __init__(
        self, boxed: Callable[[LabelPath, int], tuple[list[LabelPath], int]], budget: int
    ) -> None:
        self.boxed, self.left, self.pending = boxed, budget, 1

    def expect(self, count: int) -> None:
        """`count` more checks are coming: the next ones share what is left among them."""
        self.pending = max(1, count)

    def __call__(self, path: LabelPath) -> list[LabelPath] | None:
        share = self.left // self.pending
        self.pending = max(1, self.pending - 1)
        if share <= 0:
            return None
        try:
            found, spent = self.boxed(path, share)
        except SearchBudgetError as exc:
            if exc.what != "label":
                raise
            self.left -= exc.labels
            return None
        self.left -= spent
        return found


def _checked(
    kept: list[LabelPath],
    optima: list[LabelPath],
    criteria: Sequence[str],
    exact_within: _Checks,
) -> list[LabelPath]:
    """With eps merging, a kept route may be dominated: replace each such by a Pareto route
    that dominates it (the first in the criteria's order), found by a search boxed by it.
    A route whose check outgrows its budget is left out (the optima are never checked)."""
    out: list[LabelPath] = []
    exact_within.expect(sum(not any(p is o for o in optima) for p in kept))
    for path in kept:
        if not any(path is o for o in optima):
            inside = exact_within(path)
            if inside is None:
                continue
            if not any(_same(p, path, criteria) for p in inside) and inside:
                path = min(inside, key=lambda p: (*(_values(p)[c] for c in criteria), p.edges))
        if not any(_same(p, path, criteria) for p in out):
            out.append(path)
    out.sort(key=lambda p: (p.arrival, p.cost, p.co2e, p.edges))
    return out


def _classify(
    kept: list[LabelPath],
    candidates: list[LabelPath],
    front: list[LabelPath],
    query: Query,
    exact_within: _Checks | None,
) -> tuple[list[LabelPath], list[tuple[LabelPath, int]]]:
    """Shown Pareto routes (fastest first) and alternatives with the shown route beating each.

    Candidates are taken in their order, up to `query.alternatives` in all. A candidate
    dominated by a shown route is an alternative. One that is not, and that no route of the
    exact front dominates or ties, is Pareto-optimal and joins the Pareto routes; with eps
    merging (`exact_within` given) a search boxed by its figures decides instead. The rest
    are dropped: they may be dominated by a route that thinning hid (or, with eps merging,
    their check outgrew its budget).
    """
    crit = query.criteria
    pareto = list(kept)
    dominated: list[LabelPath] = []
    for i, path in enumerate(candidates):
        if len(pareto) - len(kept) + len(dominated) >= query.alternatives:
            break
        if any(_dominates(p, path, crit) for p in kept):
            dominated.append(path)
        elif exact_within is None:
            if not any(_dominates(p, path, crit) or _same(p, path, crit) for p in front):
                pareto.append(path)
        else:
            exact_within.expect(len(candidates) - i)
            inside = exact_within(path)
            if inside is not None and any(_same(p, path, crit) for p in inside):
                pareto.append(path)
    pareto.sort(key=lambda p: (p.arrival, p.cost, p.co2e, p.edges))
    out = []
    for path in dominated:
        by = next(i for i, p in enumerate(pareto) if _dominates(p, path, crit))
        out.append((path, by))
    return pareto, out


def _dominates(a: LabelPath, b: LabelPath, criteria: Sequence[str]) -> bool:
    va, vb = _values(a), _values(b)
    return all(va[c] <= vb[c] + _TOL for c in criteria) and any(
        va[c] < vb[c] - _TOL for c in criteria
    )


def _same(a: LabelPath, b: LabelPath, criteria: Sequence[str]) -> bool:
    va, vb = _values(a), _values(b)
    return all(abs(va[c] - vb[c]) <= _TOL for c in criteria)


def _resolve(network: Network, query: Query) -> _Resolved:
    origin = resolve_place(network, query.origin)
    destination = resolve_place(network, query.destination)
    if origin.node_id == destination.node_id:
        raise QueryError("destination", f"is the origin itself ({origin.node_id})")
    if query.commodity not in network.commodity_index:
        raise QueryError(
            "commodity",
            f"expected one of {', '.join(network.commodity_index)}, got {query.commodity!r}",
        )
    constraints = query.constraints
    nodes: set[int] = set()
    crossings: set[str] = set()
    known_crossings = set(network.crossing_ids) if constraints.avoid else set()
    for token in sorted(constraints.avoid):
        if token in known_crossings:
            crossings.add(token)
        elif token in network.node_index:
            nodes.add(network.node_index[token])
        else:
            try:
                nodes.add(network.node_index[resolve_place(network, token).node_id])
            except CorridorError as exc:
                raise QueryError(
                    "constraints.avoid", f"{token!r} is neither a node nor a crossing: {exc}"
                ) from None
    for end, node in (("origin", origin), ("destination", destination)):
        if node.country in constraints.avoid_countries:
            raise QueryError(
                "constraints.avoid_countries",
                f"the {end} {node.name} is in {node.country}, which the query avoids",
            )
        if network.node_index[node.node_id] in nodes:
            raise QueryError("constraints.avoid", f"the {end} {node.name} cannot be avoided")
    return _Resolved(
        origin=network.node_index[origin.node_id],
        destination=network.node_index[destination.node_id],
        shipment=shipment_of(network, query.commodity, query.cargo),
        exclude=Exclusions(
            countries=constraints.avoid_countries,
            modes=constraints.avoid_modes,
            nodes=frozenset(nodes),
            crossings=frozenset(crossings),
        ),
        start=to_hours(query.departure()),
    )


def _values(path: LabelPath) -> dict[str, float]:
    return {
        "time": path.arrival - path.start,
        "cost": path.cost,
        "co2e": path.co2e,
        "p90": path.p90_arrival - path.start,  # NaN unless the search ran the robust clock
    }


def extremes(paths: Sequence[LabelPath], criteria: Sequence[str]) -> list[LabelPath]:
    """Each criterion's optimum in `paths`: the first in (that criterion, the other criteria in
    the query's order, then time, cost, CO2e), one path per criterion, repeats dropped."""
    out: list[LabelPath] = []
    for c in criteria:
        order = [c, *(x for x in criteria if x != c), *(x for x in CRITERIA if x not in criteria)]
        best = min(paths, key=lambda p: (*(_values(p)[x] for x in order), p.edges))
        if best not in out:
            out.append(best)
    return out


def thin(
    paths: Sequence[LabelPath], criteria: Sequence[str], slack: dict[str, tuple[float, float]]
) -> list[LabelPath]:
    """Drop each path that a kept path matches within `slack` on every criterion.

    What it may drop: a path within `slack` of a kept one on every criterion. What it never
    drops: each criterion's optimum (`extremes`), kept first. Then paths are considered best
    compromise first: the sum over criteria of value / best value in the set, so a balanced
    route survives its lopsided near-twins. With zero slack only exact ties go. Deterministic:
    ties in the score fall back to (time, cost, CO2e, edges).
    """
    if not paths:
        return []
    values = [_values(p) for p in paths]
    best = {c: min(v[c] for v in values) for c in criteria} if paths else {}

    def score(i: int) -> tuple[float, float, float, float, tuple[int, ...]]:
        v = values[i]
        total = sum(v[c] / best[c] if best[c] > 0 else v[c] for c in criteria)
        return (total, v["time"], v["cost"], v["co2e"], paths[i].edges)

    def close(mine: dict[str, float], theirs: dict[str, float]) -> bool:
        return all(
            theirs[c] <= mine[c] + max(slack[c][0], slack[c][1] * abs(mine[c])) for c in criteria
        )

    kept: list[int] = []
    for best_one in extremes(paths, criteria):
        i = next(j for j, p in enumerate(paths) if p is best_one)
        if i not in kept:
            kept.append(i)
    for i in sorted(range(len(paths)), key=score):
        if i in kept:
            continue
        if not any(close(values[i], values[k]) for k in kept):
            kept.append(i)
    kept.sort(
        key=lambda i: (values[i]["time"], values[i]["cost"], values[i]["co2e"], paths[i].edges)
    )
    return [paths[i] for i in kept]


def _explain_no_route(network: Network, query: Query, resolved: _Resolved) -> str:
    """Which constraint, dropped alone, would give a route; else why none exists at all."""
    origin = network.nodes[resolved.origin].name
    destination = network.nodes[resolved.destination].name
    graph = network.graph
    sources = graph.vertices_of_node[resolved.origin]
    targets = graph.vertices_of_node[resolved.destination]
    c = query.constraints
    ex = resolved.exclude
    relaxations: list[tuple[str, Exclusions, int | None]] = []
    if ex.countries:
        relaxations.append(
            (
                f"--avoid-country {' '.join(sorted(ex.countries))}",
                replace(ex, countries=frozenset()),
                c.max_transfers,
            )
        )
    if ex.modes:
        relaxations.append(
            (
                f"--avoid-mode {' '.join(sorted(ex.modes))}",
                replace(ex, modes=frozenset()),
                c.max_transfers,
            )
        )
    if ex.nodes or ex.crossings:
        relaxations.append(
            (
                f"--avoid {' '.join(sorted(c.avoid))}",
                replace(ex, nodes=frozenset(), crossings=frozenset()),
                c.max_transfers,
            )
        )
    if c.max_transfers is not None:
        relaxations.append((f"--max-transfers {c.max_transfers}", ex, None))

    def reachable(exclude: Exclusions, max_transfers: int | None) -> bool:
        country = network.nodes[resolved.destination].country
        weights = edge_weights(network, resolved.shipment, exclude, destination_country=country)
        space = prepare(graph, weights)
        return bool(pareto_paths(space, sources, targets, resolved.start, [0], max_transfers))

    helpful = [label for label, exclude, cap in relaxations if reachable(exclude, cap)]
    head = f"no route from {origin} to {destination} for {query.commodity}"
    if helpful:
        return f"{head}: dropping {' or '.join(helpful)} would give one"
    if relaxations and reachable(Exclusions(), None):
        return f"{head}: no single constraint is to blame, but dropping them all gives one"
    modes = ", ".join(network.commodity(query.commodity).modes)
    return f"{head}: the network has no path usable by {query.commodity} (modes: {modes})"
