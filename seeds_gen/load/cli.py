"""`python -m seeds_gen load --target NAME`: the dataset in data/ into the target's seed tables.

dbt owns every decision and every table (macros/seeds/seed_loader.sql): which seeds already hold
the manifest's data, the side tables with the declared types, the checks and the swap. Between
its two steps this process streams the files with the target's own bulk protocol, one table at a
time and a bounded buffer at a time, so memory stays flat whatever the size. Connections come from
the same profiles.yml target as dbt's.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from seeds_gen.command_line import OneLineParser, add_dbt_target_options
from seeds_gen.faults import fault_point
from seeds_gen.load.job import LoadError, TableJob

EXIT_FAILED = 1
STREAMED_TARGETS = ("postgres", "mysql", "sqlserver")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m seeds_gen load",
        description="Load the generated dataset (data/, any parts, CSV or Parquet) into the seed "
                    "tables of a dbt target, streaming the files with the database's own bulk "
                    "protocol (PostgreSQL COPY FROM STDIN, MySQL LOAD DATA LOCAL, SQL Server "
                    "bulk copy). `dbt build --target NAME` then keeps them.",
    )
    add_dbt_target_options(parser)
    parser.add_argument("--full-refresh", action="store_true",
                        help="reload tables that already hold the manifest's data")
    parser.add_argument("--vars", help="dbt --vars, passed on as given")
    return parser


class _Events:
    """dbt's debug events: the loader macros speak through log() lines with a fixed prefix."""

    def __init__(self) -> None:
        self.jobs: list[TableJob] = []
        self.kept: list[dict[str, Any]] = []
        self.loaded: list[dict[str, Any]] = []
        self.errors: list[str] = []

    def __call__(self, event: Any) -> None:
        name = event.info.name
        if event.info.level == "error" and event.info.msg:
            self.errors.append(str(event.info.msg))
        if name in ("JinjaLogDebug", "JinjaLogInfo"):
            msg = str(event.data.msg)
            for prefix, sink in (("ECOM_SYNTH_LOAD ", None), ("ECOM_SYNTH_KEPT ", self.kept),
                                 ("ECOM_SYNTH_LOADED ", self.loaded)):
                if msg.startswith(prefix):
                    value = json.loads(msg[len(prefix):])
                    if sink is None:
                        self.jobs.append(TableJob.from_dict(value))
                    else:
                        sink.append(value)


def _dbt_args(args: argparse.Namespace, *command: str) -> list[str]:
    # dbt prints nothing: its errors reach the user as one line of ours (_dbt_failure)
    out = [*command, "--project-dir", str(args.project_dir), "--target", args.target,
           "--log-level", "none", "--log-level-file", "none"]
    if args.profiles_dir is not None:
        out += ["--profiles-dir", str(args.profiles_dir)]
    if args.vars:
        out += ["--vars", args.vars]
    return out


def _run_operation(args: argparse.Namespace, macro: str, macro_args: dict[str, Any],
                   events: _Events) -> None:
    from dbt.cli.main import dbtRunner

    result = dbtRunner(callbacks=[events]).invoke(
        _dbt_args(args, "run-operation", f"ecom_synth.{macro}", "--args", json.dumps(macro_args)))
    if not result.success:
        raise LoadError(_dbt_failure(result, events.errors))


def _dbt_failure(result: Any, errors: list[str]) -> str:
    """dbt's reason in one line: its error event, else the exception, without the macro trail."""
    text = errors[0] if errors else str(result.exception or "dbt failed")
    kept = [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith(">")]
    prefixes = ("Encountered an error while running operation:", "Encountered an error:",
                "Runtime Error", "Compilation Error", "Database Error")
    while kept and (prefix := next((p for p in prefixes if kept[0].startswith(p)), None)):
        kept[0] = kept[0].removeprefix(prefix).strip()
        if not kept[0]:
            kept.pop(0)
    return " ".join(kept) or "dbt failed"


def _credentials(args: argparse.Namespace) -> Any:
    """The target's credentials exactly as dbt renders them (env vars, defaults)."""
    from dbt.config.runtime import load_profile

    cli_vars = {}
    if args.vars:
        from dbt.config.utils import parse_cli_yaml_string

        cli_vars = parse_cli_yaml_string(args.vars, "vars")
    profile = load_profile(str(args.project_dir.resolve()), cli_vars, target_override=args.target)
    return profile.credentials


def _streamer(adapter_type: str) -> Callable[[Any, TableJob], int]:
    """seeds_gen.load.<adapter type>.load_table: one module per target that streams."""
    if adapter_type not in STREAMED_TARGETS:
        raise LoadError(
            f"target type {adapter_type} has no streaming loader (it is one of "
            f"{', '.join(STREAMED_TARGETS)}); DuckDB reads the files itself: run dbt seed or "
            "dbt build directly.")
    module = importlib.import_module(f"seeds_gen.load.{adapter_type}")
    stream: Callable[[Any, TableJob], int] = module.load_table
    return stream


def load(args: argparse.Namespace, say: Callable[[str], None]) -> int:
    """Run the whole load; returns the number of tables loaded. Raises LoadError."""
    if not (args.project_dir / "dbt_project.yml").is_file():
        raise LoadError(f"{args.project_dir}/dbt_project.yml not found: run from the ecom-synth "
                        "project, or pass --project-dir")
    events = _Events()
    if args.profiles_dir is not None:
        import os

        os.environ["DBT_PROFILES_DIR"] = str(args.profiles_dir)
    started = time.monotonic()
    _run_operation(args, "loader_begin", {"full_refresh": bool(args.full_refresh)}, events)
    for kept in events.kept:
        say(f"  {kept['seed']:<24} {kept['rows']:>12,} rows  kept (holds the manifest's data)")
    if not events.jobs:
        say("Nothing to load: every seed table holds the manifest's data (--full-refresh reloads).")
        return 0
    names = [job.seed for job in events.jobs]
    try:
        credentials = _credentials(args)
        stream = _streamer(credentials.type)
        for number, job in enumerate(events.jobs):
            if number == 1:
                fault_point("load_after_first_table")
            t0 = time.monotonic()
            rows = stream(credentials, job)
            if rows != job.rows:
                raise LoadError(f"{job.seed}: {rows:,} rows loaded, the manifest says "
                                f"{job.rows:,}; run python -m seeds_gen again. Nothing was "
                                "replaced.")
            seconds = time.monotonic() - t0
            say(f"  {job.seed:<24} {rows:>12,} rows {seconds:8.2f} s  "
                f"({len(job.files)} file{'s' if len(job.files) > 1 else ''}, {job.format})")
        fault_point("load_before_finish")
    except BaseException:
        with contextlib.suppress(LoadError):  # the first error is the one to report
            _run_operation(args, "loader_finish", {"seeds": names, "abort": True}, _Events())
        raise
    _run_operation(args, "loader_finish", {"seeds": names, "abort": False}, events)
    say(f"Loaded {len(names)} table(s) into target {args.target} in "
        f"{time.monotonic() - started:.1f} s; `dbt build --target {args.target}` keeps them.")
    return len(names)


def _terminated(signum: int, frame: FrameType | None) -> None:
    # SIGTERM unwinds like Ctrl-C: the side tables are dropped, the seed tables stay as they were.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminated)

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        load(args, say)
    except LoadError as exc:
        say(f"seeds_gen load: {exc}")
        return EXIT_FAILED
    except KeyboardInterrupt:
        say("seeds_gen load: interrupted; the seed tables are as they were.")
        return 130
    return 0
