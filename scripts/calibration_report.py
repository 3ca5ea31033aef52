"""Compare the bundled network's answers with published end-to-end figures.

The calibration set (docs/calibration/calibration-set.csv) lists published times and prices with
their year and type. Rows with role `calibration` were used to set components (speeds, dwell,
tariffs); rows with role `held-out` were not, and measure how well the model generalises.

For each row the model figure is the best route (fastest for `days`, cheapest for
`usd_per_feu`) among the planner's exact Pareto set and corridor alternatives that passes every
`via` element (a crossing id, a node id, `passage:NAME` or an ISO2 country code) and avoids
every `avoid` element (node ids, crossing ids, ISO2 countries, `mode:NAME`), taken as the
median over seven departures a day apart (weekly sailings and trains make a single departure
arbitrary). A figure is a hit when it lies within ±15% of the published range:
low × 0.85 ≤ model ≤ high × 1.15.

    python scripts/calibration_report.py            # print the table and the hit rates
    python scripts/calibration_report.py --write    # also rewrite docs/calibration.md's results
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import corridor
from corridor.errors import CorridorError

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "docs" / "calibration" / "calibration-set.csv"
DOC = ROOT / "docs" / "calibration.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
FIRST_DEPARTURE = datetime(2026, 12, 1, tzinfo=UTC)
TOLERANCE = 0.15


@dataclass(frozen=True)
class Row:
    id: str
    role: str
    origin: str
    destination: str
    via: tuple[str, ...]
    avoid: tuple[str, ...]
    commodity: str
    metric: str
    low: float
    high: float
    year: str
    type: str

    @property
    def published(self) -> str:
        unit = " d" if self.metric == "days" else " USD"
        if self.low == self.high:
            return f"{self.low:,.4g}{unit}"
        return f"{self.low:,.4g}–{self.high:,.4g}{unit}"


def read_set(path: Path = SET) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Row(
                id=r["id"],
                role=r["role"],
                origin=r["origin"],
                destination=r["destination"],
                via=tuple(v for v in r["via"].split(";") if v),
                avoid=tuple(v for v in r["avoid"].split(";") if v),
                commodity=r["commodity"] or "general",
                metric=r["metric"],
                low=float(r["low"]),
                high=float(r["high"]),
                year=r["year"],
                type=r["type"],
            )
            for r in csv.DictReader(handle)
        ]


def _is_country(token: str) -> bool:
    return len(token) == 2 and token.isalpha() and token.isupper()


def passes(route: corridor.Route, via: tuple[str, ...]) -> bool:
    marks = set(route.nodes) | set(route.corridor) | set(route.countries)
    return all(v in marks for v in via)


def model_figure(net: corridor.Network, row: Row) -> float | None:
    """The median over seven departures of the best matching route's figure, or None."""
    figures = []
    for day in range(7):
        query = corridor.Query(
            origin=row.origin,
            destination=row.destination,
            depart=FIRST_DEPARTURE + timedelta(days=day),
            commodity=row.commodity,
            constraints=corridor.Constraints(
                avoid=[a for a in row.avoid if not _is_country(a) and ":" not in a],
                avoid_countries=[a for a in row.avoid if _is_country(a)],
                avoid_modes=[a[5:] for a in row.avoid if a.startswith("mode:")],
            ),
            alternatives=10,
            thin=False,
        )
        try:
            routes = corridor.plan(net, query).routes
        except CorridorError:
            return None
        matching = [r for r in routes if passes(r, row.via)]
        if not matching:
            return None
        if row.metric == "days":
            figures.append(min(r.transit_hours for r in matching) / 24.0)
        else:
            figures.append(min(r.cost_usd for r in matching))
    return statistics.median(figures)


def hit(row: Row, value: float | None) -> bool:
    return value is not None and row.low * (1 - TOLERANCE) <= value <= row.high * (1 + TOLERANCE)


def report(net: corridor.Network, rows: list[Row]) -> str:
    lines = [
        "| id | role | origin → destination | via | published | type, year | model | hit |",
        "|---|---|---|---|---|---|---|---|",
    ]
    tally: dict[str, list[bool]] = {"calibration": [], "held-out": []}
    for row in rows:
        value = model_figure(net, row)
        ok = hit(row, value)
        tally.setdefault(row.role, []).append(ok)
        unit = " d" if row.metric == "days" else " USD"
        shown = "no matching route" if value is None else f"{value:,.1f}{unit}"
        lines.append(
            f"| {row.id} | {row.role} | {row.origin} → {row.destination} | "
            f"{', '.join(row.via) or '–'} | {row.published} | {row.type}, {row.year} | "
            f"{shown} | {'✓' if ok else '✗'} |"
        )
    lines.append("")
    for role, oks in tally.items():
        if oks:
            lines.append(
                f"- {role}: {sum(oks)} of {len(oks)} within ±{TOLERANCE:.0%} "
                f"({sum(oks) / len(oks):.0%})"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite docs/calibration.md")
    args = parser.parse_args()
    net = corridor.load_network()
    text = report(net, read_set())
    print(f"network {net.name} {net.version}: {len(net.nodes)} nodes, {len(net.links)} links")
    print(text)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        head, rest = doc.split(START, 1)
        _, tail = rest.split(END, 1)
        DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
