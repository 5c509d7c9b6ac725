"""Command line: parse options, run the generator, report. No generation logic lives here."""

from __future__ import annotations

import argparse
import errno
import json
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from seeds_gen.command_line import EXIT_USAGE, OneLineParser
from seeds_gen.config import (
    DEFAULT_END,
    DEFAULT_FORMAT,
    DEFAULT_LOCALE,
    DEFAULT_OUT,
    DEFAULT_SEED,
    DEFAULT_START,
    ConfigError,
    GeneratorConfig,
    load_toml,
    parse_date,
    parse_format,
    parse_instant,
    parse_out,
    parse_rows_override,
    validate,
)
from seeds_gen.interrupt import request_stop
from seeds_gen.limits import DiskSpaceError, MemoryShortError, human
from seeds_gen.locales import SUPPORTED_LOCALES, is_supported
from seeds_gen.runs import Outcome, OutputError
from seeds_gen.schema import OUTPUT_FORMATS, TABLE_NAMES
from seeds_gen.spark.errors import SparkJobError

if TYPE_CHECKING:
    from seeds_gen.generate import Progress, RunResult

EXIT_ENVIRONMENT = 1
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m seeds_gen",
        description="Write reproducible synthetic e-commerce seeds (data/raw_<table>.csv, or "
                    ".parquet with --format parquet).",
    )
    parser.add_argument("--seed", type=int, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--scale", type=float,
                        help="multiply customer, orders and order_item (default 1)")
    parser.add_argument("--rows", action="append", default=[], metavar="TABLE=N",
                        help="exact rows for one table; repeatable. Tables: "
                        + ", ".join(TABLE_NAMES))
    parser.add_argument("--config", type=Path, help="TOML file with the same settings")
    parser.add_argument("--start",
                        help=f"first day of the order window (default {DEFAULT_START})")
    parser.add_argument("--end",
                        help=f"day after the order window, exclusive (default {DEFAULT_END})")
    parser.add_argument("--locale",
                        help=f"Faker locale for people and places (default {DEFAULT_LOCALE})")
    parser.add_argument("--out", help=f"output folder (default {DEFAULT_OUT}/)")
    parser.add_argument("--threads", type=int,
                        help="DuckDB threads (default: all cores; with --engine spark, in "
                        "each task, default 1)")
    parser.add_argument("--as-of", metavar="'YYYY-MM-DD[ HH:MM:SS]'",
                        help="write the shop as it stood at this instant (UTC) of the order "
                        "window (default: the window's end)")
    parser.add_argument("--changes-since", metavar="'YYYY-MM-DD[ HH:MM:SS]'",
                        help="also write the change set of (this instant, as-of] into "
                        "<out>/changes/: every insert and update, in time order")
    # No argparse choices: config.parse_format words the error as for the TOML setting.
    parser.add_argument("--format", metavar="|".join(OUTPUT_FORMATS),
                        help=f"file format of the tables (default {DEFAULT_FORMAT}; dbt seed "
                        "reads csv)")
    parser.add_argument("--parts", type=int, metavar="N",
                        help="write customer, orders and order_item in N parts (default 1: one "
                        "file each); any N gives the same rows")
    parts = parser.add_mutually_exclusive_group()
    parts.add_argument("--part", type=int, metavar="K",
                       help="with --parts N: write only part K (0..N-1) into "
                       "<out>/parts-of-N/part-K/, for --assemble")
    parts.add_argument("--assemble", action="store_true",
                       help="with --parts N: publish the N parts in <out>/parts-of-N/ as a "
                       "dataset")
    parser.add_argument("--engine", choices=("process", "spark"), default="process",
                        help="process (default): this process writes the files; spark: the "
                        "parts run as Spark tasks (needs ecom-synth[spark] and Java 17+)")
    parser.add_argument("--spark-master", metavar="URL",
                        help="with --engine spark: local[*] (default), local[N], "
                        "spark://host:port, yarn, k8s://...; --out may then be any URI Spark "
                        "writes (hdfs://, s3a://, abfss://)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--quiet", action="store_true", help="print nothing on success")
    output.add_argument("--json", action="store_true", help="print a JSON summary only")
    return parser


def config_from_args(args: argparse.Namespace) -> GeneratorConfig:
    """Defaults, then the TOML file, then command-line options: the last one wins."""
    settings: dict[str, Any] = load_toml(args.config) if args.config else {}
    for key in ("seed", "scale", "locale", "threads", "parts"):
        value = getattr(args, key)
        if value is not None:
            settings[key] = value
    if args.out is not None:
        settings["out"] = parse_out(args.out)
    if args.format is not None:
        settings["format"] = parse_format(args.format)
    if args.start is not None:
        settings["start"] = parse_date(args.start, "--start")
    if args.end is not None:
        settings["end"] = parse_date(args.end, "--end")
    if args.as_of is not None:
        settings["as_of"] = parse_instant(args.as_of, "--as-of")
    if args.changes_since is not None:
        settings["changes_since"] = parse_instant(args.changes_since, "--changes-since")
    if args.rows:
        rows = dict(settings.get("rows", {}))
        rows.update(parse_rows_override(text) for text in args.rows)
        settings["rows"] = rows
    return GeneratorConfig(**settings)


class _Interruption:
    """Remembers a SIGINT/SIGTERM: DuckDB turns the KeyboardInterrupt into its own error.

    Only the first signal raises; later ones must not cut short the clean-up the first started.
    """

    received = False

    @classmethod
    def handler(cls, signum: int, frame: FrameType | None) -> None:
        if cls.received:
            return
        cls.received = True
        request_stop()  # the Python reference thread stops at its next check
        raise KeyboardInterrupt


def _interrupted(outcome: Outcome | None) -> int:
    what = outcome.describe() if outcome else "nothing was written"
    print(f"seeds_gen: interrupted; {what}", file=sys.stderr)
    return EXIT_INTERRUPTED


def _environment_failure(what: str, outcome: Outcome | None) -> int:
    state = outcome.describe() if outcome else "nothing was written"
    print(f"seeds_gen: error: {what}; {state}", file=sys.stderr)
    return EXIT_ENVIRONMENT


def _is_duckdb_io_error(exc: BaseException) -> bool:
    name = type(exc).__name__
    return (type(exc).__module__.startswith(("duckdb", "_duckdb"))
            and ("IO" in name or "OutOfMemory" in name))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # A terminated run cleans up its staging folder like an interrupted one. Until the run knows
    # its output folder (imports, config: a fraction of a second) signals wait, so an
    # interruption is always reported against the folder it concerns.
    stops = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    signal.signal(signal.SIGTERM, _Interruption.handler)
    signal.signal(signal.SIGINT, _Interruption.handler)
    from seeds_gen.generate import ChunkDone, TableResult, assemble, generate, generate_part

    started: list[bool] = []
    last_line = [0.0]

    def progress(event: TableResult | ChunkDone) -> None:
        if args.quiet or args.json:
            return
        if not started:  # announced once work has begun, so errors stay one line
            started.append(True)
            what = ("assembling" if args.assemble else
                    f"part {args.part} of {config.parts}" if args.part is not None else
                    "generating")
            print(f"{what.capitalize()} {config.format} into {config.out}/ (seed {config.seed}, "
                  f"scale {config.scale:g}, parts {config.parts})", file=sys.stderr, flush=True)
        if isinstance(event, ChunkDone):
            # Large runs: a line every few seconds with how far the orders got, and the rate.
            if event.orders < event.orders_total and event.seconds - last_line[0] < 5:
                return
            last_line[0] = event.seconds
            print(f"  orders {event.orders:>14,} of {event.orders_total:,} "
                  f"({100 * event.orders / event.orders_total:5.1f}%), "
                  f"{event.lines:,} lines, {event.lines / max(event.seconds, 1e-9):,.0f} lines/s",
                  file=sys.stderr, flush=True)
        else:
            print(f"  {event.table:<18} {event.rows:>12,} rows {event.seconds:>8.2f} s",
                  file=sys.stderr, flush=True)

    outcome: Outcome | None = None
    try:
        try:
            config = config_from_args(args)
            validate(config)
            if (args.part is not None or args.assemble) and args.parts is None \
                    and config.parts == 1:
                option = "--part" if args.part is not None else "--assemble"
                raise ConfigError(f"{option} needs --parts N (how many parts the dataset has); "
                                  f"e.g. --parts 4 {option}{' 0' if args.part is not None else ''}")
            if args.engine == "spark" and (args.part is not None or args.assemble):
                raise ConfigError("--engine spark makes every part itself; --part and "
                                  "--assemble are for parts made by separate processes")
            if args.engine == "spark" and config.changes_since is not None:
                raise ConfigError("--changes-since is written by the process engine; drop "
                                  "--engine spark (use --parts N for parts in one run)")
            if args.spark_master is not None and args.engine != "spark":
                raise ConfigError("--spark-master needs --engine spark")
            if not is_supported(config.locale) and not args.quiet:
                print(f"seeds_gen: warning: locale {config.locale} is not one of the supported "
                      f"locales ({', '.join(SUPPORTED_LOCALES)}); its people and places come "
                      "from Faker as they are", file=sys.stderr)
            outcome = Outcome(config.out)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)  # a pending signal lands here
        if args.engine == "spark":
            started.append(True)  # _run_spark announces the run itself
            run = _run_spark(args, config, progress, outcome)
        elif args.part is not None:
            run = generate_part(config, args.part, progress, outcome)
        elif args.assemble:
            run = assemble(config, progress, outcome)
        else:
            run = generate(config, progress, outcome)
    except (ConfigError, OutputError) as exc:
        print(f"seeds_gen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (DiskSpaceError, MemoryShortError) as exc:
        print(f"seeds_gen: error: {exc}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except SparkJobError as exc:
        return _environment_failure(str(exc), outcome)
    except KeyboardInterrupt:
        return _interrupted(outcome)
    except OSError as exc:
        if _Interruption.received:
            return _interrupted(outcome)
        where = f" writing {Path(exc.filename).name}" if exc.filename else ""
        fix = ("free disk space or choose another --out"
               if exc.errno in (errno.ENOSPC, errno.EDQUOT)
               else "check the disk and the permissions of --out")
        return _environment_failure(
            f"writing the dataset failed ({exc.strerror or exc}{where}); {fix}", outcome)
    except Exception as exc:
        if _Interruption.received:
            return _interrupted(outcome)
        if _is_duckdb_io_error(exc):
            text = str(exc).strip()
            first_line = text.splitlines()[0] if text else type(exc).__name__
            return _environment_failure(
                f"writing the dataset failed ({first_line}); check free disk space and the "
                "permissions of --out", outcome)
        raise

    # A Spark run into a URI has no manifest: its description names the location.
    location = run.manifest.get("location")
    if args.json:
        print(json.dumps({
            "out": location or str(run.out),
            "format": run.manifest["format"],
            "seconds": round(run.seconds, 3),
            "total_rows": run.total_rows,
            "rows_per_second": round(run.total_rows / run.seconds),
            "settings": run.manifest["settings"],
            "as_of": run.manifest.get("as_of"),
            "changes": run.manifest.get("changes"),
            "parts": run.manifest.get("parts", config.parts),
            "tables": [
                {"table": t.table, "files": _file_names(run.manifest["tables"][t.table]),
                 "rows": t.rows, "bytes": t.bytes,
                 "seconds": round(t.seconds, 3), "sha256": t.sha256}
                for t in run.tables
            ],
        }, indent=2))
    elif not args.quiet:
        print(f"\n{'table':<18} {'rows':>12} {'file size':>10} {'seconds':>8}")
        for t in run.tables:
            print(f"{t.table:<18} {t.rows:>12,} {human(t.bytes):>10} {t.seconds:>8.2f}")
        print(f"{'total':<18} {run.total_rows:>12,} "
              f"{human(sum(t.bytes for t in run.tables)):>10} {run.seconds:>8.2f}")
        where = (f"part: {outcome.part}" if outcome.part is not None
                 else f"tables: {location}/raw_<table>/" if location
                 else f"manifest: {run.out}/manifest.json")
        print(f"{run.total_rows / run.seconds:,.0f} rows/s; {where}")
    return 0


def _file_names(entry: dict[str, Any]) -> list[str]:
    """A table's data files, from a dataset's manifest entry or a part's."""
    return [f["file"] for f in entry["files"]] if "files" in entry else [entry["file"]]


def _run_spark(args: argparse.Namespace, config: GeneratorConfig, progress: Progress,
               outcome: Outcome) -> RunResult:
    """--engine spark: the parts as Spark tasks (seeds_gen/spark/engine.py)."""
    from seeds_gen.spark.engine import (
        DEFAULT_MASTER,
        output_location,
        run_spark,
        under_spark_submit,
    )

    out = output_location(args.out, config)
    # --parts (or the config file's parts) when given, else the engine's default for the cluster.
    parts = args.parts if args.parts is not None else config.parts if config.parts != 1 else None

    master = args.spark_master or ("spark-submit's master" if under_spark_submit()
                                   else DEFAULT_MASTER)

    def announce() -> None:  # once every check has passed, so bad input stays one line
        if not (args.quiet or args.json):
            print(f"Generating {config.format} with Spark ({master}) "
                  f"into {out}/ (seed {config.seed}, scale {config.scale:g}, parts "
                  f"{parts or 'two per core'})", file=sys.stderr, flush=True)

    return run_spark(config, out, args.spark_master, parts,
                     args.threads if args.threads is not None else 1, progress, outcome,
                     announce)
