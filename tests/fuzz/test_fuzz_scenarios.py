"""Scenario files and OD files, corrupted: `corridor compare` plans or exits 2, located.

Scenarios start from a valid change of every type on the tiny fixture; a case replaces values
with hostile ones (NaN, infinities, 1e308, 1e-300, negative, huge whole numbers, NUL, deep
arrays), drops or adds keys, or damages the text (truncation, garbage bytes). OD files get the
same treatment cell by cell. The output of a success must be strict JSON.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

from fuzzing import NASTY_NUMBERS, NASTY_TEXT, cases, check_cli, cli, rng

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
OD_HEADER = "origin,destination,commodity,teu_per_week"
OD_ROWS = ("AA_A,CC_E,general,10", "CC_E,AA_A,agri,5", "AA_A,BB_D,general,3")

CHANGES: tuple[dict[str, Any], ...] = (
    {"type": "close_link", "link": "L5"},
    {"type": "close_node", "node": "BB_C"},
    {"type": "close_crossing", "crossing": "AC_ROAD"},
    {"type": "close_border", "countries": ["AA", "BB"]},
    {"type": "close_country", "country": "CC"},
    {"type": "scale_dwell", "crossing": "AB_RAIL", "factor": 0.5},
    {"type": "set_dwell", "crossing": "AB_RAIL", "median_h": 4.0, "p90_h": 9.0},
    {
        "type": "add_link",
        "link_id": "L9",
        "from_node": "AA_B",
        "to_node": "BB_D",
        "mode": "road",
        "distance_km": 250.0,
        "speed_kmh": 60.0,
        "energy_carrier": "diesel",
        "tariff_usd_per_feu_km": 2.0,
        "crossing": {"id": "NEW", "name": "New road", "dwell_median_h": 3.0, "dwell_p90_h": 8.0},
    },
    {"type": "change_link", "link": "L3", "speed_factor": 1.5},
    {"type": "change_link", "link": "L1", "duration_h": 1.5},
    {"type": "change_tariff", "factor": 1.2, "modes": ["rail"]},
    {"type": "add_service", "service_id": "S2", "link": "L4", "headway_h": 24.0},
    {"type": "change_service", "service": "FERRY_DE", "frequency_factor": 2.0},
    {"type": "change_service", "service": "FERRY_DE", "headway_h": 12.0},
)
HOSTILE: tuple[Any, ...] = (
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -1e308,
    1e-300,
    -1.0,
    0,
    10**30,
    1_000_000,
    169,
    "\x00",
    "x" * 5000,
    [],
    ["L1"] * 3,
    {},
    True,
)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 32 or c in '"\\' else c for c in value)
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"


def scenario_text(changes: list[dict[str, Any]]) -> str:
    lines = ['name = "fuzz"']
    for change in changes:
        lines.append("[[change]]")
        lines += [f"{key} = {toml_value(value)}" for key, value in change.items()]
    return "\n".join(lines) + "\n"


def hostile_scenario(r: random.Random) -> str:
    changes = [dict(r.choice(CHANGES)) for _ in range(r.choice((1, 1, 2, 3)))]
    for change in changes:
        for _ in range(r.choice((0, 1, 1, 2))):
            key = r.choice(sorted(change))
            action = r.random()
            if action < 0.7:
                change[key] = r.choice(HOSTILE)
            elif action < 0.85:
                del change[key]
            else:
                change[r.choice(("colour", "factor", "headway_h", "p90_h"))] = r.choice(HOSTILE)
    text = scenario_text(changes)
    damage = r.random()
    if damage < 0.08:
        text = text[: r.randrange(len(text) + 1)]
    elif damage < 0.14:
        text += "deep = " + "[" * 800 + "]" * 800 + "\n"
    elif damage < 0.18:
        text = text.replace("\n", "\r\n")
    elif damage < 0.22:
        i = r.randrange(len(text))
        text = text[:i] + chr(r.randrange(1, 0x3000)) + text[i + 1 :]
    return text


def test_a_hostile_scenario_compares_or_is_refused_with_a_located_error(tmp_path: Path) -> None:
    r = rng("scenarios")
    od = tmp_path / "od.csv"
    od.write_text("\n".join((OD_HEADER, *OD_ROWS)) + "\n", encoding="utf-8")
    for case in range(cases(60)):
        path = tmp_path / f"s{case}.toml"
        path.write_text(hostile_scenario(r), encoding="utf-8", errors="surrogatepass")
        outcome = cli(
            "compare",
            "--network",
            str(TINY),
            "--od",
            str(od),
            "--scenario",
            str(path),
            "--depart",
            "2026-12-01",
            "--samples",
            r.choice(("0", "20")),
            "--format",
            "json",
        )
        check_cli("scenario files", outcome, json_out=True, located=(path.name,))


def test_a_hostile_od_file_is_planned_or_refused_with_a_located_error(tmp_path: Path) -> None:
    r = rng("od-files")
    for case in range(cases(40)):
        rows = [OD_HEADER.split(","), *(row.split(",") for row in OD_ROWS)]
        for _ in range(r.choice((0, 1, 1, 2))):
            row = r.randrange(len(rows))
            col = r.randrange(len(rows[row]))
            rows[row][col] = r.choice(
                NASTY_NUMBERS + NASTY_TEXT + ("AA_A", "Echo", "Alfa", "1e6", "0.5")
            )
        if r.random() < 0.2:
            rows = rows[:1]
        text = "\n".join(",".join(f'"{c}"' if "," in c else c for c in row) for row in rows)
        if r.random() < 0.5:  # an OD set given to criticality
            od = tmp_path / f"od{case}.csv"
            od.write_text(text + "\n", encoding="utf-8")
            args = ["criticality", "--network", str(TINY), "--od", str(od), "--top", "3"]
            args += ["--kind", "link", "--depart", "2026-12-01"]
        else:  # a package's own demand, which assign reads
            folder = tmp_path / f"net{case}"
            shutil.copytree(TINY, folder)
            od = folder / "demand.csv"
            od.write_text(text + "\n", encoding="utf-8")
            args = ["assign", "--network", str(folder)]
        outcome = cli(*args, "--format", "json")
        check_cli("OD files", outcome, json_out=True, located=(od.name,))
