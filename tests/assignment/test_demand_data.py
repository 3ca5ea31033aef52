"""The shipped demand and capacities: every figure sourced, estimates explained."""

from __future__ import annotations

import csv

import corridor
from corridor.assignment import read_demand
from corridor.routing.odset import default_od_path


def test_every_demand_row_has_declared_sources_an_estimate_flag_and_a_note(
    eurasia: corridor.Network,
) -> None:
    declared = {s.id for s in eurasia.manifest.sources}
    with default_od_path().open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert 10 <= len(rows) <= 16
    for row in rows:
        sources = [s for s in row["source"].split(";") if s]
        assert sources and set(sources) <= declared, row
        assert row["estimate"] in ("true", "false"), row
        assert row["note"].strip(), row
        if row["estimate"] == "true":
            assert len(row["note"]) > 30, row  # says how the figure was made


def test_shipped_demand_reads_as_container_demand(eurasia: corridor.Network) -> None:
    pairs = read_demand(default_od_path(), eurasia)
    assert all(p.teu_per_week and p.teu_per_week > 0 for p in pairs)
    origins = {p.origin for p in pairs}
    assert {"CN_XIA", "CN_LYG", "KZ_AST"} <= origins  # China–Europe, Lianyungang, Kazakh agri


def test_terminal_and_service_capacities_are_loaded_with_their_notes(
    eurasia: corridor.Network,
) -> None:
    terminals = [t for t in eurasia.transfers if t.capacity_teu_per_week is not None]
    services = [s for s in eurasia.services if s.capacity_teu_per_week is not None]
    assert terminals and services
    for note in [t.provenance.note for t in terminals] + [s.provenance.note for s in services]:
        assert "Capacity" in note
