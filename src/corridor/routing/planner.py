"""`plan`: resolve a query, run the Pareto engine, add corridor alternatives, explain no route."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from corridor.errors import CorridorError, NoRouteError, QueryError
from corridor.network.expanded import BORDER, MOVE
from corridor.network.model import Network
from corridor.network.places import resolve_place
from corridor.routing.clock import to_datetime, to_hours
from corridor.routing.legs import corridor_of, countries_of, route_from_path
from corridor.routing.pareto import CRITERION_INDEX, LabelPath, SearchSpace, pareto_paths, prepare
from corridor.routing.query import Query
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
MAX_ALTERNATIVE_SEARCHES = 24


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

    weights = edge_weights(
        network,
        resolved.shipment,
        resolved.exclude,
        destination_country=network.nodes[resolved.destination].country,
    )
    space = prepare(graph, weights)
    paths = pareto_paths(space, sources, targets, resolved.start, criteria, max_transfers)
    if not paths:
        raise NoRouteError(_explain_no_route(network, query, resolved))
    covered = {corridor_of(network, p.edges) for p in paths}
    kept = thin(paths, query.criteria, NEAR_TIE if query.thin else EXACT)
    routes = [route_from_path(network, weights, resolved.shipment, p, pareto=True) for p in kept]
    routes.sort(key=lambda r: (r.transit_hours, r.cost_usd, r.co2e_kg, r.nodes))
    if query.alternatives:
        for path in _alternatives(network, query, resolved, space, kept, covered):
            routes.append(route_from_path(network, weights, resolved.shipment, path, pareto=False))
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


def thin(
    paths: Sequence[LabelPath], criteria: Sequence[str], slack: dict[str, tuple[float, float]]
) -> list[LabelPath]:
    """Drop each path that a kept path matches within `slack` on every criterion.

    Paths are considered best compromise first: the sum over criteria of value / best value in
    the set, so a balanced route survives its lopsided near-twins. With zero slack only exact
    ties go. Deterministic: ties in the score fall back to (time, cost, CO2e, edges).
    """
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
    for i in sorted(range(len(paths)), key=score):
        if not any(close(values[i], values[k]) for k in kept):
            kept.append(i)
    return [paths[i] for i in kept]


def _element_edges(network: Network) -> dict[str, frozenset[int]]:
    """The edges each corridor element (a crossing id or `passage:NAME`) stands for."""
    g = network.graph
    out: dict[str, set[int]] = {}
    for edge in np.flatnonzero(g.kind == BORDER).tolist():
        out.setdefault(g.crossing_directions[int(g.crossdir[edge])].crossing_id, set()).add(edge)
    for edge in np.flatnonzero(g.kind == MOVE).tolist():
        for passage in network.links[int(g.ref[edge])].passages:
            out.setdefault(f"passage:{passage}", set()).add(edge)
    return {k: frozenset(v) for k, v in out.items()}


def _alternatives(
    network: Network,
    query: Query,
    resolved: _Resolved,
    space: SearchSpace,
    pareto: list[LabelPath],
    covered: set[tuple[str, ...]],
) -> list[LabelPath]:
    """The best path (by the first criterion) of each corridor the Pareto set does not cover.

    Closing a corridor's crossings or passages one at a time, then in pairs, finds the best
    route avoiding them; that route is the best of its own corridor, since every route of that
    corridor avoids them too. Corridors through a new sequence of countries are offered first.
    """
    graph = network.graph
    first = query.criteria[0]
    primary = CRITERION_INDEX[first]
    sources = graph.vertices_of_node[resolved.origin]
    targets = graph.vertices_of_node[resolved.destination]
    element_edges = _element_edges(network)
    found: dict[tuple[str, ...], LabelPath] = {}
    frontier = [frozenset([e]) for p in pareto for e in corridor_of(network, p.edges)]
    tried: set[frozenset[str]] = set()
    while frontier and len(tried) < MAX_ALTERNATIVE_SEARCHES:
        bans = frontier.pop(0)
        if bans in tried:
            continue
        tried.add(bans)
        banned = frozenset().union(*(element_edges.get(e, frozenset()) for e in bans))
        paths = pareto_paths(
            space,
            sources,
            targets,
            resolved.start,
            [primary],
            query.constraints.max_transfers,
            prune=False,
            banned=banned,
        )
        if not paths:
            continue
        corridor = corridor_of(network, paths[0].edges)
        if corridor not in covered and corridor not in found:
            found[corridor] = paths[0]
        if len(bans) < 2:
            frontier += [bans | {e} for e in corridor if e not in bans]

    best = sorted(
        found.values(), key=lambda p: (_values(p)[first], _values(p)["time"], p.cost, p.edges)
    )
    # Diversity first: a corridor through countries no shown route passes comes before another
    # variant of a country sequence already on the list.
    shown = {countries_of(network, p.edges) for p in pareto}
    chosen: list[LabelPath] = []
    while best and len(chosen) < query.alternatives:
        pick = next((p for p in best if countries_of(network, p.edges) not in shown), best[0])
        best.remove(pick)
        chosen.append(pick)
        shown.add(countries_of(network, pick.edges))
    return chosen


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
