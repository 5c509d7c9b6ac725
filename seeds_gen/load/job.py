"""What the loader streams, and the checks every target's streaming shares.

`python -m seeds_gen load` asks dbt (the project's `loader_begin` macro) which seed tables to load
and into which side relation; each target module (postgres, mysql, sqlserver) then streams the
files of one table into that relation with the database's own bulk protocol, reading every byte
once and proving it is the file the manifest lists. dbt finishes (checks, swap, record).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

READ_BYTES = 1 << 20


class LoadError(Exception):
    """A load that cannot go on: the message is one line for the user."""


@dataclass(frozen=True)
class DataFile:
    path: Path
    label: str  # as the user names it, e.g. data/raw_order_item/part-00001.csv
    rows: int
    bytes: int | None  # None: a file the manifest counts but does not hash (raw_row_counts.csv)
    sha256: str | None


@dataclass(frozen=True)
class TableJob:
    seed: str  # raw_order_item
    relation: str  # the side relation dbt created, rendered for the target (quoted)
    columns: tuple[str, ...]  # column names in file order, quoted as dbt quotes them
    column_types: dict[str, str]  # declared seed column types, by unquoted name
    format: str  # csv | parquet
    files: tuple[DataFile, ...]

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> TableJob:
        return cls(
            seed=str(raw["seed"]),
            relation=str(raw["relation"]),
            columns=tuple(str(c) for c in raw["columns"]),
            column_types={str(k): str(v) for k, v in raw["column_types"].items()},
            format=str(raw["format"]),
            files=tuple(
                DataFile(Path(f["path"]), str(f["label"]), int(f["rows"]),
                         None if f.get("bytes") is None else int(f["bytes"]),
                         None if f.get("sha256") is None else str(f["sha256"]).lower())
                for f in raw["files"]
            ),
        )

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


class CheckedReader:
    """A binary file read once, hashed as it goes; `verify()` after the last byte proves it is
    the manifest's file (a file switched or cut under the loader never reaches the swap)."""

    def __init__(self, file: DataFile) -> None:
        self.file = file
        self._fp: BinaryIO = open(file.path, "rb")  # noqa: SIM115 (closed by checked_file)
        self._digest = hashlib.sha256()
        self.bytes_read = 0

    def read(self, size: int = READ_BYTES) -> bytes:
        data = self._fp.read(size if size and size > 0 else READ_BYTES)
        self._digest.update(data)
        self.bytes_read += len(data)
        return data

    def chunks(self) -> Iterator[bytes]:
        while data := self.read():
            yield data

    def verify(self) -> None:
        # Whatever the consumer left unread still counts: the whole file must be the manifest's.
        for _ in self.chunks():
            pass
        sha = self._digest.hexdigest()
        if self.file.sha256 is None:
            return
        if self.bytes_read != self.file.bytes or sha != self.file.sha256:
            raise LoadError(
                f"{self.file.label}: not the file the manifest lists (manifest: "
                f"{self.file.bytes} bytes, sha256 {(self.file.sha256 or '')[:16]}...; file: "
                f"{self.bytes_read} bytes, sha256 {sha[:16]}...); run python -m seeds_gen "
                "again. Nothing was replaced."
            )

    def close(self) -> None:
        self._fp.close()


@contextmanager
def checked_file(file: DataFile) -> Iterator[CheckedReader]:
    """Open `file` for streaming; on a normal exit, check what was read against the manifest."""
    try:
        reader = CheckedReader(file)
    except OSError as exc:
        raise LoadError(f"{file.label}: cannot be read ({exc.strerror}); run python -m "
                        "seeds_gen again. Nothing was replaced.") from None
    try:
        yield reader
        reader.verify()
    finally:
        reader.close()


def verify_file(file: DataFile) -> None:
    """Hash a whole file against the manifest (for readers that take a path, e.g. Parquet)."""
    with checked_file(file):
        pass


def check_header(job: TableJob, file: DataFile) -> None:
    """The file's columns must be the seed's declared ones, in order (as `dbt seed` checks): a
    file from another generator version must not load into the wrong columns."""
    if job.format == "parquet":
        import pyarrow.parquet as pq

        found = list(pq.ParquetFile(file.path).schema_arrow.names)
    else:
        with open(file.path, encoding="utf-8-sig", newline="") as fp:
            found = next(csv.reader(fp), [])
    if found != list(job.column_types):
        raise LoadError(f"{file.label}: the header ({', '.join(found)}) is not the seed's declared "
                        f"columns ({', '.join(job.column_types)}); run python -m seeds_gen again. "
                        "Nothing was replaced.")


def parquet_csv_chunks(file: DataFile, batch_rows: int = 65_536) -> Iterator[bytes]:
    """A Parquet file as CSV bytes (header first, empty field for NULL, RFC 4180 quoting), a
    bounded batch at a time: for protocols that take CSV (COPY FROM STDIN, LOAD DATA LOCAL)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    verify_file(file)
    parquet = pq.ParquetFile(file.path)
    names = list(parquet.schema_arrow.names)
    first = True
    for batch in parquet.iter_batches(batch_size=batch_rows, columns=names):
        sink = pa.BufferOutputStream()
        pacsv.write_csv(pa.Table.from_batches([batch]), sink,
                        pacsv.WriteOptions(include_header=first, quoting_style="needed"))
        first = False
        yield sink.getvalue().to_pybytes()
    if first:  # no rows: still a header
        yield (",".join(names) + "\n").encode()
