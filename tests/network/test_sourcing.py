"""The sourced/estimated summary, checked against counts made straight from the CSV files."""

from __future__ import annotations

import csv
from pathlib import Path

import corridor
from corridor.network.loader import bundled_path
from corridor.network.sourcing import source_counts


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def drawn_links(folder: Path) -> set[str]:
    out: set[str] = set()
    for path in folder.glob("geometry*.csv"):
        out |= {r["link_id"] for r in rows(folder, path.name)}
    return out


def expected_counts(folder: Path) -> dict[tuple[str, str], tuple[int, int]]:
    nodes, links = rows(folder, "nodes.csv"), rows(folder, "links.csv")
    drawn = drawn_links(folder)

    def distance_sourced(r: dict[str, str]) -> bool:
        cell = (r.get("distance_source") or "").strip()
        return (cell == "geometry" and r["link_id"] in drawn) or cell not in ("", "geometry")

    out = {
        ("nodes", "coordinates"): (
            sum(1 for r in nodes if (r.get("coord_source") or "").strip()),
            len(nodes),
        ),
        ("links", "distances"): (sum(1 for r in links if distance_sourced(r)), len(links)),
        ("links", "paths"): (sum(1 for r in links if r["link_id"] in drawn), len(links)),
    }
    for table in (
        "nodes",
        "links",
        "transfers",
        "crossings",
        "services",
        "commodities",
        "emission_factors",
    ):
        table_rows = rows(folder, f"{table}.csv")
        flagged = sum(1 for r in table_rows if r["estimate"].strip().lower() == "false")
        out[(table, "rows")] = (flagged, len(table_rows))
    return out


def test_summary_counts_match_the_csv_files_of_the_bundled_package(
    eurasia: corridor.Network,
) -> None:
    got = {(c.table, c.figure): (c.sourced, c.total) for c in source_counts(eurasia)}
    assert got == expected_counts(bundled_path())


def test_summary_counts_follow_edits_to_the_tables(tiny_copy: Path) -> None:
    table = rows(tiny_copy, "nodes.csv")
    for i, r in enumerate(table):
        r["coord_source"] = "test" if i % 2 == 0 else ""
    with (tiny_copy / "nodes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    net = corridor.load_network(tiny_copy)
    got = {(c.table, c.figure): (c.sourced, c.total) for c in source_counts(net)}
    expected = expected_counts(tiny_copy)
    assert got == expected
    assert expected[("nodes", "coordinates")] == (3, 5)
