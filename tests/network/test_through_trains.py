"""Through trains at a transfer (transfers.csv `through_destinations`): the loader's checks and
the bundled rows.

A box bound for a country the through trains do not serve waits `connection_h` (P90
`connection_p90_h`) and pays `connection_usd_per_feu` at the transfer, in the row's own
direction only; tests/routing/test_connections.py pins how the search charges it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import corridor
from corridor.errors import NetworkValidationError, Problem
from through_trains import set_connection


def test_a_row_loads_its_through_countries_and_connection(tiny_copy: Path) -> None:
    net = corridor.load_network(set_connection(tiny_copy, "BB;AA", "30", "50", "70"))
    (row,) = [t for t in net.transfers if t.node_id == "BB_C"]
    assert set(row.through_destinations) == {"AA", "BB"}
    assert (row.connection_h, row.connection_p90_h, row.connection_usd_per_feu) == (30, 50, 70)
    others = [t for t in net.transfers if t.node_id != "BB_C"]
    assert others and all(not t.through_destinations and t.connection_h == 0 for t in others)


def test_a_connection_may_have_no_spread(tiny_copy: Path) -> None:
    net = corridor.load_network(set_connection(tiny_copy, "CC", "30", "30", "0"))
    (row,) = [t for t in net.transfers if t.node_id == "BB_C"]
    assert row.connection_p90_h == row.connection_h == 30


def _problems(tiny: Path, through: str, wait: str, p90: str, usd: str = "") -> list[Problem]:
    with pytest.raises(NetworkValidationError) as info:
        corridor.load_network(set_connection(tiny, through, wait, p90, usd))
    return [p for p in info.value.problems if p.file == "transfers.csv"]


@pytest.mark.parametrize(
    ("through", "wait", "p90", "usd", "column", "message"),
    [
        ("ZZ", "30", "50", "", "through_destinations", "no node of nodes.csv is in this country"),
        ("bb", "30", "50", "", "through_destinations", "ISO 3166-1 alpha-2"),
        ("BB", "", "", "", "connection_h", "expected > 0"),
        ("BB", "0", "0", "", "connection_h", "expected > 0"),
        ("", "30", "50", "", "through_destinations", "list them"),
        ("", "", "", "70", "through_destinations", "list them"),
        ("", "", "50", "", "through_destinations", "list them"),
        ("", "30", "", "", "through_destinations", "list them"),
        ("BB", "30", "20", "", "connection_p90_h", "expected >= connection_h"),
        ("BB", "30", "3001", "", "connection_p90_h", "times the median"),
        ("BB", "-1", "50", "", "connection_h", ""),
        ("BB", "30", "50", "-5", "connection_usd_per_feu", ""),
    ],
)
def test_a_bad_connection_is_a_located_problem(
    tiny_copy: Path, through: str, wait: str, p90: str, usd: str, column: str, message: str
) -> None:
    found = _problems(tiny_copy, through, wait, p90, usd)
    assert any(p.column == column and message in p.message and p.row == 2 for p in found), found


def test_the_bundled_eu_entries_let_only_the_sourced_countries_ride_through(
    eurasia: corridor.Network,
) -> None:
    # China-Europe trains through Poland end in these countries (transfers.csv notes cite each);
    # none was found to Romania, Bulgaria, Serbia, North Macedonia, Greece or Türkiye
    ends = {"AT", "BE", "CZ", "DE", "HU", "IT", "NL", "PL", "SK"}
    rows = [
        t for t in eurasia.transfers if (t.from_layer, t.to_layer) == ("rail_1520", "rail_1435")
    ]
    eu_entries = [t for t in rows if eurasia.node(t.node_id).country in {"PL", "LT"}]
    assert {t.node_id for t in eu_entries} >= {"PL_MAL", "PL_KUZ", "PL_BRA", "LT_KAU"}
    for row in eu_entries:
        assert set(row.through_destinations) == ends, row.node_id
        assert not ({"RO", "BG", "RS", "MK", "GR", "TR"} & set(row.through_destinations))
        assert row.connection_h > row.duration_h


def test_the_truck_transfers_round_the_gauge_change_are_no_bypass(
    eurasia: corridor.Network,
) -> None:
    # a box trucked from Belarus to a Polish terminal must not dodge the connection
    trucked = {
        t.node_id: t
        for t in eurasia.transfers
        if (t.from_layer, t.to_layer) == ("road", "rail_1435")
        and eurasia.node(t.node_id).country == "PL"
    }
    gauge = next(t for t in eurasia.transfers if t.node_id == "PL_MAL" and t.kind == "gauge_change")
    assert trucked
    for row in trucked.values():
        assert row.connects("TR") and not row.connects("DE")
        assert row.duration_h + row.connection_h >= gauge.duration_h + gauge.connection_h
