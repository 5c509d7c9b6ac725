"""The large tables chunk by chunk, several chunks at once, written in key order.

A DuckDB query over one chunk runs on about one core (its source is a single range or a table
of one or two row groups), so chunks run side by side on worker connections (cursors of the one
database: the reference tables are shared, each chunk's tables are the worker's own temporary
tables). Results come back in chunk order and are appended to the files; at most `workers` + 1
chunks are held at once, so memory stays flat whatever the scale.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import duckdb

from seeds_gen.changes import add_customer_changes, add_order_changes
from seeds_gen.parts import KeyRange
from seeds_gen.pools import ValuePools
from seeds_gen.rng import SqlRng
from seeds_gen.schema import TABLES_BY_NAME, OutputFormat
from seeds_gen.timeline import Cut
from seeds_gen.transactions import (
    Shape,
    add_sold,
    build_order_header,
    build_order_items,
    customers_query,
    finish_orders,
    order_item_export,
    orders_export,
)
from seeds_gen.writer import ChunkOutput, chunk_output

# More workers than this only hold more chunks in memory: DuckDB's own threads share the cores.
MAX_WORKERS = 4


@dataclass(frozen=True)
class ChunkTask:
    """One chunk: `table` is "customer" (customer keys) or "orders" (order keys, which also
    give the order lines). Orders after the as-of are computed for the stock alone: `write`
    False."""

    table: str
    keys: KeyRange
    write: bool = True


@dataclass(frozen=True)
class ChunkResult:
    task: ChunkTask
    # table -> (rows, output for TableFile.append)
    outputs: dict[str, tuple[int, ChunkOutput]]
    # table -> seconds a worker spent on it (steps that serve both go to the one they finish)
    seconds: dict[str, float]


class Cancelled(Exception):
    """The run stopped while a worker waited: never shown to the user."""


class ChunkWorkers:
    """Worker threads, each with its own DuckDB connection to the stage's database.

    `reference` resolves once the reference tables and pools are in the database (the Python
    side registers them itself): order headers need only the calendar, so workers start on them
    while Faker still runs, and wait for it only before the lines."""

    def __init__(self, con: duckdb.DuckDBPyConnection, workers: int, rng: SqlRng, shape: Shape,
                 total_weight: int, cut: Cut, reference: Future[ValuePools], scratch: Path,
                 output_format: OutputFormat) -> None:
        self.rng, self.shape, self.total_weight, self.cut = rng, shape, total_weight, cut
        self.scratch, self.format = scratch, output_format
        self.workers = max(1, min(workers, MAX_WORKERS))
        self._reference = reference
        self._stop = threading.Event()
        self._con = con
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="seeds_gen-chunk")
        self._running: set[Future[ChunkResult]] = set()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cursor is None:
            with self._lock:
                if self._stop.is_set():
                    raise Cancelled
                cursor = self._con.cursor()
                self._cursors.append(cursor)
            self._local.cursor = cursor
        return cursor

    def _pools(self) -> ValuePools:
        """Wait for the reference tables (re-raising the Python side's failure)."""
        while True:
            if self._stop.is_set():
                raise Cancelled
            try:
                return self._reference.result(timeout=0.05)
            except TimeoutError:
                continue

    def _check(self) -> None:
        if self._stop.is_set():
            raise Cancelled

    def run(self, task: ChunkTask) -> ChunkResult:
        con = self._cursor()
        if task.table == "customer":
            pools = self._pools()
            started = time.perf_counter()
            query = customers_query(self.rng, pools, self.shape, task.keys)
            output = self._export(con, "customer", query, task)
            since = self.cut.since
            if since is not None and task.keys.last > since.customers:
                add_customer_changes(con, query, self.cut)
            return ChunkResult(task, {"customer": output},
                               {"customer": time.perf_counter() - started})
        started = time.perf_counter()
        build_order_header(con, self.rng, self.shape, self.total_weight, task.keys)
        header_done = time.perf_counter()
        self._pools()
        lines_started = time.perf_counter()
        build_order_items(con, self.rng, self.shape.products)
        self._check()
        outputs: dict[str, tuple[int, ChunkOutput]] = {}
        if task.write:
            outputs["order_item"] = self._export(con, "order_item",
                                                 order_item_export(self.cut), task)
        orders_started = time.perf_counter()
        self._check()
        finish_orders(con, self.rng)
        add_sold(con, self.cut, self.shape.start)
        since = self.cut.since
        if since is not None and task.keys.last >= since.first_changing_order:
            self._check()
            add_order_changes(con, self.cut, self.shape.start, task.write)
        self._check()
        if task.write:
            outputs["orders"] = self._export(con, "orders", orders_export(self.cut), task)
        done = time.perf_counter()
        return ChunkResult(task, outputs, {
            "orders": header_done - started + done - orders_started,
            "order_item": orders_started - lines_started})

    def _export(self, con: duckdb.DuckDBPyConnection, table: str, query: str,
                task: ChunkTask) -> tuple[int, ChunkOutput]:
        scratch = self.scratch / f".chunk-{table}-{task.keys.first}.csv"
        return chunk_output(con, TABLES_BY_NAME[table], query, scratch, self.format)

    def in_order(self, tasks: Iterable[ChunkTask]) -> Iterator[ChunkResult]:
        """Run the tasks on the workers, yielding their results in task order, with at most
        one task queued beyond those running."""
        window: deque[Future[ChunkResult]] = deque()
        for task in tasks:
            future = self._pool.submit(self.run, task)
            self._running.add(future)
            future.add_done_callback(self._running.discard)
            window.append(future)
            if len(window) > self.workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def stop(self) -> None:
        """Stop every worker at once (a failed or interrupted run): running queries are
        interrupted, queued tasks cancelled."""
        self._stop.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
        # A worker may start its next statement just after an interrupt: interrupt again
        # until every worker has returned (each checks the stop flag between statements).
        while self._running:
            with self._lock:
                for cursor in self._cursors:
                    cursor.interrupt()
            wait(list(self._running), timeout=0.05)
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        with self._lock:
            for cursor in self._cursors:
                cursor.close()
            self._cursors.clear()
