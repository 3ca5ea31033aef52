"""The Monte Carlo against analytic cases: deterministic limit, sums, a headway wait, a missed week."""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import corridor
from corridor.errors import QueryError
from corridor.reliability import simulate
from corridor.reliability.distributions import RouteModel
from corridor.reliability.montecarlo import next_departures, sample_route
from corridor.routing.clock import next_departure

WEEK = 168.0


def model(
    steps: list[tuple[float, float, int]],
    schedules: tuple[list[float], ...] = (),
    start: float = 0.0,
) -> RouteModel:
    """A route model from (median, sigma, schedule index) steps."""
    return RouteModel(
        start=start,
        median=np.array([s[0] for s in steps], dtype=np.float64),
        sigma=np.array([s[1] for s in steps], dtype=np.float64),
        schedule=np.array([s[2] for s in steps], dtype=np.int32),
        schedules=tuple(np.array(s, dtype=np.float64) for s in schedules),
        refs=tuple(f"step{i}" for i in range(len(steps))),
        planned_hours=0.0,
    )


def without_spread(net: corridor.Network) -> corridor.Network:
    """The network with every P90 equal to its median."""
    return dataclasses.replace(
        net,
        crossings=tuple(
            dataclasses.replace(c, dwell_p90_h=c.dwell_median_h) for c in net.crossings
        ),
        transfers=tuple(dataclasses.replace(t, duration_p90_h=t.duration_h) for t in net.transfers),
    )


@pytest.fixture(scope="module")
def flat(eurasia: corridor.Network) -> corridor.Network:
    return without_spread(eurasia)


PAIRS = [("Xian", "Duisburg"), ("Almaty", "Poti"), ("Kuryk", "Alat"), ("Shanghai", "Rotterdam")]


@settings(max_examples=30, deadline=None)
@given(
    pair=st.sampled_from(PAIRS),
    minutes=st.integers(0, 2 * 7 * 24 * 60),
    seed=st.integers(0, 2**32),
)
def test_with_zero_spread_every_sample_is_the_planners_transit_time(
    flat: corridor.Network, pair: tuple[str, str], minutes: int, seed: int
) -> None:
    depart = datetime(2026, 11, 30) + timedelta(minutes=minutes)
    result = corridor.plan(flat, corridor.Query(*pair, depart=depart, alternatives=1))
    for route in result.routes:
        dist = simulate(flat, route, samples=200, seed=seed, line_haul={})
        assert np.all(dist.hours == route.transit_hours)
        assert dist.p50 == route.transit_hours


def test_sum_of_two_lognormal_legs_has_the_analytic_mean_and_variance() -> None:
    (m1, s1), (m2, s2) = (30.0, 0.8), (12.0, 0.4)
    n = 200_000
    dist = sample_route(model([(m1, s1, -1), (m2, s2, -1)]), samples=n, seed=7)
    mean = sum(m * np.exp(s * s / 2) for m, s in ((m1, s1), (m2, s2)))
    var = sum(m * m * np.exp(s * s) * (np.exp(s * s) - 1) for m, s in ((m1, s1), (m2, s2)))
    assert abs(dist.mean - mean) < 5 * np.sqrt(var / n)
    # the sample variance's standard error, from the fourth moment of the sum (sampled)
    centred = dist.hours - dist.hours.mean()
    se_var = np.sqrt((np.mean(centred**4) - var**2) / n)
    assert abs(dist.hours.var() - var) < 5 * se_var


def test_one_lognormal_leg_has_its_fitted_quantiles() -> None:
    n = 100_000
    dist = sample_route(model([(20.0, 0.9, -1)]), samples=n, seed=3)
    truth = stats.lognorm(s=0.9, scale=20.0)
    for q in (0.5, 0.9, 0.95):
        # the sample quantile's standard error: sqrt(q(1-q)/n) / density at the quantile
        x = truth.ppf(q)
        se = np.sqrt(q * (1 - q) / n) / truth.pdf(x)
        assert abs(dist.quantile(q) - x) < 5 * se


def test_sum_of_two_normal_like_legs_matches_the_normal_convolution() -> None:
    # small sigmas make lognormals nearly normal: the sum's CDF is the convolution's
    n = 100_000
    (m1, s1), (m2, s2) = (100.0, 0.02), (50.0, 0.03)
    dist = sample_route(model([(m1, s1, -1), (m2, s2, -1)]), samples=n, seed=11)
    normal = stats.norm(m1 + m2, np.hypot(m1 * s1, m2 * s2))
    result = stats.kstest(dist.hours, normal.cdf)
    assert result.statistic < 0.01


@settings(max_examples=40)
@given(
    t=st.lists(st.floats(0, WEEK * 300, allow_nan=False), min_size=1, max_size=30),
    departures=st.lists(st.floats(0, 167.99), min_size=1, max_size=8, unique=True).map(sorted),
)
def test_vectorized_next_departure_equals_the_planners_clock(
    t: list[float], departures: list[float]
) -> None:
    got = next_departures(np.array(t), np.array(departures))
    # the two clocks round week offsets differently: equal to well under a second
    np.testing.assert_allclose(got, [next_departure(x, departures) for x in t], rtol=0, atol=1e-6)


def test_a_single_headway_wait_is_uniform_over_the_headway() -> None:
    headway = 6.0
    grid = [k * headway for k in range(int(WEEK / headway))]
    # a widely spread leg spreads the arrival evenly over the headway; the same seed gives the
    # same draws with and without the scheduled (zero-duration) leg, so their difference is the wait
    n = 50_000
    spread = model([(50.0, 1.0, -1)])
    waiting = model([(50.0, 1.0, -1), (0.0, 0.0, 0)], (grid,))
    wait = (
        sample_route(waiting, samples=n, seed=5).hours
        - sample_route(spread, samples=n, seed=5).hours
    )
    assert wait.min() >= 0.0 and wait.max() < headway
    assert stats.kstest(wait, stats.uniform(0, headway).cdf).pvalue > 1e-3
    assert abs(wait.mean() - headway / 2) < 5 * headway / np.sqrt(12 * n)


def test_a_delay_past_a_weekly_departure_costs_exactly_a_week() -> None:
    # dwell from Monday 00:00 (median 10 h, P90 40 h), then a weekly sailing Monday 24:00, 5 h
    sigma = np.log(4.0) / 1.2815515655446004
    n = 50_000
    dist = sample_route(model([(10.0, sigma, -1), (5.0, 0.0, 0)], ([24.0],)), samples=n, seed=9)
    weeks = (dist.hours - 29.0) / WEEK
    assert np.allclose(weeks, np.round(weeks), atol=1e-9)  # 29 h, or 29 h plus whole weeks
    caught = np.mean(dist.hours == 29.0)
    expected = stats.lognorm(s=sigma, scale=10.0).cdf(24.0)
    assert abs(caught - expected) < 5 * np.sqrt(expected * (1 - expected) / n)
    one_week_late = np.mean(np.isclose(dist.hours, 29.0 + WEEK))
    expected_late = stats.lognorm(s=sigma, scale=10.0).cdf(24.0 + WEEK) - expected
    assert abs(one_week_late - expected_late) < 5 * np.sqrt(expected_late / n)


def test_same_seed_same_samples_and_another_seed_others(eurasia: corridor.Network) -> None:
    route = corridor.plan(
        eurasia, corridor.Query("Xian", "Duisburg", depart=datetime(2026, 12, 1), alternatives=0)
    ).routes[0]
    a = simulate(eurasia, route, samples=2_000, seed=1)
    b = simulate(eurasia, route, samples=2_000, seed=1)
    c = simulate(eurasia, route, samples=2_000, seed=2)
    assert np.array_equal(a.hours, b.hours) and not np.array_equal(a.hours, c.hours)
    assert not a.hours.flags.writeable


def test_spread_only_delays_a_route_beyond_its_median_plan(eurasia: corridor.Network) -> None:
    route = corridor.plan(
        eurasia, corridor.Query("Xian", "Duisburg", depart=datetime(2026, 12, 1), alternatives=0)
    ).routes[0]
    dist = simulate(eurasia, route, samples=5_000, seed=0)
    assert dist.p50 <= dist.p90 <= dist.p95
    assert dist.p90 > route.transit_hours  # the heavy border tails show
    ordered = sorted(dist.hours.tolist())
    for deadline in (route.transit_hours, dist.p50, dist.p90, dist.p95):
        # the share arriving by the deadline, counted on the sorted samples
        assert dist.on_time_probability(deadline) == bisect_right(ordered, deadline) / len(ordered)
    assert dist.on_time_probability(dist.p90) == pytest.approx(0.9, abs=1e-3)


@pytest.mark.parametrize("samples", [0, -5, 10**9])
def test_a_bad_sample_count_is_a_query_error(eurasia: corridor.Network, samples: int) -> None:
    route = corridor.plan(
        eurasia, corridor.Query("Kuryk", "Alat", depart=datetime(2026, 12, 1), alternatives=0)
    ).routes[0]
    with pytest.raises(QueryError) as info:
        simulate(eurasia, route, samples=samples)
    assert info.value.field == "samples"
