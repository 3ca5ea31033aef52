"""The emission-factor and commodity columns of the emissions model: mistakes reported clearly,
and the script that sets links' energy carriers from where they run."""

from __future__ import annotations

from pathlib import Path

import pytest

import corridor
from corridor.errors import NetworkValidationError, Problem
from repo_scripts import load_script


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(NetworkValidationError) as info:
        corridor.load_network(folder)
    return list(info.value.problems)


def add_column(path: Path, column: str, values: dict[int, str]) -> None:
    """Append a column to a CSV; `values` by data row number (1-based), others empty."""
    lines = path.read_text().splitlines()
    out = [lines[0] + f",{column}"]
    out += [line + "," + values.get(i, "") for i, line in enumerate(lines[1:], start=1)]
    path.write_text("\n".join(out) + "\n")


def test_a_bad_tariff_factor_names_the_file_row_and_column(tiny_copy: Path) -> None:
    add_column(tiny_copy / "commodities.csv", "tariff_factors", {1: "rail:1.5;air:2"})
    problems = problems_of(tiny_copy)
    assert any(
        p.file == "commodities.csv" and p.row == 2 and p.column == "tariff_factors"
        for p in problems
    ), problems


def test_a_per_vehicle_ttw_above_wtw_is_refused(tiny_copy: Path) -> None:
    path = tiny_copy / "emission_factors.csv"
    add_column(path, "wtw_g_per_vkm", {2: "900"})
    add_column(path, "ttw_g_per_vkm", {2: "950"})
    problems = problems_of(tiny_copy)
    assert any(p.column == "ttw_g_per_vkm" and "cannot exceed" in p.message for p in problems)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("reefer,air,-,,,,,900,700,test,false,", "reefer rows name a mode or terminal"),
        ("hub,airport,-,,,100,50,,,test,false,", "hub rows name a hub category"),
        ("reefer,road,-,,,,,,,test,false,", "reefer factors need wtw_g_per_kwh"),
    ],
)
def test_reefer_and_hub_rows_must_name_what_they_price(
    tiny_copy: Path, row: str, message: str
) -> None:
    path = tiny_copy / "emission_factors.csv"
    lines = path.read_text().splitlines()
    header = lines[0].replace(",source", ",wtw_g_per_kwh,ttw_g_per_kwh,source")
    body = [line.replace(",test,", ",,,test,", 1) for line in lines[1:]]
    path.write_text("\n".join([header, *body, row]) + "\n")
    problems = problems_of(tiny_copy)
    assert any(message in p.message for p in problems), problems


NODES = {
    "SHA": {"country": "CN", "lat": "30.6", "lon": "122.1"},
    "RTM": {"country": "NL", "lat": "51.9", "lon": "4.1"},
    "STP": {"country": "RU", "lat": "59.9", "lon": "30.2"},
    "NVS": {"country": "RU", "lat": "44.7", "lon": "37.8"},
    "PIR": {"country": "GR", "lat": "37.9", "lon": "23.6"},
    "AKU": {"country": "KZ", "lat": "43.6", "lon": "51.2"},
    "BND": {"country": "IR", "lat": "27.2", "lon": "56.3"},
    "PUS": {"country": "KR", "lat": "35.1", "lon": "129.0"},
}


@pytest.mark.parametrize(
    ("mode", "carrier", "ends", "passages", "expected"),
    [
        ("sea", "hfo", ("SHA", "RTM"), "suez", "container_asia_neu"),
        ("sea", "hfo", ("PIR", "SHA"), "suez", "container_asia_med"),
        ("sea", "hfo", ("SHA", "NVS"), "cape;bosphorus", "container_asia_med"),
        ("sea", "vlsfo", ("STP", "RTM"), "", "container_feeder"),
        ("sea", "vlsfo", ("NVS", "PIR"), "bosphorus", "container_feeder"),
        ("sea", "hfo", ("BND", "SHA"), "malacca", "container_deepsea"),
        ("sea", "vlsfo", ("SHA", "PUS"), "", "container_feeder"),
        ("sea", "container_feeder", ("SHA", "RTM"), "suez", "container_asia_neu"),
        ("ferry", "mdo", ("AKU", "BND"), "", "ropax"),
        ("rail", "electricity_eu", ("NVS", "PIR"), "", "electricity_ru"),
        ("rail", "diesel", ("NVS", "PIR"), "", "diesel"),
        ("pipeline", "natural_gas", ("AKU", "BND"), "", "natural_gas"),
    ],
)
def test_the_carrier_script_classes_links_by_where_they_run(
    mode: str, carrier: str, ends: tuple[str, str], passages: str, expected: str
) -> None:
    script = load_script("assign_energy_carriers")
    link = {
        "mode": mode,
        "energy_carrier": carrier,
        "from_node": ends[0],
        "to_node": ends[1],
        "passages": passages,
    }
    assert script.carrier(link, NODES) == expected
    assert script.carrier({**link, "energy_carrier": expected}, NODES) == expected  # idempotent
