"""Table files (CSV or Parquet), the row-count seed and the manifest, written into a run's
staging folder.

runs.py decides where that folder is and how a complete one is published.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

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


# Parquet: one row group per bounded chunk of at most 1,000,000 rows, written as each chunk of
# orders is done, so nothing waits for the whole table. snappy, not zstd, because it writes
# faster here (zstd's files are ~45% smaller). Decimals are stored as integers (INT64 with
# DECIMAL(12,2)), as DuckDB and Spark write them.
PARQUET_ROW_GROUP = 1_000_000
PARQUET_COMPRESSION = "snappy"
_COPY_BLOCK = 1 << 20


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def typed_query(table: Table, query: str) -> str:
    """The export query with every column cast to its schema type, so a Parquet file (or an
    Arrow batch) carries exactly the types of schema.py; timestamps cut to whole seconds, as the
    CSV writes them."""
    columns = ", ".join(
        f"date_trunc('second', \"{c.name}\")::{c.duckdb_type} as \"{c.name}\""
        if c.type == "timestamp" else f"\"{c.name}\"::{c.duckdb_type} as \"{c.name}\""
        for c in table.columns)
    return f"select {columns} from ({query})"


@dataclass(frozen=True)
class WrittenFile:
    """One data file as the manifest describes it (path relative to the dataset folder)."""

    file: str
    rows: int
    bytes: int
    sha256: str

    def entry(self) -> dict[str, Any]:
        return {"file": self.file, "rows": self.rows, "bytes": self.bytes, "sha256": self.sha256}


class TableFile:
    """One table file written from successive queries (chunks of keys, in key order).

    CSV: each chunk is COPYed by DuckDB to a scratch file and appended (the header only once),
    hashed on the way. Parquet: each chunk becomes row groups of a pyarrow writer kept open.
    Either way memory holds one chunk, whatever the table's size.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, table: Table, folder: Path, name: str,
                 output_format: OutputFormat) -> None:
        self.con, self.table, self.format = con, table, output_format
        self.name, self.path = name, folder / name
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.rows = 0
        self._digest = hashlib.sha256()
        self._parquet: Any = None
        self._handle: BinaryIO | None = None  # CSV, from the second chunk on
        self._scratch = self.path.with_name(f".{self.path.name}.chunk")

    def append(self, query: str) -> int:
        """Write the query's rows after the rows written so far; returns how many."""
        write = self._append_parquet if self.format == "parquet" else self._append_csv
        rows = write(query)
        self.rows += rows
        return rows

    def _copy_csv(self, query: str, path: Path, header: bool) -> int:
        options = CSV_OPTIONS if header else CSV_OPTIONS.replace("header,", "header false,", 1)
        (rows,) = self.con.execute(
            f"copy ({query}) to {_quoted(path)} ({options})").fetchone() or (0,)
        return int(rows)

    def _append_csv(self, query: str) -> int:
        """The first chunk is the file (a one-chunk table is written once, no scratch); later
        chunks go through a scratch file, appended and hashed on the way."""
        if self._handle is None:
            rows = self._copy_csv(query, self.path, header=True)
            handle = self.path.open("r+b")
            for block in iter(lambda: handle.read(_COPY_BLOCK), b""):  # ends at the end
                self._digest.update(block)
            self._handle = handle
            return rows
        rows = self._copy_csv(query, self._scratch, header=False)
        with self._scratch.open("rb") as chunk:
            for block in iter(lambda: chunk.read(_COPY_BLOCK), b""):
                self._digest.update(block)
                self._handle.write(block)
        self._scratch.unlink()
        return rows

    def _append_parquet(self, query: str) -> int:
        import pyarrow.parquet as pq  # only Parquet runs pay for the import

        reader = self.con.execute(typed_query(self.table, query)).fetch_record_batch(
            PARQUET_ROW_GROUP)
        rows = 0
        for batch in reader:
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(
                    self.path, batch.schema, compression=PARQUET_COMPRESSION,
                    store_decimal_as_integer=True)
            self._parquet.write_batch(batch, row_group_size=PARQUET_ROW_GROUP)
            rows += batch.num_rows
        if self._parquet is None:  # no rows at all: still a valid file with the schema
            self._parquet = pq.ParquetWriter(self.path, reader.schema,
                                             compression=PARQUET_COMPRESSION,
                                             store_decimal_as_integer=True)
        return rows

    def close(self) -> WrittenFile:
        if self.format == "csv":
            if self._handle is None:  # no chunk at all: the header alone
                self._append_csv(self._empty_query())
            assert self._handle is not None
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            digest = self._digest.hexdigest()
        else:
            if self._parquet is None:
                self._append_parquet(self._empty_query())
            self._parquet.close()
            sync_file(self.path)
            digest = sha256_of(self.path)
        return WrittenFile(self.name, self.rows, self.path.stat().st_size, digest)

    def abandon(self) -> None:
        """Close without finishing (the run failed): the staging folder is removed anyway."""
        with contextlib.suppress(Exception):
            if self._handle is not None:
                self._handle.close()
            if self._parquet is not None:
                self._parquet.close()

    def _empty_query(self) -> str:
        columns = ", ".join(f"null::{c.duckdb_type} as \"{c.name}\"" for c in self.table.columns)
        return f"select {columns} limit 0"


def export_table(con: duckdb.DuckDBPyConnection, table: Table, query: str, folder: Path,
                 name: str, output_format: OutputFormat) -> WrittenFile:
    """Write one table from one query (the reference tables) to folder/name."""
    target = TableFile(con, table, folder, name, output_format)
    try:
        target.append(query)
    except BaseException:
        target.abandon()
        raise
    return target.close()


def write_stub(table: Table, folder: Path) -> None:
    """raw_<table>.csv as the header alone: dbt's seed node for a table whose data is in other
    files (Parquet, or parts), which the manifest lists (docs/dataset_layout.md)."""
    _write_durably(folder / table.file_name, ",".join(table.column_names) + "\n")


def table_fingerprint(files: list[WrittenFile]) -> str:
    """A table's sha256 in the manifest: the file's own for one file, else the sha256 of the
    parts' sha256 lines, so the same rows in the same parts always give the same value."""
    if len(files) == 1:
        return files[0].sha256
    return hashlib.sha256("".join(f"{f.sha256}\n" for f in files).encode("ascii")).hexdigest()


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
