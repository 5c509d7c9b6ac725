"""`python -m seeds_gen live --target NAME`: parse, check, report. The run is seeds_gen.live.run.

The connection is the dbt profile's target (as `python -m seeds_gen load` reads it); the world is
the generator's own options, by default the settings recorded in <project>/data/manifest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from seeds_gen.command_line import EXIT_USAGE, OneLineParser, add_dbt_target_options
from seeds_gen.config import ConfigError, GeneratorConfig, parse_instant, validate
from seeds_gen.live.database import EXIT_ENVIRONMENT, Database, LiveError
from seeds_gen.live.events import ChangeSetError
from seeds_gen.live.pacing import Pace, PaceError
from seeds_gen.live.run import DEFAULT_WINDOW_DAYS, LiveOptions, describe_stop, play, summary
from seeds_gen.live.sql import RenderError
from seeds_gen.schema import MANIFEST_FILE, TABLE_NAMES

EXIT_INTERRUPTED = 130
WORLD_OPTIONS = ("seed", "scale", "rows", "config", "start", "end", "locale")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m seeds_gen live",
        description="Play the shop's events after the instant the typed tables hold, each "
                    "business event one transaction, in real or accelerated time.")
    add_dbt_target_options(parser)
    parser.add_argument("--vars", help="dbt --vars, for the profile's rendering")
    world = parser.add_argument_group(
        "the world (default: the settings in <project>/data/manifest.json)")
    world.add_argument("--seed", type=int)
    world.add_argument("--scale", type=float)
    world.add_argument("--rows", action="append", default=[], metavar="TABLE=N",
                       help="repeatable; tables: " + ", ".join(TABLE_NAMES))
    world.add_argument("--config", type=Path, help="TOML file with the generator's settings")
    world.add_argument("--start", help="first day of the order window")
    world.add_argument("--end", help="day after the order window")
    world.add_argument("--locale")
    parser.add_argument("--from", dest="since", metavar="'YYYY-MM-DD[ HH:MM:SS]'",
                        help="the instant the tables hold (default: as recorded by dbt build; "
                        "a different one is refused)")
    parser.add_argument("--until", metavar="'YYYY-MM-DD[ HH:MM:SS]'",
                        help="play up to this instant (default: the end of the window)")
    parser.add_argument("--speed", metavar="X|max",
                        help="simulated seconds per second (3600: an hour a second), or max "
                        "(default 1: real time)")
    parser.add_argument("--events-per-second", type=float, metavar="N",
                        help="pace by rate instead of by the events' instants")
    parser.add_argument("--also-changes", type=Path, metavar="DIR",
                        help="also append each applied event to DIR/raw_<table>.csv "
                        "(the change-set format)")
    parser.add_argument("--window-days", type=float, default=DEFAULT_WINDOW_DAYS,
                        help="days of changes generated at a time (default %(default)g)")
    parser.add_argument("--durable-commits", action="store_true",
                        help="PostgreSQL: each commit waits for its WAL flush (default: not, "
                        "synchronous_commit off for the run's session; a crash then loses the "
                        "last fraction of a second of events, which the next run plays again)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser


def world_config(args: argparse.Namespace) -> GeneratorConfig:
    """The generator options' world; with none given, the one data/manifest.json records."""
    given = any(getattr(args, name) not in (None, []) for name in WORLD_OPTIONS)
    if not given:
        manifest = args.project_dir / "data" / MANIFEST_FILE
        if not manifest.is_file():
            raise LiveError(f"no world given and no {manifest}: pass the generator options of "
                            "the world the tables hold (--seed, --scale, --rows, ...)")
        try:
            settings = json.loads(manifest.read_text(encoding="utf-8"))["settings"]
            return GeneratorConfig(
                seed=int(settings["seed"]), scale=float(settings["scale"]),
                rows={k: int(v) for k, v in settings["rows"].items()},
                start=dt.date.fromisoformat(settings["start"]),
                end=dt.date.fromisoformat(settings["end"]), locale=str(settings["locale"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise LiveError(f"{manifest}: no readable settings ({exc}); pass the generator "
                            "options instead") from None
    from seeds_gen.cli import config_from_args

    generator_args = argparse.Namespace(
        **{name: getattr(args, name) for name in WORLD_OPTIONS}, threads=None, parts=None,
        out=None, format=None, as_of=None, changes_since=None)
    return config_from_args(generator_args)


def _credentials(args: argparse.Namespace) -> Any:
    """The target's credentials as dbt renders them, read in-process (seeds_gen.load.cli)."""
    from dbt.cli.flags import Flags
    from dbt.cli.main import cli
    from dbt.flags import set_flags
    from dbt_common.context import set_invocation_context

    from seeds_gen.load.cli import _credentials as load_credentials

    if args.profiles_dir is not None:
        os.environ["DBT_PROFILES_DIR"] = str(args.profiles_dir)
    set_invocation_context(os.environ)
    dbt_args = ["--project-dir", str(args.project_dir)]
    if args.profiles_dir is not None:
        dbt_args += ["--profiles-dir", str(args.profiles_dir)]
    set_flags(Flags(cli.commands["debug"].make_context("debug", dbt_args)))  # type: ignore[no-untyped-call]
    try:
        return load_credentials(args)
    except Exception as exc:  # dbt's profile errors: several lines, one reason
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()
                 and line.strip() not in ("Runtime Error", "Compilation Error")]
        raise LiveError("; ".join(lines[:2]) or type(exc).__name__) from None


def options_from_args(args: argparse.Namespace) -> LiveOptions:
    from seeds_gen.generate import world_id

    config = world_config(args)
    validate(config)
    since = parse_instant(args.since, "--from") if args.since else None
    until = parse_instant(args.until, "--until") if args.until else None
    if since is not None and until is not None and until <= since:
        raise LiveError(f"--until {until} is not after --from {since}")
    if not args.window_days > 0:
        raise LiveError(f"--window-days needs a number above 0, got {args.window_days:g}")
    return LiveOptions(config=config, world=world_id(config), since=since, until=until,
                       pace=Pace.parse(args.speed, args.events_per_second),
                       also_changes=args.also_changes, window_days=args.window_days)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()  # the run finishes the transaction it is in, then stops

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    quiet_say = (lambda line: None) if args.quiet else say
    db: Database | None = None
    try:
        if not (args.project_dir / "dbt_project.yml").is_file():
            raise LiveError(f"{args.project_dir}/dbt_project.yml not found: run from the "
                            "ecom-synth project, or pass --project-dir")
        options = options_from_args(args)
        credentials = _credentials(args)
        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        db = Database(credentials, durable_commits=args.durable_commits)
        result = play(db, options, quiet_say, stop)
    except (LiveError, ConfigError, PaceError) as exc:
        say(f"seeds_gen live: {exc}")
        return exc.code if isinstance(exc, LiveError) else EXIT_USAGE
    except (ChangeSetError, RenderError) as exc:
        say(f"seeds_gen live: the change set cannot be played ({exc})")
        return EXIT_ENVIRONMENT
    finally:
        if db is not None:
            db.close()
    for line in summary(result):
        quiet_say(line)
    if result.stopped:
        say(f"seeds_gen live: {describe_stop(result)}")
        return EXIT_INTERRUPTED
    quiet_say(f"The tables hold the shop as of {result.until}.")
    return 0
