"""Request and response bodies of the HTTP API (pydantic models, which the OpenAPI schema shows).

Requests are strict about shape (unknown fields are rejected, lengths bounded) and leave the
meaning of values to `corridor.routing.query`, so the API and the CLI accept the same things.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from corridor.routing.query import Cargo, Constraints, Query


def _printable(text: str) -> str:
    # NUL and other control characters cannot be stored (PostgreSQL) and are never meant
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
        raise ValueError("expected text without control characters")
    return text


DEFAULT_SAMPLES = 2_000  # when a deadline or the p90 criterion asks without `samples`
MAX_SAMPLES = 20_000


def valid_departure(moment: datetime | None) -> datetime | None:
    """A departure as aware UTC, refused outside 1970-2200 (the calendar arithmetic's range)."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if not 1970 <= aware.astimezone(UTC).year <= 2200:
        raise ValueError("expected a departure between 1970 and 2200")
    return aware.astimezone(UTC)


Place = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_printable)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_printable)]
Short = Annotated[str, Field(min_length=1, max_length=200)]
# the planner's criteria (case and spaces aside): the schema shows the pattern the planner
# checks (corridor.routing.query), which names the field `criteria` when it refuses one
Criterion = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20,
        json_schema_extra={"pattern": r"^\s*(?i:time|cost|co2e|p90)\s*$"},
    ),
]


class RouteRequest(BaseModel):
    """A route query: the CLI's `route` options as JSON fields."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "origin": "Almaty",
                    "destination": "Duisburg",
                    "depart": "2026-12-01T00:00:00Z",
                    "containers": 2,
                    "commodity": "agri",
                }
            ]
        },
    )

    origin: Place = Field(description="Node id or place name (fuzzy).")
    destination: Place = Field(description="Node id or place name (fuzzy).")
    depart: Annotated[datetime | None, AfterValidator(valid_departure)] = Field(
        None, description="Departure, UTC (a time without zone is UTC); default: now."
    )
    containers: int = Field(1, ge=1, le=100_000, description="Number of containers.")
    size_ft: Literal[20, 40] = Field(40, description="Container size in feet.")
    tonnes: float | None = Field(None, gt=0, lt=1e9, description="Total cargo mass, tonnes.")
    commodity: str = Field(
        "general",
        min_length=1,
        max_length=50,
        description="general, agri, reefer, crude_oil or natural_gas.",
    )
    avoid_countries: list[Annotated[str, Field(max_length=10)]] = Field(
        default_factory=list, max_length=60, description="ISO2 countries never to enter."
    )
    avoid_modes: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list, max_length=10, description="Modes never to use."
    )
    avoid: list[Short] = Field(
        default_factory=list, max_length=50, description="Node ids, places or crossing ids."
    )
    max_transfers: int | None = Field(None, ge=0, le=100, description="Most transshipments.")
    criteria: list[Criterion] = Field(
        default_factory=lambda: ["time", "cost", "co2e"],
        min_length=1,
        max_length=6,
        description="Pareto criteria; the first also ranks alternatives.",
    )
    alternatives: int = Field(3, ge=0, le=20, description="Best routes of other corridors.")
    all_routes: bool = Field(False, description="Keep near-ties (the exact Pareto set).")
    deadline: Annotated[datetime | None, AfterValidator(valid_departure)] = Field(
        None,
        description="Due date, UTC: each route gets its probability of arriving by then "
        "(simulated; implies samples).",
    )
    samples: int | None = Field(
        None,
        ge=100,
        le=MAX_SAMPLES,
        description="Monte Carlo samples per route: adds P50/P90/P95 transit hours and the "
        f"distribution (default {DEFAULT_SAMPLES:,} when a deadline or the p90 criterion asks).",
    )
    seed: int = Field(0, ge=0, le=2**32 - 1, description="Seed of the Monte Carlo.")

    def reliability_samples(self) -> int | None:
        """Samples to simulate, or None when the request asks for no reliability figures."""
        if self.samples is not None:
            return self.samples
        if self.deadline is not None or "p90" in (c.strip().lower() for c in self.criteria):
            return DEFAULT_SAMPLES
        return None

    def to_query(self) -> Query:
        """The planner's Query; raises QueryError naming `cargo.*`/`constraints.*` fields."""
        return Query(
            origin=self.origin,
            destination=self.destination,
            depart=self.depart,
            cargo=Cargo(containers=self.containers, size_ft=self.size_ft, tonnes=self.tonnes),
            commodity=self.commodity,
            constraints=Constraints(
                avoid_countries=self.avoid_countries,
                avoid_modes=self.avoid_modes,
                avoid=self.avoid,
                max_transfers=self.max_transfers,
            ),
            criteria=tuple(self.criteria),
            alternatives=self.alternatives,
            thin=not self.all_routes,
        )

    def places(self) -> dict[str, str]:
        """Each place text of the request and the field it came from (for error messages)."""
        named = {a: "avoid" for a in self.avoid}  # places the planner resolves, by field
        named[self.destination] = "destination"
        named[self.origin] = "origin"
        return named


class LegOut(BaseModel):
    """One step of a route (see the CLI's JSON)."""

    model_config = ConfigDict(populate_by_name=True)

    kind: Literal["move", "wait", "transfer", "border"]
    from_: str = Field(alias="from")
    to: str
    mode: str
    depart: datetime
    arrive: datetime
    hours: float
    distance_km: float
    cost_usd: float
    co2e_kg: float
    co2e_ttw_kg: float
    detail: str
    ref: str


class Histogram(BaseModel):
    """Counts of simulated transit hours between consecutive edges."""

    edges_hours: list[float]
    counts: list[int]


class RouteOut(BaseModel):
    """A route with totals and legs; `pareto` is false for a corridor alternative."""

    pareto: bool
    corridor: list[str]
    depart: datetime
    arrive: datetime
    transit_hours: float
    transit_days: float
    cost_usd: float
    co2e_kg: float
    co2e_ttw_kg: float
    distance_km: float
    transfers: int
    countries: list[str]
    modes: list[str]
    nodes: list[str]
    p50_hours: float | None = Field(None, description="Simulated median transit hours.")
    p90_hours: float | None = Field(None, description="Simulated 90th percentile, hours.")
    p95_hours: float | None = Field(None, description="Simulated 95th percentile, hours.")
    on_time_probability: float | None = Field(
        None, description="Share of simulations arriving by the deadline."
    )
    distribution: Histogram | None = Field(
        None, description="Simulated transit hours as a histogram (with samples)."
    )
    legs: list[LegOut]


class ResolvedPlaceOut(BaseModel):
    """A place text of the request and the node it was read as."""

    query: str
    node_id: str
    name: str
    country: str
    matched_by: Literal["id", "name", "alias", "words", "fuzzy"]
    score: float


class AvoidedOut(BaseModel):
    query: str
    kind: Literal["node", "crossing"]
    id: str
    name: str
    matched_by: str | None = None
    score: float | None = None


class UnderstoodOut(BaseModel):
    """What the request was understood as: resolved places and avoid lists."""

    origin: ResolvedPlaceOut
    destination: ResolvedPlaceOut
    avoid: list[AvoidedOut]
    avoid_countries: list[str]
    avoid_modes: list[str]


class ReliabilityOut(BaseModel):
    method: str
    samples: int
    seed: int
    deadline: datetime | None


class FeatureCollection(BaseModel):
    """A GeoJSON FeatureCollection."""

    type: Literal["FeatureCollection"]
    features: list[dict[str, Any]]
    properties: dict[str, Any] | None = None


class PlanOut(BaseModel):
    """The CLI's JSON for a plan, plus the routes as GeoJSON for a map."""

    origin: str
    destination: str
    commodity: str
    criteria: list[str]
    depart: datetime
    tonnes: float
    network: str
    understood: UnderstoodOut
    routes: list[RouteOut]
    reliability: ReliabilityOut | None = Field(
        None, description="How P50/P90/P95 and on-time figures were simulated, when asked."
    )
    geojson: FeatureCollection
    truncated: bool | None = Field(
        None, description="True when the routes were cut to the server's limit."
    )


class Health(BaseModel):
    status: Literal["ok"]
    network: str


class PlaceOut(BaseModel):
    node_id: str
    name: str
    country: str
    kind: str
    score: float


class ShipmentIn(BaseModel):
    """A shipment to save: the route request, which of its routes was chosen, and that route."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    query: RouteRequest
    route_index: int = Field(ge=0, le=1000)
    route: dict[str, Any] = Field(description="The chosen route, as POST /api/routes gave it.")


class ShipmentPatch(BaseModel):
    """New values for a saved shipment; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    # left out: unchanged; null is refused (refuse_nulls), so the schema does not offer it
    name: Name | SkipJsonSchema[None] = None
    query: RouteRequest | SkipJsonSchema[None] = None
    route_index: Annotated[int, Field(ge=0, le=1000)] | SkipJsonSchema[None] = None
    route: dict[str, Any] | SkipJsonSchema[None] = None


class ShipmentOut(BaseModel):
    id: int
    name: str
    query: dict[str, Any]
    route_index: int
    route: dict[str, Any]
    network: str = Field(description="Name and version of the network it was planned on.")
    created_at: datetime
    updated_at: datetime


ScenarioText = Annotated[str, Field(min_length=1, max_length=100_000), AfterValidator(_printable)]


class ScenarioIn(BaseModel):
    """A scenario to save: a name and the scenario file's TOML text."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    text: ScenarioText


class ScenarioPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | SkipJsonSchema[None] = None
    text: ScenarioText | SkipJsonSchema[None] = None


class ScenarioOut(BaseModel):
    id: int
    name: str
    text: str
    created_at: datetime
    updated_at: datetime


class JobCreated(BaseModel):
    id: str


class JobOut(BaseModel):
    """A background job: `progress` runs from 0 to 1; `result` is there once `status` is done."""

    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    progress: float
    result: Any | None = None
    error: dict[str, Any] | None = None
    created_at: datetime
