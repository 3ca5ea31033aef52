"""Vectorized Monte Carlo of a route's transit time, re-applying the timetables on every sample.

All samples advance together, leg by leg: a leg adds a lognormal duration to every sample's
clock, and a scheduled leg first moves each clock to the next departure of its weekly
timetable, so a delay that misses a sailing costs the wait for the next one (delays compound
as they do in reality). Legs are independent; the result is deterministic given the seed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from corridor.errors import QueryError
from corridor.network.model import Network
from corridor.network.records import HOURS_PER_WEEK
from corridor.reliability.distributions import RouteModel, route_model
from corridor.routing.result import Route
from corridor.routing.weights import LINE_HAUL_P90_RATIO

FloatArray = npt.NDArray[np.float64]

MAX_SAMPLES = 10_000_000
COUNT_LOOKUP_MAX = 32  # departures a week up to which a count beats a binary search
_SLACK = 1e-9  # as in corridor.routing.clock.next_departure


@dataclass(frozen=True, eq=False)
class TransitDistribution:
    """Simulated transit times of one route, hours from its departure, one per sample."""

    hours: FloatArray  # read-only
    planned_hours: float  # the planner's transit on median times, for comparison
    seed: int

    @property
    def samples(self) -> int:
        return len(self.hours)

    def quantile(self, q: float) -> float:
        return float(np.quantile(self.hours, q))

    @property
    def p50(self) -> float:
        return self.quantile(0.5)

    @property
    def p90(self) -> float:
        return self.quantile(0.9)

    @property
    def p95(self) -> float:
        return self.quantile(0.95)

    @property
    def mean(self) -> float:
        return float(self.hours.mean())

    def on_time_probability(self, deadline_hours_from_departure: float) -> float:
        """The share of samples that arrive no later than the deadline."""
        return float(np.count_nonzero(self.hours <= deadline_hours_from_departure + _SLACK)) / len(
            self.hours
        )


def next_departures(t: FloatArray, departures: FloatArray) -> FloatArray:
    """For each ready time, the first departure at or after it (`clock.next_departure`, vectorized).

    `departures` are sorted weekly hours in [0, 168); the first one of the next week is appended
    so that a lookup past the week's last departure lands on it.
    """
    week_start = np.floor_divide(t, HOURS_PER_WEEK) * HOURS_PER_WEEK
    extended = np.append(departures, HOURS_PER_WEEK + departures[0])
    phase = t - week_start - _SLACK
    if len(departures) <= COUNT_LOOKUP_MAX:
        # bisect_left as a count of earlier departures: branch-free, faster on short timetables
        i = np.zeros(len(t), dtype=np.intp)
        for departure in departures.tolist():
            i += phase > departure
    else:
        i = np.searchsorted(extended, phase, side="left")
    out: FloatArray = np.maximum(t, week_start + extended[i])
    return out


CHUNK = 1 << 17  # samples per block of draws: memory stays at CHUNK x legs normals


def _walk(model: RouteModel, z: npt.NDArray[np.float32], out: FloatArray) -> None:
    """All samples leg by leg, as whole-array operations; the arrival clocks go to `out`.

    `z` holds one row of standard normals per leg with a spread, in leg order.
    """
    median, sigma, schedule = model.median, model.sigma, model.schedule
    clock = np.full(len(out), model.start, dtype=np.float64)
    r = 0
    for i in range(len(median)):
        if schedule[i] >= 0:
            clock = next_departures(clock, model.schedules[schedule[i]])
        if sigma[i] > 0.0:
            draw = z[r].astype(np.float64)
            draw *= sigma[i]
            np.exp(draw, out=draw)
            draw *= median[i]
            clock += draw
            r += 1
        else:
            clock += median[i]
    out[:] = clock


def sample_route(model: RouteModel, *, samples: int, seed: int) -> TransitDistribution:
    """Simulate `samples` journeys along a route model (see the module docstring).

    Normals are drawn as float32 (cheaper than float64, ample for a Monte Carlo) in blocks
    of `CHUNK` samples. A per-sample numba loop was tried and lost to these array operations:
    numpy's vectorized exp beats a scalar exp per sample and leg.
    """
    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= MAX_SAMPLES:
        raise QueryError("samples", f"expected a whole number from 1 to {MAX_SAMPLES:,}")
    random_legs = int(np.count_nonzero(model.sigma > 0.0))
    rng = np.random.default_rng(seed)
    clock = np.empty(samples, dtype=np.float64)
    for lo in range(0, samples, CHUNK):
        block = clock[lo : lo + CHUNK]
        z = rng.standard_normal((random_legs, len(block)), dtype=np.float32)
        _walk(model, z, block)
    hours = clock - model.start
    hours.setflags(write=False)
    return TransitDistribution(hours=hours, planned_hours=model.planned_hours, seed=seed)


def simulate(
    network: Network,
    route: Route,
    *,
    samples: int = 10_000,
    seed: int = 0,
    line_haul: Mapping[str, float] = LINE_HAUL_P90_RATIO,
) -> TransitDistribution:
    """Monte Carlo transit times of a planned route on `network`, deterministic given `seed`.

    `line_haul` is each mode's P90 over median running time; `{}` leaves running times fixed.
    Raises `QueryError` (field `samples`) for a bad sample count and `CorridorError` when the
    route's legs are not in `network`.
    """
    return sample_route(route_model(network, route, line_haul), samples=samples, seed=seed)
