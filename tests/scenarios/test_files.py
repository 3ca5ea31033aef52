"""Scenario TOML files: the shipped examples load, and mistakes are reported with line and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_consistency import problems

import corridor
from corridor.errors import InputFileError
from corridor.scenarios import apply_scenario, load_scenario
from corridor.scenarios.files import READERS
from corridor.scenarios.model import (
    AddLink,
    AddService,
    ChangeLink,
    ChangeService,
    ChangeTariff,
    CloseBorder,
    CloseCountry,
    CloseCrossing,
    CloseLink,
    CloseNode,
    ClosePassage,
    OpenLink,
    ScaleDwell,
    SetDwell,
)

EXAMPLES = Path(__file__).parents[2] / "examples"
NAMES = (
    "red-sea-closed",
    "khorgos-green-lane-all",
    "alashankou-dostyk-closed",
    "poland-belarus-closed",
    "caspian-ferries-doubled",
    "cku-railway-open",
)


@pytest.mark.parametrize("name", NAMES)
def test_every_example_loads_and_applies_to_a_consistent_network(
    eurasia: corridor.Network, name: str
) -> None:
    scenario = load_scenario(EXAMPLES / f"{name}.toml", eurasia)
    assert scenario.name and scenario.description and scenario.changes
    assert problems(apply_scenario(eurasia, scenario)) == []


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return path


EVERY_TYPE = """
name = "all"
[[change]]
type = "close_link"
link = ["rail_AKS_DOS", "ferry_TKB_ALT"]
[[change]]
type = "close_node"
node = "KZ_KUR"
[[change]]
type = "close_crossing"
crossing = "RED_BRIDGE"
[[change]]
type = "close_border"
countries = ["PL", "BY"]
[[change]]
type = "close_country"
country = "UZ"
[[change]]
type = "close_passage"
passage = "suez"
[[change]]
type = "scale_dwell"
crossing = "HORGOS_ALTYNKOL"
factor = 0.5
commodity = "agri"
[[change]]
type = "set_dwell"
crossing = "HORGOS_ALTYNKOL"
direction = "reverse"
median_h = 3
green_lane = true
[[change]]
type = "add_link"
link_id = "rail_new"
from_node = "KZ_DOS"
to_node = "KZ_AKX"
mode = "rail"
gauge_mm = 1520
distance_km = 1500
speed_kmh = 40
energy_carrier = "electricity_kz"
tariff_usd_per_feu_km = 0.3
source = "corridor-estimates"
note = "a hypothetical new line"
[[change]]
type = "change_link"
link = "ferry_AKU_ALT"
speed_factor = 1.25
[[change]]
type = "change_tariff"
factor = 1.1
modes = ["rail"]
countries = ["KZ"]
[[change]]
type = "add_service"
service_id = "new_train"
link = "rail_new"
weekdays = ["Mon", "Thu"]
departure_utc = "06:00"
[[change]]
type = "change_service"
service = "caspian_aktau_alat"
headway_h = 24
offset_h = 6
[[change]]
type = "open_link"
link = "rail_KSH_TRG"
"""


def test_every_change_type_reads_into_its_dataclass(
    eurasia: corridor.Network, tmp_path: Path
) -> None:
    scenario = load_scenario(write(tmp_path, EVERY_TYPE), eurasia)
    kinds = [type(c) for c in scenario.changes]
    assert kinds == [
        CloseLink,
        CloseLink,
        CloseNode,
        CloseCrossing,
        CloseBorder,
        CloseCountry,
        ClosePassage,
        ScaleDwell,
        SetDwell,
        AddLink,
        ChangeLink,
        ChangeTariff,
        AddService,
        ChangeService,
        OpenLink,
    ]
    assert set(READERS) == {
        "close_link",
        "close_node",
        "close_crossing",
        "close_border",
        "close_country",
        "close_passage",
        "scale_dwell",
        "set_dwell",
        "add_link",
        "change_link",
        "change_tariff",
        "add_service",
        "change_service",
        "open_link",
    }
    out = apply_scenario(eurasia, scenario)
    assert problems(out) == []
    added = out.link("rail_new")
    assert added.duration_h == pytest.approx(1500 / 40)
    assert next(s for s in out.services if s.service_id == "new_train").departures_h == (6.0, 78.0)


def test_structural_mistakes_are_all_listed_with_line_and_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """name = "bad"
colour = "red"

[[change]]
type = "close_pasage"
passage = "suez"

[[change]]
type = "set_dwell"
crossing = "HORGOS_ALTYNKOL"
median_h = "fast"

[[change]]
type = "scale_dwell"
crossing = "HORGOS_ALTYNKOL"
factor = 0.5
speed = 3
""",
    )
    with pytest.raises(InputFileError) as info:
        load_scenario(path)
    found = [(p.row, p.column) for p in info.value.problems]
    assert found == [
        (None, "colour"),
        (4, "change[1].type"),
        (8, "change[2].median_h"),
        (13, "change[3].speed"),
    ]
    assert "close_passage" in info.value.problems[1].message  # the choices are listed


def test_unknown_ids_are_reported_against_the_network_with_a_suggestion(
    eurasia: corridor.Network, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        """[[change]]
type = "close_passage"
passage = "suz"

[[change]]
type = "scale_dwell"
crossing = "HORGOS_ALTYNKL"
factor = 0.5
""",
    )
    with pytest.raises(InputFileError) as info:
        load_scenario(path, eurasia)
    first, second = info.value.problems
    assert (first.row, first.column) == (1, "change[1].passage") and "suez" in first.message
    assert (second.row, second.column) == (5, "change[2].crossing")
    assert "HORGOS_ALTYNKOL" in second.message


def test_a_file_that_is_not_toml_is_one_clear_problem(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not valid TOML"):
        load_scenario(write(tmp_path, "[[change]\ntype = 1"))


def test_a_missing_file_is_an_input_file_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot read"):
        load_scenario(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (
            'type = "change_service"\nservice = "cre_xian"\nfrequency_factor = 169',
            "frequency_factor",
        ),
        (
            'type = "change_service"\nservice = "cre_xian"\nfrequency_factor = nan',
            "frequency_factor",
        ),
        ('type = "change_service"\nservice = "cre_xian"\nheadway_h = 0.5', "headway_h"),
        ('type = "scale_dwell"\ncrossing = "ALASHANKOU_DOSTYK"\nfactor = inf', "factor"),
        ('type = "scale_dwell"\ncrossing = "ALASHANKOU_DOSTYK"\nfactor = 1001', "factor"),
        ('type = "set_dwell"\ncrossing = "ALASHANKOU_DOSTYK"\nmedian_h = 8761', "median_h"),
        ('type = "change_link"\nlink = "rail_LYG_ZZH"\nspeed_factor = 0.0001', "speed_factor"),
        ('type = "change_link"\nlink = "rail_LYG_ZZH"\ndistance_km = -1', "distance_km"),
        ('type = "change_tariff"\nfactor = -0.5', "factor"),
        ('type = "close_link"\nlink = "rail_LYG_ZZH"\nnote = "a\\u0000b"', "note"),
    ],
)
def test_a_value_outside_its_range_is_reported_with_its_key(
    tmp_path: Path, change: str, key: str
) -> None:
    path = write(tmp_path, f'name = "x"\n[[change]]\n{change}\n')
    with pytest.raises(InputFileError) as info:
        load_scenario(path)  # without a network: the reader's own ranges
    assert any(p.column == f"change[1].{key}" for p in info.value.problems), info.value


@pytest.mark.parametrize(
    ("change", "key"),
    [
        # 2 weekly departures x 100 is more than one an hour
        (
            'type = "change_service"\nservice = "cre_chengdu"\nfrequency_factor = 100',
            "frequency_factor",
        ),
        # rail at 41.67 km/h x 10 is above the rail limit of 350 km/h
        ('type = "change_link"\nlink = "rail_LYG_ZZH"\nspeed_factor = 10', "speed_factor"),
        ('type = "scale_dwell"\ncrossing = "ALASHANKOU_DOSTYK"\nfactor = 100', "factor"),
        ('type = "change_tariff"\nfactor = 1000\nmodes = ["road"]', "factor"),
    ],
)
def test_a_value_that_would_break_the_network_is_reported_against_it(
    tmp_path: Path, eurasia: corridor.Network, change: str, key: str
) -> None:
    path = write(tmp_path, f'name = "x"\n[[change]]\n{change}\n')
    load_scenario(path)  # in range on its own
    with pytest.raises(InputFileError) as info:
        load_scenario(path, eurasia)
    assert any(p.column == f"change[1].{key}" for p in info.value.problems), info.value


def test_toml_nested_too_deeply_is_one_located_problem(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "x"\ndeep = ' + "[" * 2000 + "]" * 2000 + "\n")
    with pytest.raises(InputFileError, match="nested too deeply"):
        load_scenario(path)
