"""OD-set files: the bundled set reads cleanly, and each mistake is named by row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

import corridor
from corridor.errors import InputFileError
from corridor.routing.odset import default_od_path, read_od_pairs


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "od.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_od_set_resolves_and_carries_demand(eurasia: corridor.Network) -> None:
    pairs = read_od_pairs(default_od_path(), eurasia, require_demand=True)
    assert len(pairs) >= 8
    assert all(
        p.origin in eurasia.node_index and p.destination in eurasia.node_index for p in pairs
    )
    assert all(p.teu_per_week is not None and p.teu_per_week > 0 for p in pairs)


def test_place_names_resolve_to_node_ids(eurasia: corridor.Network, tmp_path: Path) -> None:
    path = write(tmp_path, "origin,destination,commodity\nXi'an,duisburg,agri\n")
    (pair,) = read_od_pairs(path, eurasia)
    assert (pair.origin, pair.destination, pair.commodity) == ("CN_XIA", "DE_DUI", "agri")
    assert pair.teu_per_week is None


def test_commodity_defaults_to_general(eurasia: corridor.Network, tmp_path: Path) -> None:
    (pair,) = read_od_pairs(write(tmp_path, "origin,destination\nCN_XIA,DE_DUI\n"), eurasia)
    assert pair.commodity == "general"


def test_every_problem_is_reported_with_row_and_column(
    eurasia: corridor.Network, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "origin,destination,commodity,teu_per_week\n"
        "Atlantis,DE_DUI,general,10\n"
        "CN_XIA,DE_DUI,bananas,10\n"
        "CN_XIA,DE_DUI,general,-5\n"
        "CN_XIA,CN_XIA,general,5\n",
    )
    with pytest.raises(InputFileError) as info:
        read_od_pairs(path, eurasia)
    where = {(p.row, p.column) for p in info.value.problems}
    assert where == {(2, "origin"), (3, "commodity"), (4, "teu_per_week"), (5, "destination")}
    assert "od.csv" in str(info.value)


def test_demand_is_required_when_asked(eurasia: corridor.Network, tmp_path: Path) -> None:
    path = write(tmp_path, "origin,destination\nCN_XIA,DE_DUI\n")
    with pytest.raises(InputFileError) as info:
        read_od_pairs(path, eurasia, require_demand=True)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "teu_per_week")]


def test_unknown_column_and_empty_file_are_errors(
    eurasia: corridor.Network, tmp_path: Path
) -> None:
    with pytest.raises(InputFileError, match="unknown column"):
        read_od_pairs(write(tmp_path, "origin,destination,colour\nCN_XIA,DE_DUI,red\n"), eurasia)
    with pytest.raises(InputFileError, match="no OD pairs"):
        read_od_pairs(write(tmp_path, "origin,destination\n"), eurasia)
    with pytest.raises(InputFileError, match="missing"):
        read_od_pairs(tmp_path / "absent.csv", eurasia)
