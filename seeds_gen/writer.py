"""Table files (CSV or Parquet), the row-count seed and the manifest, written into a run's
staging folder.

runs.py decides where that folder is and how a complete one is published.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import duckdb

from seeds_gen.schema import ROW_COUNTS_SEED, OutputFormat, Table

# RFC 4180 quoting, ISO dates, second-resolution timestamps, empty field for NULL (DATA_SPEC).
CSV_OPTIONS = (
    "header, delimiter ',', quote '\"', escape '\"', nullstr '', "
    "dateformat '%Y-%m-%d', timestampformat '%Y-%m-%d %H:%M:%S'"
)


def cents(column: str) -> str:
    """Integer cents as an exact DECIMAL(12,2): never through a float."""
    return f"({column}::DECIMAL(18,2) * 0.01)::DECIMAL(12,2)"


def tenths(column: str) -> str:
    return f"({column}::DECIMAL(18,1) * 0.1)::DECIMAL(3,1)"


# One row group per bounded chunk of 1,000,000 rows (DuckDB rounds up to whole vectors,
# 1,001,472): it buffers a row group per writer thread (+~90 MB peak RSS at scale 1), and a
# million rows of the widest table (orders) stay well inside the run's memory limit, while the
# large tables get few big groups that readers scan in parallel. snappy, not
# zstd, because it writes faster here: 3M order lines and 300k orders on 2 cores, median of 7,
# 1.73 s (1.17 s CPU) against zstd's 2.10 s (1.32 s CPU); zstd's files are ~45% smaller.
PARQUET_OPTIONS = "format parquet, compression snappy, row_group_size 1000000"


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _typed(table: Table, query: str) -> str:
    """The export query with every column cast to its schema type, so a Parquet file carries
    exactly the types of schema.py; timestamps cut to whole seconds, as the CSV writes them."""
    columns = ", ".join(
        f"date_trunc('second', \"{c.name}\")::{c.duckdb_type} as \"{c.name}\""
        if c.type == "timestamp" else f"\"{c.name}\"::{c.duckdb_type} as \"{c.name}\""
        for c in table.columns)
    return f"select {columns} from ({query})"


def export_table(con: duckdb.DuckDBPyConnection, table: Table, query: str, path: Path,
                 output_format: OutputFormat) -> None:
    """Write one table's export query to `path` with DuckDB's COPY, in the chosen format."""
    if output_format == "parquet":
        con.execute(f"copy ({_typed(table, query)}) to {_quoted(path)} ({PARQUET_OPTIONS})")
    else:
        con.execute(f"copy ({query}) to {_quoted(path)} ({CSV_OPTIONS})")


def _write_durably(path: Path, text: str) -> None:
    """Write, flush and fsync: a full disk fails here, not later at close or rename."""
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        if exc.filename:
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from None  # name the file


def write_row_counts(counts: dict[str, int], path: Path) -> None:
    lines = ["table_name,row_count"] + [f"{name},{rows}" for name, rows in counts.items()]
    _write_durably(path, "\n".join(lines) + "\n")


def row_counts_file_name() -> str:
    """Always CSV, whatever the tables' format: dbt reads it as a seed (the row-count tests
    follow it), and dbt seeds only read CSV."""
    return f"{ROW_COUNTS_SEED}.csv"


def sync_file(path: Path) -> None:
    """fsync one written file, so a published run survives a power cut, not only a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    _write_durably(path, json.dumps(manifest, indent=2, sort_keys=False) + "\n")
