"""The physical range of every figure corridor accepts, wherever it enters.

One table of bounds serves the network loader, the scenario reader and transforms, OD files,
the CLI and the API, so a value that validates can always be planned: nothing overflows, no
timetable becomes empty, and no NaN or infinity reaches a JSON answer. The ranges are wide
(they exclude only what no real corridor has) and are documented in docs/network-format.md
and docs/scenarios.md.

>>> within("dwell_median_h", 12.0, *DWELL_H)
12.0
"""

from __future__ import annotations

import math

HOURS_PER_YEAR = 8760.0

# average speeds over a link, km/h (stops included): above any freight service of the mode
MAX_SPEED_KMH: dict[str, float] = {
    "rail": 350.0,  # high-speed lines; container trains run well below
    "road": 130.0,  # motorway limits
    "sea": 60.0,  # about 32 knots, above the fastest container ships
    "ferry": 80.0,  # about 43 knots, fast ferries
    "pipeline": 50.0,  # crude and gas flow at a few km/h
}
MIN_SPEED_KMH = 0.1

DISTANCE_KM = (0.0, 40_075.0)  # > 0 and at most the Equator
DURATION_H = (0.0, HOURS_PER_YEAR)  # a link's time: > 0, at most a year
DWELL_H = (0.0, HOURS_PER_YEAR)  # border dwell, transfer time: 0 to a year
MAX_P90_RATIO = 100.0  # a P90 at most 100 times its median (a lognormal's spread stays finite)
HEADWAY_H = (1.0, 168.0)  # from hourly to weekly (the timetable repeats every 168 h)
MAX_DEPARTURES_PER_WEEK = 168
GAUGE_MM = (500, 2000)
TARIFF_PER_FEU_KM = (0.0, 1_000.0)  # USD per FEU-km (today 0.1 to 3)
TARIFF_PER_FEU = (0.0, 1_000_000.0)  # USD per FEU, fixed part, fees, transfer costs
TARIFF_PER_T_KM = (0.0, 100.0)  # USD per tonne-km (pipelines: about 0.02)
COST_PER_T = (0.0, 100_000.0)  # USD per tonne at a transfer
CAPACITY_TEU_PER_WEEK = (0.0, 10_000_000.0)
CAPACITY_T_PER_WEEK = (0.0, 1_000_000_000.0)
FACTOR_G_PER_TKM = (0.0, 10_000.0)  # emission factors, g CO2e per t-km (air is about 600)
FACTOR_G_PER_T = (0.0, 1_000_000.0)  # g CO2e per tonne handled
TONNES_PER_TEU = (0.0, 40.0)  # > 0; a TEU's payload is below 30 t
TEU_PER_WEEK = (0.0, 10_000_000.0)  # OD demand
YEARS = (1970, 2200)  # dates: departures, a package's reference year
SOURCE_YEARS = (1800, 2200)  # a source's publication year
MAX_TEXT = 10_000  # characters of one text cell or field

# scenario factors
FREQUENCY_FACTOR = (0.0, 168.0)  # > 0; the result may not exceed 168 departures a week
SCALE_FACTOR = (0.0, 1_000.0)  # dwell, tariff: 0 (free) to a thousandfold
SPEED_FACTOR = (0.001, 1_000.0)
CAPACITY_FACTOR = (0.0, 1_000_000.0)

VALUE_OF_TIME_USD_PER_H = (0.0, 1_000_000.0)


def within(field: str, value: float, low: float, high: float, *, open_low: bool = False) -> float:
    """`value` if it is finite and within [low, high] (or (low, high] with `open_low`).

    Raises ValueError naming `field` and the range otherwise.

    >>> within("headway_h", 1e308, 1.0, 168.0)
    Traceback (most recent call last):
    ...
    ValueError: headway_h: expected a number between 1 and 168, got 1e+308
    """
    ok = isinstance(value, int | float) and math.isfinite(value)
    ok = ok and (low < value if open_low else low <= value) and value <= high
    if not ok:
        side = range_text(low, high, open_low=open_low)
        raise ValueError(f"{field}: expected a number {side}, got {value:g}")
    return float(value)


def range_text(low: float, high: float, *, open_low: bool = False) -> str:
    """How a range reads in an error: `> 0 and <= 8760` or `between 1 and 168`."""
    return f"> {low:g} and <= {high:g}" if open_low else f"between {low:g} and {high:g}"
