"""OD sets: the origin–destination pairs an analysis plans, with optional weekly demand.

One CSV format serves `compare`, `criticality`, `batch` (pairs) and `assign` (pairs with
`teu_per_week`). Columns: origin, destination (node ids or place names), commodity (default
general), teu_per_week (optional, > 0), and the provenance columns source, estimate, note
(optional here; the bundled file fills them all). See docs/od-sets.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corridor.errors import CorridorError, InputFileError, Problem
from corridor.network.limits import TEU_PER_WEEK
from corridor.network.loader import bundled_path
from corridor.network.model import Network
from corridor.network.places import resolve_place
from corridor.network.tables import Column, boolean, identifier, listing, number, read_table, text

DEFAULT_FILE = "demand.csv"

_SCHEMA: dict[str, Column] = {
    "origin": Column(text),
    "destination": Column(text),
    "commodity": Column(identifier, required=False, default="general"),
    "teu_per_week": Column(number(above=0, maximum=TEU_PER_WEEK[1]), required=False, default=None),
    "source": Column(listing(identifier), required=False, default=()),
    "estimate": Column(boolean, required=False, default=False),
    "note": Column(text, required=False, default=""),
}


@dataclass(frozen=True)
class ODPair:
    """One origin–destination pair; `origin`/`destination` are node ids once resolved."""

    origin: str
    destination: str
    commodity: str = "general"
    teu_per_week: float | None = None
    source: tuple[str, ...] = ()
    estimate: bool = False
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.origin}→{self.destination} ({self.commodity})"


def default_od_path(network_path: str | Path | None = None) -> Path:
    """The OD set shipped with a network package (the bundled one when no path is given)."""
    folder = Path(network_path) if network_path is not None else bundled_path()
    return folder / DEFAULT_FILE


def read_od_pairs(
    path: str | Path, network: Network, *, require_demand: bool = False
) -> tuple[ODPair, ...]:
    """Read and check an OD file against `network`; places are resolved to node ids.

    Raises `InputFileError` listing every problem (file, row, column, what was expected).
    """
    file = Path(path)
    problems: list[Problem] = []
    rows = read_table(file, _SCHEMA, problems)
    pairs: list[ODPair] = []
    for row in rows:
        v = row.values
        ends: list[str] = []
        for column in ("origin", "destination"):
            try:
                ends.append(resolve_place(network, v[column]).node_id)
            except CorridorError as exc:
                problems.append(Problem(file.name, row.number, column, v[column], str(exc)))
        if v["commodity"] not in network.commodity_index:
            problems.append(
                Problem(
                    file.name,
                    row.number,
                    "commodity",
                    v["commodity"],
                    "expected one of " + ", ".join(network.commodity_index),
                )
            )
            continue
        if require_demand and v["teu_per_week"] is None:
            problems.append(
                Problem(file.name, row.number, "teu_per_week", None, "demand is required here")
            )
            continue
        if len(ends) == 2 and ends[0] == ends[1]:
            problems.append(
                Problem(file.name, row.number, "destination", v["destination"], "equals origin")
            )
            continue
        if len(ends) == 2:
            pairs.append(
                ODPair(
                    ends[0],
                    ends[1],
                    v["commodity"],
                    v["teu_per_week"],
                    tuple(v["source"]),
                    v["estimate"],
                    v["note"],
                )
            )
    if not problems and not pairs:
        problems.append(Problem(file.name, None, None, None, "no OD pairs; add at least one row"))
    if problems:
        raise InputFileError(str(file), problems)
    return tuple(pairs)
