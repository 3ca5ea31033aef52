"""Many queries at once: on local processes or a Dask cluster, written to Parquet."""
