"""What a shipper asks: origin, destination, departure, cargo, commodity, constraints, criteria."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from corridor.errors import QueryError
from corridor.network.records import MODES
from corridor.routing.clock import parse_utc

CRITERIA: tuple[str, ...] = ("time", "cost", "co2e")
# The search's epsilon when a query gives none and thins (thin=False is exact): labels within
# 5% on cost and CO2e (and no later) of another at their vertex merge. Below the near-tie slack
# the planner thins by anyway; measured front quality and speed in docs/engine.md.
DEFAULT_EPSILON = 0.05
# "p90": a robust time, the arrival if every leg took its P90 time (a conservative bound)
ROUTING_CRITERIA: tuple[str, ...] = (*CRITERIA, "p90")
_ISO2 = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Cargo:
    """Containers (count and size in feet) and, optionally, the cargo's total mass in tonnes.

    Without `tonnes`, the manifest's tonnes per loaded TEU is used (bulk commodities: 1,000 t).
    """

    containers: int = 1
    size_ft: int = 40
    tonnes: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.containers, bool) or not isinstance(self.containers, int):
            raise QueryError("cargo.containers", "expected a whole number of containers")
        if self.containers < 1:
            raise QueryError("cargo.containers", f"expected at least 1, got {self.containers}")
        if self.size_ft not in (20, 40):
            raise QueryError("cargo.size_ft", f"expected 20 or 40, got {self.size_ft}")
        if self.tonnes is not None and not (0 < self.tonnes < 1e9):
            raise QueryError("cargo.tonnes", f"expected a mass above 0 t, got {self.tonnes}")

    @property
    def teu(self) -> int:
        return self.containers * (2 if self.size_ft == 40 else 1)


@dataclass(frozen=True)
class Constraints:
    """What a route must not use. `avoid` takes node ids, place names or crossing ids."""

    avoid_countries: frozenset[str] = field(default_factory=frozenset)
    avoid_modes: frozenset[str] = field(default_factory=frozenset)
    avoid: frozenset[str] = field(default_factory=frozenset)
    max_transfers: int | None = None

    def __init__(
        self,
        avoid_countries: Iterable[str] = (),
        avoid_modes: Iterable[str] = (),
        avoid: Iterable[str] = (),
        max_transfers: int | None = None,
    ) -> None:
        countries = frozenset(c.strip().upper() for c in avoid_countries)
        for c in sorted(countries):
            if not _ISO2.match(c):
                raise QueryError(
                    "constraints.avoid_countries",
                    f"expected ISO 3166-1 alpha-2 codes such as RU, got {c!r}",
                )
        modes = frozenset(m.strip().lower() for m in avoid_modes)
        for m in sorted(modes):
            if m not in MODES:
                raise QueryError(
                    "constraints.avoid_modes", f"expected modes among {', '.join(MODES)}, got {m!r}"
                )
        if max_transfers is not None and (
            isinstance(max_transfers, bool)
            or not isinstance(max_transfers, int)
            or max_transfers < 0
        ):
            raise QueryError("constraints.max_transfers", "expected a whole number >= 0")
        object.__setattr__(self, "avoid_countries", countries)
        object.__setattr__(self, "avoid_modes", modes)
        object.__setattr__(self, "avoid", frozenset(a.strip() for a in avoid if a.strip()))
        object.__setattr__(self, "max_transfers", max_transfers)


@dataclass(frozen=True)
class Query:
    """A route request. Places are node ids or names (fuzzy, case- and accent-insensitive).

    `depart` is a UTC datetime (naive means UTC), a date or ISO 8601 text such as
    "2026-12-01"; `None` means now. `criteria` are the ones the
    Pareto set is taken over, in order of preference for choosing each corridor's best route;
    besides time, cost and co2e, `p90` is a robust time: the arrival if every leg took its P90.
    `thin` drops routes within half a day and 5% of a faster kept route on every criterion
    (near-ties to a shipper), never a criterion's optimum; `thin=False` returns the exact Pareto
    set, exact ties collapsed. `epsilon` is the search's relative tolerance (None: DEFAULT_EPSILON
    when thinning, where the planner keeps the exact front if it is cheap, else 0, exact);
    `time_limit` stops the search after that many seconds.
    """

    origin: str
    destination: str
    depart: datetime | date | str | None = None
    cargo: Cargo = field(default_factory=Cargo)
    commodity: str = "general"
    constraints: Constraints = field(default_factory=Constraints)
    criteria: tuple[str, ...] = CRITERIA
    alternatives: int = 3
    thin: bool = True
    epsilon: float | None = None
    time_limit: float | None = None

    def __post_init__(self) -> None:
        if self.depart is not None:  # text and dates become aware UTC datetimes
            object.__setattr__(self, "depart", parse_utc(self.depart, "depart"))
        if not self.origin.strip():
            raise QueryError("origin", "expected a place name or node id")
        if not self.destination.strip():
            raise QueryError("destination", "expected a place name or node id")
        criteria = tuple(dict.fromkeys(c.strip().lower() for c in self.criteria))
        if not criteria:
            raise QueryError("criteria", f"expected one or more of {', '.join(ROUTING_CRITERIA)}")
        for c in criteria:
            if c not in ROUTING_CRITERIA:
                raise QueryError(
                    "criteria", f"expected some of {', '.join(ROUTING_CRITERIA)}, got {c!r}"
                )
        object.__setattr__(self, "criteria", criteria)
        if isinstance(self.alternatives, bool) or not isinstance(self.alternatives, int):
            raise QueryError("alternatives", "expected a whole number")
        if not 0 <= self.alternatives <= 20:
            raise QueryError("alternatives", f"expected 0 to 20, got {self.alternatives}")
        for name, value, top in (
            ("epsilon", self.epsilon, 1.0),
            ("time_limit", self.time_limit, 1e6),
        ):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise QueryError(name, f"expected a number, got {value!r}")
            if not 0.0 <= value <= top or (name == "time_limit" and value == 0.0):
                raise QueryError(
                    name,
                    f"expected a number in {'[0, 1]' if top == 1.0 else '(0, 1e6] seconds'}, got {value}",
                )

    def effective_epsilon(self) -> float:
        """The search's epsilon: as given, else DEFAULT_EPSILON when thinning, else 0 (exact)."""
        if self.epsilon is not None:
            return float(self.epsilon)
        return DEFAULT_EPSILON if self.thin else 0.0

    def departure(self) -> datetime:
        """The departure as an aware UTC datetime (now, to the minute, when not given)."""
        if self.depart is None:
            return datetime.now(UTC).replace(second=0, microsecond=0)
        return parse_utc(self.depart, "depart")
