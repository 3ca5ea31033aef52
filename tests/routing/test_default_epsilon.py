"""The default query's epsilon search (used once the exact front outgrows its budget)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

from random_networks import Spec, write_package

import corridor
from corridor.routing import planner


def test_the_default_search_keeps_routes_more_than_five_percent_apart() -> None:
    # three roads N0 -> N1: (hours, USD) = (10, 100), (40, 80), (80, 60). The middle one is
    # 25% cheaper than the fast one: no 5% merge may fold it into the fast one, and thinning's
    # near-tie slack (10% of cost) does not cover it either.
    routes = {"FAST": (10, 100), "MIDDLE": (40, 80), "SLOW": (80, 60)}
    spec = Spec(
        nodes=[{"node_id": "N0", "country": "AA"}, {"node_id": "N1", "country": "AA"}],
        links=[
            {
                "link_id": name,
                "from_node": "N0",
                "to_node": "N1",
                "mode": "road",
                "gauge_mm": None,
                "distance_km": 10,
                "duration_h": hours,
                "bidirectional": False,
                "tariff_feu_km": 0,
                "tariff_feu": usd,
                "tariff_t_km": None,
            }
            for name, (hours, usd) in routes.items()
        ],
    )
    with tempfile.TemporaryDirectory() as tmp:
        net = corridor.load_network(write_package(spec, Path(tmp) / "net"))
    query = corridor.Query("N0", "N1", depart="2026-12-07", alternatives=0)
    assert query.thin and query.epsilon is None  # the default: thinned, default epsilon
    with mock.patch.object(planner, "EXACT_FIRST", 0):  # the exact search gives up at once
        result = corridor.plan(net, query)
    got = {(round(r.transit_hours), round(r.cost_usd)) for r in result.routes}
    assert got == set(routes.values())
