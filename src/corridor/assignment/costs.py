"""Generalized cost per TEU of every expanded-graph edge: money plus time valued per TEU-hour.

Money is the routing cost model's price for half a 40' box (a TEU of demand travels in 40' boxes,
two TEU each), border fees included. Time is the median hours of the edge, border dwell by the
commodity's class, plus on scheduled edges the mean wait for the next departure of a shipment that
arrives at a uniformly random moment of the week. See docs/assignment.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from corridor.network.model import Network
from corridor.network.records import HOURS_PER_WEEK
from corridor.routing.weights import Exclusions, Shipment, edge_weights

# USD per TEU-hour: USD 54,000 of goods per TEU (Port Economics) carried at 30% a year
# (capital, insurance, obsolescence; textbook inventory carrying rate): 54,000 * 0.30 / 8,760.
DEFAULT_VALUE_OF_TIME = 1.85
# USD per TEU of demand left unserved: about the value of the goods in a TEU, far above the
# generalized cost of any path, so the LP serves every TEU that capacity allows.
UNSERVED_PENALTY = 50_000.0

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class EdgeCosts:
    """Per-edge figures for one commodity, per TEU."""

    allowed: npt.NDArray[np.bool_]
    hours: FloatArray  # median hours including the mean scheduled wait
    usd: FloatArray
    generalized: FloatArray  # usd + value_of_time * hours


def mean_wait_hours(departures_h: FloatArray) -> float:
    """Mean wait for the next of weekly departures, arriving at a uniformly random time.

    A gap g between departures is hit with probability g/168 and waits g/2 on average.
    """
    if len(departures_h) == 0:
        return 0.0
    cycle = np.append(departures_h, departures_h[0] + HOURS_PER_WEEK)
    gaps = np.diff(cycle)
    return float(np.sum(gaps * gaps) / (2.0 * HOURS_PER_WEEK))


def edge_costs(
    network: Network, commodity: str, value_of_time: float, destination_country: str | None = None
) -> EdgeCosts:
    """Generalized cost per TEU of each edge the commodity may use; crossings into
    `destination_country` take their import rows (see `edge_weights`)."""
    g = network.graph
    shipment = Shipment(commodity, "container", 0.5, network.manifest.tonnes_per_teu)
    weights = edge_weights(network, shipment, Exclusions(), destination_country=destination_country)
    waits = np.array([mean_wait_hours(s) for s in g.schedules] + [0.0], dtype=np.float64)
    # schedule == -1 picks the trailing 0.0
    hours = weights.hours + waits[g.schedule]
    usd = np.asarray(weights.cost_usd, dtype=np.float64)
    return EdgeCosts(weights.allowed, hours, usd, usd + value_of_time * hours)
