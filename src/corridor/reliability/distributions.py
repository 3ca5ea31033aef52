"""The time components of a route as distributions: one lognormal per leg, fitted to median and P90.

Border dwell (per direction and commodity class), transfers (port and terminal handling, gauge
changes) and line-haul running times each get a lognormal with the network's median and P90:
mu = ln(median), sigma = ln(P90 / median) / z(0.9). A leg with P90 equal to its median is
deterministic. Waits are not distributions of their own: the simulation re-applies the timetable
of each scheduled leg, so a late arrival waits for the next departure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from corridor.errors import CorridorError
from corridor.network.expanded import BORDER, MOVE, TRANSFER
from corridor.network.model import Network
from corridor.routing.clock import to_hours
from corridor.routing.query import Cargo
from corridor.routing.result import Leg, Route
from corridor.routing.weights import LINE_HAUL_P90_RATIO, Exclusions, edge_weights, shipment_of

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]

Z90 = 1.2815515655446004  # the standard normal's 0.9 quantile


def lognormal_sigma(median: FloatArray, p90: FloatArray) -> FloatArray:
    """The lognormal shape that puts the 0.9 quantile at `p90`; 0 where there is no spread."""
    median = np.asarray(median, dtype=np.float64)
    p90 = np.asarray(p90, dtype=np.float64)
    spread = (median > 0) & (p90 > median)
    ratio = np.where(spread, p90, 1.0) / np.where(spread, median, 1.0)
    return np.where(spread, np.log(ratio) / Z90, 0.0)


def lognormal_quantile(median: float, sigma: float, q: float) -> float:
    """The `q` quantile of a lognormal with this median and shape (for checks and docs)."""
    return float(median * np.exp(sigma * NormalDist().inv_cdf(q)))


@dataclass(frozen=True, eq=False)
class RouteModel:
    """A route's steps in order: the duration distribution of each, and its timetable if any.

    `schedule[i]` indexes `schedules` (sorted weekly departure hours) or is -1 for a leg that
    starts as soon as the cargo is ready. `planned_hours` is the planner's median-time transit.
    """

    start: float  # hours since the clock's epoch
    median: FloatArray
    sigma: FloatArray
    schedule: IntArray
    schedules: tuple[FloatArray, ...]
    refs: tuple[str, ...]  # the leg ref of each step, for messages and plots
    planned_hours: float

    @property
    def n_steps(self) -> int:
        return len(self.median)


def _edge_of_leg(network: Network, leg: Leg, index: int) -> int:
    """The expanded-graph edge a move, border or transfer leg was planned on."""
    g = network.graph
    if leg.kind == "move":
        li = network.link_index.get(leg.ref)
        if li is not None:
            link = network.links[li]
            reverse = (leg.from_node, leg.to_node) == (link.to_node, link.from_node)
            hits = np.flatnonzero((g.kind == MOVE) & (g.ref == li) & (g.reverse == reverse))
            if len(hits):
                return int(hits[0])
    elif leg.kind == "border":
        for d, cd in enumerate(g.crossing_directions):
            link = network.links[cd.link]
            ends = (link.to_node, link.from_node) if cd.reverse else (link.from_node, link.to_node)
            if cd.crossing_id == leg.ref and ends == (leg.from_node, leg.to_node):
                hits = np.flatnonzero((g.kind == BORDER) & (g.crossdir == d))
                if len(hits):
                    return int(hits[0])
    elif leg.kind == "transfer":
        node_id, _, layers = leg.ref.partition(":")
        out_of, _, into = layers.partition(">")
        for ti, t in enumerate(network.transfers):
            if t.node_id == node_id and {t.from_layer, t.to_layer} == {out_of, into}:
                hits = np.flatnonzero((g.kind == TRANSFER) & (g.ref == ti))
                for edge in hits.tolist():
                    if g.vertex_layer[int(g.src[edge])] == out_of:
                        return int(edge)
    raise CorridorError(
        f"leg {index + 1} of the route ({leg.kind} {leg.ref}) is not in network "
        f"{network.name} {network.version}; plan the route on this network first"
    )


def route_model(
    network: Network, route: Route, line_haul: Mapping[str, float] = LINE_HAUL_P90_RATIO
) -> RouteModel:
    """The distributions of a planned route's legs, timed for the route's commodity.

    `line_haul` is each mode's P90 over median running time (`{}`: no line-haul spread).
    Raises `CorridorError` when a leg does not exist in `network`.
    """
    if route.commodity not in network.commodity_index:
        raise CorridorError(f"the route's commodity {route.commodity!r} is not in the network")
    weights = edge_weights(
        network,
        shipment_of(network, route.commodity, Cargo()),
        Exclusions(),
        line_haul,
        destination_country=network.node(route.nodes[-1]).country,
    )
    edges = [
        _edge_of_leg(network, leg, i) for i, leg in enumerate(route.legs) if leg.kind != "wait"
    ]
    refs = tuple(leg.ref for leg in route.legs if leg.kind != "wait")
    idx = np.array(edges, dtype=np.int64)
    median = weights.hours[idx].astype(np.float64)
    g = network.graph
    return RouteModel(
        start=to_hours(route.depart),
        median=median,
        sigma=lognormal_sigma(median, weights.hours_p90[idx]),
        schedule=g.schedule[idx].astype(np.int32),
        schedules=g.schedules,
        refs=refs,
        planned_hours=route.transit_hours,
    )
