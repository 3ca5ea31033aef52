"""P50/P90/P95 and on-time figures against order statistics and distributions computed here."""

from __future__ import annotations

import dataclasses
import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import corridor
from corridor.errors import QueryError
from corridor.reliability import assess, simulate
from corridor.reliability.distributions import RouteModel, route_model
from corridor.reliability.montecarlo import TransitDistribution, next_departures, sample_route

WEEK = 168.0


def interpolated_quantile(values: np.ndarray, q: float) -> float:
    """The q quantile with linear interpolation between order statistics, written out."""
    ordered = sorted(float(v) for v in values)
    position = q * (len(ordered) - 1)
    lo = math.floor(position)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (position - lo) * (ordered[hi] - ordered[lo])


def shuffled_hours(n: int, seed: int = 0) -> TransitDistribution:
    hours = np.arange(n, dtype=np.float64)
    np.random.default_rng(seed).shuffle(hours)
    return TransitDistribution(hours=hours, planned_hours=0.0, seed=seed)


def test_named_quantiles_are_the_order_statistics_of_the_samples() -> None:
    dist = shuffled_hours(1001)  # hours 0..1000: the q quantile is 1000 q exactly
    assert (dist.p50, dist.p90, dist.p95) == (500.0, 900.0, 950.0)
    assert dist.mean == 500.0
    assert dist.samples == 1001


def test_on_time_counts_the_samples_arriving_by_the_deadline_inclusive() -> None:
    dist = shuffled_hours(1001)
    assert dist.on_time_probability(500.0) == 501 / 1001
    assert dist.on_time_probability(499.5) == 500 / 1001
    assert dist.on_time_probability(-0.5) == 0.0
    assert dist.on_time_probability(1000.0) == 1.0


def one_leg(median: float, sigma: float) -> RouteModel:
    return RouteModel(
        start=0.0,
        median=np.array([median]),
        sigma=np.array([sigma]),
        schedule=np.array([-1], dtype=np.int32),
        schedules=(),
        refs=("leg",),
        planned_hours=median,
    )


def test_simulated_quantiles_and_on_time_match_the_lognormal_leg() -> None:
    n = 100_000
    dist = sample_route(one_leg(40.0, 0.5), samples=n, seed=4)
    truth = stats.lognorm(s=0.5, scale=40.0)
    for q, got in ((0.5, dist.p50), (0.9, dist.p90), (0.95, dist.p95)):
        x = truth.ppf(q)
        assert abs(got - x) < 5 * np.sqrt(q * (1 - q) / n) / truth.pdf(x), q
    for deadline in (30.0, 40.0, 70.0, 90.0):
        p = truth.cdf(deadline)
        assert abs(dist.on_time_probability(deadline) - p) < 5 * np.sqrt(p * (1 - p) / n) + 1e-9


def brute_next_departure(t: float, departures: list[float]) -> float:
    """The first departure at or after `t`, over the weeks around it, by enumeration."""
    week = math.floor(t / WEEK)
    candidates = [(week + k) * WEEK + d for k in (-1, 0, 1, 2) for d in departures]
    return max(t, min(c for c in candidates if c >= t - 1e-9))


timetables = st.lists(st.floats(0, 167.99), min_size=1, max_size=90, unique=True).map(sorted)


@settings(max_examples=60, deadline=None)
@given(
    t=st.lists(st.floats(0, WEEK * 300, allow_nan=False), min_size=1, max_size=30),
    departures=timetables,
)
def test_next_departure_of_any_timetable_length_is_the_first_one_at_or_after(
    t: list[float], departures: list[float]
) -> None:
    got = next_departures(np.array(t), np.array(departures))
    want = [brute_next_departure(x, departures) for x in t]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


@pytest.mark.parametrize("per_week", [7, 32, 33, 40, 84])
def test_a_late_arrival_waits_for_the_next_of_many_departures(per_week: int) -> None:
    headway = WEEK / per_week
    grid = [k * headway for k in range(per_week)]
    model = RouteModel(
        start=0.0,
        median=np.array([10.0, 3.0]),
        sigma=np.array([0.6, 0.0]),
        schedule=np.array([-1, 0], dtype=np.int32),
        schedules=(np.array(grid),),
        refs=("dwell", "sailing"),
        planned_hours=0.0,
    )
    dist = sample_route(model, samples=4000, seed=2)
    free = sample_route(one_leg(10.0, 0.6), samples=4000, seed=2)
    want = [brute_next_departure(x, grid) + 3.0 for x in free.hours]
    np.testing.assert_allclose(dist.hours, want, rtol=0, atol=1e-6)


def test_assessed_routes_carry_their_own_quantiles_and_deadline_share(
    eurasia: corridor.Network,
) -> None:
    depart = datetime(2026, 12, 1, tzinfo=UTC)
    result = corridor.plan(eurasia, corridor.Query("Almaty", "Poti", depart=depart))
    assert len(result.routes) >= 2
    deadline = depart + timedelta(days=9)
    assessed = assess(eurasia, result, samples=3000, seed=17, deadline=deadline)
    assert assessed.deadline_hours == 9 * 24.0
    for route, shown, dist in zip(
        result.routes, assessed.result.routes, assessed.distributions, strict=True
    ):
        own = simulate(eurasia, route, samples=3000, seed=17).hours
        assert np.array_equal(dist.hours, own)
        assert shown.p50_hours == pytest.approx(interpolated_quantile(own, 0.5), abs=1e-9)
        assert shown.p90_hours == pytest.approx(interpolated_quantile(own, 0.9), abs=1e-9)
        assert shown.p95_hours == pytest.approx(interpolated_quantile(own, 0.95), abs=1e-9)
        on_time = sum(1 for h in own if h <= 9 * 24.0) / len(own)
        assert shown.on_time_probability == pytest.approx(on_time, abs=1e-12)
        assert (shown.legs, shown.transit_hours) == (route.legs, route.transit_hours)


def test_a_naive_deadline_is_utc_and_without_one_there_is_no_on_time_figure(
    eurasia: corridor.Network,
) -> None:
    depart = datetime(2026, 12, 1)
    result = corridor.plan(eurasia, corridor.Query("Kuryk", "Alat", depart=depart, alternatives=0))
    naive = assess(eurasia, result, samples=500, deadline=depart + timedelta(hours=40))
    assert naive.deadline_hours == 40.0
    assert naive.deadline is not None and naive.deadline.tzinfo is not None
    bare = assess(eurasia, result, samples=500)
    assert bare.deadline_hours is None
    assert all(r.on_time_probability is None for r in bare.result.routes)
    assert all(r.p90_hours is not None for r in bare.result.routes)


@pytest.mark.parametrize("hours", [0, -5])
def test_a_deadline_not_after_the_departure_is_refused(
    eurasia: corridor.Network, hours: int
) -> None:
    depart = datetime(2026, 12, 1)
    result = corridor.plan(eurasia, corridor.Query("Kuryk", "Alat", depart=depart, alternatives=0))
    with pytest.raises(QueryError) as info:
        assess(eurasia, result, samples=10, deadline=depart + timedelta(hours=hours))
    assert info.value.field == "deadline"


def test_every_route_is_simulated_with_the_same_seed(eurasia: corridor.Network) -> None:
    # common random numbers: two copies of one route get identical samples in one assessment
    depart = datetime(2026, 12, 1)
    result = corridor.plan(eurasia, corridor.Query("Kuryk", "Alat", depart=depart, alternatives=0))
    doubled = dataclasses.replace(result, routes=(result.routes[0], result.routes[0]))
    a = assess(eurasia, doubled, samples=400, seed=3)
    assert np.array_equal(a.distributions[0].hours, a.distributions[1].hours)
    assert a.distributions[0].seed == 3


def test_a_route_ending_across_a_border_is_timed_with_the_import_rows(
    eurasia: corridor.Network,
) -> None:
    # the only rows for cargo entering its destination country: Kazakhstan at Dostyk
    (row,) = [
        c
        for c in eurasia.crossings
        if c.traffic == "import" and c.crossing_id == "ALASHANKOU_DOSTYK"
    ]
    query = corridor.Query(
        "Alashankou",
        "Dostyk",
        depart=datetime(2026, 12, 1),
        constraints=corridor.Constraints(avoid_modes=["road"]),
        alternatives=0,
    )
    route = corridor.plan(eurasia, query).routes[0]
    assert eurasia.node(route.nodes[-2]).country != eurasia.node(route.nodes[-1]).country
    model = route_model(eurasia, route)
    steps = [leg for leg in route.legs if leg.kind != "wait"]
    border = [float(m) for m, leg in zip(model.median, steps, strict=True) if leg.kind == "border"]
    assert border == [pytest.approx(row.dwell_median_h)]


def test_one_sample_and_the_documented_ten_million_are_accepted() -> None:
    fixed = one_leg(12.0, 0.0)
    assert sample_route(fixed, samples=1, seed=0).hours.tolist() == [12.0]
    assert sample_route(fixed, samples=10_000_000, seed=0).samples == 10_000_000
    with pytest.raises(QueryError):
        sample_route(fixed, samples=10_000_001, seed=0)


def test_the_documented_defaults_are_ten_thousand_samples_and_seed_zero(
    eurasia: corridor.Network,
) -> None:
    # README: "10,000 Monte Carlo samples per route (seed 0)"
    depart = datetime(2026, 12, 1)
    result = corridor.plan(eurasia, corridor.Query("Kuryk", "Alat", depart=depart, alternatives=0))
    dist = assess(eurasia, result).distributions[0]
    assert (dist.samples, dist.seed) == (10_000, 0)
    alone = simulate(eurasia, result.routes[0])
    assert (alone.samples, alone.seed) == (10_000, 0)
    assert np.array_equal(alone.hours, dist.hours)
    assert np.array_equal(alone.hours, simulate(eurasia, result.routes[0], seed=0).hours)
