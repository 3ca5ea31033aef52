"""`plan`: resolve a query, run the Pareto engine, add corridor alternatives, explain no route."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from corridor.errors import NoRouteError, QueryError
from corridor.network.expanded import BORDER, MOVE, ExpandedGraph
from corridor.network.model import Network
from corridor.network.places import resolve_place
from corridor.routing.clock import to_datetime, to_hours
from corridor.routing.legs import route_from_path
from corridor.routing.pareto import CRITERION_INDEX, LabelPath, pareto_paths
from corridor.routing.query import Query
from corridor.routing.result import PlanResult, Route
from corridor.routing.weights import (
    EdgeWeights,
    Exclusions,
    Shipment,
    edge_weights,
    shipment_of,
)

# A route is a near-tie of a kept one when it is no more than this better on every criterion:
# (absolute, relative) slack per criterion. Half a day and 5% are below what a shipper acts on.
NEAR_TIE: dict[str, tuple[float, float]] = {
    "time": (12.0, 0.05),
    "cost": (1.0, 0.10),
    "co2e": (0.5, 0.10),
}
EXACT: dict[str, tuple[float, float]] = {c: (1e-6, 0.0) for c in NEAR_TIE}
MAX_ALTERNATIVE_SEARCHES = 40


@dataclass(frozen=True)
class _Resolved:
    origin: int
    destination: int
    shipment: Shipment
    exclude: Exclusions
    start: float


def plan(network: Network, query: Query) -> PlanResult:
    """The Pareto set of routes for `query`, then up to `query.alternatives` other corridors.

    Raises `UnknownPlaceError`/`AmbiguousPlaceError` for places, `QueryError` for other fields,
    and `NoRouteError` naming the constraint that removed the last route.
    """
    resolved = _resolve(network, query)
    graph = network.graph
    sources = graph.vertices_of_node[resolved.origin]
    targets = graph.vertices_of_node[resolved.destination]
    criteria = [CRITERION_INDEX[c] for c in query.criteria]
    max_transfers = query.constraints.max_transfers

    weights = edge_weights(network, resolved.shipment, resolved.exclude)
    paths = pareto_paths(graph, weights, sources, targets, resolved.start, criteria, max_transfers)
    if not paths:
        raise NoRouteError(_explain_no_route(network, query, resolved))
    routes = [route_from_path(network, weights, resolved.shipment, p, pareto=True) for p in paths]
    covered = {r.corridor for r in routes}
    routes = thin(routes, query.criteria, NEAR_TIE if query.thin else EXACT)
    routes.sort(key=lambda r: (r.transit_hours, r.cost_usd, r.co2e_kg, r.nodes))
    if query.alternatives:
        routes += _alternatives(network, query, resolved, routes, covered, max_transfers)
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
    known_crossings = set(network.crossing_ids)
    for token in sorted(constraints.avoid):
        if token in known_crossings:
            crossings.add(token)
        elif token in network.node_index:
            nodes.add(network.node_index[token])
        else:
            try:
                nodes.add(network.node_index[resolve_place(network, token).node_id])
            except Exception as exc:
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


def thin(
    routes: list[Route], criteria: tuple[str, ...], slack: dict[str, tuple[float, float]]
) -> list[Route]:
    """Drop each route that a kept route matches within `slack` on every criterion.

    Routes are considered best compromise first: the sum over criteria of value / best value in
    the set, so a balanced route survives its lopsided near-twins. With zero slack only exact
    ties go. Deterministic: ties in the score fall back to (time, cost, CO2e, nodes).
    """
    best = {c: min(r.criteria()[c] for r in routes) for c in criteria} if routes else {}

    def score(route: Route) -> tuple[float, float, float, float, tuple[str, ...]]:
        values = route.criteria()
        total = sum(values[c] / best[c] if best[c] > 0 else values[c] for c in criteria)
        return (total, route.transit_hours, route.cost_usd, route.co2e_kg, route.nodes)

    def close(other: Route, route: Route) -> bool:
        theirs, values = other.criteria(), route.criteria()
        return all(
            theirs[c] <= values[c] + max(slack[c][0], slack[c][1] * abs(values[c]))
            for c in criteria
        )

    kept: list[Route] = []
    for route in sorted(routes, key=score):
        if not any(close(k, route) for k in kept):
            kept.append(route)
    return kept


def _banned_weights(network: Network, base: EdgeWeights, bans: frozenset[str]) -> EdgeWeights:
    """Weights with corridor elements (crossing ids, `passage:NAME`) closed."""
    g = network.graph
    allowed = base.allowed.copy()
    crossings = {b for b in bans if not b.startswith("passage:")}
    passages = {b.removeprefix("passage:") for b in bans if b.startswith("passage:")}
    if crossings:
        closed = np.array([d.crossing_id in crossings for d in g.crossing_directions] or [False])
        allowed &= ~((g.kind == BORDER) & closed[np.where(g.kind == BORDER, g.crossdir, 0)])
    if passages:
        bad_links = [i for i, lk in enumerate(network.links) if passages & set(lk.passages)]
        allowed &= ~((g.kind == MOVE) & np.isin(g.ref, bad_links))
    return replace(base, allowed=allowed)


def _corridor_elements(route: Route) -> list[str]:
    return list(route.corridor)


def _alternatives(
    network: Network,
    query: Query,
    resolved: _Resolved,
    pareto: list[Route],
    covered: set[tuple[str, ...]],
    max_transfers: int | None,
) -> list[Route]:
    """The best route (by the first criterion) of each corridor the Pareto set does not cover.

    Closing a corridor's crossings or passages one at a time, then in pairs, finds the best
    route avoiding them; that route is the best of its own corridor, since every route of that
    corridor avoids them too. Corridors through a new sequence of countries are offered first.
    """
    graph: ExpandedGraph = network.graph
    base = edge_weights(network, resolved.shipment, resolved.exclude)
    primary = CRITERION_INDEX[query.criteria[0]]
    sources = graph.vertices_of_node[resolved.origin]
    targets = graph.vertices_of_node[resolved.destination]
    seen = covered
    found: dict[tuple[str, ...], Route] = {}
    frontier = [frozenset([e]) for r in pareto for e in _corridor_elements(r)]
    tried: set[frozenset[str]] = set()
    searches = 0
    while frontier and searches < MAX_ALTERNATIVE_SEARCHES:
        bans = frontier.pop(0)
        if bans in tried:
            continue
        tried.add(bans)
        searches += 1
        weights = _banned_weights(network, base, bans)
        paths: list[LabelPath] = pareto_paths(
            graph, weights, sources, targets, resolved.start, [primary], max_transfers
        )
        if not paths:
            continue
        route = route_from_path(network, weights, resolved.shipment, paths[0], pareto=False)
        if route.corridor not in seen and route.corridor not in found:
            found[route.corridor] = route
        if len(bans) < 3:
            frontier += [bans | {e} for e in _corridor_elements(route) if e not in bans]
    first = query.criteria[0]
    best = sorted(
        found.values(), key=lambda r: (r.criteria()[first], r.transit_hours, r.cost_usd, r.nodes)
    )
    # Diversity first: a corridor through countries no shown route passes comes before another
    # variant of a country sequence already on the list.
    shown = {r.countries for r in pareto}
    chosen: list[Route] = []
    while best and len(chosen) < query.alternatives:
        pick = next((r for r in best if r.countries not in shown), best[0])
        best.remove(pick)
        chosen.append(pick)
        shown.add(pick.countries)
    return [replace(r, pareto=False) for r in chosen]


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
        w = edge_weights(network, resolved.shipment, exclude)
        return bool(pareto_paths(graph, w, sources, targets, resolved.start, [0], max_transfers))

    helpful = [label for label, exclude, cap in relaxations if reachable(exclude, cap)]
    head = f"no route from {origin} to {destination} for {query.commodity}"
    if helpful:
        return f"{head}: dropping {' or '.join(helpful)} would give one"
    if relaxations and reachable(Exclusions(), None):
        return f"{head}: the constraints together leave none (each alone still blocks)"
    modes = ", ".join(network.commodity(query.commodity).modes)
    return f"{head}: the network has no path usable by {query.commodity} (modes: {modes})"
