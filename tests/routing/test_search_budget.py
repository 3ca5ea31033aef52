"""What a search reports it cost, and the label budget that stops it, exact to one label."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

import corridor
from corridor.errors import SearchBudgetError
from corridor.routing.clock import to_hours
from corridor.routing.pareto import CO2E, COST, TIME, prepare, search
from corridor.routing.weights import Exclusions, edge_weights, shipment_of

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"


def setup(net: corridor.Network, origin: str, destination: str):  # type: ignore[no-untyped-def]
    g = net.graph
    weights = edge_weights(net, shipment_of(net, "general", corridor.Cargo()), Exclusions())
    return (
        prepare(g, weights),
        g.vertices_of_node[net.node_index[origin]],
        g.vertices_of_node[net.node_index[destination]],
        to_hours(datetime(2026, 12, 1)),
    )


def test_an_eps_search_without_the_exact_optima_is_one_search() -> None:
    space, sources, targets, start = setup(corridor.load_network(TINY), "AA_A", "CC_E")
    paths, stats = search(
        space, sources, targets, start, [TIME, COST, CO2E], epsilon=0.1, optima=False
    )
    assert paths and stats.searches == 1
    assert 0 < stats.pops <= stats.labels


def test_the_label_budget_admits_exactly_the_labels_a_search_needs(
    eurasia: corridor.Network,
) -> None:
    space, sources, targets, start = setup(eurasia, "KZ_ALA", "GE_PTI")
    _, stats = search(space, sources, targets, start, [TIME, COST])
    assert stats.labels > 0
    again, _ = search(space, sources, targets, start, [TIME, COST], max_labels=stats.labels)
    assert again
    with pytest.raises(SearchBudgetError):
        search(space, sources, targets, start, [TIME, COST], max_labels=stats.labels - 1)
