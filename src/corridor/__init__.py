"""corridor: the China–Kazakhstan–Caspian–Europe freight network and a multi-criteria route planner.

The public surface is small: load a network, describe a query, plan it.

    >>> import corridor
    >>> net = corridor.load_network()
    >>> result = corridor.plan(net, corridor.Query(origin="Xi'an", destination="Duisburg"))
"""

from corridor.errors import (
    AmbiguousPlaceError,
    CorridorError,
    NetworkValidationError,
    NoRouteError,
    QueryError,
    UnknownPlaceError,
)
from corridor.network.loader import load_network
from corridor.network.model import Network
from corridor.network.places import find_places
from corridor.routing.planner import plan
from corridor.routing.query import Cargo, Constraints, Query
from corridor.routing.result import Leg, PlanResult, Route

__all__ = [
    "AmbiguousPlaceError",
    "Cargo",
    "Constraints",
    "CorridorError",
    "Leg",
    "Network",
    "NetworkValidationError",
    "NoRouteError",
    "PlanResult",
    "Query",
    "QueryError",
    "Route",
    "UnknownPlaceError",
    "find_places",
    "load_network",
    "plan",
]
__version__ = "0.1.0"
