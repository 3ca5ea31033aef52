"""What an assignment reports per OD pair."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from corridor.assignment.result import ODAssignment


@given(demand=st.floats(0.0, 1e5), share=st.floats(0.0, 1.0))
def test_served_and_unserved_are_reported_to_a_thousandth_of_a_teu_and_add_up(
    demand: float, share: float
) -> None:
    served = demand * share
    row = ODAssignment("A", "B", "general", demand, served, ()).to_dict()
    assert abs(row["served_teu_per_week"] - served) <= 0.0005 + 1e-9
    assert abs(row["unserved_teu_per_week"] - (demand - served)) <= 0.0005 + 1e-9
    assert abs(row["served_teu_per_week"] + row["unserved_teu_per_week"] - demand) <= 0.001 + 1e-9
