"""Per-query edge weights: the expanded graph's unit figures scaled by cargo and filtered by rules.

Everything here is vectorized over edges; a query costs a few numpy operations, not a loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from corridor.network.expanded import BORDER, MOVE, TRANSFER, mode_bit
from corridor.network.model import Network
from corridor.network.records import MODES
from corridor.routing.query import Cargo

BULK_DEFAULT_TONNES = 1000.0

# Line-haul variability, P90 over median running time per mode, used where a link's own P90 is
# no larger. Estimates (see docs/reliability.md): the network tables give P90s for border dwell
# and handling only, and running times vary far less than those.
LINE_HAUL_P90_RATIO: Mapping[str, float] = MappingProxyType(
    {"rail": 1.15, "road": 1.15, "sea": 1.15, "ferry": 1.5, "pipeline": 1.0}
)


@dataclass(frozen=True)
class Shipment:
    """The cargo as the cost model sees it: price units (FEU or tonnes) and mass."""

    commodity: str
    unit: str
    feu_units: float  # 40' box equivalents for pricing; 0 for bulk
    tonnes: float
    boxes: float = 0.0  # containers, one per road vehicle; 0 means feu_units
    teu: float = 0.0  # reefer power is drawn per TEU; 0 means 2 x feu_units


@dataclass(frozen=True)
class Exclusions:
    """Resolved constraints: indices and ids, not user spellings."""

    countries: frozenset[str] = frozenset()
    modes: frozenset[str] = frozenset()
    nodes: frozenset[int] = frozenset()
    crossings: frozenset[str] = frozenset()


@dataclass(frozen=True, eq=False)
class EdgeWeights:
    allowed: npt.NDArray[np.bool_]
    hours: npt.NDArray[np.float64]  # median
    hours_p90: npt.NDArray[np.float64]
    cost_usd: npt.NDArray[np.float64]
    co2e_kg: npt.NDArray[np.float64]
    co2e_ttw_kg: npt.NDArray[np.float64]
    is_transfer: npt.NDArray[np.bool_]
    green_lane: npt.NDArray[np.bool_] | None = None  # BORDER edges cleared through a green lane


def shipment_of(network: Network, commodity: str, cargo: Cargo) -> Shipment:
    spec = network.commodity(commodity)
    if spec.unit == "tonne":
        return Shipment(commodity, "tonne", 0.0, cargo.tonnes or BULK_DEFAULT_TONNES)
    factor = 1.0 if cargo.size_ft == 40 else network.manifest.teu_cost_factor
    tonnes = cargo.tonnes or cargo.teu * network.manifest.tonnes_per_teu
    return Shipment(
        commodity, "container", cargo.containers * factor, tonnes, cargo.containers, cargo.teu
    )


def edge_weights(
    network: Network,
    shipment: Shipment,
    exclude: Exclusions,
    line_haul: Mapping[str, float] = LINE_HAUL_P90_RATIO,
    destination_country: str | None = None,
) -> EdgeWeights:
    """Time, price and emissions of every edge for this shipment, and which edges it may use.

    Times come as medians and P90s; `line_haul` gives a move's P90 over its median, per mode.
    With `destination_country`, a crossing into that country takes its `import` rows (dwell,
    fee) and every other crossing its `transit` rows; without it, every crossing is transit.
    It also adds the wait for a connecting train at a transfer whose through trains do not
    serve that country (`Transfer.connects`); without it, every box rides through.
    """
    g = network.graph
    ci = network.commodity_index[shipment.commodity]
    cls = int(g.commodity_class[ci])

    allowed = g.carries[ci].copy()
    if exclude.modes:
        banned = sum(mode_bit(m) for m in exclude.modes)
        allowed &= (g.mode_bits & banned) == 0
    if exclude.countries:
        bad_nodes = [i for i, n in enumerate(network.nodes) if n.country in exclude.countries]
        exclude_nodes = frozenset(bad_nodes) | exclude.nodes
    else:
        exclude_nodes = exclude.nodes
    if exclude_nodes:
        bad = np.fromiter(exclude_nodes, dtype=np.int32)
        allowed &= ~(np.isin(g.src_node, bad) | np.isin(g.dst_node, bad))

    border = g.kind == BORDER
    cd = np.where(border, g.crossdir, 0)
    if exclude.crossings and len(g.crossing_directions):
        closed = np.array([d.crossing_id in exclude.crossings for d in g.crossing_directions])
        allowed &= ~(border & closed[cd])

    hours = g.hours.copy()
    ratio_of_bits = np.ones(1 << len(MODES))
    for mode in MODES:
        ratio_of_bits[mode_bit(mode)] = line_haul.get(mode, 1.0)
    move = g.kind == MOVE
    hours_p90 = g.hours_p90.copy()
    hours_p90[move] = np.maximum(hours_p90[move], hours[move] * ratio_of_bits[g.mode_bits[move]])
    cost = shipment.feu_units * g.feu_cost + shipment.tonnes * g.t_cost * (shipment.unit == "tonne")
    cost[move] *= _tariff_factors(network, shipment.commodity)[g.mode_bits[move]]
    if destination_country is not None:
        _add_connections(network, shipment, destination_country, (hours, hours_p90, cost))
    lane = np.zeros(len(hours), dtype=bool)
    if len(g.crossing_directions):
        median, p90, fee = g.dwell_median_h, g.dwell_p90_h, g.border_fee_feu
        green = g.green_lane
        if destination_country is not None:
            entering = np.array([c == destination_country for c in g.entered_country])[:, None]
            median = np.where(entering, g.import_dwell_median_h, median)
            p90 = np.where(entering, g.import_dwell_p90_h, p90)
            fee = np.where(entering, g.import_border_fee_feu, fee)
            green = np.where(entering, g.import_green_lane, green)
        hours[border] = median[cd[border], cls]
        hours_p90[border] = p90[cd[border], cls]
        cost[border] += shipment.feu_units * fee[cd[border], cls]
        lane[border] = green[cd[border], cls]
    co2e_kg, co2e_ttw_kg = _emissions(network, shipment, hours)
    return EdgeWeights(
        allowed=allowed,
        hours=hours,
        hours_p90=hours_p90,
        cost_usd=cost,
        co2e_kg=co2e_kg,
        co2e_ttw_kg=co2e_ttw_kg,
        is_transfer=g.kind == TRANSFER,
        green_lane=lane,
    )


def _add_connections(
    network: Network,
    shipment: Shipment,
    destination_country: str,
    weights: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]],
) -> None:
    """Add, in place, each connecting wait and its price to the forward edges of the transfers
    whose through trains do not serve the destination country."""
    waits = [t.connects(destination_country) for t in network.transfers]
    if not any(waits):
        return
    g = network.graph
    rows = [(t.connection_h, t.connection_p90_h, t.connection_usd_per_feu) if w else (0, 0, 0)
            for t, w in zip(network.transfers, waits, strict=True)]  # fmt: skip
    per_row = np.array(rows, dtype=np.float64)  # (transfer, [median, P90, USD])
    edges = np.flatnonzero((g.kind == TRANSFER) & ~g.reverse)
    added = per_row[g.ref[edges]]
    hours, hours_p90, cost = weights
    hours[edges] += added[:, 0]
    hours_p90[edges] += added[:, 1]
    cost[edges] += shipment.feu_units * added[:, 2]


def _tariff_factors(network: Network, commodity: str) -> npt.NDArray[np.float64]:
    """The commodity's factor on line-haul prices, indexed by an edge's mode bits."""
    spec = network.commodity(commodity)
    by_bits = np.ones(1 << len(MODES))
    for mode in MODES:
        by_bits[mode_bit(mode)] = spec.tariff_factor(mode)
    return by_bits


def _emissions(
    network: Network, shipment: Shipment, hours: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """WTW and TTW kg CO2e of every edge for this shipment (docs/emissions.md).

    Per tonne (tonne-km factors and hubs), except that container shipments pay per vehicle where
    the factor is per vehicle-km (road: one box per truck), plus a reefer's power drawn for the
    edge's median hours.
    """
    g = network.graph
    wtw = g.wtw_g_per_t * (shipment.tonnes / 1000.0)
    ttw = g.ttw_g_per_t * (shipment.tonnes / 1000.0)
    if shipment.unit == "container":
        vehicles = shipment.boxes or shipment.feu_units
        per_vehicle = g.wtw_g_per_vehicle > 0
        wtw = np.where(per_vehicle, g.wtw_g_per_vehicle * (vehicles / 1000.0), wtw)
        ttw = np.where(per_vehicle, g.ttw_g_per_vehicle * (vehicles / 1000.0), ttw)
        kw = network.commodity(shipment.commodity).reefer_kw_per_teu
        if kw > 0:
            kwh = kw * (shipment.teu or 2.0 * shipment.feu_units) * hours
            wtw = wtw + kwh * g.reefer_wtw_g_per_kwh / 1000.0
            ttw = ttw + kwh * g.reefer_ttw_g_per_kwh / 1000.0
    return wtw, ttw
