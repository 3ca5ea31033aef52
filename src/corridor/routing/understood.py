"""What the planner understood a query as: the places it resolved, how, and what it avoids.

`understand` reads a query against a network the way the planner will, and refuses early what
the planner would accept silently: an ISO2 code of no country in the network, a country's name
given as a place, a payload beyond what the containers hold. `plan_understood` plans and
attaches the understanding to the result, so every answer (table header, JSON, API, page) can
echo it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Literal

from corridor.errors import CorridorError, QueryError
from corridor.network.countries import ISO2_CODES, country_name
from corridor.network.model import Network
from corridor.network.places import ResolvedPlace, resolve_match, suggest_codes
from corridor.routing.planner import plan
from corridor.routing.query import Cargo, Query
from corridor.routing.result import PlanResult


@dataclass(frozen=True)
class Avoided:
    """One `avoid` entry and what it was read as: a node (with how) or a crossing id."""

    query: str
    kind: Literal["node", "crossing"]
    id: str
    name: str
    place: ResolvedPlace | None = None

    def describe(self) -> str:
        if self.place is not None and self.place.how != "id":
            return self.place.describe()
        return f"{self.name} [{self.id}]"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"query": self.query, "kind": self.kind, "id": self.id}
        out["name"] = self.name
        if self.place is not None:
            out["matched_by"] = self.place.how
            out["score"] = round(self.place.score, 1)
        return out


@dataclass(frozen=True)
class Understood:
    """The resolved origin and destination, and the resolved avoid lists."""

    origin: ResolvedPlace
    destination: ResolvedPlace
    avoid: tuple[Avoided, ...] = ()
    avoid_countries: tuple[str, ...] = ()
    avoid_modes: tuple[str, ...] = ()

    def describe_avoid(self) -> str:
        """The avoid lists in words ('' when nothing is avoided).

        >>> u = Understood(ResolvedPlace("a", "A", "A", "KZ", "id", 100.0),
        ...                ResolvedPlace("b", "B", "B", "DE", "id", 100.0),
        ...                avoid_countries=("RU",), avoid_modes=("road",))
        >>> u.describe_avoid()
        'avoids countries RU (Russia); modes road'
        """
        parts = []
        if self.avoid_countries:
            named = ", ".join(f"{c} ({country_name(c)})" for c in self.avoid_countries)
            parts.append(f"countries {named}")
        if self.avoid_modes:
            parts.append("modes " + ", ".join(self.avoid_modes))
        if self.avoid:
            parts.append("; ".join(a.describe() for a in self.avoid))
        return ("avoids " + "; ".join(parts)) if parts else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin.to_dict(),
            "destination": self.destination.to_dict(),
            "avoid": [a.to_dict() for a in self.avoid],
            "avoid_countries": list(self.avoid_countries),
            "avoid_modes": list(self.avoid_modes),
        }


def understand(network: Network, query: Query, *, strict: bool = True) -> Understood:
    """Resolve a query's places and check it against the network; raise typed errors early.

    `strict` (the CLI, the API and `corridor.plan`'s keyword form) also refuses an avoided
    country code that is neither in the network nor an assigned ISO 3166-1 code, and a payload
    beyond what the containers hold. Place errors are raised either way.

    >>> import corridor
    >>> net = corridor.load_network()
    >>> u = understand(net, Query("Jining", "Brest", constraints=corridor.Constraints(
    ...     avoid_countries=["RU"])))
    >>> u.origin.describe(), u.describe_avoid()
    ('Jining → Jining (Ulanqab) [CN_JNG, name]', 'avoids countries RU (Russia)')
    """
    origin = resolve_match(network, query.origin)
    destination = resolve_match(network, query.destination)
    countries = set(network.countries)
    for code in sorted(query.constraints.avoid_countries):
        if strict and code not in countries and code not in ISO2_CODES:
            nearest = ", ".join(suggest_codes(code, countries)[:5])
            raise QueryError(
                "constraints.avoid_countries",
                f"{code!r} is not an ISO 3166-1 country code; "
                f"this network's codes nearest to it: {nearest}",
            )
    known = network.commodity_index.get(query.commodity) is not None
    if strict and known and network.commodity(query.commodity).unit == "container":
        check_payload(network, query.cargo)
    avoid = tuple(_avoided(network, token) for token in sorted(query.constraints.avoid))
    return Understood(
        origin=origin,
        destination=destination,
        avoid=avoid,
        avoid_countries=tuple(sorted(query.constraints.avoid_countries)),
        avoid_modes=tuple(sorted(query.constraints.avoid_modes)),
    )


def check_payload(network: Network, cargo: Cargo) -> None:
    """Refuse a mass the containers cannot hold, naming the nearest valid choices."""
    if cargo.tonnes is None:
        return
    m = network.manifest
    per_box = m.max_tonnes_40ft if cargo.size_ft == 40 else m.max_tonnes_20ft
    if cargo.tonnes <= cargo.containers * per_box + 1e-9:
        return
    need = math.ceil(cargo.tonnes / per_box - 1e-9)
    choices = [f"{need} x {cargo.size_ft}' containers"]
    if cargo.size_ft == 40 and m.max_tonnes_20ft > 0:
        choices.append(f"{math.ceil(cargo.tonnes / m.max_tonnes_20ft - 1e-9)} x 20'")
    choices.append(
        f"at most {cargo.containers * per_box:g} t in {cargo.containers} x {cargo.size_ft}'"
    )
    raise QueryError(
        "cargo.tonnes",
        f"{cargo.tonnes:g} t does not fit in {cargo.containers} x {cargo.size_ft}' "
        f"(at most {per_box:g} t per {cargo.size_ft}' box in network {m.name}); "
        f"use {' or '.join(choices)}",
    )


def _avoided(network: Network, token: str) -> Avoided:
    crossings = {c.crossing_id: c.name for c in network.crossings}
    if token in crossings:
        return Avoided(token, "crossing", token, crossings[token])
    try:
        place = resolve_match(network, token)
    except CorridorError as exc:
        raise QueryError(
            "constraints.avoid", f"{token!r} is neither a node nor a crossing: {exc}"
        ) from None
    return Avoided(token, "node", place.node_id, place.name, place)


def plan_understood(network: Network, query: Query, *, strict: bool = True) -> PlanResult:
    """`plan`, with what was understood checked first and attached to the result.

    `strict=False` plans a `Query` as given (as `routing.planner.plan` does), only attaching
    what its places and avoid lists resolved to.

    >>> import corridor
    >>> net = corridor.load_network()
    >>> result = plan_understood(net, Query("Almaty", "Duisburg", depart="2026-12-01"))
    >>> result.understood.destination.node_id
    'DE_DUI'
    """
    understood = understand(network, query, strict=strict)
    return replace(plan(network, query), understood=understood, planned_on=network)
