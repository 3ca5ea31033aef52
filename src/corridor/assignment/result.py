"""What an assignment returns: plain frozen dataclasses, and their JSON form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Facility:
    """Weekly flow through a link direction, crossing, service or terminal, against its capacity.

    `shadow_price_usd` is what one more TEU/week of capacity would save the weekly objective
    (the LP dual); it is positive only where the capacity binds.
    """

    kind: str
    facility_id: str
    name: str
    direction: str
    mode: str
    flow_teu: float
    capacity_teu: float | None
    shadow_price_usd: float = 0.0

    @property
    def utilization(self) -> float | None:
        return None if self.capacity_teu is None else self.flow_teu / self.capacity_teu

    @property
    def binding(self) -> bool:
        return self.shadow_price_usd > 1e-6

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.facility_id,
            "name": self.name,
            "direction": self.direction,
            "mode": self.mode,
            "flow_teu_per_week": round(self.flow_teu, 3),
            "capacity_teu_per_week": self.capacity_teu,
            "utilization": None if self.utilization is None else round(self.utilization, 4),
            "shadow_price_usd_per_teu": round(self.shadow_price_usd, 2),
            "binding": self.binding,
        }


@dataclass(frozen=True)
class PathFlow:
    """One route an OD pair uses and the TEU/week on it, with its per-TEU figures."""

    teu: float
    nodes: tuple[str, ...]
    modes: tuple[str, ...]
    via: tuple[str, ...]  # crossings in order of passage
    hours: float
    usd_per_teu: float
    generalized_usd_per_teu: float

    @property
    def name(self) -> str:
        """The route by its modes and crossings, e.g. `rail via Alashankou–Dostyk › Brest–…`."""
        modes = "+".join(dict.fromkeys(self.modes)) or "-"
        return f"{modes} via {' › '.join(self.via)}" if self.via else f"{modes}, no border"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "teu_per_week": round(self.teu, 3),
            "nodes": list(self.nodes),
            "modes": list(self.modes),
            "via": list(self.via),
            "hours": round(self.hours, 2),
            "usd_per_teu": round(self.usd_per_teu, 2),
            "generalized_usd_per_teu": round(self.generalized_usd_per_teu, 2),
        }


def route_names(routes: Sequence[PathFlow]) -> tuple[str, ...]:
    """Each route's `name`, made distinct within `routes`: two routes with the same modes and
    crossings are told apart by the first node only one of them passes through.

    >>> a = PathFlow(1.0, ("A", "B", "D"), ("rail",), ("AB",), 1.0, 1.0, 1.0)
    >>> b = PathFlow(1.0, ("A", "C", "D"), ("rail",), ("AB",), 1.0, 1.0, 1.0)
    >>> route_names([a, b])
    ('rail via AB, through B', 'rail via AB, through C')
    """
    names = []
    for route in routes:
        twins = [r for r in routes if r is not route and r.name == route.name]
        if not twins:
            names.append(route.name)
            continue
        others = {n for r in twins for n in r.nodes}
        own = next((n for n in route.nodes if n not in others), None)
        names.append(f"{route.name}, through {own}" if own else route.name)
    return tuple(names)


@dataclass(frozen=True)
class ODAssignment:
    """How one OD pair's weekly demand was served."""

    origin: str
    destination: str
    commodity: str
    demand_teu: float
    served_teu: float
    routes: tuple[PathFlow, ...]

    @property
    def unserved_teu(self) -> float:
        return max(0.0, self.demand_teu - self.served_teu)

    @property
    def generalized_usd_per_teu(self) -> float | None:
        """Mean generalized cost of the served TEU."""
        served = sum(r.teu for r in self.routes)
        if served <= 0:
            return None
        return sum(r.teu * r.generalized_usd_per_teu for r in self.routes) / served

    def to_dict(self) -> dict[str, Any]:
        cost = self.generalized_usd_per_teu
        return {
            "origin": self.origin,
            "destination": self.destination,
            "commodity": self.commodity,
            "demand_teu_per_week": self.demand_teu,
            "served_teu_per_week": round(self.served_teu, 3),
            "unserved_teu_per_week": round(self.unserved_teu, 3),
            "generalized_usd_per_teu": None if cost is None else round(cost, 2),
            "routes": [r.to_dict() for r in self.routes],
        }


@dataclass(frozen=True)
class AssignmentResult:
    """The optimal weekly assignment: flows, utilization, bottlenecks and unserved demand."""

    network: str
    value_of_time_usd_per_teu_h: float
    unserved_penalty_usd_per_teu: float
    objective_usd: float  # per week: generalized cost of served TEU plus penalties
    od: tuple[ODAssignment, ...]
    links: tuple[Facility, ...]  # every link direction with flow or a capacity
    crossings: tuple[Facility, ...]  # every crossing direction with flow or a capacity
    constraints: tuple[Facility, ...]  # every capacity row of the LP, with its dual

    @property
    def demand_teu(self) -> float:
        return sum(o.demand_teu for o in self.od)

    @property
    def served_teu(self) -> float:
        return sum(o.served_teu for o in self.od)

    @property
    def unserved(self) -> tuple[ODAssignment, ...]:
        return tuple(o for o in self.od if o.unserved_teu > 1e-6)

    @property
    def bottlenecks(self) -> tuple[Facility, ...]:
        """Binding capacities, dearest first."""
        binding = [f for f in self.constraints if f.binding]
        return tuple(sorted(binding, key=lambda f: (-f.shadow_price_usd, f.facility_id)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "network": self.network,
            "value_of_time_usd_per_teu_hour": self.value_of_time_usd_per_teu_h,
            "unserved_penalty_usd_per_teu": self.unserved_penalty_usd_per_teu,
            "objective_usd_per_week": round(self.objective_usd, 2),
            "demand_teu_per_week": round(self.demand_teu, 3),
            "served_teu_per_week": round(self.served_teu, 3),
            "unserved_teu_per_week": round(self.demand_teu - self.served_teu, 3),
            "bottlenecks": [f.to_dict() for f in self.bottlenecks],
            "unserved": [
                {
                    "origin": o.origin,
                    "destination": o.destination,
                    "commodity": o.commodity,
                    "unserved_teu_per_week": round(o.unserved_teu, 3),
                }
                for o in self.unserved
            ],
            "od": [o.to_dict() for o in self.od],
            "links": [f.to_dict() for f in self.links],
            "crossings": [f.to_dict() for f in self.crossings],
            "constraints": [f.to_dict() for f in self.constraints],
        }
