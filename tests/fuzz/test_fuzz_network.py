"""Corrupted network packages: every one loads and plans, or is refused with a located error.

Each case copies the tiny fixture, applies one or two corruptions (a cell edit, a dropped
column, a duplicated row or header, a BOM, CRLF line ends, truncation, a missing file, a
manifest edit) and runs `corridor route --format json` on it: exit 0 with strict JSON, exit 1
(no route) or exit 2 naming a package file; never a traceback or NaN in the output.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fuzzing import NASTY_NUMBERS, NASTY_TEXT, TALLY, cases, check_cli, cli, rng

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
TABLES = sorted(p.name for p in TINY.glob("*.csv"))
FILES = (*TABLES, "manifest.toml")


def _rows(path: Path) -> list[list[str]]:
    if not path.is_file():  # an earlier corruption removed it
        return [[""]]
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    try:
        return list(csv.reader(io.StringIO(text))) or [[""]]
    except csv.Error:
        return [[""]]


def _write(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogateescape")


def _bytes(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b""


def edit_cell(folder: Path, r: random.Random) -> None:
    path = folder / r.choice(TABLES)
    rows = _rows(path)
    if len(rows) < 2:
        return
    row = r.randrange(1, len(rows))
    col = r.randrange(len(rows[row]))
    rows[row][col] = r.choice(NASTY_NUMBERS + NASTY_TEXT + ("1e15", "2", "9999", "true", "-5"))
    _write(path, rows)


def drop_column(folder: Path, r: random.Random) -> None:
    path = folder / r.choice(TABLES)
    rows = _rows(path)
    col = r.randrange(len(rows[0]))
    _write(path, [row[:col] + row[col + 1 :] for row in rows])


def duplicate_row(folder: Path, r: random.Random) -> None:
    path = folder / r.choice(TABLES)
    rows = _rows(path)
    rows.append(list(r.choice(rows)))  # the header itself, at times
    _write(path, rows)


def duplicate_header(folder: Path, r: random.Random) -> None:
    path = folder / r.choice(TABLES)
    rows = _rows(path)
    col = r.randrange(len(rows[0]))
    _write(path, [[*row, row[col]] for row in rows])


def add_bom(folder: Path, r: random.Random) -> None:
    path = folder / r.choice(FILES)
    path.write_bytes(b"\xef\xbb\xbf" + _bytes(path))


def crlf(folder: Path, r: random.Random) -> None:
    path = folder / r.choice(FILES)
    path.write_bytes(_bytes(path).replace(b"\n", b"\r\n"))


def truncate(folder: Path, r: random.Random) -> None:
    path = folder / r.choice(FILES)
    data = _bytes(path)
    path.write_bytes(data[: r.randrange(len(data) + 1)])


def remove_file(folder: Path, r: random.Random) -> None:
    (folder / r.choice(FILES)).unlink(missing_ok=True)


def header_only(folder: Path, r: random.Random) -> None:
    path = folder / r.choice(TABLES)
    path.write_bytes((_bytes(path).splitlines() or [b""])[0] + b"\n")


def garbage_bytes(folder: Path, r: random.Random) -> None:
    path = folder / r.choice(FILES)
    data = bytearray(_bytes(path) or b"?")
    for _ in range(r.randint(1, 5)):
        data[r.randrange(len(data))] = r.randrange(256)
    path.write_bytes(bytes(data))


MANIFEST_VALUES = (
    "nan",
    "inf",
    "-inf",
    "1e308",
    "-1",
    "0",
    '"a\\u0000b"',
    '"x"',
    "[]",
    "{}",
    "true",
    "99999",
    "1969",
    "[" * 700 + "]" * 700,
    '"' + "y" * 20_000 + '"',
)


def edit_manifest(folder: Path, r: random.Random) -> None:
    path = folder / "manifest.toml"
    lines = _bytes(path).decode("utf-8", errors="surrogateescape").splitlines()
    keyed = [i for i, line in enumerate(lines) if "=" in line]
    if not keyed:
        return
    i = r.choice(keyed)
    key = lines[i].split("=")[0]
    lines[i] = r.choice((f"{key}= {r.choice(MANIFEST_VALUES)}", f"# {lines[i]}", f"{key}"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogateescape")


MUTATIONS: tuple[Callable[[Path, random.Random], None], ...] = (
    edit_cell,
    edit_cell,
    edit_cell,
    drop_column,
    duplicate_row,
    duplicate_header,
    add_bom,
    crlf,
    truncate,
    remove_file,
    header_only,
    garbage_bytes,
    edit_manifest,
    edit_manifest,
)
ROUTES = (
    ("AA_A", "CC_E", "general"),
    ("AA_A", "BB_D", "crude"),
    ("CC_E", "AA_A", "agri"),
)


@pytest.mark.parametrize("batch", range(4))
def test_a_corrupted_package_plans_or_is_refused_with_a_located_error(
    tmp_path: Path, batch: int
) -> None:
    r = rng(f"network-{batch}")
    for case in range(cases(30)):
        folder = tmp_path / f"case{case}"
        shutil.copytree(TINY, folder)
        chosen = [r.choice(MUTATIONS) for _ in range(r.choice((1, 1, 2)))]
        for mutate in chosen:
            mutate(folder, r)
        origin, destination, commodity = r.choice(ROUTES)
        command = ["route", origin, destination, "--network", str(folder)]
        command += ["--depart", "2026-12-01", "--commodity", commodity, "--format", "json"]
        if r.random() < 0.3:
            command += ["--criteria", "time,cost,co2e,p90", "--samples", "50"]
        outcome = cli(*command)
        names = (*FILES, folder.name, "network", "commodity")
        check_cli("network packages", outcome, json_out=True, located=names)
        shutil.rmtree(folder)


def test_validate_reports_each_corruption_with_its_file(tmp_path: Path) -> None:
    r = rng("validate")
    for case in range(cases(20)):
        folder = tmp_path / f"case{case}"
        shutil.copytree(TINY, folder)
        r.choice(MUTATIONS)(folder, r)
        outcome = cli("validate", str(folder))
        assert "Traceback" not in outcome.stderr
        assert outcome.code in (0, 2), outcome
        if outcome.code == 2:  # one line per problem, each naming a package file, then a count
            *problems, last = outcome.stderr.strip().splitlines()
            assert problems and last.startswith("corridor: ") and "problem(s)" in last, outcome
            assert all(any(n in ln for n in (*FILES, folder.name)) for ln in problems), problems
        TALLY[("validate", "success" if outcome.code == 0 else "clean-error")] += 1
        shutil.rmtree(folder)
