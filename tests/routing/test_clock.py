"""Internal hours and weekly timetables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from corridor.routing.clock import EPOCH, next_departure, to_datetime, to_hours


def test_epoch_is_a_monday_midnight_utc() -> None:
    assert EPOCH.weekday() == 0 and EPOCH.hour == 0 and EPOCH.tzinfo is UTC


def test_naive_datetimes_are_utc() -> None:
    assert to_hours(datetime(2024, 1, 2)) == 24.0


def test_next_departure_waits_within_the_week_and_wraps_to_the_next() -> None:
    departures = [12.0, 84.0]  # Monday and Thursday noon
    assert next_departure(0.0, departures) == 12.0
    assert next_departure(12.0, departures) == 12.0  # departing now counts
    assert next_departure(12.5, departures) == 84.0
    assert next_departure(100.0, departures) == 168.0 + 12.0
    assert next_departure(168.0 * 5 + 90.0, departures) == 168.0 * 6 + 12.0


@given(
    t=st.floats(0, 168 * 200, allow_nan=False),
    departures=st.lists(st.floats(0, 167.99), min_size=1, max_size=6, unique=True).map(sorted),
)
def test_next_departure_is_the_first_timetable_time_not_before_t(
    t: float, departures: list[float]
) -> None:
    d = next_departure(t, departures)
    assert d >= t - 1e-9
    assert d - t <= 168.0 + 1e-9
    assert any(abs((d % 168.0) - x) < 1e-6 or abs((d % 168.0) - x) > 168 - 1e-6 for x in departures)
    # nothing departs strictly between t and d
    week = (t // 168.0) * 168.0
    candidates = [week + k * 168.0 + x for k in (0, 1) for x in departures]
    assert min(c for c in candidates if c >= t - 1e-9) >= d - 1e-6


@given(st.integers(0, 10**8))
def test_hours_and_datetimes_round_trip_to_the_second(seconds: int) -> None:
    moment = EPOCH + timedelta(seconds=seconds)
    assert to_datetime(to_hours(moment)) == moment
