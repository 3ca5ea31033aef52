"""corridor: the China–Kazakhstan–Caspian–Europe freight network and a multi-criteria route planner.

The public surface is small: load a network, plan, and turn the answer into tables.

    >>> import corridor
    >>> net = corridor.load_network()
    >>> net
    Network(eurasia ...: ... nodes, ... links, ... crossings, ... services, ... commodities)
    >>> result = corridor.plan(net, "Xi'an", "Duisburg", depart="2026-12-01")
    >>> result.understood.origin.describe()
    "Xi'an → Xi'an International Port [CN_XIA, alias]"
    >>> frame = result.to_frame()  # pandas: one row per route; legs_frame(): one per leg

`plan(net, Query(...))` works too. `compare`, `criticality`, `assign` and `run_batch` take the
loaded network and OD pairs as place names, a list or a pandas DataFrame.
"""

from corridor.errors import (
    AmbiguousPlaceError,
    CorridorError,
    CountryAsPlaceError,
    NetworkValidationError,
    NoRouteError,
    OptionalDependencyError,
    QueryError,
    UnknownPlaceError,
)
from corridor.facade import assign, compare, criticality, od_pairs, plan, run_batch
from corridor.network.loader import load_network
from corridor.network.model import Network
from corridor.network.places import find_places
from corridor.routing.query import Cargo, Constraints, Query
from corridor.routing.result import Leg, PlanResult, Route

__all__ = [
    "AmbiguousPlaceError",
    "Cargo",
    "Constraints",
    "CorridorError",
    "CountryAsPlaceError",
    "Leg",
    "Network",
    "NetworkValidationError",
    "NoRouteError",
    "OptionalDependencyError",
    "PlanResult",
    "Query",
    "QueryError",
    "Route",
    "UnknownPlaceError",
    "assign",
    "compare",
    "criticality",
    "find_places",
    "load_network",
    "od_pairs",
    "plan",
    "run_batch",
]
__version__ = "0.1.0"
