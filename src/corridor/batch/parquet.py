"""Writing Arrow tables to Parquet atomically: a reader never sees a half-written file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from corridor.errors import QueryError


def check_parquet_path(path: str | Path) -> Path:
    """The path to write, or a `QueryError` on the `out` field saying what was expected."""
    target = Path(path)
    if target.suffix.lower() != ".parquet":
        raise QueryError("out", f"expected a file name ending .parquet, got {path}")
    if not target.parent.is_dir():
        raise QueryError("out", f"folder {target.parent} does not exist")
    if target.is_dir():
        raise QueryError("out", f"{target} is a folder; expected a file name")
    return target


def write_parquet(
    table: pa.Table, path: str | Path, metadata: Mapping[str, str] | None = None
) -> Path:
    """Write `table` (plus key-value `metadata`) to a temporary file beside `path`, then rename.

    The rename is atomic on one filesystem, so `path` holds either its old content or the whole
    new table; the temporary file is removed if writing fails.
    """
    target = check_parquet_path(path)
    if metadata:
        merged = {
            **(table.schema.metadata or {}),
            **{k.encode(): v.encode() for k, v in metadata.items()},
        }
        table = table.replace_schema_metadata(merged)
    partial = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.partial")
    try:
        pq.write_table(table, partial, compression="zstd")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
