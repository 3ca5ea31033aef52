"""The engine and the planner's route sets against the brute-force enumerator, on random networks.

The oracle (`random_networks.brute_force`) walks every simple path from the generated rows with
its own arithmetic; nothing here imports the engine's constants or tables into an expectation.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_networks import Found, Spec, brute_force, pareto_vectors, specs, write_package

import corridor
from corridor.errors import NoRouteError
from corridor.routing import planner
from corridor.routing.clock import EPOCH
from corridor.routing.pareto import CRITERION_INDEX, pareto_paths, prepare, search
from corridor.routing.weights import Exclusions, edge_weights, shipment_of

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORDER = ("time", "cost", "co2e")

queries = st.fixed_dictionaries(
    {
        "start": st.integers(0, 167),
        "commodity": st.sampled_from(("general", "agri", "crude")),
        "criteria": st.sampled_from(
            (("time", "cost", "co2e"), ("cost", "time"), ("cost",), ("time",), ("co2e", "cost"))
        ),
        "max_transfers": st.sampled_from((None, None, 0, 1)),
        "od": st.tuples(st.integers(0, 5), st.integers(0, 5)),
        "epsilon": st.sampled_from((0.01, 0.1, 0.3)),
    }
)


def ends(spec: Spec, q: dict[str, Any]) -> tuple[str, str]:
    n = len(spec.nodes)
    a = q["od"][0] % n
    b = (a + 1 + q["od"][1] % (n - 1)) % n
    return f"N{a}", f"N{b}"


def routes_of(spec: Spec, q: dict[str, Any]) -> list[Found]:
    origin, destination = ends(spec, q)
    return brute_force(
        spec,
        origin,
        destination,
        q["commodity"],
        q["start"],
        max_transfers=q["max_transfers"],
    )


def figures(f: Found) -> tuple[float, float, float]:
    return (round(float(f.time), 6), round(float(f.cost), 6), round(float(f.co2e), 6))


def lex_first(found: list[Found], first: tuple[str, ...]) -> tuple[float, float, float]:
    """The figures of the route first in (`first`, then time, cost, CO2e) order."""
    order = [*first, *(c for c in ORDER if c not in first)]
    best = min(found, key=lambda f: tuple(figures(f)[ORDER.index(c)] for c in order))
    return figures(best)


def engine(spec: Spec, q: dict[str, Any], **options: Any) -> list[tuple[float, float, float]]:
    """pareto_paths's figures (transit hours, cost, CO2e) on the generated network."""
    origin, destination = ends(spec, q)
    with tempfile.TemporaryDirectory() as tmp:
        net = corridor.load_network(write_package(spec, Path(tmp) / "net"))
    g = net.graph
    shipment = shipment_of(net, q["commodity"], corridor.Cargo())
    space = prepare(g, edge_weights(net, shipment, Exclusions()))
    paths = pareto_paths(
        space,
        g.vertices_of_node[net.node_index[origin]],
        g.vertices_of_node[net.node_index[destination]],
        float(q["start"]),
        [CRITERION_INDEX[c] for c in q["criteria"]],
        q["max_transfers"],
        **options,
    )
    return [(round(p.arrival - p.start, 6), round(p.cost, 6), round(p.co2e, 6)) for p in paths]


def project(fig: tuple[float, float, float], criteria: tuple[str, ...]) -> tuple[float, ...]:
    return tuple(fig[ORDER.index(c)] for c in criteria)


@SETTINGS
@given(spec=specs(), q=queries)
def test_exact_mode_equals_the_oracle_ties_included(spec: Spec, q: dict[str, Any]) -> None:
    found = routes_of(spec, q)
    got = engine(spec, q)
    crit = q["criteria"]
    expected = pareto_vectors(found, crit)
    assert {project(f, crit) for f in got} == expected
    assert len(got) == len(expected)  # exact ties collapsed
    for fig in got:  # tie rule: first in (criteria, time, cost, CO2e) among equal vectors
        tied = [f for f in found if project(figures(f), crit) == project(fig, crit)]
        assert fig == lex_first(tied, crit)


@SETTINGS
@given(spec=specs(), q=queries)
def test_pruning_on_and_off_give_the_same_routes(spec: Spec, q: dict[str, Any]) -> None:
    assert engine(spec, q, prune=True) == engine(spec, q, prune=False)


@SETTINGS
@given(spec=specs(), q=queries)
def test_epsilon_mode_covers_the_exact_front_with_pareto_routes_and_exact_optima(
    spec: Spec, q: dict[str, Any]
) -> None:
    crit, eps = q["criteria"], q["epsilon"]
    found = routes_of(spec, q)
    got = engine(spec, q, epsilon=eps)
    if not found:
        assert got == []
        return
    exact = pareto_vectors(found, crit)
    vectors = {project(f, crit) for f in got}
    assert vectors <= exact  # every route returned is Pareto-optimal
    for v in exact:  # and each exact one is within (1 + eps) of a returned one
        assert any(
            all(a <= (1 + eps) * b + 1e-6 for a, b in zip(w, v, strict=True)) for w in vectors
        )
    for c in crit:  # each criterion's exact optimum is there
        rest = tuple(x for x in crit if x != c)
        best = project(lex_first(found, (c, *rest)), crit)
        assert best in vectors


@SETTINGS
@given(spec=specs(), q=queries)
def test_merged_epsilon_keeps_clocks_within_eps_and_costs_within_eps_per_vertex(
    spec: Spec, q: dict[str, Any]
) -> None:
    # eps merging at every vertex (the planner's default mode): a label merges only into one no
    # later, within (1 + eps) on cost and CO2e, so an exact route's time is covered within
    # (1 + eps) (the destination's own eps test) and its costs within (1 + eps) per vertex
    crit, eps = q["criteria"], q["epsilon"]
    found = routes_of(spec, q)
    origin, destination = ends(spec, q)
    with tempfile.TemporaryDirectory() as tmp:
        net = corridor.load_network(write_package(spec, Path(tmp) / "net"))
    g = net.graph
    space = prepare(
        g, edge_weights(net, shipment_of(net, q["commodity"], corridor.Cargo()), Exclusions())
    )
    paths, _ = search(
        space,
        g.vertices_of_node[net.node_index[origin]],
        g.vertices_of_node[net.node_index[destination]],
        float(q["start"]),
        [CRITERION_INDEX[c] for c in crit],
        q["max_transfers"],
        epsilon=eps,
        merge=True,
    )
    got = {
        project((round(p.arrival - p.start, 6), round(p.cost, 6), round(p.co2e, 6)), crit)
        for p in paths
    }
    if not found:
        assert got == set()
        return
    per_path = (1 + eps) ** g.n_vertices  # at most one merge per vertex along a route
    slack = {"time": 1 + eps, "cost": per_path, "co2e": per_path}
    for v in pareto_vectors(found, crit):
        assert any(
            all(a <= slack[c] * b + 1e-6 for c, a, b in zip(crit, w, v, strict=True)) for w in got
        )
    for c in crit:  # each criterion's exact optimum is there, ties by the query's order
        rest = tuple(x for x in crit if x != c)
        assert project(lex_first(found, (c, *rest)), crit) in got


@SETTINGS
@given(spec=specs(), q=queries, ban=st.lists(st.integers(0, 10_000), max_size=4))
def test_bounds_of_the_unbanned_graph_keep_every_banned_search_exact(
    spec: Spec, q: dict[str, Any], ban: list[int]
) -> None:
    origin, destination = ends(spec, q)
    with tempfile.TemporaryDirectory() as tmp:
        net = corridor.load_network(write_package(spec, Path(tmp) / "net"))
    g = net.graph
    shipment = shipment_of(net, q["commodity"], corridor.Cargo())
    space = prepare(g, edge_weights(net, shipment, Exclusions()))
    sources = g.vertices_of_node[net.node_index[origin]]
    targets = g.vertices_of_node[net.node_index[destination]]
    banned = frozenset(b % g.n_edges for b in ban)
    crit = [CRITERION_INDEX[c] for c in q["criteria"]]
    args = (space, sources, targets, float(q["start"]), crit, q["max_transfers"])
    unbanned = space.bounds(targets)
    per_criterion = [unbanned[:, c].copy() for c in crit]

    def figures(paths: list[Any]) -> list[tuple[float, ...]]:
        return [(p.arrival, p.cost, p.co2e, *p.edges) for p in paths]

    plain = figures(pareto_paths(*args, prune=False, banned=banned))
    assert figures(pareto_paths(*args, banned=banned, bounds=unbanned)) == plain
    assert figures(pareto_paths(*args, banned=banned, bounds=per_criterion)) == plain


plan_queries = st.fixed_dictionaries(
    {
        "start": st.integers(0, 167),
        "commodity": st.sampled_from(("general", "agri")),
        "criteria": st.sampled_from((("time", "cost", "co2e"), ("time", "cost"), ("co2e", "time"))),
        "max_transfers": st.sampled_from((None, None, 1)),
        "od": st.tuples(st.integers(0, 5), st.integers(0, 5)),
        "thin": st.booleans(),
        "epsilon": st.sampled_from((None, 0.0, 0.1)),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs(), q=plan_queries)
def test_plan_shows_every_optimum_and_only_honest_labels(spec: Spec, q: dict[str, Any]) -> None:
    check_plan_labels(spec, q)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs(), q=plan_queries)
def test_plan_leaves_out_routes_whose_exact_check_outgrows_its_budget(
    spec: Spec, q: dict[str, Any]
) -> None:
    # no labels at all for the checks: every check fails, and nothing unchecked is shown
    with (
        mock.patch.object(planner, "CHECK_FLOOR", 0),
        mock.patch.object(planner, "CHECK_SHARE", 0.0),
    ):
        check_plan_labels(spec, {**q, "epsilon": 0.1})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs(), q=plan_queries)
def test_plan_with_the_default_epsilon_past_the_exact_first_budget_keeps_honest_labels(
    spec: Spec, q: dict[str, Any]
) -> None:
    # the exact search gives up at once, so the default query runs the eps search and checks
    with mock.patch.object(planner, "EXACT_FIRST", 0):
        check_plan_labels(spec, {**q, "epsilon": None, "thin": True})


def check_plan_labels(spec: Spec, q: dict[str, Any]) -> None:
    """Every optimum shown; every route marked Pareto is on the oracle's front; every
    alternative names a shown Pareto route that dominates it."""
    origin, destination = ends(spec, q)
    found = routes_of(spec, q)
    with tempfile.TemporaryDirectory() as tmp:
        net = corridor.load_network(write_package(spec, Path(tmp) / "net"))
    query = corridor.Query(
        origin,
        destination,
        depart=EPOCH + timedelta(hours=q["start"]),
        commodity=q["commodity"],
        criteria=q["criteria"],
        constraints=corridor.Constraints(max_transfers=q["max_transfers"]),
        thin=q["thin"],
        alternatives=3,
        epsilon=q["epsilon"],
    )
    try:
        result = corridor.plan(net, query)
    except NoRouteError:
        assert not found
        return
    crit = q["criteria"]
    exact = pareto_vectors(found, crit)

    def vec(r: corridor.Route) -> tuple[float, ...]:
        return tuple(round(r.criteria()[c], 6) for c in crit)

    pareto = [r for r in result.routes if r.pareto]
    assert all(vec(r) in exact for r in pareto)  # "Pareto" is true
    hours = [r.transit_hours for r in pareto]
    assert hours == sorted(hours)  # fastest first
    for c in crit:  # each criterion's optimum is shown
        rest = tuple(x for x in crit if x != c)
        assert project(lex_first(found, (c, *rest)), crit) in {vec(r) for r in pareto}
    for r in result.routes:
        if r.pareto:
            assert r.dominated_by is None
            continue
        assert r.dominated_by is not None
        by = result.routes[r.dominated_by]
        assert by.pareto
        a, b = vec(by), vec(r)
        assert all(x <= y for x, y in zip(a, b, strict=True)) and a != b
