"""Generate a dataset: pools -> reference tables -> large tables part by part, chunk by chunk ->
files -> product stock -> manifest.

Three entry points, one pipeline: `generate` writes a whole dataset (its large tables in
`config.parts` parts), `generate_part` writes one part alone (for other machines to make the
others), and `assemble` turns parts made apart into a dataset. Knows nothing of the command line:
it takes a validated GeneratorConfig and reports progress through a callback.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb

from seeds_gen import __version__, interrupt
from seeds_gen.catalog import build_catalogue
from seeds_gen.changes import (
    change_export,
    change_table,
    create_change_tables,
    finish_product_changes,
)
from seeds_gen.config import ConfigError, GeneratorConfig, validate
from seeds_gen.faults import fault_point
from seeds_gen.limits import DUCKDB_MEMORY, check_disk, check_memory
from seeds_gen.parts import LARGE_TABLES, WHOLE, KeyRange, Part, all_parts, check_parts, chunks
from seeds_gen.pipeline import ChunkTask, ChunkWorkers
from seeds_gen.pools import ValuePools, build_pools
from seeds_gen.reference import build_reference
from seeds_gen.rng import SqlRng
from seeds_gen.runs import Outcome, open_part, open_run, parts_folder
from seeds_gen.schema import (
    CHANGES_DIR,
    MANIFEST_FILE,
    TABLES,
    TABLES_BY_NAME,
    OutputFormat,
)
from seeds_gen.timeline import TIMESTAMP_FORMAT, Cut
from seeds_gen.transactions import (
    SOLD_COLUMNS,
    build_stock,
    create_sold,
    cut_at,
    load_reference,
    register_calendar,
    register_pools,
    shape_of,
    sold_totals_query,
)
from seeds_gen.writer import (
    PARQUET_ROW_GROUP,
    TableFile,
    WrittenFile,
    cents,
    export_table,
    row_counts_file_name,
    sha256_of,
    table_fingerprint,
    tenths,
    typed_query,
    write_manifest,
    write_row_counts,
    write_stub,
)

# A part made apart: its sums of units sold per product and its own manifest.
PART_SOLD_FILE = "sold.csv"
PART_MANIFEST = "part.json"


@dataclass(frozen=True)
class TableResult:
    table: str
    rows: int
    bytes: int
    seconds: float
    sha256: str


@dataclass(frozen=True)
class ChunkDone:
    """Progress inside the large tables: orders and lines written so far in this run."""

    orders: int
    orders_total: int
    lines: int
    seconds: float


@dataclass(frozen=True)
class RunResult:
    tables: list[TableResult]
    seconds: float
    out: Path
    manifest: dict[str, Any]

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)


Progress = Callable[[TableResult | ChunkDone], None]

# Export queries of the reference tables: columns in schema order, money from integer cents to
# exact decimals. (The large tables' come with their chunks, below.)
_EXPORTS: dict[str, str] = {
    "brand": "select * from t_brand order by brand_id",
    "category": "select * from t_category order by category_id",
    "seller": f"""
        select seller_id, seller_name, seller_type, email, city, country,
               {tenths('rating')} as rating, joined_at, is_active
        from t_seller order by seller_id""",
    "product": f"""
        select p.product_id, p.sku, p.product_name, p.brand_id, p.category_id, p.seller_id,
               {cents('p.unit_price')} as unit_price, {cents('p.cost_price')} as cost_price,
               s.stock_quantity::INTEGER as stock_quantity,
               s.received_quantity::INTEGER as received_quantity,
               p.is_active, p.created_at, s.updated_at
        from t_product p join product_stock s using (product_id)
        order by p.product_id""",
    "promotion": f"""
        select promotion_id, promotion_name, discount_type,
               {cents('discount_value')} as discount_value, starts_on, ends_on
        from t_promotion order by promotion_id""",
    "promotion_product": """
        select promotion_id, product_id from t_promotion_product
        order by promotion_id, product_id""",
}
_REFERENCE_TABLES = ("brand", "category", "seller", "product", "promotion", "promotion_product")
# Written once the parts are done: product's stock needs every part's units sold (rule 7).
_SMALL_TABLES = ("brand", "category", "seller", "promotion", "promotion_product")


def _package_versions() -> dict[str, str]:
    import faker

    return {"ecom-synth": __version__, "duckdb": duckdb.__version__,
            "faker": faker.VERSION, "python": platform.python_version()}


def world_id(config: GeneratorConfig) -> str:
    """What fixes every value: the settings and the code that turns them into rows (not the
    format, the part count or the threads). Two datasets with the same world hold the same rows."""
    versions = _package_versions()
    fixed = {"settings": config.settings(),
             "versions": {k: versions[k] for k in ("ecom-synth", "duckdb", "faker")}}
    return hashlib.sha256(json.dumps(fixed, sort_keys=True).encode()).hexdigest()


def as_of_text(config: GeneratorConfig) -> str:
    """The dataset's as-of instant as the manifest records it."""
    return config.as_of_instant.strftime(TIMESTAMP_FORMAT)


def file_name(table: str, output_format: OutputFormat, part: Part) -> str:
    """Where a table's file sits in a dataset folder (docs/dataset_layout.md)."""
    seed = TABLES_BY_NAME[table].seed_name
    if part.count == 1 or table not in LARGE_TABLES:
        return f"{seed}.{output_format}"
    return f"{seed}/{part.name}.{output_format}"


# --- the DuckDB stage: reference data, then parts chunk by chunk ---------------------------------

def _python_side(config: GeneratorConfig, counts: dict[str, int],
                 con: duckdb.DuckDBPyConnection, seconds: dict[str, float]) -> ValuePools:
    """Faker pools and the small reference tables, built in Python, then the catalogue built
    from them set-based in DuckDB (catalog.py), all through `con` (this thread's own
    connection)."""
    started = time.perf_counter()
    from faker import Faker  # a 0.4 s import, paid in this thread

    fake = Faker(config.locale)
    pools = build_pools(fake, config.seed, config.locale)
    ref = build_reference(counts, config.start, config.end, config.seed, fake)
    seconds["brand"] = time.perf_counter() - started
    register_pools(con, pools)
    seconds.update(build_catalogue(con, SqlRng(config.seed), ref, pools, counts, config.start,
                                   config.end))
    load_reference(con)
    return pools


def _start_python_side(config: GeneratorConfig, counts: dict[str, int],
                       con: duckdb.DuckDBPyConnection, stop: threading.Event,
                       seconds: dict[str, float]
                       ) -> tuple[Future[ValuePools], Callable[[], None]]:
    """Run the Python side in a daemon thread: an interrupted run never waits for it to finish.
    Its loops stop at the next interrupt.check() once `stop` is set; the function returned with
    the future interrupts its DuckDB statement (a large catalogue takes seconds)."""
    future: Future[ValuePools] = Future()
    cursor = con.cursor()
    cursor_lock = threading.Lock()  # an interrupt never meets the cursor being closed

    def close_cursor() -> None:
        with cursor_lock:
            cursor.close()

    def interrupt_statement() -> None:
        with cursor_lock, contextlib.suppress(duckdb.Error):  # closed: nothing to interrupt
            cursor.interrupt()

    def work() -> None:
        interrupt.bind(stop)
        try:
            pools = _python_side(config, counts, cursor, seconds)
        except BaseException as exc:  # handed to the chunk workers and the main thread
            close_cursor()  # before anyone is told: the database may close right after
            future.set_exception(exc)
        else:
            close_cursor()
            future.set_result(pools)

    threading.Thread(target=work, name="seeds_gen-python-side", daemon=True).start()
    return future, interrupt_statement


@dataclass
class Stage:
    """One DuckDB database holding what every part needs (the calendar, the Faker pools, the
    reference tables) and the chunk workers that add each chunk's own rows."""

    config: GeneratorConfig
    counts: dict[str, int]
    con: duckdb.DuckDBPyConnection
    rng: SqlRng
    reference: Future[ValuePools]
    workers: ChunkWorkers
    scratch: Path
    cut: Cut
    orders_done: int = 0
    lines_done: int = 0
    started: float = 0.0
    # Seconds spent per table, for the summary (summed over chunks, whichever worker ran them).
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, table: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[table] = self.seconds.get(table, 0.0) + now - since
        return now

    def export(self, table: str, query: str, folder: Path, name: str) -> WrittenFile:
        self.reference.result()
        return export_table(self.con, TABLES_BY_NAME[table], query, folder, name,
                            self.config.format)

    def export_sold(self, folder: Path) -> WrittenFile:
        """The units sold per product so far, as a part hands them to --assemble."""
        path = folder / PART_SOLD_FILE
        (rows,) = self.con.execute(
            f"copy ({sold_totals_query()}) to '{_sql_path(path)}' (header)").fetchone() or (0,)
        return WrittenFile(PART_SOLD_FILE, int(rows), path.stat().st_size, sha256_of(path))

    def tasks(self, part: Part) -> Iterator[ChunkTask]:
        """Order chunks first (their headers need no Faker), then customer chunks."""
        cut = self.cut
        for keys in chunks(part.keys(cut.orders)):
            yield ChunkTask("orders", keys)
        # Orders after the as-of whose units its restock period has received: this part's share.
        ahead = part.keys(cut.restocked_orders - cut.orders)
        for keys in chunks(KeyRange(cut.orders + ahead.first, cut.orders + ahead.last)):
            yield ChunkTask("orders", keys, write=False)
        for keys in chunks(part.keys(cut.customers)):
            yield ChunkTask("customer", keys)


@contextmanager
def _stage(config: GeneratorConfig, counts: dict[str, int], scratch: Path) -> Iterator[Stage]:
    """Open the DuckDB stage: the Python side (Faker, reference tables) starts in a thread, and
    chunk workers may start placing orders on the calendar, which needs neither."""
    stop = threading.Event()
    scratch.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"threads": config.threads,
                                 "preserve_insertion_order": True,
                                 # Bounded memory: whatever spills goes to the run's scratch.
                                 "memory_limit": f"{DUCKDB_MEMORY // 2**20}MB"})
    workers: ChunkWorkers | None = None
    reference: Future[ValuePools] | None = None
    try:
        con.execute(f"set temp_directory = '{_sql_path(scratch)}'")
        con.execute("set enable_progress_bar = false")  # our own progress lines only
        create_sold(con)
        rng, shape = SqlRng(config.seed), shape_of(counts, config.start, config.end)
        total_weight = register_calendar(con, config.start, config.end)
        cut = cut_at(con, rng, shape, total_weight, config.as_of_instant, config.changes_since)
        if cut.since is not None:
            create_change_tables(con)
        seconds: dict[str, float] = {}
        reference, interrupt_python_side = _start_python_side(config, counts, con, stop,
                                                              seconds)
        workers = ChunkWorkers(con, config.threads, rng, shape, total_weight, cut, reference,
                               scratch, config.format)
        yield Stage(config, counts, con, rng, reference, workers, scratch, cut,
                    started=time.perf_counter(), seconds=seconds)
        workers.close()
    except BaseException:
        stop.set()  # a failed or interrupted run: the Python side and the workers stop too
        if workers is not None:
            workers.stop()
        raise
    finally:
        # The Python side stops within milliseconds once told (interrupt.check, and its
        # DuckDB statement interrupted); it must not be inside DuckDB when the database closes.
        deadline = time.monotonic() + 5
        while reference is not None and not reference.done() and time.monotonic() < deadline:
            if stop.is_set():
                interrupt_python_side()
            wait([reference], timeout=0.05)
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)  # never part of a published run


def _write_part(stage: Stage, part: Part, folder: Path, names: dict[str, str],
                progress: Progress | None) -> dict[str, WrittenFile]:
    """Write one part of the large tables into folder/names[table]; its units sold are added to
    the stage's `sold` table. Chunks run on the workers and are appended in key order."""
    fmt = stage.config.format
    files = {table: TableFile(TABLES_BY_NAME[table], folder, names[table], fmt)
             for table in LARGE_TABLES}
    try:
        for result in stage.workers.in_order(stage.tasks(part)):
            for table, (rows, output) in result.outputs.items():
                files[table].append(rows, output)
            for table, seconds in result.seconds.items():
                stage.seconds[table] = stage.seconds.get(table, 0.0) + seconds
            if result.task.table == "orders" and result.task.write:
                stage.orders_done += result.task.keys.size
                stage.lines_done += result.outputs["order_item"][0]
                if progress:
                    progress(ChunkDone(stage.orders_done, stage.cut.orders,
                                       stage.lines_done, time.perf_counter() - stage.started))
        return {table: file.close() for table, file in files.items()}
    except BaseException:
        stage.workers.stop()
        for file in files.values():
            file.abandon()
        raise


def _write_changes(stage: Stage, folder: Path) -> dict[str, WrittenFile]:
    """The change set's files (changes.py), once every chunk has added its changes and the
    product's stock as of the as-of is known."""
    t = time.perf_counter()
    finish_product_changes(stage.con, _EXPORTS["product"])
    written = {}
    for table in TABLES:
        changes = change_table(table)
        written[table.name] = export_table(
            stage.con, changes, change_export(changes), folder,
            f"{CHANGES_DIR}/{table.file_name_for(stage.config.format)}", stage.config.format)
    stage.timed("changes", t)
    return written


def _write_reference(stage: Stage, folder: Path, sold_relation: str) -> dict[str, WrittenFile]:
    """The reference tables, product last: its stock sums `sold_relation` (rule 7)."""
    written = {name: stage.export(name, _EXPORTS[name], folder,
                                  file_name(name, stage.config.format, WHOLE))
               for name in _SMALL_TABLES}
    t = time.perf_counter()
    build_stock(stage.con, stage.rng, sold_relation)
    written["product"] = stage.export("product", _EXPORTS["product"], folder,
                                      file_name("product", stage.config.format, WHOLE))
    stage.timed("product", t)
    return written


# --- the dataset: files, stubs, row counts, manifest ---------------------------------------------

def finish_dataset(config: GeneratorConfig, staging: Path, run_id: str,
                   files: dict[str, list[WrittenFile]], parts: int,
                   changes: dict[str, WrittenFile] | None = None) -> dict[str, Any]:
    """Stubs for dbt's seed nodes, the row-count seed (the rows as of the as-of) and the
    manifest, written last."""
    tables: dict[str, Any] = {}
    for table in TABLES:
        entries = files[table.name]
        entry: dict[str, Any] = {
            "seed": table.seed_name, "format": config.format,
            "rows": sum(f.rows for f in entries), "bytes": sum(f.bytes for f in entries),
            "sha256": table_fingerprint(entries),
        }
        if len(entries) == 1:
            entry["file"] = entries[0].file
        if [f.file for f in entries] != [table.file_name]:  # Parquet or parts: a header stub
            write_stub(table, staging)
            entry["stub"] = table.file_name
        entry["files"] = [f.entry() for f in entries]
        tables[table.name] = entry
    fault_point("before_row_counts")
    write_row_counts({name: entry["rows"] for name, entry in tables.items()},
                     staging / row_counts_file_name())
    manifest = {
        "generator": "ecom-synth seeds_gen",
        "layout": 2,
        "run_id": run_id,
        "format": config.format,
        "parts": parts,
        "settings": config.settings(),
        "world": world_id(config),
        "as_of": as_of_text(config),
        "versions": _package_versions(),
        "row_counts_file": row_counts_file_name(),
        "tables": tables,
    }
    if changes:
        assert config.changes_since is not None
        manifest["changes"] = {
            "since": config.changes_since.strftime(TIMESTAMP_FORMAT),
            "until": as_of_text(config),
            # Apply in _changed_at order; at one instant, tables in this order (parents first).
            "tables": {name: written.entry() for name, written in changes.items()},
        }
    fault_point("before_manifest")
    write_manifest(staging / MANIFEST_FILE, manifest)
    return manifest


def _table_results(files: dict[str, list[WrittenFile]], seconds: dict[str, float]
                   ) -> list[TableResult]:
    return [TableResult(t.name, sum(f.rows for f in files[t.name]),
                        sum(f.bytes for f in files[t.name]), seconds.get(t.name, 0.0),
                        table_fingerprint(files[t.name]))
            for t in TABLES]


def _check(config: GeneratorConfig, part: int | None = None, apart: bool = False
           ) -> dict[str, int]:
    """Validate a run; `apart`: parts made by separate runs (--part K, --assemble)."""
    counts = validate(config)
    if apart and config.changes_since is not None:
        raise ConfigError("--changes-since is written by a run that makes every part itself "
                          "(python -m seeds_gen --parts N --changes-since ...), not with --part "
                          "or --assemble")
    check_parts(config.parts, part, counts)
    check_memory(counts)
    check_disk(config.out, counts)
    return counts


def generate(config: GeneratorConfig, progress: Progress | None = None,
             outcome: Outcome | None = None) -> RunResult:
    """Write one dataset into a new run folder of config.out and publish it atomically.

    `outcome` (optional) records what happened to the output folder, for the caller's messages
    when the run fails or is interrupted.
    """
    counts = _check(config)
    started = time.perf_counter()
    outcome = outcome or Outcome(config.out)
    with open_run(config.out, outcome) as run:
        fault_point("before_write")
        files: dict[str, list[WrittenFile]] = {t: [] for t in TABLES_BY_NAME}
        parts = all_parts(config.parts)
        with _stage(config, counts, run.staging / "spill") as stage:
            for part in parts:
                names = {table: file_name(table, config.format, part) for table in LARGE_TABLES}
                for table, written in _write_part(stage, part, run.staging, names,
                                                  progress).items():
                    files[table].append(written)
            for table, written in _write_reference(stage, run.staging, "sold").items():
                files[table].append(written)
            changes = _write_changes(stage, run.staging) if stage.cut.since else {}
        results = _table_results(files, stage.seconds)
        if progress:
            for result in results:
                progress(result)
        manifest = finish_dataset(config, run.staging, run.run_id, files, config.parts,
                                  changes)
        run.publish()
    return RunResult(results, time.perf_counter() - started, config.out, manifest)


# --- parts made apart: --part K, then --assemble --------------------------------------------------

def _part_names(config: GeneratorConfig) -> dict[str, str]:
    return {table: f"{TABLES_BY_NAME[table].seed_name}.{config.format}" for table in LARGE_TABLES}


def generate_part(config: GeneratorConfig, index: int, progress: Progress | None = None,
                  outcome: Outcome | None = None) -> RunResult:
    """Write part `index` of config.parts alone into <out>/parts-of-<N>/part-<K>/, published
    whole or not at all: its large-table files, its units sold per product, part.json."""
    counts = _check(config, index, apart=True)
    started = time.perf_counter()
    part = Part(index, config.parts)
    with open_part(config.out, part, outcome) as staging:
        fault_point("before_write")
        with _stage(config, counts, staging / "spill") as stage:
            written = _write_part(stage, part, staging, _part_names(config), progress)
            sold = stage.export_sold(staging)
        description = {
            "generator": "ecom-synth seeds_gen",
            "part": index, "parts": config.parts, "format": config.format,
            "settings": config.settings(), "world": world_id(config),
            "as_of": as_of_text(config), "versions": _package_versions(),
            "tables": {table: w.entry() for table, w in written.items()},
            "sold": sold.entry(),
        }
        write_manifest(staging / PART_MANIFEST, description)
    results = [TableResult(t, w.rows, w.bytes, stage.seconds.get(t, 0.0), w.sha256)
               for t, w in written.items()]
    if progress:
        for result in results:
            progress(result)
    return RunResult(results, time.perf_counter() - started, config.out, description)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _read_part(folder: Path, config: GeneratorConfig, index: int) -> dict[str, Any]:
    """part.json of part `index`, checked against these settings; its files' bytes and sha256
    checked too (a part copied from another machine must arrive whole)."""
    path = folder / Part(index, config.parts).name / PART_MANIFEST
    if not path.is_file():
        raise ConfigError(
            f"part {index} of {config.parts} is missing ({path} not found); make it with "
            f"python -m seeds_gen --parts {config.parts} --part {index} (same settings) or copy "
            f"it into {folder}")
    try:
        description = json.loads(path.read_text(encoding="utf-8"))
        world, parts, fmt = description["world"], description["parts"], description["format"]
        files = [*description["tables"].values(), description["sold"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path} is not a part written by seeds_gen ({exc}); make the part "
                          "again") from None
    if parts != config.parts or description.get("part") != index:
        raise ConfigError(f"{path} describes part {description.get('part')} of {parts}, not "
                          f"part {index} of {config.parts}; make the part again")
    if world != world_id(config):
        raise ConfigError(
            f"part {index} in {path.parent} was made with other settings or versions "
            f"({description.get('settings')}); make every part with the same settings as "
            "--assemble")
    if description.get("as_of") != as_of_text(config):
        raise ConfigError(
            f"part {index} in {path.parent} shows the shop as of {description.get('as_of')}, "
            f"not {as_of_text(config)}; make every part with the same --as-of as --assemble")
    if fmt != config.format:
        raise ConfigError(f"part {index} is {fmt}, not {config.format}; pass --format {fmt} "
                          "to --assemble, or make the parts again")
    for entry in files:
        data = path.parent / entry["file"]
        if not data.is_file() or data.stat().st_size != entry["bytes"] \
                or sha256_of(data) != entry["sha256"]:
            raise ConfigError(f"{data} does not match {path} (missing, cut or changed); copy "
                              "or make that part again")
    return dict(description)


def assemble(config: GeneratorConfig, progress: Progress | None = None,
             outcome: Outcome | None = None) -> RunResult:
    """Turn the N parts in <out>/parts-of-<N>/ into a published dataset: the parts' files are
    linked into the run folder, the reference tables written, product's stock summed."""
    counts = _check(config, apart=True)
    started = time.perf_counter()
    folder = parts_folder(config.out, config.parts)
    described = [_read_part(folder, config, k) for k in range(config.parts)]
    outcome = outcome or Outcome(config.out)
    with open_run(config.out, outcome) as run:
        fault_point("before_write")
        files: dict[str, list[WrittenFile]] = {t: [] for t in TABLES_BY_NAME}
        for part, description in zip(all_parts(config.parts), described, strict=True):
            for table in LARGE_TABLES:
                entry = description["tables"][table]
                name = file_name(table, config.format, part)
                _link(folder / part.name / entry["file"], run.staging / name)
                files[table].append(WrittenFile(name, entry["rows"], entry["bytes"],
                                                entry["sha256"]))
        sold_files = ", ".join(f"'{_sql_path(folder / p.name / PART_SOLD_FILE)}'"
                               for p in all_parts(config.parts))
        with _stage(config, counts, run.staging / "spill") as stage:
            columns = ", ".join(f"'{k}': '{v}'" for k, v in SOLD_COLUMNS.items())
            stage.con.execute(f"""create table part_sold as select * from read_csv(
                [{sold_files}], header = true, auto_detect = false, columns = {{{columns}}})""")
            for table, written in _write_reference(stage, run.staging, "part_sold").items():
                files[table].append(written)
        results = _table_results(files, stage.seconds)
        if progress:
            for result in results:
                progress(result)
        manifest = finish_dataset(config, run.staging, run.run_id, files, config.parts)
        run.publish()
    return RunResult(results, time.perf_counter() - started, config.out, manifest)


def _link(source: Path, target: Path) -> None:
    """Hard-link a part's file into the run folder (the same bytes, no copy); copy across
    file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


# --- Arrow batches: the same rows for engines that write files themselves (Spark) ---------------

def part_batches(config: GeneratorConfig, part: Part,
                 tables: tuple[str, ...] = (*LARGE_TABLES, "sold")) -> Iterator[tuple[str, Any]]:
    """(table, pyarrow.RecordBatch) for part `part` of the large tables, in key order per table,
    typed exactly as the files are, and last ("sold") its units sold per product. Chunks are
    computed as for the files, so memory holds a few chunks; rows equal the files'."""
    import tempfile

    counts = validate(config)
    check_parts(part.count, part.index, counts)
    arrow_config = replace(config, format="parquet")  # chunks come back as Arrow tables
    with tempfile.TemporaryDirectory(prefix="seeds_gen-") as scratch, \
            _stage(arrow_config, counts, Path(scratch) / "spill") as stage:
        for result in stage.workers.in_order(stage.tasks(part)):
            for table, (_, output) in sorted(result.outputs.items(),
                                             key=lambda item: LARGE_TABLES.index(item[0])):
                if table in tables:
                    arrow: Any = output
                    for batch in arrow.to_batches(max_chunksize=PARQUET_ROW_GROUP):
                        yield table, batch
        if "sold" in tables:
            for batch in stage.con.execute(sold_totals_query()).fetch_record_batch(
                    PARQUET_ROW_GROUP):
                yield "sold", batch


def reference_batches(config: GeneratorConfig, sold: Any) -> Iterator[tuple[str, Any]]:
    """(table, pyarrow.RecordBatch) of the six reference tables, product's stock summing `sold`
    (a pyarrow Table of product_id, units: the parts' "sold" batches, summed or not)."""
    import tempfile

    counts = validate(config)
    with tempfile.TemporaryDirectory(prefix="seeds_gen-") as scratch, \
            _stage(config, counts, Path(scratch) / "spill") as stage:
        stage.reference.result()
        stage.con.register("sold_arrow", sold)
        columns = ", ".join(f"{name}::{kind} as {name}" for name, kind in SOLD_COLUMNS.items())
        stage.con.execute(f"create table part_sold as select {columns} from sold_arrow")
        build_stock(stage.con, stage.rng, "part_sold")
        for table in _REFERENCE_TABLES:
            query = typed_query(TABLES_BY_NAME[table], _EXPORTS[table])
            for batch in stage.con.execute(query).fetch_record_batch(PARQUET_ROW_GROUP):
                yield table, batch
