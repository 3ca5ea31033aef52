"""What the planner returns: routes made of legs, with totals. Plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

    from corridor.network.model import Network
    from corridor.routing.understood import Understood

LegKind = Literal["move", "wait", "transfer", "border"]


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


@lru_cache(maxsize=4096)
def iso_utc(moment: datetime) -> str:
    """`moment` in ISO 8601 with `Z` for UTC; memoised, as consecutive legs share their
    instants (a leg arrives when the next departs).

    >>> from datetime import UTC
    >>> iso_utc(datetime(2026, 12, 1, 6, 30, tzinfo=UTC))
    '2026-12-01T06:30:00Z'
    """
    return moment.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Leg:
    """One step of a route. `co2e_kg` is well-to-wheel; `co2e_ttw_kg` tank-to-wheel."""

    kind: LegKind
    from_node: str
    to_node: str
    mode: str
    depart: datetime
    arrive: datetime
    hours: float
    distance_km: float
    cost_usd: float
    co2e_kg: float
    co2e_ttw_kg: float
    detail: str
    ref: str  # link, transfer, crossing or service id the leg comes from

    def __repr__(self) -> str:
        return (
            f"Leg({self.kind} {self.mode} {self.from_node}→{self.to_node}, {self.hours:.1f} h, "
            f"USD {self.cost_usd:,.0f}, {self.co2e_kg:,.0f} kg CO2e)"
        )

    def to_dict(self) -> dict[str, Any]:
        """The leg as JSON-ready values (a fresh dict each call)."""
        # made once per leg: an answer shows each leg twice (route legs and GeoJSON features)
        made: dict[str, Any] | None = self.__dict__.get("_json_made")
        if made is None:
            made = self._json()
            object.__setattr__(self, "_json_made", made)  # a cache, not a field (frozen)
        return dict(made)

    def _json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "from": self.from_node,
            "to": self.to_node,
            "mode": self.mode,
            "depart": iso_utc(self.depart),
            "arrive": iso_utc(self.arrive),
            "hours": round(self.hours, 3),
            "distance_km": round(self.distance_km, 1),
            "cost_usd": round(self.cost_usd, 2),
            "co2e_kg": round(self.co2e_kg, 2),
            "co2e_ttw_kg": round(self.co2e_ttw_kg, 2),
            "detail": self.detail,
            "ref": self.ref,
        }


@dataclass(frozen=True)
class Route:
    """A route with its legs and totals. `pareto` is False for a dominated corridor alternative.

    The reliability figures (hours from departure, on-time probability by a deadline) are None
    unless a Monte Carlo simulation filled them in (`corridor.reliability.assess`).
    """

    pareto: bool
    corridor: tuple[str, ...]  # border crossings and sea passages in order of passage
    depart: datetime
    arrive: datetime
    transit_hours: float
    cost_usd: float
    co2e_kg: float
    co2e_ttw_kg: float
    distance_km: float
    transfers: int
    countries: tuple[str, ...]
    modes: tuple[str, ...]
    nodes: tuple[str, ...]
    legs: tuple[Leg, ...]
    commodity: str = "general"  # decides the border dwell rows the legs were timed with
    p50_hours: float | None = None
    p90_hours: float | None = None
    p95_hours: float | None = None
    on_time_probability: float | None = None
    dominated_by: int | None = None  # an alternative: index of the shown route that beats it

    @property
    def transit_days(self) -> float:
        return self.transit_hours / 24.0

    def __repr__(self) -> str:
        label = "Pareto" if self.pareto else "alternative"
        p90 = f", P90 {self.p90_hours / 24:.1f} d" if self.p90_hours is not None else ""
        via = ", ".join(self.corridor[:3]) + (", …" if len(self.corridor) > 3 else "")
        return (
            f"Route({label}, {self.transit_days:.1f} d{p90}, USD {self.cost_usd:,.0f}, "
            f"{self.co2e_kg / 1000:.2f} t CO2e, {'+'.join(self.modes)}, "
            f"{'-'.join(self.countries)}, via {via or '-'}, {len(self.legs)} legs)"
        )

    def criteria(self) -> dict[str, float]:
        return {"time": self.transit_hours, "cost": self.cost_usd, "co2e": self.co2e_kg}

    def to_dict(self, *, legs: bool = True) -> dict[str, Any]:
        """The route as JSON-ready values; `legs=False` leaves the `legs` list out."""
        out: dict[str, Any] = {
            "pareto": self.pareto,
            "dominated_by": self.dominated_by,
            "corridor": list(self.corridor),
            "depart": iso_utc(self.depart),
            "arrive": iso_utc(self.arrive),
            "transit_hours": round(self.transit_hours, 2),
            "transit_days": round(self.transit_days, 2),
            "cost_usd": round(self.cost_usd, 2),
            "co2e_kg": round(self.co2e_kg, 2),
            "co2e_ttw_kg": round(self.co2e_ttw_kg, 2),
            "distance_km": round(self.distance_km, 1),
            "transfers": self.transfers,
            "countries": list(self.countries),
            "modes": list(self.modes),
            "nodes": list(self.nodes),
            "p50_hours": _rounded(self.p50_hours, 2),
            "p90_hours": _rounded(self.p90_hours, 2),
            "p95_hours": _rounded(self.p95_hours, 2),
            "on_time_probability": _rounded(self.on_time_probability, 4),
        }
        if legs:
            out["legs"] = [leg.to_dict() for leg in self.legs]
        return out


@dataclass(frozen=True)
class PlanResult:
    """The answer to a query: Pareto routes first (fastest first), then corridor alternatives."""

    origin: str
    destination: str
    commodity: str
    criteria: tuple[str, ...]
    depart: datetime
    tonnes: float
    network: str
    routes: tuple[Route, ...]
    understood: Understood | None = None  # resolved places and avoid lists, when checked
    # the network planned on, for geometry (set by `corridor.plan`); not part of the answer
    planned_on: Network | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        n = len(self.pareto_routes)
        return (
            f"PlanResult({self.origin} → {self.destination}, {self.commodity}, "
            f"departs {self.depart:%Y-%m-%d %H:%M} UTC, {len(self.routes)} routes: {n} Pareto, "
            f"{len(self.routes) - n} alternatives; network {self.network})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per route (pandas; `pip install corridor[frames]`). See `corridor.frames`."""
        from corridor.frames import routes_frame

        return routes_frame(self)

    def legs_frame(self) -> pd.DataFrame:
        """One row per leg of every route, with the route's rank (pandas)."""
        from corridor.frames import legs_frame

        return legs_frame(self)

    def to_geodataframe(self, network: Network | None = None, *, legs: bool = False) -> Any:
        """Routes (or, with `legs=True`, legs) with their line geometry, EPSG:4326 (GeoPandas).

        `network` defaults to the one the result was planned on (`corridor.plan` keeps it).
        """
        from corridor.frames import to_geodataframe

        return to_geodataframe(self, network or self.planned_on, legs=legs)

    @property
    def pareto_routes(self) -> tuple[Route, ...]:
        return tuple(r for r in self.routes if r.pareto)

    @property
    def alternatives(self) -> tuple[Route, ...]:
        return tuple(r for r in self.routes if not r.pareto)

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "destination": self.destination,
            "commodity": self.commodity,
            "criteria": list(self.criteria),
            "depart": self.depart.isoformat().replace("+00:00", "Z"),
            "tonnes": self.tonnes,
            "network": self.network,
            **({"understood": self.understood.to_dict()} if self.understood else {}),
            "routes": [r.to_dict() for r in self.routes],
        }
