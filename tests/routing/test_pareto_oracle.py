"""The planner against an independent brute-force enumerator on random small networks."""

from __future__ import annotations

import itertools
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from random_networks import Spec, brute_force, pareto_vectors, specs, write_package

import corridor
from corridor.errors import NoRouteError
from corridor.routing.clock import EPOCH, to_hours

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plan(
    spec: Spec, query_kwargs: dict[str, object], thin: bool = False
) -> corridor.PlanResult | None:
    with tempfile.TemporaryDirectory() as tmp:
        net = corridor.load_network(write_package(spec, Path(tmp) / "net"))
    try:
        query = corridor.Query(alternatives=0, thin=thin, **query_kwargs)  # type: ignore[arg-type]
        return corridor.plan(net, query)
    except NoRouteError:
        return None


queries = st.fixed_dictionaries(
    {
        "start": st.integers(0, 167),
        "commodity": st.sampled_from(("general", "agri", "agri", "crude")),
        "criteria": st.sampled_from(
            (("time", "cost", "co2e"), ("time", "cost"), ("cost",), ("co2e", "time"))
        ),
        "avoid_country": st.sampled_from((None, None, None, "AA", "BB", "CC")),
        "avoid_mode": st.sampled_from((None, None, "road", "ferry")),
        "max_transfers": st.sampled_from((None, None, 0, 1)),
        "od": st.tuples(st.integers(0, 5), st.integers(0, 5)),
    }
)


def _setup(spec: Spec, q: dict) -> tuple[str, str, dict[str, object], dict[str, object]] | None:
    n = len(spec.nodes)
    a = q["od"][0] % n
    b = (a + 1 + q["od"][1] % (n - 1)) % n
    origin, destination = f"N{a}", f"N{b}"
    country = {nd["node_id"]: nd["country"] for nd in spec.nodes}
    avoid_countries = frozenset([q["avoid_country"]]) if q["avoid_country"] else frozenset()
    if avoid_countries & {country[origin], country[destination]}:
        avoid_countries = frozenset()
    avoid_modes = frozenset([q["avoid_mode"]]) if q["avoid_mode"] else frozenset()
    kwargs = {
        "origin": origin,
        "destination": destination,
        "depart": EPOCH + timedelta(hours=q["start"]),
        "commodity": q["commodity"],
        "criteria": q["criteria"],
        "constraints": corridor.Constraints(
            avoid_countries=avoid_countries,
            avoid_modes=avoid_modes,
            max_transfers=q["max_transfers"],
        ),
    }
    oracle = {
        "commodity": q["commodity"],
        "start": q["start"],
        "avoid_countries": avoid_countries,
        "avoid_modes": avoid_modes,
        "max_transfers": q["max_transfers"],
    }
    return origin, destination, kwargs, oracle


@SETTINGS
@given(spec=specs(), q=queries)
def test_pareto_set_equals_brute_force_enumeration(spec: Spec, q: dict) -> None:
    setup = _setup(spec, q)
    if setup is None:
        return
    origin, destination, kwargs, oracle = setup
    expected = pareto_vectors(brute_force(spec, origin, destination, **oracle), q["criteria"])
    result = _plan(spec, kwargs)
    got: set[tuple[float, ...]] = set()
    if result is not None:
        for route in result.routes:
            values = {"time": route.transit_hours, "cost": route.cost_usd, "co2e": route.co2e_kg}
            got.add(tuple(round(values[c], 6) for c in q["criteria"]))
    event(f"routes: {min(len(expected), 3)}{'+' if len(expected) >= 3 else ''}")
    event(
        f"border legs: {any(leg.kind == 'border' for r in (result.routes if result else ()) for leg in r.legs)}"
    )
    assert got == expected


@SETTINGS
@given(spec=specs(), q=queries)
def test_every_route_is_feasible_and_respects_constraints(spec: Spec, q: dict) -> None:
    setup = _setup(spec, q)
    if setup is None:
        return
    origin, destination, kwargs, oracle = setup
    result = _plan(spec, kwargs)
    if result is None:
        assert not brute_force(spec, origin, destination, **oracle)
        return
    country = {nd["node_id"]: nd["country"] for nd in spec.nodes}
    start = to_hours(kwargs["depart"])  # type: ignore[arg-type]
    for route in result.routes:
        legs = route.legs
        assert legs[0].from_node == origin and route.nodes[-1] == destination
        assert to_hours(legs[0].depart) == start
        for before, after in itertools.pairwise(legs):
            assert before.arrive == after.depart  # no gaps, no overlaps
        assert all(leg.hours >= 0 for leg in legs)
        assert abs(sum(leg.hours for leg in legs) - route.transit_hours) < 1e-6
        assert abs(sum(leg.cost_usd for leg in legs) - route.cost_usd) < 1e-6
        assert abs(sum(leg.co2e_kg for leg in legs) - route.co2e_kg) < 1e-6
        assert not set(route.countries) & set(oracle["avoid_countries"])  # type: ignore[arg-type]
        assert not set(route.modes) & set(oracle["avoid_modes"])  # type: ignore[arg-type]
        assert all(country[n] not in oracle["avoid_countries"] for n in route.nodes)  # type: ignore[operator]
        transfers = sum(1 for leg in legs if leg.kind == "transfer")
        assert transfers == route.transfers
        if q["max_transfers"] is not None:
            assert transfers <= q["max_transfers"]
        if q["commodity"] == "crude":
            assert set(route.modes) == {"pipeline"}
        else:
            assert "pipeline" not in route.modes
        for leg in legs:  # a move on a scheduled link leaves at a timetable departure
            if leg.kind == "wait":
                hour = round(to_hours(leg.arrive)) % 168
                service = next(s for s in spec.services if s["service_id"] == leg.ref)
                from random_networks import departures

                assert hour in departures(service)


@SETTINGS
@given(spec=specs(), q=queries)
def test_no_returned_route_dominates_another(spec: Spec, q: dict) -> None:
    setup = _setup(spec, q)
    if setup is None:
        return
    result = _plan(spec, setup[2])
    if result is None:
        assert not brute_force(spec, setup[0], setup[1], **setup[3])
        return
    vectors = [
        tuple(
            {"time": r.transit_hours, "cost": r.cost_usd, "co2e": r.co2e_kg}[c]
            for c in q["criteria"]
        )
        for r in result.routes
    ]
    for i, v in enumerate(vectors):
        for j, w in enumerate(vectors):
            if i != j:
                assert not (all(a <= b for a, b in zip(w, v, strict=True)) and w != v)
                assert w != v  # exact ties are collapsed


@SETTINGS
@given(spec=specs(), q=queries)
def test_thinning_keeps_pareto_routes_and_covers_each_dropped_one(spec: Spec, q: dict) -> None:
    # the documented near-tie slack (README, docs/engine.md): (absolute, relative) per
    # criterion, typed here so that the oracle does not read it from the planner
    near_tie = {"time": (12.0, 0.05), "cost": (1.0, 0.10), "co2e": (0.5, 0.10), "p90": (12.0, 0.05)}
    setup = _setup(spec, q)
    if setup is None:
        return
    exact = _plan(spec, setup[2], thin=False)
    thinned = _plan(spec, setup[2], thin=True)
    if exact is None:
        assert thinned is None
        assert not brute_force(spec, setup[0], setup[1], **setup[3])
        return
    assert thinned is not None

    def vector(r: corridor.Route) -> tuple[float, ...]:
        return tuple(r.criteria()[c] for c in q["criteria"])

    exact_vectors = {vector(r) for r in exact.routes}
    kept = [vector(r) for r in thinned.routes]
    assert set(kept) <= exact_vectors and kept
    for v in exact_vectors - set(kept):
        assert any(
            all(
                k[i] <= v[i] + max(near_tie[c][0], near_tie[c][1] * abs(v[i]))
                for i, c in enumerate(q["criteria"])
            )
            for k in kept
        )
