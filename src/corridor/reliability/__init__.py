"""Reliability: per-leg time distributions and a Monte Carlo of transit times over a route."""

from corridor.reliability.assess import Assessment, assess
from corridor.reliability.montecarlo import TransitDistribution, simulate

__all__ = ["Assessment", "TransitDistribution", "assess", "simulate"]
