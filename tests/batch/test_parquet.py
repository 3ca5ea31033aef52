"""Parquet writes are atomic: a failed write leaves the old file whole and no temporary behind."""

from __future__ import annotations

from datetime import UTC, datetime
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


def test_batch_parquet_is_geoparquet_with_lists_percentiles_and_ttw(
    tmp_path: Path, eurasia: Any
) -> None:
    import geopandas

    from corridor.batch.queries import BatchJob, run_batch
    from corridor.routing.odset import ODPair

    job = BatchJob((ODPair("KZ_ALA", "DE_DUI"),), (datetime(2026, 12, 1, tzinfo=UTC),))
    table = run_batch(job, progress=False)
    target = write_parquet(table, tmp_path / "b.parquet")
    frame = geopandas.read_parquet(target)
    assert len(frame) == table.num_rows > 0
    o, d = eurasia.node("KZ_ALA"), eurasia.node("DE_DUI")
    for _, row in frame.iterrows():
        assert row["p50_hours"] <= row["p90_hours"] <= row["p95_hours"]
        assert 0 < row["co2e_ttw_kg"] <= row["co2e_kg"]  # tank-to-wheel is part of well-to-wheel
        assert row["nodes"][0] == "KZ_ALA" and row["countries"][-1] == "DE"
        line = row["geometry"]
        assert line.coords[0] == (o.lon, o.lat) and line.coords[-1] == (d.lon, d.lat)
