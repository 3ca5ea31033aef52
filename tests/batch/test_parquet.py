"""Parquet writes are atomic: a failed write leaves the old file whole and no temporary behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corridor.batch.parquet import write_parquet
from corridor.errors import QueryError


def test_a_failed_write_leaves_the_previous_file_and_no_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.parquet"
    write_parquet(pa.table({"x": [1, 2, 3]}), target)
    real = pq.write_table

    def write_half_then_fail(table: pa.Table, where: Any, **kw: Any) -> None:
        real(table.slice(0, 1), where, **kw)
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        write_parquet(pa.table({"x": list(range(1000))}), target)
    assert pq.read_table(target).column("x").to_pylist() == [1, 2, 3]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.parquet"]


@pytest.mark.parametrize("name", ["r.csv", "missing/r.parquet"])
def test_a_bad_output_path_is_a_query_error_on_out(tmp_path: Path, name: str) -> None:
    with pytest.raises(QueryError) as caught:
        write_parquet(pa.table({"x": [1]}), tmp_path / name)
    assert caught.value.field == "out"
