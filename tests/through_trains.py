"""Fixture edit shared by the through-train tests: the four connection columns of transfers.csv."""

from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = ("through_destinations", "connection_h", "connection_p90_h", "connection_usd_per_feu")


def set_connection(tiny: Path, through: str, wait: str, p90: str, usd: str) -> Path:
    """The tiny fixture with the four connection columns, set on its BB_C gauge change only
    (rail_1435 -> rail_1520: 4 h, P90 12 h, USD 100 per FEU); set again, they are replaced."""
    path = tiny / "transfers.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    keep = [i for i, name in enumerate(rows[0]) if name not in COLUMNS]
    out = [[*(rows[0][i] for i in keep), *COLUMNS]]
    for row in rows[1:]:
        values = [through, wait, p90, usd] if row[0] == "BB_C" else ["", "", "", ""]
        out.append([*(row[i] for i in keep), *values])
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(out)
    return tiny
