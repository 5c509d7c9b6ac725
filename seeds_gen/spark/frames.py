"""The nine tables as Spark DataFrames whose partitions are the generator's parts.

One Spark task per part calls `generate.part_batches` (DuckDB inside the task) and hands its
rows to Spark as Arrow: customer, orders and order_item come from one computation of the part's
chunks, so the task tags each batch with its table and sends it as a zstd-compressed Arrow IPC
blob. That DataFrame of blobs is persisted; each large table is a filter of it decoded back into
typed rows, so the parts are computed once whatever is read or written afterwards (computing
them once per table took up to 1.44x the time at scale 10: README). The units sold per product are
collected (at most products x parts rows) and `generate.reference_batches` builds the six
reference tables on the driver. Every part is a pure function of (settings, K, N): a task that
Spark retries, or a cached partition that is lost and recomputed, gives the same rows.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType

import pyarrow as pa
from pyspark import StorageLevel, TaskContext
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    BooleanType,
    DataType,
    DateType,
    DecimalType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampNTZType,
)

from seeds_gen.config import GeneratorConfig, validate
from seeds_gen.generate import part_batches, reference_batches, world_id
from seeds_gen.parts import LARGE_TABLES, Part, check_parts
from seeds_gen.schema import TABLES, TABLES_BY_NAME, LogicalType
from seeds_gen.transactions import SOLD_COLUMNS

# Rows per Arrow IPC blob: ~5 MB of order lines before compression, ~0.5 MB after.
BLOB_ROWS = 1 << 16
# zstd: a tenth of the bytes for the cache at about the speed of lz4 here (measured on
# order_item: 38.1 MB -> 3.5 MB; lz4 7.0 MB).
BLOB_COMPRESSION = "zstd"
_BLOB_FIELDS = [("name", pa.string()), ("part", pa.int32()), ("rows", pa.int64()),
                ("ipc", pa.binary())]
BLOB_ARROW = pa.schema(_BLOB_FIELDS)
BLOB_SCHEMA = "name string, part int, rows bigint, ipc binary"
SOLD = "sold"
# Default parts: two per core Spark offers (a slow task does not hold up the end), and at most
# this many order lines each (a task holds one chunk in DuckDB; its blobs stay small).
LINES_PER_PART = 5_000_000

# Test-only: ECOM_SYNTH_SPARK_FAIL=<step>:<part> fails the first attempt of that part's task
# in step `generate` or `decode`, after it has handed Spark some rows (tests/spark).
FAIL_ENV = "ECOM_SYNTH_SPARK_FAIL"

_SPARK_TYPES: dict[LogicalType, DataType] = {
    "int": IntegerType(), "bigint": LongType(), "text": StringType(),
    "decimal": DecimalType(12, 2), "rating": DecimalType(3, 1), "date": DateType(),
    # Without a zone, so a session time zone never shifts a value (DATA_SPEC: UTC, no zone).
    "timestamp": TimestampNTZType(), "boolean": BooleanType(),
}
_ARROW_TYPES: dict[LogicalType, pa.DataType] = {
    "int": pa.int32(), "bigint": pa.int64(), "text": pa.string(),
    "decimal": pa.decimal128(12, 2), "rating": pa.decimal128(3, 1), "date": pa.date32(),
    "timestamp": pa.timestamp("us"), "boolean": pa.bool_(),
}


class TaskError(RuntimeError):
    """A part's task cannot run as asked; the message is for the user (engine.py shows it)."""


def spark_schema(table: str) -> StructType:
    """The table's Spark schema: the files' types (schema.py), nullable as declared."""
    return StructType([StructField(c.name, _SPARK_TYPES[c.type], c.nullable)
                       for c in TABLES_BY_NAME[table].columns])


def arrow_schema(table: str) -> pa.Schema:
    """The table's Arrow types as DuckDB hands them over (nullability is Spark's to carry)."""
    return pa.schema([(c.name, _ARROW_TYPES[c.type]) for c in TABLES_BY_NAME[table].columns])


def default_parts(spark: SparkSession, counts: dict[str, int]) -> int:
    """Two parts per core Spark offers, more when parts would exceed LINES_PER_PART; never more
    parts than the smallest large table has rows."""
    wanted = max(2 * int(spark.sparkContext.defaultParallelism),
                 math.ceil(counts["order_item"] / LINES_PER_PART))
    return max(1, min(wanted, *(counts[t] for t in LARGE_TABLES)))


@dataclass(frozen=True)
class _Job:
    """What every task receives: small and picklable."""

    config: GeneratorConfig
    parts: int
    world: str


def _fail_first_attempt(step: str, part: int) -> None:
    wanted = os.environ.get(FAIL_ENV)
    context = TaskContext.get()
    if wanted == f"{step}:{part}" and context is not None and context.attemptNumber() == 0:
        raise TaskError(f"test fault: first attempt of part {part} fails in step {step}")


def _blob(name: str, part: int, batch: pa.RecordBatch) -> pa.RecordBatch:
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression=BLOB_COMPRESSION)
    with pa.ipc.new_stream(sink, batch.schema, options=options) as writer:
        writer.write_batch(batch)
    data = sink.getvalue()
    offsets = pa.array([0, data.size], pa.int32()).buffers()[1]
    ipc = pa.Array.from_buffers(pa.binary(), 1, [None, offsets, data])  # no copy of the bytes
    return pa.RecordBatch.from_arrays(
        [pa.array([name]), pa.array([part], pa.int32()), pa.array([batch.num_rows], pa.int64()),
         ipc], schema=BLOB_ARROW)


class _GenerateParts:
    """mapInArrow function: part ids in, the parts' rows out as tagged blobs."""

    def __init__(self, job: _Job) -> None:
        self.job = job

    def __call__(self, ids: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in ids:
            for index in batch.column(0).to_pylist():
                yield from self._part(int(index))

    def _part(self, index: int) -> Iterator[pa.RecordBatch]:
        job = self.job
        context = TaskContext.get()
        if context is not None and context.partitionId() != index:  # output file K is part K
            raise TaskError(f"Spark partition {context.partitionId()} was handed part {index}")
        if world_id(job.config) != job.world:
            raise TaskError(
                "this executor's ecom-synth, duckdb or faker version differs from the driver's, "
                "so its rows would differ: install the same ecom-synth[spark] on every node")
        handed = False
        for name, batch in part_batches(job.config, Part(index, job.parts)):
            for offset in range(0, batch.num_rows, BLOB_ROWS):
                yield _blob(name, index, batch.slice(offset, BLOB_ROWS))
                if not handed:
                    handed = True
                    _fail_first_attempt("generate", index)


def _read_blobs(column: pa.Array) -> Iterator[pa.RecordBatch]:
    for value in column:
        yield from pa.ipc.open_stream(value.as_buffer())


class _DecodeTable:
    """mapInArrow function: one table's blobs in, its typed rows out, in the parts' order."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.schema = arrow_schema(table)

    def __call__(self, blobs: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        handed = False
        for batch in blobs:
            for rows in _read_blobs(batch.column(0)):
                yield rows if rows.schema == self.schema else rows.cast(self.schema)
                if not handed and self.table == "order_item":
                    handed = True
                    context = TaskContext.get()
                    _fail_first_attempt("decode", context.partitionId() if context else -1)


@dataclass
class SparkTables(Mapping[str, DataFrame]):
    """The nine tables by name (DATA_SPEC's order), and their rows per part.

    The large tables read one persisted DataFrame of the parts' rows: call unpersist() (or use
    `with spark_tables(...) as tables:`) when they have been written.
    """

    frames: dict[str, DataFrame]
    parts: int
    # Rows per part for the large tables, [rows] for the reference tables.
    rows: dict[str, list[int]]
    generated: DataFrame = field(repr=False)

    def __getitem__(self, table: str) -> DataFrame:
        return self.frames[table]

    def __iter__(self) -> Iterator[str]:
        return iter(self.frames)

    def __len__(self) -> int:
        return len(self.frames)

    def unpersist(self) -> None:
        self.generated.unpersist()

    def __enter__(self) -> SparkTables:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.unpersist()


def spark_tables(spark: SparkSession, config: GeneratorConfig, parts: int | None = None, *,
                 task_threads: int = 1,
                 storage_level: StorageLevel = StorageLevel.MEMORY_AND_DISK) -> SparkTables:
    """Build the dataset of `config` as DataFrames: part K of customer, orders and order_item is
    partition K. Runs the parts once now (one Spark job, `parts` tasks, default two per core):
    product's stock needs every part's units sold. `task_threads` is DuckDB's threads inside a
    task (Spark runs the tasks in parallel). Raises ConfigError for settings it cannot honour."""
    counts = validate(config)
    parts = parts if parts is not None else default_parts(spark, counts)
    check_parts(parts, None, counts)
    job = _Job(replace(config, threads=task_threads, parts=parts), parts, world_id(config))
    ids = spark.range(0, parts, 1, parts)  # one id per partition: partition K runs part K
    generated = ids.mapInArrow(_GenerateParts(job), BLOB_SCHEMA).persist(storage_level)
    try:
        summary = generated.select(
            "name", "part", "rows",
            F.when(F.col("name") == SOLD, F.col("ipc")).alias("ipc")).collect()
    except BaseException:
        generated.unpersist()
        raise
    rows = {table: [0] * parts for table in LARGE_TABLES}
    sold: list[pa.RecordBatch] = []
    for row in summary:
        if row["name"] == SOLD:
            sold.extend(pa.ipc.open_stream(pa.py_buffer(row["ipc"])))
        else:
            rows[row["name"]][row["part"]] += row["rows"]
    sold_schema = pa.schema([(name, pa.int64()) for name in SOLD_COLUMNS])
    reference: dict[str, list[pa.RecordBatch]] = {}
    for name, batch in reference_batches(config, pa.Table.from_batches(sold, sold_schema)):
        reference.setdefault(name, []).append(batch)
    frames: dict[str, DataFrame] = {}
    for table in TABLES:
        if table.name in LARGE_TABLES:
            frames[table.name] = (generated.filter(F.col("name") == table.name).select("ipc")
                                  .mapInArrow(_DecodeTable(table.name), spark_schema(table.name)))
        else:
            data = pa.Table.from_batches(reference.get(table.name, []),
                                         arrow_schema(table.name))
            rows[table.name] = [data.num_rows]
            frames[table.name] = spark.createDataFrame(
                data, schema=spark_schema(table.name)).coalesce(1)
    return SparkTables(frames, parts, rows, generated)
