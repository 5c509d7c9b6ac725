"""Generate the whole dataset: pools -> reference tables -> DuckDB stage -> CSV or Parquet files
-> manifest.

Knows nothing of the command line: it takes a validated GeneratorConfig and reports progress
through a callback.
"""

from __future__ import annotations

import platform
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from seeds_gen import __version__, interrupt
from seeds_gen.config import GeneratorConfig, validate
from seeds_gen.faults import fault_point
from seeds_gen.limits import check_disk, check_memory
from seeds_gen.pools import ValuePools, build_pools
from seeds_gen.reference import ReferenceData, build_reference
from seeds_gen.rng import SqlRng
from seeds_gen.runs import Outcome, open_run
from seeds_gen.schema import DUCKDB_TYPES, MANIFEST_FILE, TABLES_BY_NAME
from seeds_gen.transactions import (
    build_customers,
    build_order_items,
    build_orders,
    build_signups,
    build_stock,
    finish_orders,
    load_reference,
    register_columns,
)
from seeds_gen.writer import (
    cents,
    export_table,
    row_counts_file_name,
    sha256_of,
    sync_file,
    tenths,
    write_manifest,
    write_row_counts,
)


@dataclass(frozen=True)
class TableResult:
    table: str
    rows: int
    bytes: int
    seconds: float
    sha256: str


@dataclass(frozen=True)
class RunResult:
    tables: list[TableResult]
    seconds: float
    out: Path
    manifest: dict[str, Any]

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)


Progress = Callable[[TableResult], None]

MEMORY_LIMIT = "1200MB"

# Export queries: columns in schema order, money from integer cents to exact decimals.
_EXPORTS: dict[str, str] = {
    "brand": "select * from t_brand order by brand_id",
    "category": "select * from t_category order by category_id",
    "seller": f"""
        select seller_id, seller_name, seller_type, email, city, country,
               {tenths('rating')} as rating, joined_at, is_active
        from t_seller order by seller_id""",
    "customer": "select * from customer order by customer_id",
    "product": f"""
        select p.product_id, p.sku, p.product_name, p.brand_id, p.category_id, p.seller_id,
               {cents('p.unit_price')} as unit_price, {cents('p.cost_price')} as cost_price,
               s.stock_quantity::INTEGER as stock_quantity,
               s.received_quantity::INTEGER as received_quantity,
               p.is_active, p.created_at
        from t_product p join product_stock s using (product_id)
        order by p.product_id""",
    "promotion": f"""
        select promotion_id, promotion_name, discount_type,
               {cents('discount_value')} as discount_value, starts_on, ends_on
        from t_promotion order by promotion_id""",
    "promotion_product": """
        select promotion_id, product_id from t_promotion_product
        order by promotion_id, product_id""",
    "orders": f"""
        select order_id, customer_id, ordered_at, status, payment_method,
               paid_at, shipped_at, delivered_at,
               {cents('subtotal_cents')} as subtotal_amount,
               {cents('discount_cents')} as discount_amount,
               {cents('shipping_cents')} as shipping_fee,
               {cents('total_cents')} as total_amount
        from orders order by order_id""",
    "order_item": f"""
        select order_item_id, order_id, product_id, quantity,
               {cents('price_cents')} as unit_price, promotion_id,
               {cents('discount_cents')} as discount_amount,
               {cents('line_total_cents')} as line_total
        from order_item order by order_item_id""",
}

# DuckDB types of the reference tables as Python hands them over: money in integer cents and the
# rating in tenths (exact until the file is written), everything else as schema.py declares it.
_HANDOVER_TYPES = {**DUCKDB_TYPES, "decimal": "BIGINT", "rating": "BIGINT"}
_REFERENCE_TABLES = ("brand", "category", "seller", "product", "promotion", "promotion_product")


def _register_reference(con: duckdb.DuckDBPyConnection, ref: ReferenceData) -> None:
    for name in _REFERENCE_TABLES:
        columns = getattr(ref, name)
        types = {c.name: _HANDOVER_TYPES[c.type] for c in TABLES_BY_NAME[name].columns
                 if c.name in columns}
        register_columns(con, f"t_{name}", columns, types)
    load_reference(con, ref)


def _package_versions() -> dict[str, str]:
    import faker

    return {"ecom-synth": __version__, "duckdb": duckdb.__version__,
            "faker": faker.VERSION, "python": platform.python_version()}


PythonSide = tuple[ValuePools, ReferenceData, float]


def _python_side(config: GeneratorConfig, counts: dict[str, int]) -> PythonSide:
    """Faker pools and the reference tables: pure Python, run beside the DuckDB stage."""
    started = time.perf_counter()
    from faker import Faker  # a 0.4 s import, paid in this thread

    fake = Faker(config.locale)
    pools = build_pools(fake, config.seed)
    ref = build_reference(counts, pools, config.start, config.end, config.seed, fake)
    return pools, ref, time.perf_counter() - started


def _start_python_side(config: GeneratorConfig, counts: dict[str, int],
                       stop: threading.Event) -> Future[PythonSide]:
    """Run the Python side in a daemon thread: an interrupted run never waits for it to finish
    (its loops also stop at the next interrupt.check() once `stop` is set)."""
    future: Future[PythonSide] = Future()

    def work() -> None:
        interrupt.bind(stop)
        try:
            future.set_result(_python_side(config, counts))
        except BaseException as exc:  # handed to the main thread through the future
            future.set_exception(exc)

    threading.Thread(target=work, name="seeds_gen-python-side", daemon=True).start()
    return future


def generate(config: GeneratorConfig, progress: Progress | None = None,
             outcome: Outcome | None = None) -> RunResult:
    """Write one dataset into a new run folder of config.out and publish it atomically.

    `outcome` (optional) records what happened to the output folder, for the caller's messages
    when the run fails or is interrupted.
    """
    counts = validate(config)
    check_memory(counts)
    check_disk(config.out, counts)
    started = time.perf_counter()
    outcome = outcome or Outcome(config.out)
    with open_run(config.out, outcome) as run:
        staging = run.staging
        fault_point("before_write")
        results = _write_tables(config, counts, staging, progress)
        ordered = [results[name] for name in TABLES_BY_NAME]
        fault_point("before_row_counts")
        write_row_counts(counts, staging / row_counts_file_name())
        manifest = {
            "generator": "ecom-synth seeds_gen",
            "run_id": run.run_id,
            "format": config.format,
            "settings": config.settings(),
            "versions": _package_versions(),
            "row_counts_file": row_counts_file_name(),
            "tables": {
                r.table: {"file": TABLES_BY_NAME[r.table].file_name_for(config.format),
                          "format": config.format, "rows": r.rows, "bytes": r.bytes,
                          "sha256": r.sha256}
                for r in ordered
            },
        }
        fault_point("before_manifest")
        write_manifest(staging / MANIFEST_FILE, manifest)
        run.publish()
    return RunResult(ordered, time.perf_counter() - started, config.out, manifest)


def _write_tables(config: GeneratorConfig, counts: dict[str, int], staging: Path,
                  progress: Progress | None) -> dict[str, TableResult]:
    rng = SqlRng(config.seed)
    results: dict[str, TableResult] = {}
    spill = staging / "spill"
    stop = threading.Event()
    con = duckdb.connect(config={"threads": config.threads,
                                 "preserve_insertion_order": True,
                                 # Bounded memory: large scales spill to the staging folder.
                                 "memory_limit": MEMORY_LIMIT})
    try:
        con.execute(f"set temp_directory = '{str(spill).replace(chr(39), chr(39) * 2)}'")
        con.execute("set enable_progress_bar = false")  # our own progress lines only
        # Python (Faker, reference tables) and DuckDB (signups, order headers) overlap:
        # DuckDB releases the GIL, and neither needs the other's result yet.
        reference = _start_python_side(config, counts, stop)
        t = time.perf_counter()
        build_signups(con, rng, counts["customer"], config.start, config.end)
        build_orders(con, rng, counts["orders"], counts["order_item"], counts["product"],
                     config.start, config.end)
        orders_seconds = time.perf_counter() - t
        pools, ref, reference_seconds = reference.result()
        _register_reference(con, ref)

        def write(table: str, build_seconds: float = 0.0) -> None:
            t = time.perf_counter()
            schema = TABLES_BY_NAME[table]
            path = staging / schema.file_name_for(config.format)
            export_table(con, schema, _EXPORTS[table], path, config.format)
            sync_file(path)
            result = TableResult(table, counts[table], path.stat().st_size,
                                 build_seconds + time.perf_counter() - t, sha256_of(path))
            results[table] = result
            if progress:
                progress(result)

        for table in ("brand", "category", "seller", "promotion", "promotion_product"):
            write(table, reference_seconds if table == "brand" else 0.0)
        t = time.perf_counter()
        build_customers(con, rng, pools)
        write("customer", time.perf_counter() - t)
        t = time.perf_counter()
        build_order_items(con, rng, counts["product"])
        items_seconds = time.perf_counter() - t
        t = time.perf_counter()
        finish_orders(con, rng)
        write("orders", orders_seconds + time.perf_counter() - t)
        write("order_item", items_seconds)
        t = time.perf_counter()
        build_stock(con, rng)
        write("product", time.perf_counter() - t)
    except BaseException:
        stop.set()  # a failed or interrupted run: the Python side stops too
        raise
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)  # never part of a published run
    return results
