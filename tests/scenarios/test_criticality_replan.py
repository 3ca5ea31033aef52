"""The compiled closure replans against the engine, and the closure index against a scan."""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridor
from corridor.routing.query import Cargo
from corridor.scenarios.closures import closure_index
from corridor.scenarios.criticality import elements
from corridor.scenarios.optima import ODSearch, element_edges, searches_for, value_of
from corridor.scenarios.replan import Replanner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "routing"))
from random_networks import Spec, specs, write_package

CRITERIA = ("time", "cost", "co2e", "p90")
CARGO = Cargo(containers=1, size_ft=20)
DEPART = datetime(2024, 1, 2, 6, tzinfo=UTC)


def _engine(od: ODSearch, criterion: str, banned: frozenset[int]) -> float | None:
    """The label-setting engine's exact single-criterion optimum on the banned graph."""
    path = od.best_path(criterion, banned)
    return None if path is None else value_of(path, criterion)


def test_every_element_bans_the_edges_a_graph_scan_finds(eurasia: corridor.Network) -> None:
    every = elements(eurasia)
    index = closure_index(eurasia, every)
    assert {kind for kind, _ in every} == {"border", "crossing", "link", "hub"}
    for element in every:
        want = sorted(element_edges(eurasia, *element))
        assert index.edges_of(element).tolist() == want, element


def test_a_path_touches_exactly_the_elements_whose_edges_it_uses(
    eurasia: corridor.Network,
) -> None:
    every = elements(eurasia)
    index = closure_index(eurasia, every)
    banned = {e: set(element_edges(eurasia, *e)) for e in every}
    rng = np.random.default_rng(7)
    for _ in range(20):
        path = rng.choice(eurasia.graph.n_edges, size=int(rng.integers(1, 12)), replace=False)
        want = {e for e, edges in banned.items() if edges & set(path.tolist())}
        assert index.touched(path) == want


def _random_bans(draw: st.DrawFn, n_edges: int, rows: int) -> list[list[int]]:
    edge = st.integers(0, max(0, n_edges - 1))
    return [draw(st.lists(edge, max_size=4)) for _ in range(rows)]


@st.composite
def cases(draw: st.DrawFn) -> tuple[Spec, int, int, list[str], list[int]]:
    spec = draw(specs())
    n = len(spec.nodes)
    a = draw(st.integers(0, n - 1))
    b = draw(st.integers(0, n - 1).filter(lambda x: x != a))
    tasks = draw(st.integers(1, 8))
    criteria = [draw(st.sampled_from(CRITERIA)) for _ in range(tasks)]
    rows = [draw(st.integers(-1, 5)) for _ in range(tasks)]
    return spec, a, b, criteria, rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), data=st.data())
def test_banned_optima_equal_the_engines_single_criterion_searches(
    case: tuple[Spec, int, int, list[str], list[int]], data: st.DataObject
) -> None:
    spec, a, b, criteria, rows = case
    with tempfile.TemporaryDirectory() as tmp:
        net = corridor.load_network(write_package(spec, Path(tmp) / "net"))
    od = searches_for(net).od(f"N{a}", f"N{b}", "general", CARGO, DEPART)
    assert od is not None
    bans = _random_bans(data.draw, net.graph.n_edges, 6)
    ptr = np.zeros(len(bans) + 1, np.int64)
    ptr[1:] = np.cumsum([len(set(x)) for x in bans])
    edges = np.array([e for x in bans for e in sorted(set(x))], dtype=np.int64)
    planner = Replanner(od.weighted.space)
    for _ in range(2):  # a second call reuses the stamped work arrays
        got = planner.values(od, criteria, rows, (ptr, edges))
        want = [
            _engine(od, c, frozenset(bans[r]) if r >= 0 else frozenset())
            for c, r in zip(criteria, rows, strict=True)
        ]
        assert got == pytest.approx(want, abs=1e-6)
    for criterion in CRITERIA:
        best = planner.best(od, criterion)
        engine = _engine(od, criterion, frozenset())
        assert (best is None) == (engine is None)
        if best is not None:
            assert best.value == pytest.approx(engine, abs=1e-6)
            assert best.edges and set(best.edges) <= set(range(net.graph.n_edges))


def test_a_full_heap_grows_and_the_search_runs_again(eurasia: corridor.Network) -> None:
    od = searches_for(eurasia).od("CN_XIA", "DE_DUI", "general", CARGO, DEPART)
    assert od is not None
    roomy = Replanner(od.weighted.space)
    tight = Replanner(od.weighted.space)
    tight.hk, tight.hv = np.zeros(2), np.zeros(2, np.int32)
    for criterion in ("time", "cost"):
        want = roomy.best(od, criterion)
        got = tight.best(od, criterion)
        assert want is not None and got == want
    assert len(tight.hk) > 2
