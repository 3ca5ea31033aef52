"""Time at the API edge is a UTC datetime; inside, hours since a Monday-midnight epoch.

Weekly timetables repeat every 168 h, so the epoch is a Monday and `t % 168` is the hour of week.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from corridor.errors import QueryError
from corridor.network.records import HOURS_PER_WEEK

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday
_SLACK = 1e-9


def today_utc() -> datetime:
    """Today at 00:00 UTC: the default departure of the analyses, stable within a day."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def parse_utc(value: datetime | date | str, field: str = "depart") -> datetime:
    """A moment as an aware UTC datetime: a datetime, a date (its midnight) or ISO 8601 text.

    A time without zone is UTC. Raises QueryError naming `field` for text that is no date.

    >>> parse_utc("2026-12-01"), parse_utc("2026-12-01T08:00+01:00").hour
    (datetime.datetime(2026, 12, 1, 0, 0, tzinfo=datetime.timezone.utc), 7)
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise QueryError(
                field,
                f"expected a date or UTC date-time like 2026-12-01 or 2026-12-01T08:00, got {value!r}",
            ) from None
    if not isinstance(value, datetime):
        if not isinstance(value, date):
            raise QueryError(field, f"expected a date, a datetime or ISO 8601 text, got {value!r}")
        value = datetime(value.year, value.month, value.day)
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def to_hours(moment: datetime) -> float:
    """Hours since the epoch; naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH).total_seconds() / 3600.0


def to_datetime(hours: float) -> datetime:
    """The UTC datetime of an internal time, rounded to the second."""
    return EPOCH + timedelta(seconds=round(hours * 3600.0))


def next_departure(t: float, departures: Sequence[float]) -> float:
    """The first departure at or after `t`, given sorted weekly departure hours in [0, 168)."""
    week_start = (t // HOURS_PER_WEEK) * HOURS_PER_WEEK
    i = bisect_left(departures, t - week_start - _SLACK)
    if i < len(departures):
        return max(t, week_start + departures[i])
    return week_start + HOURS_PER_WEEK + departures[0]
