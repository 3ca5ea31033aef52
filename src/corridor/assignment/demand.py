"""The weekly demand an assignment routes: OD pairs of container commodities in TEU per week.

The file format is the OD-set format of `corridor.routing.odset` with `teu_per_week` required;
pipeline commodities (priced per tonne) are refused, since capacities here count TEU.
"""

from __future__ import annotations

from pathlib import Path

from corridor.errors import InputFileError, Problem
from corridor.network.model import Network
from corridor.routing.odset import ODPair, read_od_pairs


def read_demand(path: str | Path, network: Network) -> tuple[ODPair, ...]:
    """Read a demand table; raises `InputFileError` naming file, row and column of each problem."""
    pairs = read_od_pairs(path, network, require_demand=True)
    problems = [
        Problem(
            Path(path).name,
            row,
            "commodity",
            p.commodity,
            f"{p.label}: assignment counts TEU; expected a container commodity "
            f"({', '.join(c.commodity for c in network.commodities if c.unit == 'container')})",
        )
        for row, p in enumerate(pairs, start=2)  # no row was dropped: read_od_pairs raised none
        if network.commodity(p.commodity).unit != "container"
    ]
    if problems:
        raise InputFileError(str(path), problems)
    return pairs
