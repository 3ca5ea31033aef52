"""Hostile command lines: every command answers or exits 2 with one line, never a traceback.

Each case picks a command and fills some of its options with hostile values (dates out of
range, non-finite numbers, huge whole numbers, control characters, 5,000-character names,
paths that cannot be written). JSON output of a success must parse strictly.
"""

from __future__ import annotations

import random
from pathlib import Path

from fuzzing import NASTY_NUMBERS, NASTY_TEXT, cases, check_cli, cli, rng

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
DATES = (
    "9999-12-31",
    "0001-01-01",
    "1969-12-31T23:59Z",
    "2200-12-31T23:59Z",
    "2026-13-01",
    "2026-12-01T25:00",
    "2026-12-01",
    "2026-12-01T08:00+14:00",
    "tomorrow",
)
PLACES = ("AA_A", "Echo", "Alfa", "CC_E", "BB_D", "Atlantis", "", "x" * 5000, "\x00")


def _value(r: random.Random, good: tuple[str, ...]) -> str:
    return r.choice(good + NASTY_NUMBERS + NASTY_TEXT) if r.random() < 0.6 else r.choice(good)


def _options(r: random.Random, table: dict[str, tuple[str, ...]]) -> list[str]:
    args: list[str] = []
    for option in r.sample(sorted(table), k=r.randint(0, min(3, len(table)))):
        args += [option, _value(r, table[option])]
    return args


def route_args(r: random.Random, _tmp: Path) -> list[str]:
    table = {
        "--depart": DATES,
        "--deadline": DATES,
        "--containers": ("1", "3", "100000000000000000000"),
        "--tonnes": ("5", "1e9", "0.1"),
        "--size": ("20", "40", "30"),
        "--commodity": ("general", "agri", "crude", "bananas"),
        "--criteria": ("time", "cost,co2e", "p90,cost", "bogus", ",,"),
        "--alternatives": ("0", "2", "21"),
        "--samples": ("0", "30", "100000000"),
        "--max-transfers": ("0", "2"),
        "--avoid": PLACES,
        "--avoid-mode": ("ferry", "teleport"),
        "--avoid-country": ("BB", "Russia"),
    }
    network = ["--network", r.choice((str(TINY), str(TINY), "x" * 5000, "/nonexistent"))]
    return ["route", r.choice(PLACES), r.choice(PLACES), *network, *_options(r, table)]


def analysis_args(r: random.Random, tmp: Path) -> list[str]:
    od = tmp / "od.csv"
    od.write_text("origin,destination\nAA_A,CC_E\nCC_E,AA_A\n", encoding="utf-8")
    command = r.choice(("compare", "criticality", "batch"))
    table = {
        "--depart": DATES,
        "--scheduler": ("not-an-address", "x:y:z", "tcp://"),
        "--workers": ("1", "0", "-3"),
    }
    args = [command, "--network", str(TINY), "--od", str(od)]
    if command == "compare":
        scenario = tmp / "s.toml"
        scenario.write_text(
            'name = "s"\n[[change]]\ntype = "close_link"\nlink = "L5"\n', encoding="utf-8"
        )
        args += ["--scenario", r.choice((str(scenario), "/nonexistent.toml", "y" * 5000))]
        table["--samples"] = ("0", "10", "-1")
    elif command == "criticality":
        table["--kind"] = ("link", "crossing", "river")
        table["--top"] = ("3", "0")
    else:
        out = r.choice(
            (str(tmp / "out.parquet"), "/proc/x.parquet", "/nonexistent/x.parquet", str(tmp))
        )
        args += ["--out", out]
        table["--criteria"] = ("time", "bogus", "cost,p90", "")
    return [*args, *_options(r, table), "--format", "json"]


def other_args(r: random.Random, _tmp: Path) -> list[str]:
    return r.choice(
        (
            ["places", r.choice(PLACES)],
            ["places", r.choice(PLACES), "--network", str(TINY), "--limit", _value(r, ("3",))],
            ["network", "--network", r.choice((str(TINY), "x" * 5000))],
            ["validate", r.choice((str(TINY), "x" * 5000, "/nonexistent", "\x00"))],
            ["assign", "--network", str(TINY), "--value-of-time", _value(r, ("1.85", "0"))],
            [r.choice(("rout", "", "--version")), "--port", _value(r, ("0", "70000"))],
        )
    )


def test_a_hostile_command_line_answers_or_exits_2_with_one_line(tmp_path: Path) -> None:
    r = rng("cli")
    for _ in range(cases(70)):
        make = r.choice((route_args, route_args, analysis_args, analysis_args, other_args))
        args = make(r, tmp_path)
        json_out = "json" in args and args[0] != "places"
        if args[0] == "route" and r.random() < 0.5:
            args += ["--format", "json"]
            json_out = True
        outcome = cli(*args)
        check_cli("command lines", outcome, json_out=json_out, validate=args[0] == "validate")
