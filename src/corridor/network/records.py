"""Plain, immutable records for the rows of a network package's tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Mode = Literal["rail", "road", "sea", "ferry", "pipeline"]
MODES: tuple[Mode, ...] = ("rail", "road", "sea", "ferry", "pipeline")
CONTAINER_MODES: frozenset[str] = frozenset({"rail", "road", "sea", "ferry"})
# the transfer kind that joins a rail layer to itself: a box arriving at the node on that layer and
# leaving on it changes trains (it waits for the connecting train and is lifted across)
TRAIN_CHANGE = "train_change"
TRANSFER_KINDS: tuple[str, ...] = ("gauge_change", "transshipment", TRAIN_CHANGE)
# GLEC hub categories a `hub` emission factor may name: the transfer kinds, and a maritime
# container terminal (a transshipment with a sea or ferry side uses it when the table has it).
HUB_CATEGORIES: tuple[str, ...] = (*TRANSFER_KINDS, "maritime_transshipment")
NODE_KINDS: tuple[str, ...] = (
    "terminal",
    "dry_port",
    "sea_port",
    "ferry_port",
    "border_station",
    "junction",
    "city",
    "pipeline_station",
)
WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS_PER_WEEK = 168.0


def layer_of(mode: str, gauge_mm: int | None) -> str:
    """The expanded-graph layer a link lives in: its mode, split by gauge for rail."""
    return f"rail_{gauge_mm}" if mode == "rail" else mode


def mode_of_layer(layer: str) -> str:
    """The mode of a layer name (`rail_1520` -> `rail`)."""
    return "rail" if layer.startswith("rail_") else layer


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str | None
    document: str | None
    year: int


@dataclass(frozen=True)
class Provenance:
    """Where a row's figures come from."""

    sources: tuple[str, ...]
    estimate: bool
    note: str


@dataclass(frozen=True)
class Node:
    node_id: str
    name: str
    aliases: tuple[str, ...]
    country: str
    kind: str
    lat: float
    lon: float
    provenance: Provenance
    coord_source: tuple[str, ...] = ()  # source ids that give the coordinates; () = estimated


@dataclass(frozen=True)
class Link:
    link_id: str
    from_node: str
    to_node: str
    mode: Mode
    gauge_mm: int | None
    distance_km: float
    duration_h: float
    bidirectional: bool
    energy_carrier: str
    tariff_usd_per_feu_km: float
    tariff_usd_per_feu: float
    tariff_usd_per_t_km: float
    capacity_teu_per_week: float | None
    capacity_t_per_week: float | None
    commodities: tuple[str, ...]  # ("*",) for any commodity whose modes allow the link
    passages: tuple[str, ...]
    provenance: Provenance
    # source ids that give `distance_km`, or ("geometry",) for the shipped polyline's length;
    # () = estimated (the row's note says how)
    distance_source: tuple[str, ...] = ()
    status: Literal["open", "closed"] = "open"  # closed: present but not routable by default
    tariff_reverse_factor: float = 1.0  # the to->from price as a share of the from->to price
    # to->from container capacity; None = the same as `capacity_teu_per_week`
    capacity_reverse_teu_per_week: float | None = None

    @property
    def layer(self) -> str:
        return layer_of(self.mode, self.gauge_mm)

    def capacity_teu(self, reverse: bool = False) -> float | None:
        """Container capacity per week in one direction; None when the link declares none.

        `reverse` is the `to_node` -> `from_node` direction, which takes
        `capacity_reverse_teu_per_week` when given, else the forward figure.
        """
        if reverse and self.capacity_reverse_teu_per_week is not None:
            return self.capacity_reverse_teu_per_week
        return self.capacity_teu_per_week

    def carries(self, commodity: str) -> bool:
        return self.commodities == ("*",) or commodity in self.commodities


@dataclass(frozen=True)
class Transfer:
    node_id: str
    from_layer: str
    to_layer: str
    kind: str
    duration_h: float
    duration_p90_h: float
    cost_usd_per_feu: float
    cost_usd_per_t: float
    provenance: Provenance
    capacity_teu_per_week: float | None = None  # terminal handling, both directions together
    # Where this lists countries, only boxes bound for them ride through trains here; a box bound
    # elsewhere also waits `connection_h` (P90 `connection_p90_h`) and pays
    # `connection_usd_per_feu` for a connecting train, in the row's own direction
    # (from_layer -> to_layer) only.
    through_destinations: tuple[str, ...] = ()
    connection_h: float = 0.0
    connection_p90_h: float = 0.0
    connection_usd_per_feu: float = 0.0

    def connects(self, destination_country: str) -> bool:
        """Whether a box bound for this country waits for a connecting train here.

        >>> from corridor.network.records import Provenance
        >>> row = Transfer("PL_MAL", "rail_1520", "rail_1435", "gauge_change", 8, 36, 200, 0,
        ...                Provenance(("s",), False, ""), through_destinations=("DE", "PL"))
        >>> row.connects("TR"), row.connects("DE")
        (True, False)
        """
        return bool(self.through_destinations) and (
            destination_country not in self.through_destinations
        )


@dataclass(frozen=True)
class CrossingRule:
    """Border dwell for one crossing, direction and commodity class."""

    crossing_id: str
    name: str
    link_id: str
    direction: Literal["forward", "reverse"]
    commodity_class: str
    dwell_median_h: float
    dwell_p90_h: float
    green_lane: bool
    fee_usd_per_feu: float
    provenance: Provenance
    # "import": applies to cargo whose destination lies in the country entered; "transit": to
    # the rest; "any": to all cargo with no row of its own
    traffic: Literal["any", "import", "transit"] = "any"


@dataclass(frozen=True)
class Service:
    """Scheduled departures on one link direction, repeating weekly.

    `departures_h` are hours after Monday 00:00 UTC, sorted, within [0, 168).
    """

    service_id: str
    link_id: str
    direction: Literal["forward", "reverse", "both"]
    kind: Literal["weekly", "headway"]
    departures_h: tuple[float, ...]
    operator: str
    provenance: Provenance
    capacity_teu_per_week: float | None = None  # per direction served


@dataclass(frozen=True)
class Commodity:
    commodity: str
    name: str
    unit: Literal["container", "tonne"]
    border_class: str
    modes: tuple[str, ...]
    provenance: Provenance
    reefer_kw_per_teu: float = 0.0  # power a box draws on the way, per TEU (reefers)
    tariff_factors: tuple[tuple[str, float], ...] = ()  # (mode, factor on move prices)

    def tariff_factor(self, mode: str) -> float:
        """The factor on line-haul prices of `mode` for this commodity (1 when none is set)."""
        return dict(self.tariff_factors).get(mode, 1.0)


@dataclass(frozen=True)
class EmissionFactor:
    """ISO 14083 intensity: per tonne-km for `move`, per tonne handled for `hub`, per kWh for
    `reefer` (the energy a refrigerated box draws, by mode or at a `terminal`).

    A `move` row may also give per-vehicle-km figures (`wtw_g_per_vkm`, a loaded vehicle-km)
    with the `empty_share` of vehicle-km run empty: container shipments then pay per vehicle.
    """

    activity: Literal["move", "hub", "reefer"]
    mode: str
    energy_carrier: str
    wtw_g: float
    ttw_g: float
    provenance: Provenance
    wtw_g_per_vkm: float = 0.0
    ttw_g_per_vkm: float = 0.0
    empty_share: float = 0.0


@dataclass(frozen=True)
class Manifest:
    name: str
    version: str
    description: str
    currency: str
    reference_year: int
    tonnes_per_teu: float
    teu_cost_factor: float
    sources: tuple[Source, ...]
    max_tonnes_20ft: float = 24.0  # cargo one container may hold ([cargo] max_tonnes_20ft)
    max_tonnes_40ft: float = 28.0
