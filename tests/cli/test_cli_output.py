"""What the CLI prints fits the terminal, says what it understood, and reads as words."""

from __future__ import annotations

import json
import re

import pytest
from cli_run import assert_user_error, run

XIAN = ("route", "Xi'an", "Duisburg", "--depart", "2026-12-01")


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_no_line_is_longer_than_the_terminal(columns: int) -> None:
    proc = run(*XIAN, "--deadline", "2026-12-30", "--samples", "300", "--legs", columns=columns)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert not [line for line in lines if line.rstrip().endswith("…") and "┃" in line]


def test_at_100_columns_every_crossing_name_is_printed_whole() -> None:
    wide = run(*XIAN, "--format", "json")
    routes = json.loads(wide.stdout)["routes"]
    proc = run(*XIAN, columns=100)
    text = " ".join(proc.stdout.split())  # crossings may wrap onto the next line
    for route in routes:
        for leg in route["legs"]:
            if leg["kind"] == "border":
                name = leg["detail"].removeprefix("border ").rsplit(" (", 1)[0]
                assert name in text, name


def test_the_header_echoes_places_how_they_matched_and_what_is_avoided() -> None:
    proc = run(
        "route", "Leipzig", "Warsaw", "--avoid", "Brst", "--avoid-country", "ru",
        "--depart", "2026-12-01", "--alternatives", "0", columns=160,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Leipzig → Leipzig [DE_LEJ, name]" in proc.stdout
    assert "RU (Russia)" in proc.stdout and re.search(
        r"Brst → Brest \[BY_BRS, fuzzy \d+\]", proc.stdout
    )


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (("route", "Kazakhstan", "Warsaw"), "is a country (Kazakhstan, KZ)"),
        (("route", "Xian", "Duisburg", "--avoid-country", "XX"), "--avoid-country"),
        (("route", "Xian", "Duisburg", "--tonnes", "500"), "18 x 40'"),
        (("route", "Xian", "Duisburg", "--size", "20", "--tonnes", "30"), "2 x 20'"),
    ],
)
def test_what_cannot_be_understood_is_a_one_line_error(args: tuple[str, ...], text: str) -> None:
    assert_user_error(run(*args), text)


def test_places_without_a_good_match_exits_1_with_the_nearest() -> None:
    proc = run("places", "Karachi")
    assert proc.returncode == 1 and "no good match for 'Karachi'" in proc.stderr
    assert "nearest" in proc.stderr and "Traceback" not in proc.stderr
    country = run("places", "Kazakhstan")
    assert country.returncode == 1 and "KZ_ALA" in country.stderr


def test_version_and_word_placeholders_in_help() -> None:
    version = run("--version")
    assert version.returncode == 0 and re.fullmatch(r"corridor \d+\.\d+\.\d+\n", version.stdout)
    for command in ("route", "places", "compare", "criticality", "assign", "batch", "serve"):
        text = run(command, "--help", columns=200).stdout
        assert not re.search(r"--[a-z-]+ <(str|int|float|path|list|int range)", text), text
    route = run("route", "--help", columns=200).stdout
    for word in ("--depart DATE", "--avoid-country ISO2", "--avoid PLACE", "--plot FILE"):
        assert word in route


def test_every_option_of_every_command_has_help() -> None:
    from corridor.cli.app import app, command_with_placeholders

    root = command_with_placeholders(app)
    for name, command in root.commands.items():
        for param in command.params:
            if getattr(param, "param_type_name", "") == "option":
                assert getattr(param, "help", None), f"{name} {param.opts} has no help"
