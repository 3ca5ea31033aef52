"""The transit-time histogram the API and the page draw."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from corridor.reliability.montecarlo import TransitDistribution
from corridor.reliability.summary import histogram


@given(hours=st.floats(1.0, 5_000.0), samples=st.integers(1, 50), bins=st.integers(1, 30))
def test_a_distribution_without_spread_is_drawn_over_one_hour_from_its_value(
    hours: float, samples: int, bins: int
) -> None:
    h = histogram(TransitDistribution(np.full(samples, hours), hours, 0), bins=bins)
    edges = h["edges_hours"]
    assert edges[0] == round(hours, 2)
    assert abs(edges[-1] - (hours + 1.0)) <= 0.011  # one hour wide, edges rounded to 0.01 h
    assert sum(h["counts"]) == samples and h["counts"][0] == samples
