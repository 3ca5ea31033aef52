"""links.csv's `capacity_reverse_teu_per_week`: the to->from capacity, loaded and validated."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import corridor
from corridor.errors import NetworkValidationError, Problem

COLUMN = "capacity_reverse_teu_per_week"


def set_capacities(folder: Path, caps: dict[str, tuple[str, str]]) -> None:
    """Give links (by id) forward and reverse capacities, adding the reverse column."""
    path = folder / "links.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = [*rows[0].keys(), COLUMN]
    for row in rows:
        forward, reverse = caps.get(row["link_id"], (row["capacity_teu_per_week"], ""))
        row["capacity_teu_per_week"], row[COLUMN] = forward, reverse
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(NetworkValidationError) as info:
        corridor.load_network(folder)
    return list(info.value.problems)


def test_a_reverse_capacity_caps_only_the_reverse_direction(tiny_copy: Path) -> None:
    set_capacities(tiny_copy, {"L1": ("50", "20"), "L2": ("30", ""), "L3": ("", "7.5")})
    net = corridor.load_network(tiny_copy)
    by_id = {link.link_id: link for link in net.links}
    assert (by_id["L1"].capacity_teu(False), by_id["L1"].capacity_teu(True)) == (50.0, 20.0)
    assert (by_id["L2"].capacity_teu(False), by_id["L2"].capacity_teu(True)) == (30.0, 30.0)
    assert (by_id["L3"].capacity_teu(False), by_id["L3"].capacity_teu(True)) == (None, 7.5)
    assert (by_id["L4"].capacity_teu(False), by_id["L4"].capacity_teu(True)) == (None, None)


def test_a_package_without_the_column_loads_with_equal_directions(tiny_copy: Path) -> None:
    net = corridor.load_network(tiny_copy)
    assert all(link.capacity_reverse_teu_per_week is None for link in net.links)


@pytest.mark.parametrize("bad", ["0", "-5", "nan", "inf", "lots", "20000000"])
def test_a_reverse_capacity_out_of_range_is_a_located_problem(tiny_copy: Path, bad: str) -> None:
    set_capacities(tiny_copy, {"L2": ("30", bad)})
    located = [(p.file, p.row, p.column) for p in problems_of(tiny_copy)]
    assert ("links.csv", 3, COLUMN) in located


def test_a_reverse_capacity_on_a_one_way_link_is_a_located_problem(tiny_copy: Path) -> None:
    set_capacities(tiny_copy, {"L6": ("", "100")})  # L6, row 7, is a one-way pipeline
    problems = problems_of(tiny_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("links.csv", 7, COLUMN)]
    assert "one-way" in problems[0].message
