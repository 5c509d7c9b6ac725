"""SQL Server: each file into the side table with mssql-python's bulk copy (the TDS bulk-load
protocol that SqlBulkCopy and bcp use), a bounded batch of rows at a time.

The connection string is the one dbt-sqlserver builds from the same target (its own builder, so
server, port, database, authentication, encrypt and trust_cert mean exactly what they mean to
dbt; profiles.yml.example only gives its default password to a local server). CSV files are read
incrementally as text (pyarrow's streaming CSV reader over the hash-checking reader), Parquet
files batch by batch; each batch is converted to the declared types in Arrow (strict: a value
that does not parse is refused, naming the file, row and column) and handed to `bulkcopy()` as
row tuples. mssql-python opens a separate connection for each `bulkcopy()` call: one call per
batch keeps memory bounded whatever the driver does with the iterator, at one login per batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from seeds_gen.load.job import DataFile, LoadError, TableJob, checked_file, verify_file

BATCH_ROWS = 50_000
CSV_BLOCK_BYTES = 4 << 20

_SIZED_TEXT = re.compile(r"^(?:n?varchar|character varying|text|string)\s*\(\s*(\d+)\s*\)$")
_DECIMAL = re.compile(r"^(?:decimal|numeric)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$")


@dataclass(frozen=True)
class Column:
    name: str
    declared: str  # the seed's column_types entry, e.g. decimal(12,2)
    arrow: Any  # the pyarrow type its values are parsed to
    length: int | None = None  # text: at most this many UTF-16 code units (nvarchar(n))


def column_plan(job: TableJob) -> list[Column]:
    """The Arrow type of each declared column, in file order (the side table's order)."""
    import pyarrow as pa

    simple = {
        "integer": pa.int32(), "int": pa.int32(), "smallint": pa.int16(), "bigint": pa.int64(),
        "boolean": pa.bool_(), "bool": pa.bool_(), "date": pa.date32(),
        "timestamp": pa.timestamp("us"), "timestamp without time zone": pa.timestamp("us"),
        "datetime": pa.timestamp("us"), "double": pa.float64(), "double precision": pa.float64(),
        "float": pa.float64(), "real": pa.float32(),
        "text": pa.string(), "string": pa.string(), "varchar": pa.string(),
    }
    plan = []
    for name, declared in job.column_types.items():
        spelled = " ".join(declared.strip().lower().split())
        if (sized := _SIZED_TEXT.match(spelled)) is not None:
            plan.append(Column(name, declared, pa.string(), int(sized.group(1))))
        elif (decimal := _DECIMAL.match(spelled)) is not None:
            plan.append(Column(name, declared,
                               pa.decimal128(int(decimal.group(1)), int(decimal.group(2)))))
        elif spelled in simple:
            plan.append(Column(name, declared, simple[spelled]))
        else:
            raise LoadError(f"{job.seed}: column {name} is declared {declared}, a type the SQL "
                            "Server loader does not convert; declare it in the seed YAML as one of "
                            "integer, bigint, decimal(p,s), boolean, date, timestamp, varchar(n).")
    return plan


# ------------------------------------------------------------------------------------ connect

def connection_string(credentials: Any) -> str:
    """dbt-sqlserver's own checks and connection string for this target (mssql-python form)."""
    from dbt.adapters.sqlserver.sqlserver_backend import build_mssql_python_connection_string
    from dbt.adapters.sqlserver.sqlserver_helpers import (
        validate_connection_requirements,
        validate_mssql_python_requirements,
    )

    try:
        validate_connection_requirements(credentials)
        validate_mssql_python_requirements(credentials)
        return str(build_mssql_python_connection_string(credentials))
    except Exception as exc:  # dbt's DbtRuntimeError: a profile that cannot connect
        raise LoadError(f"cannot connect to SQL Server: {_first_line(exc)}; check the target "
                        "in profiles.yml") from None


def connect(credentials: Any) -> Any:
    import mssql_python

    try:
        return mssql_python.connect(connection_string(credentials), autocommit=True,
                                    timeout=credentials.login_timeout or 0)
    except mssql_python.Error as exc:
        raise LoadError(f"cannot connect to SQL Server at {credentials.host}:{credentials.port} "
                        f"({_first_line(exc)}); check the target in profiles.yml") from None


def bulk_table_name(relation: str, database: str | None) -> str:
    """dbt's rendered relation ("db"."schema"."table") as bulk copy takes it: [schema].[table],
    with the database only when it is not the connection's."""
    parts = [p.replace('""', '"') for p in re.findall(r'"((?:[^"]|"")*)"', relation)]
    if not parts:
        parts = relation.split(".")
    if len(parts) == 3 and database is not None and parts[0].lower() == database.lower():
        parts = parts[1:]
    return ".".join("[" + p.replace("]", "]]") + "]" for p in parts)


# ------------------------------------------------------------------------------------ read

class _RawReader:
    """The hash-checking reader as a readable binary stream, for pyarrow's CSV reader."""

    closed = False

    def __init__(self, reader: Any) -> None:
        self._reader = reader

    def read(self, size: int = -1) -> bytes:
        return bytes(self._reader.read(size))

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self.closed = True


def csv_batches(file: DataFile, names: list[str],
                block_bytes: int = CSV_BLOCK_BYTES) -> Iterator[Any]:
    """A CSV file as Arrow batches of text columns, a block at a time; read once, and checked
    against the manifest (sha256) after the last byte. Every value stays the text written ('')."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with checked_file(file) as reader:
        try:
            stream = pacsv.open_csv(
                pa.PythonFile(_RawReader(reader), mode="r"),
                read_options=pacsv.ReadOptions(block_size=block_bytes, use_threads=False),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={name: pa.string() for name in names},
                    strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
            if stream.schema.names != names:
                raise LoadError(f"{file.label}: the header is {','.join(stream.schema.names)}, the "
                                f"seed declares {','.join(names)}; run python -m seeds_gen again. "
                                "Nothing was replaced.")
            yield from stream
        except pa.ArrowInvalid as exc:
            raise LoadError(f"{file.label}: not a CSV with the declared columns "
                            f"({_first_line(exc)}). Nothing was replaced.") from None


def parquet_batches(file: DataFile, names: list[str], batch_rows: int) -> Iterator[Any]:
    import pyarrow.parquet as pq

    verify_file(file)
    parquet = pq.ParquetFile(file.path)
    if parquet.schema_arrow.names != names:
        raise LoadError(f"{file.label}: the columns are {','.join(parquet.schema_arrow.names)}, "
                        f"the seed declares {','.join(names)}; run python -m seeds_gen again. "
                        "Nothing was replaced.")
    yield from parquet.iter_batches(batch_size=batch_rows, columns=names)


def rebatch(batches: Iterator[Any], batch_rows: int) -> Iterator[Any]:
    """Batches of exactly batch_rows rows (the last one shorter), whatever the reader's blocks."""
    import pyarrow as pa

    pending: list[Any] = []
    size = 0
    for batch in batches:
        while batch.num_rows:
            take = batch.slice(0, batch_rows - size)
            pending.append(take)
            size += take.num_rows
            batch = batch.slice(take.num_rows)
            if size == batch_rows:
                yield pa.Table.from_batches(pending).combine_chunks().to_batches()[0]
                pending, size = [], 0
    if size:
        yield pa.Table.from_batches(pending).combine_chunks().to_batches()[0]


# ------------------------------------------------------------------------------------ convert

def convert_batch(batch: Any, plan: list[Column], label: str,
                  first_row: int) -> list[tuple[Any, ...]]:
    """A batch as the row tuples bulkcopy takes: int, Decimal (exact), bool, date, datetime,
    str, and None for an empty field only (DATA_SPEC). `first_row`: the batch's first data row
    in the file, counted from 1, for messages."""
    columns = [convert_column(batch.column(i), column, label, first_row)
               for i, column in enumerate(plan)]
    return list(zip(*columns, strict=True)) if columns else []


def convert_column(values: Any, column: Column, label: str, first_row: int) -> list[Any]:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        values = pc.if_else(pc.equal(values, ""), pa.scalar(None, values.type), values)
    if values.type != column.arrow:
        try:
            values = values.cast(column.arrow)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            index, value = _first_that_does_not_cast(values, column.arrow)
            raise LoadError(f"{label} row {first_row + index}, column {column.name}: {value!r} is "
                            f"not a {column.declared} value; fix or regenerate the file "
                            "(python -m seeds_gen). Nothing was replaced.") from None
    if column.length is not None:
        _check_length(values, column, label, first_row)
    return list(values.to_pylist())


def _first_that_does_not_cast(values: Any, arrow_type: Any) -> tuple[int, Any]:
    import pyarrow as pa

    for index, value in enumerate(values.to_pylist()):
        try:
            pa.array([value], type=values.type).cast(arrow_type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return index, value
    return 0, None


def _check_length(values: Any, column: Column, label: str, first_row: int) -> None:
    """nvarchar(n) holds n UTF-16 code units: a code point beyond U+FFFF takes two."""
    import pyarrow.compute as pc

    assert column.length is not None
    long = pc.greater(pc.utf8_length(values), column.length // 2)
    if not pc.any(long).as_py():
        return
    for index, value in enumerate(values.filter(long).to_pylist()):
        if len(value.encode("utf-16-le")) // 2 > column.length:
            row = pc.indices_nonzero(long)[index].as_py()
            raise LoadError(f"{label} row {first_row + row}, column {column.name}: a value of "
                            f"{len(value)} characters, longer than {column.declared}; fix or "
                            "regenerate the file (python -m seeds_gen). Nothing was replaced.")


def file_row_batches(job: TableJob, file: DataFile, plan: list[Column],
                     batch_rows: int = BATCH_ROWS) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of one file, converted, batch_rows at a time (the file is checked against the
    manifest once it has been read to its end)."""
    names = [column.name for column in plan]
    batches = (parquet_batches(file, names, batch_rows) if job.format == "parquet"
               else csv_batches(file, names))
    done = 0
    for batch in rebatch(batches, batch_rows):
        yield convert_batch(batch, plan, file.label, done + 1)
        done += batch.num_rows


# ------------------------------------------------------------------------------------ load

def load_table(credentials: Any, job: TableJob, batch_rows: int = BATCH_ROWS,
               connector: Callable[[Any], Any] = connect) -> int:
    plan = column_plan(job)
    table = bulk_table_name(job.relation, credentials.database)
    timeout = int(credentials.query_timeout or 0)
    conn = connector(credentials)
    total = 0
    try:
        cursor = conn.cursor()
        for file in job.files:
            rows = 0
            for batch in file_row_batches(job, file, plan, batch_rows):
                try:
                    result = cursor.bulkcopy(table, batch, batch_size=len(batch), timeout=timeout,
                                             table_lock=True, keep_nulls=True)
                except Exception as exc:  # the driver's errors, and py-core's RuntimeError
                    raise LoadError(f"{file.label}: SQL Server refused the bulk copy into {table} "
                                    f"({_first_line(exc)}). Nothing was replaced.") from None
                copied = int(result.get("rows_copied", -1))
                if copied != len(batch):
                    raise LoadError(f"{file.label}: the bulk copy sent {copied} of {len(batch)} "
                                    "rows. Nothing was replaced.")
                rows += copied
            if rows != file.rows:
                raise LoadError(f"{file.label}: {rows:,} rows read, the manifest says "
                                f"{file.rows:,}; run python -m seeds_gen again. "
                                "Nothing was replaced.")
            total += rows
    finally:
        conn.close()
    return total


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "msg", None) or exc).strip()  # dbt's errors: msg without the title
    return " ".join(text.splitlines()[0].split()) if text else type(exc).__name__
