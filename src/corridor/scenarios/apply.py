"""Applying scenarios: a pure function from network to network, and composing scenarios."""

from __future__ import annotations

from corridor.network.model import Network
from corridor.scenarios import transforms as tf
from corridor.scenarios.model import (
    AddLink,
    AddService,
    Change,
    ChangeLink,
    ChangeService,
    ChangeTariff,
    CloseBorder,
    CloseCountry,
    CloseCrossing,
    CloseLink,
    CloseNode,
    ClosePassage,
    OpenLink,
    ScaleDwell,
    Scenario,
    SetDwell,
)


def apply_change(network: Network, change: Change) -> Network:
    """The network with one change made (raises `ScenarioError` if it cannot apply)."""
    match change:
        case CloseLink(link_id):
            return tf.close_link(network, link_id)
        case CloseNode(node_id):
            return tf.close_node(network, node_id)
        case OpenLink(link_id):
            return tf.open_link(network, link_id)
        case CloseCrossing(crossing_id):
            return tf.close_crossing(network, crossing_id)
        case CloseBorder(a, b):
            return tf.close_border(network, a, b)
        case CloseCountry(country):
            return tf.close_country(network, country)
        case ClosePassage(passage):
            return tf.close_passage(network, passage)
        case ScaleDwell():
            return tf.scale_dwell(
                network,
                change.crossing_id,
                change.factor,
                commodity=change.commodity,
                direction=change.direction,
            )
        case SetDwell():
            return tf.set_dwell(
                network,
                change.crossing_id,
                median_h=change.median_h,
                p90_h=change.p90_h,
                commodity=change.commodity,
                direction=change.direction,
                green_lane=change.green_lane,
                fee_usd_per_feu=change.fee_usd_per_feu,
            )
        case AddLink(link, crossings):
            return tf.add_link(network, link, crossings)
        case ChangeLink():
            return tf.change_link(
                network,
                change.link_id,
                distance_km=change.distance_km,
                duration_h=change.duration_h,
                speed_kmh=change.speed_kmh,
                speed_factor=change.speed_factor,
                tariff_usd_per_feu_km=change.tariff_usd_per_feu_km,
                tariff_usd_per_feu=change.tariff_usd_per_feu,
                tariff_usd_per_t_km=change.tariff_usd_per_t_km,
                capacity_teu_per_week=change.capacity_teu_per_week,
                capacity_t_per_week=change.capacity_t_per_week,
                capacity_factor=change.capacity_factor,
            )
        case ChangeTariff(factor, links, modes, countries):
            return tf.change_tariff(network, factor, links=links, modes=modes, countries=countries)
        case AddService(service):
            return tf.add_service(network, service)
        case ChangeService():
            return tf.change_service(
                network,
                change.service_id,
                frequency_factor=change.frequency_factor,
                headway_h=change.headway_h,
                offset_h=change.offset_h,
                weekdays=change.weekdays,
                departure_utc=change.departure_utc,
            )
    raise TypeError(f"not a scenario change: {change!r}")  # pragma: no cover


def _target(change: Change) -> tuple[str, str] | None:
    """What a change acts on, as (kind, id), for changes to things a closure can remove."""
    match change:
        case CloseLink(link_id) | ChangeLink(link_id) | OpenLink(link_id):
            return ("link", link_id)
        case CloseNode(node_id):
            return ("node", node_id)
        case CloseCrossing(crossing_id) | ScaleDwell(crossing_id) | SetDwell(crossing_id):
            return ("crossing", crossing_id)
        case CloseBorder(a, b):
            return ("border", f"{a.strip().upper()}-{b.strip().upper()}")
        case CloseCountry(country):
            return ("country", country.strip().upper())
        case ClosePassage(passage):
            return ("passage", passage.strip().lower())
        case ChangeService(service_id):
            return ("service", service_id)
        case AddService(service):
            return ("link", service.link_id)
    return None


def _present(network: Network, kind: str, key: str) -> bool:
    if kind == "link":
        return key in network.link_index
    if kind == "node":
        return key in network.node_index
    if kind == "crossing":
        return key in network.crossing_ids
    if kind == "country":
        return key in network.countries
    if kind == "passage":
        return key in tf.passages(network)
    if kind == "service":
        return any(s.service_id == key for s in network.services)
    a, b = key.split("-", 1)
    return any(
        {network.node(lk.from_node).country, network.node(lk.to_node).country} == {a, b}
        for lk in (network.link(c.link_id) for c in network.crossings)
    )


def apply_step(original: Network, current: Network, change: Change) -> Network:
    """`current` with `change` made, or unchanged when an earlier change already removed its
    target from `original` (closures overlap: closing Suez closes every Bab-el-Mandeb lane)."""
    target = _target(change)
    if target is not None and not _present(current, *target) and _present(original, *target):
        return current
    return apply_change(current, change)


def apply_scenario(network: Network, scenario: Scenario) -> Network:
    """The network with every change of `scenario` made, in order. `network` is unchanged.

    A change to something an earlier change removed is skipped; a change to something
    `network` never had raises `ScenarioError`.
    """
    current = network
    for change in scenario.changes:
        current = apply_step(network, current, change)
    return current


def compose(*scenarios: Scenario) -> Scenario:
    """One scenario doing each given one in turn (applying it equals applying them in order)."""
    if len(scenarios) == 1:
        return scenarios[0]
    return Scenario(
        name=" + ".join(s.name for s in scenarios) or "baseline",
        description="; ".join(s.description for s in scenarios if s.description),
        changes=tuple(c for s in scenarios for c in s.changes),
    )
