"""Benchmark `python -m seeds_gen live --speed max`: events per second into each target.

    .venv/bin/python bench/live_bench.py                            # postgres and mysql, scale 1
    .venv/bin/python bench/live_bench.py --targets postgres --runs 5 --days 30

The default-size world is generated as of FROM and built once per target (`dbt build`, the
real project in a throw-away copy). Then --runs live runs play consecutive intervals of --days
each (FROM to FROM+days, then on): the same kind of month, so the runs are comparable without a
rebuild between them. Per run: events applied, the run's own events/s (from its first event:
the first window's change set is made before it), the whole command's seconds, and peak RSS of
the live process and of its generator children (the run's summary). Reported: medians over the
runs (min and max of events/s beside).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from build_bench import dbt_build, drop_namespace, make_project
from seed_bench import dbt_env

REPO = Path(__file__).resolve().parents[1]
BENCHED = ("duckdb", "postgres", "mysql")
TOTAL = re.compile(r"total\s+([\d,]+)\s+in ([\d.]+) s \(([\d,]+) events/s\)")
MEMORY = re.compile(r"peak memory: ([\d,]+) MB \(this process\), ([\d,]+) MB")


@dataclass
class Run:
    events: int
    rate: float
    command_s: float
    live_mb: float
    generator_mb: float


def generate(out: Path, scale: float, as_of: str) -> None:
    subprocess.run([sys.executable, "-m", "seeds_gen", "--scale", str(scale), "--as-of", as_of,
                    "--out", str(out), "--quiet"], cwd=REPO, check=True)


def live(project: Path, target: str, schema: str, work: Path, until: str) -> Run:
    env = dbt_env(target, schema, work)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "seeds_gen", "live", "--target", target, "--project-dir",
         str(project), "--profiles-dir", str(project), "--until", until, "--speed", "max"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"live run failed ({target}):\n{done.stderr[-3000:]}")
    total = TOTAL.search(done.stderr)
    memory = MEMORY.search(done.stderr)
    if total is None or memory is None:
        raise SystemExit(f"no summary in the live run's output:\n{done.stderr[-3000:]}")
    return Run(int(total[1].replace(",", "")), float(total[3].replace(",", "")), seconds,
               float(memory[1].replace(",", "")), float(memory[2].replace(",", "")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", nargs="+", default=["postgres", "mysql"],
                        help=f"of {', '.join(BENCHED)} (default: postgres mysql)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--days", type=int, default=30, help="simulated days per run")
    parser.add_argument("--from", dest="since", default="2025-06-01")
    args = parser.parse_args(argv)
    if "sqlserver" in args.targets:  # live mode runs there, but no server here to measure
        print("live_bench: sqlserver is not benchmarked (no SQL Server to measure against); "
              f"choose among {', '.join(BENCHED)}", file=sys.stderr)
        return 2
    unknown = [t for t in args.targets if t not in BENCHED]
    if unknown:
        parser.error(f"unknown target {', '.join(unknown)}; choose among {', '.join(BENCHED)}")

    with tempfile.TemporaryDirectory(prefix="live-bench-", dir=REPO / "bench") as tmp:
        work = Path(tmp)
        generate(work / "data", args.scale, args.since)
        project = work / "project"
        make_project(project, work / "data")
        print(f"world: --scale {args.scale}, tables built as of {args.since}; {args.runs} runs "
              f"of {args.days} simulated days each at --speed max")
        print()
        print("| target | events per run | events/s (median; min-max) | command s | "
              "peak RSS MB: live, generator |")
        print("|---|---:|---:|---:|---:|")
        for target in args.targets:
            schema = f"bench_live_{os.getpid()}_{secrets.token_hex(2)}"
            runs: list[Run] = []
            try:
                dbt_build(project, target, schema, work)
                start = dt.date.fromisoformat(args.since)
                for k in range(1, args.runs + 1):
                    until = (start + dt.timedelta(days=args.days * k)).isoformat()
                    runs.append(live(project, target, schema, work, until))
            finally:
                drop_namespace(target, schema, work)
            rates = [r.rate for r in runs]
            print(f"| {target} | {statistics.median(r.events for r in runs):,.0f} "
                  f"| {statistics.median(rates):,.0f}; {min(rates):,.0f}-{max(rates):,.0f} "
                  f"| {statistics.median(r.command_s for r in runs):.1f} "
                  f"| {statistics.median(r.live_mb for r in runs):.0f}, "
                  f"{statistics.median(r.generator_mb for r in runs):.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
