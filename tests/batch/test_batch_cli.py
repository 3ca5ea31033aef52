"""`corridor batch` as a user runs it: a real process writing a real Parquet file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from corridor.batch.queries import SCHEMA

CLOSE_ALASHANKOU = Path(__file__).parents[2] / "examples" / "alashankou-dostyk-closed.toml"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "corridor.cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=cwd,
    )


def _od(tmp_path: Path) -> Path:
    od = tmp_path / "od.csv"
    od.write_text("origin,destination,commodity\nXi'an,Duisburg,general\nAlmaty,Baku,agri\n")
    return od


def test_batch_writes_one_row_per_route_for_every_query(tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    proc = run(
        "batch", "--od", str(_od(tmp_path)), "--depart", "2026-12-01", "--depart", "2026-12-08",
        "--scenario", str(CLOSE_ALASHANKOU), "--out", str(out), "--workers", "2",
        "--format", "json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["queries"] == 2 * 2 * 2 and summary["failed_queries"] == 0
    table = pq.read_table(out)
    assert table.schema.names == SCHEMA.names
    assert table.num_rows == summary["routes"]
    keys = {(r["od_index"], r["depart"], r["scenario"]) for r in table.to_pylist()}
    assert len(keys) == 8
    assert table.schema.metadata[b"corridor.network"].startswith(b"eurasia")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["od.csv", "r.parquet"]


def test_bad_input_is_one_line_and_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    bad_od = tmp_path / "bad.csv"
    bad_od.write_text("origin,destination\nXi'an,Atlantis\n")
    for args, text in (
        (["--out", str(tmp_path / "r.csv")], "--out"),
        (["--out", str(tmp_path / "r.parquet"), "--depart", "2026-13-01"], "--depart"),
        (["--out", str(tmp_path / "r.parquet"), "--od", str(bad_od)], "row 2"),
        (["--out", str(tmp_path / "r.parquet"), "--scenario", str(bad_od)], "bad.csv"),
        (["--out", str(tmp_path / "r.parquet"), "--no-baseline"], "--scenario"),
    ):
        proc = run("batch", *args)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2, proc
        assert len(lines) == 1 and lines[0].startswith("corridor: ") and text in lines[0], lines
        assert "Traceback" not in proc.stderr
    assert not (tmp_path / "r.parquet").exists()
