"""CSV files, the row-count seed and the manifest, written into a run's staging folder.

runs.py decides where that folder is and how a complete one is published.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import duckdb

from seeds_gen.schema import ROW_COUNTS_SEED

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


def copy_query(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    target = str(path).replace("'", "''")
    con.execute(f"copy ({query}) to '{target}' ({CSV_OPTIONS})")


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
