"""`python -m seeds_gen --engine spark`: check the environment, start Spark, write the tables.

Everything that can be refused is refused before anything is written: pyspark missing, no Java
17+, a master that is malformed or does not answer, settings the generator cannot honour, an
output that already holds tables. Then `frames.spark_tables` runs the parts as Spark tasks and
Spark's own writers write each table:

- a local `--out` (a path without a scheme, with a local master): the project's dataset layout
  (docs/dataset_layout.md), staged and published whole as a single-process run is: large tables
  as raw_<table>/part-<K>.<fmt>, the reference tables as one file each, header stubs,
  raw_row_counts.csv and manifest.json, so dbt loads a Spark-made dataset like any other;
- any URI Spark can write (hdfs://, s3a://, abfss://, file://): <out>/raw_<table>/ as Spark
  writes them (part-*.<fmt>, _SUCCESS), staged in <out>/_seeds_gen_staging-<id>/ and moved into
  place once every table is written. No manifest: hashing would read every file back.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from seeds_gen.config import ConfigError, GeneratorConfig, validate
from seeds_gen.generate import (
    ChunkDone,
    Progress,
    RunResult,
    TableResult,
    file_name,
    finish_dataset,
)
from seeds_gen.limits import check_disk, check_memory
from seeds_gen.parts import LARGE_TABLES, WHOLE, Part, check_parts
from seeds_gen.runs import Outcome, open_run
from seeds_gen.schema import TABLES, TABLES_BY_NAME
from seeds_gen.spark.errors import SparkJobError, SparkSetupError
from seeds_gen.writer import WrittenFile, sha256_of, sync_file, table_fingerprint, write_stub

DEFAULT_MASTER = "local[*]"
MIN_JAVA = 17
# A master that does not accept a connection within this is reported as not answering.
CONNECT_TIMEOUT = 5.0
# The same CSV as the single-process writer (writer.CSV_OPTIONS): RFC 4180 quoting, empty field
# for NULL, ISO dates, second-resolution timestamps, "\n"; values never trimmed. The files come
# out byte for byte as the single process writes them (tests/spark).
CSV_OPTIONS = {
    "header": "true", "sep": ",", "quote": '"', "escape": '"', "nullValue": "",
    "emptyValue": '""', "dateFormat": "yyyy-MM-dd", "timestampNTZFormat": "yyyy-MM-dd HH:mm:ss",
    "ignoreLeadingWhiteSpace": "false", "ignoreTrailingWhiteSpace": "false", "lineSep": "\n",
    "encoding": "UTF-8",
}
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_LOCAL_MASTER = re.compile(r"^local(\[(\*|[1-9][0-9]*)(,[1-9][0-9]*)?\])?$")
_SPARK_FILE = re.compile(r"^part-(\d+)(-.*)?\.(csv|parquet)$")
# The log of the JVM that the CLI starts (a file: spark_session) gets Spark's errors: the CLI
# reports a failure in one line and names the file. The root stays at WARN so that Spark's shell
# does not announce a log level, and has an appender so that Spark does not load its defaults.
_LOG4J = """rootLogger.level = warn
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %p %c{1}: %m%n
appender.console.filter.errors.type = ThresholdFilter
appender.console.filter.errors.level = error
"""


# --- checks before anything starts ---------------------------------------------------------------

def check_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkSetupError(
            f"--engine spark needs pyspark, which cannot be imported ({exc}); install the "
            "extra: pip install 'ecom-synth[spark]' (pyspark 4, Java 17+)") from None


def find_java() -> str:
    """The java that Spark's launcher will run (JAVA_HOME first, as spark-class does), checked
    to be Java 17 or later."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if home and not os.access(str(java), os.X_OK):
        raise SparkSetupError(
            f"--engine spark needs Java {MIN_JAVA}+, but JAVA_HOME={home} has no bin/java; set "
            "JAVA_HOME to a JDK or JRE 17+ (Debian: apt-get install openjdk-17-jre-headless)")
    if java is None:
        raise SparkSetupError(
            f"--engine spark needs Java {MIN_JAVA}+ and no java was found (JAVA_HOME is not set "
            "and java is not on PATH); install it (Debian: apt-get install "
            "openjdk-17-jre-headless) or set JAVA_HOME")
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60,
                               check=False).stderr
    except OSError as exc:
        raise SparkSetupError(f"--engine spark cannot run {java} ({exc.strerror or exc}); "
                              f"install Java {MIN_JAVA}+ or set JAVA_HOME") from None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    major = 0 if not found else int(found[2] or 0) if found[1] == "1" else int(found[1])
    if major < MIN_JAVA:
        first = shown.strip().splitlines()[0] if shown.strip() else "no version shown"
        raise SparkSetupError(f"--engine spark needs Java {MIN_JAVA}+ (pyspark 4), {java} is "
                              f"'{first}'; install Java 17+ or point JAVA_HOME at one")
    return java


def is_local_master(master: str) -> bool:
    return bool(_LOCAL_MASTER.match(master))


def check_master(master: str) -> None:
    """Refuse a master Spark cannot use; for spark://, one that does not answer (Spark itself
    would retry for a minute before giving up)."""
    if is_local_master(master) or master == "yarn" or master.startswith(("k8s://",
                                                                         "local-cluster[")):
        return
    if master.startswith("sc://"):
        raise SparkSetupError(
            f"--spark-master {master} is Spark Connect, which cannot run the generator's tasks; "
            "give the cluster's master (spark://host:7077, yarn, k8s://...)")
    if not master.startswith("spark://"):
        raise SparkSetupError(
            f"--spark-master must be local[*], local[N], spark://host:port, yarn or "
            f"k8s://https://host:port, got {master!r}")
    failures = []
    for address in master.removeprefix("spark://").split(","):
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise SparkSetupError(f"--spark-master {master}: {address!r} is not host:port; "
                                  "e.g. spark://spark-master:7077")
        try:
            socket.create_connection((host.strip("[]"), int(port)), CONNECT_TIMEOUT).close()
            return
        except OSError as exc:
            failures.append(f"{address}: {exc.strerror or exc}")
    raise SparkSetupError(
        f"the Spark master {master} does not answer ({'; '.join(failures)}); check "
        "--spark-master and that the master runs")


def is_uri(out: str) -> bool:
    return bool(_URI.match(out))


def output_location(out_text: str | None, config: GeneratorConfig) -> str:
    """--out as typed (a URI keeps its //); a URI cannot come through the TOML file's `out`,
    which is read as a local path."""
    if out_text is not None:
        return out_text
    text = str(config.out)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:/", text):
        raise SparkSetupError(f"out = {text!r} in the config file looks like a URI; pass a URI "
                              "with --out (the config file's out is a local folder)")
    return text


# --- the session ---------------------------------------------------------------------------------

def under_spark_submit() -> bool:
    return "PYSPARK_GATEWAY_PORT" in os.environ


@contextlib.contextmanager
def spark_session(master: str | None) -> Iterator[Any]:
    """A session on `master` (local[*] unless spark-submit set one), stopped on leaving.

    Local sessions the CLI starts run their Python workers with this interpreter, have no web UI
    and log errors only. The JVM the CLI starts writes its stderr (and its Python workers') to
    a log file, so that a failure is one line on ours: the file is removed after a good run and
    named in the message of a failed one."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("ecom-synth seeds_gen")
    if master is None and not under_spark_submit():
        master = DEFAULT_MASTER
    if master is not None:
        builder = builder.master(master)
    log = None if under_spark_submit() else _new_log()
    try:
        with tempfile.TemporaryDirectory(prefix="seeds_gen-spark-") as scratch:
            if master is not None and is_local_master(master):
                log4j = Path(scratch) / "log4j2.properties"
                log4j.write_text(_LOG4J, encoding="utf-8")
                builder = (builder.config("spark.ui.enabled", "false")
                           .config("spark.driver.extraJavaOptions",
                                   f"-Dlog4j2.configurationFile=file:{log4j}"))
                # Workers run this interpreter (its packages); PySpark reads the variable itself.
                os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = builder.config("spark.ui.showConsoleProgress", "false")
            try:
                with _jvm_stderr_to(log):
                    spark = builder.getOrCreate()
            except Exception as exc:
                raise SparkSetupError(f"Spark did not start on {master or 'the submitted master'} "
                                      f"({first_line(exc)}{_see(log)})") from None
        try:
            yield spark
        except SparkJobError as exc:
            raise SparkJobError(f"{exc}{_see(log)}") from None
        finally:
            spark.stop()
    except (SparkSetupError, SparkJobError):
        raise
    except BaseException:
        _remove(log)
        raise
    _remove(log)


def _new_log() -> Path:
    handle, name = tempfile.mkstemp(prefix="seeds_gen-spark-", suffix=".log")
    os.close(handle)
    return Path(name)


def _see(log: Path | None) -> str:
    return f"; Spark's own output: {log}" if log is not None else ""


def _remove(log: Path | None) -> None:
    if log is not None:
        log.unlink(missing_ok=True)


@contextlib.contextmanager
def _jvm_stderr_to(log: Path | None) -> Iterator[None]:
    """Start the JVM with `log` as its stderr (the JVM, and the Python workers it starts, keep
    the stderr the JVM was started with); None leaves stderr alone (spark-submit's own)."""
    if log is None:
        yield
        return
    original = os.dup(2)
    sys.stderr.flush()
    with open(log, "ab", buffering=0) as file:
        os.dup2(file.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(original, 2)
        os.close(original)


def first_line(exc: BaseException) -> str:
    """The cause of a Spark failure in one line: our own task message when a task raised one,
    else the first line of the error."""
    text = str(exc)
    ours = re.search(r"(?:TaskError|ConfigError): (.+)", text)
    if ours:
        return ours[1].strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # A Python worker's traceback: its last "SomeError: message" line is the cause.
    raised = [line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception): ", line)]
    if raised:
        cause = raised[-1]
        if cause.startswith(("ModuleNotFoundError", "ImportError")):
            cause += ("; the executors' Python needs ecom-synth[spark] installed (or set "
                      "PYSPARK_PYTHON to a Python that has it)")
        return cause
    return lines[0] if lines else type(exc).__name__


# --- the run -------------------------------------------------------------------------------------

def run_spark(config: GeneratorConfig, out: str, master: str | None, parts: int | None,
              task_threads: int, progress: Progress | None = None,
              outcome: Outcome | None = None,
              checked: Callable[[], None] | None = None) -> RunResult:
    """Check everything (then call `checked`), start Spark, write the dataset; see the module
    docstring."""
    counts = validate(config)
    if parts is not None:
        check_parts(parts, None, counts)
    check_memory(counts)  # the driver builds the reference tables
    if master is not None:
        check_master(master)
        _check_out_reachable(out, master)
    if not is_uri(out):
        check_disk(Path(out), counts)
    check_pyspark()
    find_java()
    if checked:
        checked()
    started = time.perf_counter()
    with spark_session(master) as spark:
        return write_dataset(spark, config, out, parts, task_threads, progress, outcome,
                             started)


def _check_out_reachable(out: str, master: str) -> None:
    if not is_uri(out) and not is_local_master(master):
        raise SparkSetupError(
            f"--out {out} is a local folder, but the executors of {master} run on other "
            "machines; give a URI they can all write (hdfs://..., s3a://..., abfss://...)")


def write_dataset(spark: Any, config: GeneratorConfig, out: str, parts: int | None = None,
                  task_threads: int = 1, progress: Progress | None = None,
                  outcome: Outcome | None = None, started: float | None = None) -> RunResult:
    """Generate with `spark` and write the dataset to `out` (a local folder in the project's
    layout, or a URI: Spark's folders); what --engine spark does once its session runs."""
    counts = validate(config)
    _check_out_reachable(out, spark.sparkContext.master)
    started = time.perf_counter() if started is None else started
    writer = (_HadoopFolders(spark, out) if is_uri(out)
              else _LocalDataset(Path(out), outcome))
    return writer.run(spark, config, counts, parts, task_threads, progress, started)


def _write(frame: Any, fmt: str, path: str) -> None:
    writer = frame.write.mode("errorifexists")
    if fmt == "csv":
        writer.options(**CSV_OPTIONS).csv(path)
    else:
        writer.option("compression", "snappy").parquet(path)


def _build(spark: Any, config: GeneratorConfig, parts: int | None, task_threads: int,
           progress: Progress | None, started: float) -> Any:
    from seeds_gen.spark.frames import spark_tables

    try:
        tables = spark_tables(spark, config, parts, task_threads=task_threads)
    except ConfigError:
        raise
    except Exception as exc:
        raise SparkJobError(f"generating the parts failed ({first_line(exc)})") from None
    if progress:
        orders, lines = sum(tables.rows["orders"]), sum(tables.rows["order_item"])
        progress(ChunkDone(orders, orders, lines, time.perf_counter() - started))
    return tables


class _LocalDataset:
    """The project's dataset layout in a local folder, published whole (runs.open_run)."""

    def __init__(self, out: Path, outcome: Outcome | None) -> None:
        self.out = out
        self.outcome = outcome or Outcome(out)

    def run(self, spark: Any, config: GeneratorConfig, counts: dict[str, int],
            parts: int | None, task_threads: int, progress: Progress | None,
            started: float) -> RunResult:
        with open_run(self.out, self.outcome) as run:
            tables = _build(spark, config, parts, task_threads, progress, started)
            config = replace(config, parts=tables.parts)
            files: dict[str, list[WrittenFile]] = {}
            results = []
            with tables:
                for table in TABLES:
                    t = time.perf_counter()
                    scratch = run.staging / ".spark" / table.seed_name
                    try:
                        _write(tables[table.name], config.format, scratch.absolute().as_uri())
                    except Exception as exc:
                        raise SparkJobError(
                            f"writing {table.name} failed ({first_line(exc)})") from None
                    files[table.name] = self._place(config, table.name, scratch, run.staging,
                                                    tables.rows[table.name])
                    result = TableResult(table.name, sum(tables.rows[table.name]),
                                         sum(f.bytes for f in files[table.name]),
                                         time.perf_counter() - t,
                                         table_fingerprint(files[table.name]))
                    results.append(result)
                    if progress:
                        progress(result)
            shutil.rmtree(run.staging / ".spark")
            manifest = finish_dataset(config, run.staging, run.run_id, files,
                                       config.parts)
            run.publish()
        return RunResult(results, time.perf_counter() - started, self.out, manifest)

    def _place(self, config: GeneratorConfig, table: str, scratch: Path, staging: Path,
               rows: list[int]) -> list[WrittenFile]:
        """Move Spark's part files to the layout's names (Spark's part K is partition K, which
        is the generator's part K), then hash them for the manifest."""
        found = {int(m[1]): scratch / m[0] for m in
                 (_SPARK_FILE.match(p.name) for p in scratch.iterdir()) if m}
        if table in LARGE_TABLES:
            names = [file_name(table, config.format, Part(k, config.parts))
                     for k in range(config.parts)]
        else:
            names = [file_name(table, config.format, WHOLE)]
        if sorted(found) != list(range(len(names))):
            if table in LARGE_TABLES or found:
                raise SparkJobError(f"Spark wrote {len(found)} files for {table}, expected "
                                    f"{len(names)} (one per part)")
            # An empty reference table (promotion can be): Spark wrote no data file at all.
            _write_empty(config, table, staging / names[0])
            found = {0: staging / names[0]}
        written = []
        for k, name in enumerate(names):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if found[k] != target:
                os.replace(found[k], target)
            sync_file(target)
            written.append(WrittenFile(name, rows[k], target.stat().st_size,
                                       sha256_of(target)))
        return written


def _write_empty(config: GeneratorConfig, table: str, path: Path) -> None:
    if config.format == "csv":
        write_stub(TABLES_BY_NAME[table], path.parent)
        return
    import pyarrow.parquet as pq

    from seeds_gen.spark.frames import arrow_schema

    pq.write_table(arrow_schema(table).empty_table(), path, compression="snappy")


class _HadoopFolders:
    """<out>/raw_<table>/ folders on any file system Hadoop reaches, moved into place together
    once all are written."""

    def __init__(self, spark: Any, out: str) -> None:
        jvm = spark.sparkContext._jvm
        self.spark, self.out = spark, out.rstrip("/")
        self.Path = jvm.org.apache.hadoop.fs.Path
        hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()
        try:
            self.fs = self.Path(self.out).getFileSystem(hadoop_conf)
            existing = [t.seed_name for t in TABLES
                        if self.fs.exists(self.Path(f"{self.out}/{t.seed_name}"))]
        except Exception as exc:
            raise SparkSetupError(f"cannot reach --out {out} ({first_line(exc)})") from None
        if existing:
            raise SparkSetupError(
                f"--out {out} already holds {', '.join(existing)}; choose a new location or "
                "remove them (nothing was written)")

    def run(self, spark: Any, config: GeneratorConfig, counts: dict[str, int],
            parts: int | None, task_threads: int, progress: Progress | None,
            started: float) -> RunResult:
        staging = f"{self.out}/_seeds_gen_staging-{secrets.token_hex(6)}"
        tables = _build(spark, config, parts, task_threads, progress, started)
        results = []
        entries: dict[str, Any] = {}
        try:
            with tables:
                for table in TABLES:
                    t = time.perf_counter()
                    try:
                        _write(tables[table.name], config.format,
                               f"{staging}/{table.seed_name}")
                    except Exception as exc:
                        raise SparkJobError(
                            f"writing {table.name} failed ({first_line(exc)})") from None
                    folder = self.Path(f"{staging}/{table.seed_name}")
                    listed = sorted(s.getPath().getName() for s in self.fs.listStatus(folder))
                    data = [name for name in listed if _SPARK_FILE.match(name)]
                    size = int(self.fs.getContentSummary(folder).getLength())
                    entries[table.name] = {"files": [f"{table.seed_name}/{n}" for n in data],
                                           "rows": sum(tables.rows[table.name]), "bytes": size}
                    results.append(TableResult(table.name, sum(tables.rows[table.name]), size,
                                               time.perf_counter() - t, ""))
                    if progress:
                        progress(results[-1])
            self._move_all(staging)
        finally:
            with contextlib.suppress(Exception):
                self.fs.delete(self.Path(staging), True)
        description = {"location": self.out, "format": config.format,
                       "parts": tables.parts, "settings": config.settings(),
                       "tables": entries}
        return RunResult(results, time.perf_counter() - started, Path(), description)

    def _move_all(self, staging: str) -> None:
        """Move the nine folders into <out>; if one cannot be moved, take back those moved."""
        moved: list[str] = []
        try:
            for table in TABLES:
                target = f"{self.out}/{table.seed_name}"
                if not self.fs.rename(self.Path(f"{staging}/{table.seed_name}"),
                                      self.Path(target)):
                    raise SparkJobError(f"could not move {table.seed_name} into {self.out}; "
                                        "nothing was left there")
                moved.append(target)
        except BaseException:
            for target in moved:
                with contextlib.suppress(Exception):
                    self.fs.delete(self.Path(target), True)
            raise
