"""Assignment on the bundled network: capacities, shadow prices, unserved demand, routes."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor.assignment import assign, read_demand
from corridor.assignment.model import CapacityRow
from corridor.errors import InputFileError, QueryError
from corridor.network.expanded import MOVE, TRANSFER
from corridor.network.loader import bundled_path
from corridor.routing.odset import ODPair, default_od_path


@pytest.fixture(scope="module")
def demand(eurasia: corridor.Network) -> tuple[ODPair, ...]:
    return read_demand(default_od_path(), eurasia)


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (bundled_path() / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _stated_capacity(kind: str, facility_id: str, direction: str) -> float | None:
    """A bottleneck's capacity as the package's CSV files state it (services and crossings)."""
    if kind == "service":
        (row,) = [r for r in _csv_rows("services.csv") if r["service_id"] == facility_id]
        return float(row["capacity_teu_per_week"])
    if kind == "crossing":
        link_id = {r["crossing_id"]: r["link_id"] for r in _csv_rows("crossings.csv")}[facility_id]
        (link,) = [r for r in _csv_rows("links.csv") if r["link_id"] == link_id]
        nodes = {r["node_id"]: r["country"] for r in _csv_rows("nodes.csv")}
        forward = f"{nodes[link['from_node']]}→{nodes[link['to_node']]}"
        cell = "capacity_teu_per_week"
        if direction != forward and link["capacity_reverse_teu_per_week"]:
            cell = "capacity_reverse_teu_per_week"
        return float(link[cell])
    return None


def test_shipped_demand_outruns_capacity_somewhere_and_is_all_served(
    eurasia: corridor.Network, demand: tuple[ODPair, ...]
) -> None:
    result = assign(eurasia, demand)
    assert result.served_teu == pytest.approx(result.demand_teu)
    assert result.bottlenecks
    for f in result.bottlenecks:
        assert f.capacity_teu is not None and f.flow_teu == pytest.approx(f.capacity_teu)
        stated = _stated_capacity(f.kind, f.facility_id, f.direction)
        if stated is not None:
            assert f.capacity_teu == pytest.approx(stated), f


def test_no_facility_carries_more_than_its_capacity(
    eurasia: corridor.Network, demand: tuple[ODPair, ...]
) -> None:
    doubled = [dataclasses.replace(p, teu_per_week=2 * (p.teu_per_week or 0)) for p in demand]
    result = assign(eurasia, doubled)
    for f in (*result.constraints, *result.links, *result.crossings):
        if f.capacity_teu is not None:
            assert f.flow_teu <= f.capacity_teu * (1 + 1e-7) + 1e-6, f


def test_routes_of_each_pair_add_up_to_what_it_served(
    eurasia: corridor.Network, demand: tuple[ODPair, ...]
) -> None:
    for od in assign(eurasia, demand).od:
        assert sum(r.teu for r in od.routes) == pytest.approx(od.served_teu)
        for r in od.routes:
            assert r.nodes[0] == od.origin and r.nodes[-1] == od.destination


def own_capacity_rows(net: corridor.Network) -> list[CapacityRow]:
    """Capacity rows built here from the records, not by the code under test: each link
    direction's declared TEU/week (the reverse figure, else the forward one, for to->from) on its
    MOVE edge, and each terminal's on the TRANSFER edges of its transfer row."""
    g = net.graph
    rows = []
    for li, lk in enumerate(net.links):
        for rev in (False, True):
            declared = lk.capacity_teu_per_week
            if rev and lk.capacity_reverse_teu_per_week is not None:
                declared = lk.capacity_reverse_teu_per_week
            edges = np.flatnonzero((g.kind == MOVE) & (g.ref == li) & (g.reverse == rev))
            if declared is not None and edges.size:
                rows.append(CapacityRow("link", lk.link_id, lk.link_id, str(rev), edges, declared))
    for ti, t in enumerate(net.transfers):
        edges = np.flatnonzero((g.kind == TRANSFER) & (g.ref == ti))
        if t.capacity_teu_per_week is not None:
            name = f"{t.node_id} {t.from_layer}-{t.to_layer}"
            rows.append(CapacityRow("terminal", name, name, "both", edges, t.capacity_teu_per_week))
    return rows


@pytest.fixture(scope="module")
def rows(eurasia: corridor.Network) -> list[CapacityRow]:
    return own_capacity_rows(eurasia)


def test_the_test_capacities_bind_somewhere_on_the_shipped_demand(
    eurasia: corridor.Network, demand: tuple[ODPair, ...], rows: list[CapacityRow]
) -> None:
    base = assign(eurasia, demand, capacities=rows)
    assert [f.facility_id for f in base.constraints] == [r.facility_id for r in rows]
    assert any(f.binding for f in base.constraints)
    for f, row in zip(base.constraints, rows, strict=True):
        assert f.flow_teu <= row.capacity * (1 + 1e-7) + 1e-6


def test_shadow_price_is_the_objective_saved_by_one_more_teu_of_capacity(
    eurasia: corridor.Network, demand: tuple[ODPair, ...], rows: list[CapacityRow]
) -> None:
    base = assign(eurasia, demand, capacities=rows)
    checked = 0
    for i, f in enumerate(base.constraints):
        if not f.binding:
            continue
        widened = list(rows)
        widened[i] = dataclasses.replace(rows[i], capacity=rows[i].capacity + 1.0)
        saved = base.objective_usd - assign(eurasia, demand, capacities=widened).objective_usd
        assert saved == pytest.approx(f.shadow_price_usd, rel=1e-6, abs=1e-4)
        checked += 1
    assert checked > 0


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_raising_a_capacity_never_raises_the_optimal_cost(
    eurasia: corridor.Network,
    demand: tuple[ODPair, ...],
    rows: list[CapacityRow],
    data: st.DataObject,
) -> None:
    scale = data.draw(st.sampled_from([1.0, 2.0, 3.0]), label="demand scale")
    scaled = [dataclasses.replace(p, teu_per_week=scale * (p.teu_per_week or 0)) for p in demand]
    i = data.draw(st.integers(0, len(rows) - 1), label="capacity")
    factor = data.draw(st.floats(1.0, 4.0), label="factor")
    before = assign(eurasia, scaled, capacities=rows).objective_usd
    raised = list(rows)
    raised[i] = dataclasses.replace(rows[i], capacity=rows[i].capacity * factor)
    after = assign(eurasia, scaled, capacities=raised).objective_usd
    assert after <= before * (1 + 1e-9) + 1e-6


def test_demand_beyond_every_route_is_reported_unserved(tiny_copy: Path) -> None:
    net = corridor.load_network(tiny_copy)
    pair = ODPair("AA_A", "BB_C", "general", 50.0)
    free = assign(net, [pair])
    assert free.unserved == ()
    # one capacity of 5 TEU/week over every edge leaving the origin
    g = net.graph
    out_edges = [
        e
        for v in g.vertices_of_node[net.node_index["AA_A"]]
        for e in range(int(g.indptr[v]), int(g.indptr[v + 1]))
    ]
    rows = [CapacityRow("link", "all", "all out of AA_A", "out", np.array(out_edges), 5.0)]
    result = assign(net, [pair], capacities=rows, unserved_penalty=1e5)
    (od,) = result.unserved
    assert od.unserved_teu == pytest.approx(45.0)
    assert result.served_teu == pytest.approx(5.0)
    assert result.bottlenecks[0].facility_id == "all"


def test_bulk_commodity_in_demand_is_refused_with_its_row(tmp_path: Path, tiny_copy: Path) -> None:
    net = corridor.load_network(tiny_copy)
    bulk = [c.commodity for c in net.commodities if c.unit == "tonne"]
    assert bulk, "the tiny fixture must keep a bulk commodity for this test"
    nodes = [n.node_id for n in net.nodes]
    file = tmp_path / "d.csv"
    file.write_text(
        "origin,destination,commodity,teu_per_week\n"
        f"{nodes[0]},{nodes[1]},general,5\n{nodes[0]},{nodes[1]},{bulk[0]},5\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as err:
        read_demand(file, net)
    assert err.value.problems[0].row == 3 and err.value.problems[0].column == "commodity"


def test_negative_value_of_time_is_a_query_error(
    eurasia: corridor.Network, demand: tuple[ODPair, ...]
) -> None:
    with pytest.raises(QueryError) as err:
        assign(eurasia, demand, value_of_time=-1.0)
    assert err.value.field == "value_of_time"
