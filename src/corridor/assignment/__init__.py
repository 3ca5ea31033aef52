"""Flow assignment under capacity: the weekly OD demand routed at least generalized cost by an LP."""

from corridor.assignment.costs import DEFAULT_VALUE_OF_TIME, UNSERVED_PENALTY
from corridor.assignment.demand import read_demand
from corridor.assignment.result import AssignmentResult, Facility, ODAssignment, PathFlow
from corridor.assignment.solve import assign

__all__ = [
    "DEFAULT_VALUE_OF_TIME",
    "UNSERVED_PENALTY",
    "AssignmentResult",
    "Facility",
    "ODAssignment",
    "PathFlow",
    "assign",
    "read_demand",
]
