"""Route tables that follow the terminal's width instead of wrapping rows.

The widest answer comes first; while it does not fit, columns fold or give way in the fixed
order of `STEPS`: the crossings (`via`) move below the table as a numbered list (where they
wrap freely), countries are abbreviated in the middle (`CN-KZ-UZ…AT-DE`), then `arrives`, `km`
and `xfers` are dropped, modes are abbreviated, and P50 gives way to P90. The route number, label, days, P90,
on-time probability, cost and CO2e always stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import JustifyMethod
from rich.table import Table

from corridor.reliability.assess import Assessment
from corridor.routing.result import PlanResult, Route

Row = dict[str, str]


@dataclass(frozen=True)
class Column:
    key: str
    justify: JustifyMethod


COLUMNS = (
    Column("#", "right"),
    Column("", "left"),
    Column("days", "right"),
    Column("arrives", "left"),
    Column("P50 d", "right"),
    Column("P90 d", "right"),
    Column("on time", "right"),
    Column("cost USD", "right"),
    Column("CO2e t", "right"),
    Column("km", "right"),
    Column("xfers", "right"),
    Column("modes", "left"),
    Column("countries", "left"),
    Column("via", "left"),
)
# what gives way first when a table is too wide, in order
STEPS: tuple[tuple[str, str, int], ...] = (
    ("drop", "via", 0),  # listed below the table instead
    ("cut", "countries", 14),
    ("drop", "arrives", 0),
    ("drop", "km", 0),
    ("drop", "xfers", 0),
    ("cut", "modes", 10),
    ("drop", "P50 d", 0),
    ("cut", "countries", 8),
    ("cut", "modes", 6),
)


def route_cells(rank: int, r: Route, assessment: Assessment | None) -> Row:
    """A route's cells by column key (the reliability ones only when simulated)."""
    row: Row = {
        "#": str(rank),
        "": "Pareto" if r.pareto else f"alt.<{(r.dominated_by or 0) + 1}",
        "days": f"{r.transit_days:.1f}",
        "arrives": f"{r.arrive:%Y-%m-%d}",
        "cost USD": f"{r.cost_usd:,.0f}",
        "CO2e t": f"{r.co2e_kg / 1000:.2f}",
        "km": f"{r.distance_km:,.0f}",
        "xfers": str(r.transfers),
        "modes": "+".join(r.modes),
        "countries": "-".join(r.countries),
    }
    if assessment is not None:
        row["P50 d"] = f"{(r.p50_hours or 0) / 24:.1f}"
        row["P90 d"] = f"{(r.p90_hours or 0) / 24:.1f}"
        if assessment.deadline is not None:
            row["on time"] = f"{r.on_time_probability or 0:.0%}"
    return row


def abbreviate(text: str, width: int, sep: str) -> str:
    """`text` cut in the middle at a separator to at most `width` characters.

    >>> abbreviate("CN-KZ-UZ-TM-AZ-GE-TR-BG-RO-HU-AT-DE", 14, "-")
    'CN-KZ-UZ…AT-DE'
    """
    if len(text) <= width:
        return text
    parts = text.split(sep)
    head, tail = [parts[0]], [parts[-1]]
    i, j = 1, len(parts) - 2
    while i <= j:
        grow_head = len(head) <= len(tail)
        part = parts[i] if grow_head else parts[j]
        if len(sep.join(head)) + len(sep.join(tail)) + len(part) + len(sep) + 1 > width:
            break
        if grow_head:
            head.append(part)
            i += 1
        else:
            tail.insert(0, part)
            j -= 1
    short = sep.join(head) + "…" + sep.join(tail)
    return short if len(short) <= width else text[: max(width - 1, 1)] + "…"


def _natural_width(keys: Sequence[str], rows: Sequence[Row]) -> int:
    widths = [max([len(k)] + [len(r[k]) for r in rows]) for k in keys]
    return sum(widths) + 3 * (len(keys) - 1) + 2  # " │ " between columns, a space each side


def _table(keys: Sequence[str], rows: Sequence[Row]) -> Table:
    table = Table(show_edge=False, header_style="bold")
    for column in COLUMNS:
        if column.key in keys:
            table.add_column(column.key, justify=column.justify, no_wrap=True, overflow="ellipsis")
    for row in rows:
        table.add_row(*(row[k] for k in keys))
    return table


def fitted_table(rows: Sequence[Row], width: int) -> tuple[Table, bool]:
    """The route table for a terminal of `width` columns, and whether `via` was folded out."""
    present = set(rows[0]) if rows else {c.key for c in COLUMNS}
    keys = [c.key for c in COLUMNS if c.key in present]
    cells = [dict(r) for r in rows]
    dropped: list[str] = []
    for action, key, size in STEPS:
        if _natural_width(keys, cells) <= width:
            break
        if action == "drop" and key in keys:
            keys.remove(key)
            dropped.append(key)
        elif action == "cut":
            sep = "-" if key == "countries" else "+"
            for row, original in zip(cells, rows, strict=True):
                row[key] = abbreviate(original[key], size, sep)
    return _table(keys, cells), "via" in dropped


def via_list(vias: Sequence[Sequence[str]]) -> Table:
    """Each route's crossings in order, numbered like the table; long lists wrap indented."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for i, via in enumerate(vias, start=1):
        grid.add_row(str(i), " · ".join(via) or "-")
    return grid


def legs_table(rank: int, route: Route, width: int) -> Table:
    """Every leg of a route in `width` columns: `depart` and `km` give way, then the detail
    is cut with an ellipsis (rows never wrap)."""
    rows = [
        {
            "kind": leg.kind,
            "from": leg.from_node,
            "to": leg.to_node,
            "mode": leg.mode,
            "depart": f"{leg.depart:%m-%d %H:%M}",
            "hours": f"{leg.hours:.1f}",
            "km": f"{leg.distance_km:,.0f}",
            "USD": f"{leg.cost_usd:,.0f}",
            "kg CO2e": f"{leg.co2e_kg:,.0f}",
            "detail": leg.detail,
        }
        for leg in route.legs
    ]
    keys = list(rows[0]) if rows else ["kind", "detail"]
    for key in ("depart", "km"):
        fixed = _natural_width([k for k in keys if k != "detail"], rows)
        if width - fixed - 3 >= 24:
            break
        keys.remove(key)
    fixed = _natural_width([k for k in keys if k != "detail"], rows)
    table = Table(title=f"route {rank}", show_edge=False, header_style="bold")
    for key in keys:
        numeric = key in ("hours", "km", "USD", "kg CO2e")
        detail_width = max(width - fixed - 3, 6) if key == "detail" else None
        table.add_column(
            key,
            justify="right" if numeric else "left",
            no_wrap=True,
            overflow="ellipsis",
            max_width=detail_width,
        )
    for row in rows:
        table.add_row(*(row[k] for k in keys))
    return table


def understood_lines(result: PlanResult) -> list[str]:
    """What the query was read as: the places and how they matched, the network, and what is
    avoided."""
    u = result.understood
    if u is None:
        return [f"network {result.network}"]
    lines = [f"from {u.origin.describe()}  ·  to {u.destination.describe()}"]
    avoided = u.describe_avoid()
    lines.append(f"network {result.network}" + (f"  ·  {avoided}" if avoided else ""))
    return lines
