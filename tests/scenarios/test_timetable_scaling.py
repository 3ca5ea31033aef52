"""`scale_frequency` by its effect: the gaps of the new timetable and the mean wait of cargo
arriving at random, computed here by enumeration, not by the transform's own formula."""

from __future__ import annotations

import math
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.scenarios import transforms as tf

WEEK = 168.0


def circular_gaps(times: list[float]) -> list[float]:
    ordered = sorted(times)
    return [b - a for a, b in pairwise([*ordered, ordered[0] + WEEK])]


def mean_wait(times: list[float], step: float = 0.05) -> float:
    """The mean wait for the next departure of cargo ready at any moment of the week, by
    scanning the week in small steps."""
    ordered = sorted(times)
    total, n = 0.0, 0
    for i in range(int(WEEK / step)):
        ready = (i + 0.5) * step
        following = min([t for t in ordered if t >= ready] or [ordered[0] + WEEK])
        total += following - ready
        n += 1
    return total / n


timetables = st.lists(st.integers(0, 167 * 4), min_size=1, max_size=5, unique=True).map(
    lambda quarters: sorted(q / 4 for q in quarters)
)


@given(times=timetables, k=st.integers(2, 4))
@settings(max_examples=40, deadline=None)
def test_k_times_as_frequent_splits_every_gap_into_k_equal_ones(times: list[float], k: int) -> None:
    out = list(tf.scale_frequency(times, k))
    assert out == sorted(out) and all(0 <= t < WEEK for t in out)
    assert set(times) <= {round(t, 9) for t in out}
    want = sorted(g / k for g in circular_gaps(times) for _ in range(k))
    got = sorted(circular_gaps(out))
    assert len(got) == len(want)
    assert all(math.isclose(a, b, abs_tol=1e-9) for a, b in zip(got, want, strict=True))


@given(times=timetables, k=st.integers(2, 3))
@settings(max_examples=10, deadline=None)
def test_k_times_as_frequent_divides_the_mean_wait_by_k(times: list[float], k: int) -> None:
    before, after = mean_wait(times), mean_wait(list(tf.scale_frequency(times, k)))
    assert math.isclose(after, before / k, abs_tol=0.05)  # the scan is 0.05 h fine


@given(times=timetables, k=st.integers(2, 4))
@settings(max_examples=40, deadline=None)
def test_a_kth_as_frequent_keeps_every_kth_departure_from_the_first(
    times: list[float], k: int
) -> None:
    out = tf.scale_frequency(times, 1 / k)
    assert len(out) == math.ceil(len(times) / k)
    assert out[0] == times[0]
    positions = [times.index(t) for t in out]
    assert all(b - a == k for a, b in pairwise(positions))
