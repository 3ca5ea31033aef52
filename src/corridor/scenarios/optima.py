"""Exact single-criterion optima on one compiled graph, with elements closed by banned edges.

The headline figures of `compare`, `criticality` and `batch` (fastest days, cheapest cost,
lowest CO2e, the robust P90 clock) come from here: one search per criterion with that criterion
alone, which the label-setting engine answers exactly (no thinning, ε = 0 where the engine has
an ε). A closure is a set of banned expanded-graph edges on the unchanged graph, so the graph
is compiled and its weights prepared once per commodity and cargo, whatever is closed.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from corridor.network.derived import per_network
from corridor.network.expanded import BORDER, MOVE
from corridor.network.model import Network
from corridor.routing.clock import to_hours
from corridor.routing.legs import route_from_path
from corridor.routing.pareto import (
    CRITERION_INDEX,
    LabelPath,
    SearchSpace,
    pareto_paths,
    prepare,
)
from corridor.routing.query import Cargo
from corridor.routing.result import Route
from corridor.routing.weights import EdgeWeights, Exclusions, Shipment, edge_weights, shipment_of


def _engine_options() -> dict[str, Any]:
    """Keyword arguments that make `pareto_paths` exact on engines that offer an ε."""
    names = inspect.signature(pareto_paths).parameters
    return {"epsilon": 0.0} if "epsilon" in names else {}


# Engines whose `pareto_paths` takes precomputed `bounds` (per criterion, as `lower_bounds`
# returns them) get the unbanned graph's bounds, computed once per OD and criterion: banning
# edges only lengthens what remains, so they stay admissible for every closure.
TAKES_BOUNDS = "bounds" in inspect.signature(pareto_paths).parameters


EXACT_OPTIONS = _engine_options()
FloatArray = npt.NDArray[np.float64]
# Target pruning by lower bounds: admissible bounds keep a single-criterion search exact
# (the random-network tests of criticality, compare and batch check it against enumeration).
PRUNE = True


@dataclass(frozen=True, eq=False)
class Weighted:
    """One shipment's weights on a network's graph, prepared once for many searches."""

    network: Network
    shipment: Shipment
    weights: EdgeWeights
    space: SearchSpace


@dataclass(eq=False)
class Searches:
    """Prepared weights per (commodity, cargo, destination country) on one network; build once,
    search many times. Crossings into the destination's country take their import rows."""

    network: Network
    _prepared: dict[tuple[str, Cargo, str | None], Weighted] = field(default_factory=dict)

    def weighted(self, commodity: str, cargo: Cargo, country: str | None = None) -> Weighted:
        key = (commodity, cargo, country)
        if key not in self._prepared:
            shipment = shipment_of(self.network, commodity, cargo)
            weights = edge_weights(
                self.network, shipment, Exclusions(), destination_country=country
            )
            self._prepared[key] = Weighted(
                self.network, shipment, weights, prepare(self.network.graph, weights)
            )
        return self._prepared[key]

    def od(
        self, origin: str, destination: str, commodity: str, cargo: Cargo, depart: datetime
    ) -> ODSearch | None:
        """The OD's search, or None when an end is not in the network (closed away)."""
        index = self.network.node_index
        if origin not in index or destination not in index:
            return None
        graph = self.network.graph
        country = self.network.nodes[index[destination]].country
        return ODSearch(
            self.weighted(commodity, cargo, country),
            tuple(graph.vertices_of_node.get(index[origin], ())),
            tuple(graph.vertices_of_node.get(index[destination], ())),
            to_hours(depart),
        )


@dataclass(frozen=True, eq=False)
class ODSearch:
    """Everything one OD's searches share: weights, source and target vertices, departure."""

    weighted: Weighted
    sources: tuple[int, ...]
    targets: tuple[int, ...]
    start: float
    _bounds: dict[str, list[FloatArray]] = field(default_factory=dict, repr=False)

    def bounds(self, criterion: str) -> list[FloatArray]:
        """Lower bounds to the targets on the unbanned graph, computed once per criterion."""
        if criterion not in self._bounds:
            table = self.weighted.space.bounds(self.targets)  # computed once per shared space
            self._bounds[criterion] = [table[:, CRITERION_INDEX[criterion]]]
        return self._bounds[criterion]

    def best_path(self, criterion: str, banned: frozenset[int] = frozenset()) -> LabelPath | None:
        """The exact optimum by `criterion` alone with `banned` edges closed, or None.

        Ties on the criterion go to the earlier arrival, then the lower cost and CO2e.
        """
        extra = dict(EXACT_OPTIONS)
        if TAKES_BOUNDS and PRUNE:
            extra["bounds"] = self.bounds(criterion)
        paths = pareto_paths(
            self.weighted.space,
            self.sources,
            self.targets,
            self.start,
            [CRITERION_INDEX[criterion]],
            None,
            prune=PRUNE,
            banned=banned,
            **extra,
        )
        if not paths:
            return None
        return min(paths, key=lambda p: (value_of(p, criterion), p.arrival, p.cost, p.co2e))

    def best_route(
        self, criterion: str, banned: frozenset[int] = frozenset(), *, pareto: bool = True
    ) -> Route | None:
        path = self.best_path(criterion, banned)
        if path is None:
            return None
        w = self.weighted
        return route_from_path(w.network, w.weights, w.shipment, path, pareto=pareto)


def value_of(path: LabelPath, criterion: str) -> float:
    """A path's figure by one criterion: hours from departure (time, p90), USD, kg CO2e."""
    if criterion == "time":
        return path.arrival - path.start
    if criterion == "p90":
        return path.p90_arrival - path.start
    return path.cost if criterion == "cost" else path.co2e


def element_edges(network: Network, kind: str, ident: str) -> frozenset[int]:
    """The expanded-graph edges that closing one element removes.

    `link`: its moves both ways (and the border stops in front of them); `crossing`: every link
    the crossing's rows name; `border` (`AA-BB`): every crossing link between the two countries;
    `hub`: every edge that starts or ends at one of the node's vertices. The same links and
    nodes as `close_link`, `close_crossing`, `close_border` and `close_node` remove.
    """
    g = network.graph
    if kind == "hub":
        node = network.node_index[ident]
        at = g.vertex_node == node
        hits = at[g.src] | at[g.dst]
        return frozenset(np.flatnonzero(hits).tolist())
    if kind == "link":
        links = {network.link_index[ident]}
    elif kind == "crossing":
        links = {network.link_index[c.link_id] for c in network.crossings if c.crossing_id == ident}
    elif kind == "border":
        pair = set(ident.split("-"))
        country = {i: n.country for i, n in enumerate(network.nodes)}
        links = set()
        for c in network.crossings:
            li = network.link_index[c.link_id]
            lk = network.links[li]
            ends = {
                country[network.node_index[lk.from_node]],
                country[network.node_index[lk.to_node]],
            }
            if ends == pair:
                links.add(li)
    else:
        raise ValueError(f"unknown element kind {kind!r}")
    return link_edges(network, links)


def link_edges(network: Network, links: Iterable[int]) -> frozenset[int]:
    """MOVE and BORDER edges of the given link indices."""
    g = network.graph
    wanted = np.zeros(len(network.links), dtype=bool)
    wanted[list(links)] = True
    border_link = np.array([d.link for d in g.crossing_directions] + [0], dtype=np.int64)
    move = g.kind == MOVE
    link_of = np.where(g.kind == BORDER, border_link[g.crossdir], np.where(move, g.ref, 0))
    hits = (move | (g.kind == BORDER)) & wanted[link_of]
    return frozenset(np.flatnonzero(hits).tolist())


@per_network
def searches_for(network: Network) -> Searches:
    """The prepared searches of `network`, built once and kept on the network (freed with it)."""
    return Searches(network)
