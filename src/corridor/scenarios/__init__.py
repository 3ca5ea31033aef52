"""Scenarios: changes to a network read from TOML files and applied as pure transforms."""

from corridor.scenarios.apply import apply_change, apply_scenario, compose
from corridor.scenarios.files import load_scenario
from corridor.scenarios.model import Change, Scenario

__all__ = ["Change", "Scenario", "apply_change", "apply_scenario", "compose", "load_scenario"]
