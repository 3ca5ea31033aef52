"""A scenario: a named, ordered list of changes to a network, each a frozen dataclass.

The change types mirror the transforms in `corridor.scenarios.transforms` one to one; a
scenario file (`corridor.scenarios.files`) is read into these, and `apply_scenario` runs them.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridor.network.records import CrossingRule, Link, Service


@dataclass(frozen=True)
class CloseLink:
    link_id: str


@dataclass(frozen=True)
class OpenLink:
    """Make a link that the package ships closed (e.g. a line under construction) routable."""

    link_id: str


@dataclass(frozen=True)
class CloseNode:
    node_id: str


@dataclass(frozen=True)
class CloseCrossing:
    crossing_id: str


@dataclass(frozen=True)
class CloseBorder:
    """Every crossing between two countries."""

    country_a: str
    country_b: str


@dataclass(frozen=True)
class CloseCountry:
    country: str


@dataclass(frozen=True)
class ClosePassage:
    """A sea passage (suez, cape, bosphorus, bab_el_mandeb): every link through it."""

    passage: str


@dataclass(frozen=True)
class ScaleDwell:
    crossing_id: str
    factor: float
    commodity: str | None = None  # its border class; None: every class
    direction: str | None = None  # forward, reverse; None: both


@dataclass(frozen=True)
class SetDwell:
    crossing_id: str
    median_h: float
    p90_h: float | None = None
    commodity: str | None = None
    direction: str | None = None
    green_lane: bool | None = None
    fee_usd_per_feu: float | None = None


@dataclass(frozen=True)
class AddLink:
    link: Link
    crossings: tuple[CrossingRule, ...] = ()


@dataclass(frozen=True)
class ChangeLink:
    link_id: str
    distance_km: float | None = None
    duration_h: float | None = None
    speed_kmh: float | None = None
    speed_factor: float | None = None
    tariff_usd_per_feu_km: float | None = None
    tariff_usd_per_feu: float | None = None
    tariff_usd_per_t_km: float | None = None
    capacity_teu_per_week: float | None = None
    capacity_t_per_week: float | None = None
    capacity_factor: float | None = None


@dataclass(frozen=True)
class ChangeTariff:
    """Multiply tariffs of the links matching every filter given (none: all links)."""

    factor: float
    links: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddService:
    service: Service


@dataclass(frozen=True)
class ChangeService:
    service_id: str
    frequency_factor: float | None = None
    headway_h: float | None = None
    offset_h: float = 0.0
    weekdays: tuple[str, ...] | None = None
    departure_utc: str | None = None


Change = (
    CloseLink
    | CloseNode
    | CloseCrossing
    | CloseBorder
    | CloseCountry
    | ClosePassage
    | ScaleDwell
    | SetDwell
    | AddLink
    | ChangeLink
    | ChangeTariff
    | AddService
    | ChangeService
    | OpenLink
)


@dataclass(frozen=True)
class Scenario:
    """Changes applied in order. An empty scenario is the baseline itself."""

    name: str
    description: str = ""
    changes: tuple[Change, ...] = ()
