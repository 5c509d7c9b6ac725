"""Table files (CSV or Parquet), the row-count seed and the manifest, written into a run's
staging folder.

runs.py decides where that folder is and how a complete one is published.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from concurrent.futures import Future, ThreadPoolExecutor
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


# A chunk of a table on its way to the file: a headerless CSV scratch file, or Arrow rows.
ChunkOutput = Path | Any


def chunk_output(con: duckdb.DuckDBPyConnection, table: Table, query: str, scratch: Path,
                 output_format: OutputFormat) -> tuple[int, ChunkOutput]:
    """Run one chunk's export query on `con`: (rows, what TableFile.append takes). CSV is
    written by DuckDB's COPY to `scratch` (no header); Parquet rows come back as an Arrow table
    typed exactly as schema.py says."""
    if output_format == "parquet":
        arrow = con.execute(typed_query(table, query)).fetch_arrow_table()
        return int(arrow.num_rows), arrow
    options = CSV_OPTIONS.replace("header,", "header false,", 1)
    (rows,) = con.execute(f"copy ({query}) to {_quoted(scratch)} ({options})").fetchone() or (0,)
    return int(rows), scratch


class TableFile:
    """One table file written from successive chunks (in key order).

    CSV: the header, then each chunk's scratch file appended and hashed on the way. Parquet:
    each chunk becomes row groups of a pyarrow writer kept open. The appending and the Parquet
    encoding run in a writer thread, one chunk in flight, while the next chunks are computed.
    """

    def __init__(self, table: Table, folder: Path, name: str,
                 output_format: OutputFormat) -> None:
        self.table, self.format = table, output_format
        self.name, self.path = name, folder / name
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.rows = 0
        self._digest = hashlib.sha256()
        self._parquet: Any = None
        self._handle: BinaryIO | None = None
        if output_format == "csv":
            self._handle = self.path.open("wb")
            header = (",".join(table.column_names) + "\n").encode("utf-8")
            self._handle.write(header)
            self._digest.update(header)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seeds_gen-writer")
        self._pending: Future[None] | None = None

    def append(self, rows: int, output: ChunkOutput) -> None:
        """Append a chunk made by chunk_output (a scratch file is removed once appended)."""
        self._wait()
        write = self._write_parquet if self.format == "parquet" else self._append_scratch
        self._pending = self._worker.submit(write, output)
        self.rows += rows

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()  # a failure there (a full disk) is raised here

    def _append_scratch(self, scratch: Path) -> None:
        assert self._handle is not None
        with scratch.open("rb") as chunk:
            for block in iter(lambda: chunk.read(_COPY_BLOCK), b""):
                self._digest.update(block)
                self._handle.write(block)
        scratch.unlink()

    def _write_parquet(self, arrow: Any) -> None:
        import pyarrow.parquet as pq  # only Parquet runs pay for the import

        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.path, arrow.schema,
                                             compression=PARQUET_COMPRESSION,
                                             store_decimal_as_integer=True)
        if arrow.num_rows:
            self._parquet.write_table(arrow, row_group_size=PARQUET_ROW_GROUP)

    def close(self) -> WrittenFile:
        self._wait()
        self._worker.shutdown()
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            digest = self._digest.hexdigest()
        else:
            if self._parquet is None:  # no rows (a part or an as-of without any): schema only
                self._write_parquet(empty_arrow(self.table))
            self._parquet.close()
            sync_file(self.path)
            digest = sha256_of(self.path)
        return WrittenFile(self.name, self.rows, self.path.stat().st_size, digest)

    def abandon(self) -> None:
        """Stop without finishing (the run failed): the staging folder is removed anyway."""
        self._worker.shutdown(wait=True, cancel_futures=True)
        with contextlib.suppress(Exception):
            if self._handle is not None:
                self._handle.close()
            if self._parquet is not None:
                self._parquet.close()


def empty_arrow(table: Table) -> Any:
    """A table without rows, typed as the chunks' Arrow tables are (DuckDB's Arrow types)."""
    import pyarrow as pa

    types = {"int": pa.int32(), "bigint": pa.int64(), "text": pa.string(),
             "decimal": pa.decimal128(12, 2), "rating": pa.decimal128(3, 1),
             "date": pa.date32(), "timestamp": pa.timestamp("us"), "boolean": pa.bool_()}
    return pa.Table.from_pylist([], schema=pa.schema(
        [(c.name, types[c.type]) for c in table.columns]))


def export_table(con: duckdb.DuckDBPyConnection, table: Table, query: str, folder: Path,
                 name: str, output_format: OutputFormat) -> WrittenFile:
    """Write one table from one query (the reference tables) to folder/name."""
    target = TableFile(table, folder, name, output_format)
    try:
        target.append(*chunk_output(con, table, query, folder / f".{table.name}.chunk",
                                    output_format))
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
