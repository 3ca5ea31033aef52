"""Reliability figures as JSON: how they were made, and each route's distribution as a histogram.

The CLI's `--format json` and the HTTP API give the same `reliability` object; the web page
draws `distribution` as a small histogram of the chosen route's simulated transit times.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from corridor.reliability.assess import Assessment
from corridor.reliability.montecarlo import TransitDistribution

METHOD = "monte carlo: lognormal legs fitted to median and P90, timetables re-applied"
BINS = 24


def reliability_summary(assessment: Assessment) -> dict[str, Any]:
    """How the reliability figures were made: method, samples, seed and deadline."""
    first = assessment.distributions[0] if assessment.distributions else None
    due = assessment.deadline
    return {
        "method": METHOD,
        "samples": first.samples if first else 0,
        "seed": first.seed if first else 0,
        "deadline": due.isoformat().replace("+00:00", "Z") if due else None,
    }


TAIL = 0.99  # the histogram spans the fastest sample to this quantile; the last bin holds the rest


def histogram(distribution: TransitDistribution, bins: int = BINS) -> dict[str, Any]:
    """Counts of simulated transit hours in `bins` equal bins from the fastest sample to the
    99th percentile; the last bin also counts the slowest 1% (so a long tail does not flatten
    the picture). The counts add up to the samples. A distribution without spread is drawn over
    one hour from its value.

    >>> d = TransitDistribution(np.array([10.0, 11.0, 12.0, 20.0]), 10.0, 0)
    >>> h = histogram(d, bins=2)
    >>> h["counts"], h["edges_hours"][0], sum(h["counts"])
    ([3, 1], 10.0, 4)
    """
    hours = np.asarray(distribution.hours, dtype=float)
    low, high = float(hours.min()), float(np.quantile(hours, TAIL))
    hours = np.minimum(hours, high)
    if high - low < 1e-9:
        high = low + 1.0
    counts, edges = np.histogram(hours, bins=bins, range=(low, high))
    return {
        "edges_hours": [round(float(e), 2) for e in edges],
        "counts": [int(c) for c in counts],
    }
