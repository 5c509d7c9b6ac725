"""Benchmark `--engine spark` against the single process, and measure what the SF1000 cost
model (README) is built from.

1. Whole processes as a user runs them, interleaved (single, spark, single, spark, ...): wall
   seconds (median, min, max), peak RSS of the whole process tree (sampled from /proc: the
   JVM and Spark's Python workers count), order lines per second.
2. The per-part cost: `part_batches` of real SF1000 parts (1 core, no Spark), and of the
   parts the Spark run above used, so Spark's own share (handover, cache, writers) shows.
3. One Spark run in this process, timed by phase: session start, generating the parts, writing.

    python bench/spark_bench.py                      # scale 10, 3 runs, csv, local[2]
    python bench/spark_bench.py --scale 1 --runs 5 --format parquet
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants, now."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * PAGE
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree)


def run_once(command: list[str]) -> tuple[float, float, dict[str, object]]:
    """(wall seconds, peak RSS of the process tree in MB, the run's --json summary)."""
    peak = [0]
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(command)}")
    return wall, peak[0] / 2**20, json.loads(stdout)


def part_seconds(scale: float, parts: int, indexes: list[int]) -> list[float]:
    """Seconds to compute each part (all its tables) on one core, in a fresh process each."""
    code = ("import sys, time; from seeds_gen.config import GeneratorConfig; "
            "from seeds_gen.generate import part_batches; from seeds_gen.parts import Part; "
            "c = GeneratorConfig(scale=float(sys.argv[1]), threads=1); "
            "t = time.perf_counter(); "
            "n = sum(b.num_rows for _, b in part_batches(c, Part(int(sys.argv[3]), "
            "int(sys.argv[2])))); print(time.perf_counter() - t)")
    return [float(subprocess.run([sys.executable, "-c", code, str(scale), str(parts), str(k)],
                                 cwd=REPO, capture_output=True, text=True, check=True).stdout)
            for k in indexes]


def phases(scale: float, fmt: str, master: str, parts: int) -> dict[str, float]:
    """One Spark run in this process: seconds of session start, the parts, each table's write."""
    from dataclasses import replace

    from seeds_gen.config import GeneratorConfig
    from seeds_gen.spark.engine import _write, spark_session
    from seeds_gen.spark.frames import spark_tables

    seconds: dict[str, float] = {}
    t = time.perf_counter()
    with spark_session(master) as spark, tempfile.TemporaryDirectory() as out:
        seconds["session start"] = time.perf_counter() - t
        t = time.perf_counter()
        tables = spark_tables(spark, replace(GeneratorConfig(scale=scale), format=fmt), parts)
        seconds["parts + reference tables"] = time.perf_counter() - t
        with tables:
            for name, frame in tables.items():
                t = time.perf_counter()
                _write(frame, fmt, f"file://{out}/{name}")
                seconds[f"write {name}"] = time.perf_counter() - t
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--sf1000-parts", type=int, default=1024,
                        help="parts of the SF1000 cost model (default 1024: two per core of "
                        "16 x 32 cores)")
    args = parser.parse_args()
    lines = round(1_000_000 * args.scale)

    engines = {
        "single process": ["--engine", "process"],
        f"spark {args.master}": ["--engine", "spark", "--spark-master", args.master],
    }
    samples: dict[str, list[tuple[float, float, dict[str, object]]]] = {e: [] for e in engines}
    for _ in range(args.runs):
        for engine, options in engines.items():
            with tempfile.TemporaryDirectory(prefix="spark-bench-") as out:
                command = [sys.executable, "-m", "seeds_gen", "--scale", str(args.scale),
                           "--format", args.format, "--out", f"{out}/data", "--json", *options]
                samples[engine].append(run_once(command))
    print(f"scale {args.scale:g} ({lines:,} order lines), {args.format}, {args.runs} runs each, "
          "interleaved")
    print(f"{'engine':<18} {'parts':>5} {'median s':>9} {'min s':>7} {'max s':>7} "
          f"{'peak RSS MB':>12} {'lines/s':>10}")
    for engine, runs in samples.items():
        walls = [w for w, _, _ in runs]
        median = statistics.median(walls)
        print(f"{engine:<18} {runs[0][2]['parts']!s:>5} {median:>9.1f} {min(walls):>7.1f} "
              f"{max(walls):>7.1f} {max(r for _, r, _ in runs):>12.0f} "
              f"{lines / median:>10,.0f}", flush=True)

    spark_parts = int(str(samples[f"spark {args.master}"][0][2]["parts"]))
    here = part_seconds(args.scale, spark_parts, list(range(spark_parts)))
    big = args.sf1000_parts
    sf1000 = part_seconds(1000.0, big, [0, big // 2, big - 1])
    print("\nper-part cost on one core (part_batches, no Spark, threads 1):")
    print(f"  scale {args.scale:g}, {spark_parts} parts of ~{lines / spark_parts:,.0f} lines: "
          f"{', '.join(f'{s:.1f}' for s in here)} s (sum {sum(here):.1f} core-s)")
    print(f"  SF1000, {big} parts of ~{1e9 / big:,.0f} lines (parts 0, {big // 2}, {big - 1}): "
          f"{', '.join(f'{s:.1f}' for s in sf1000)} s (median {statistics.median(sf1000):.1f})")

    print(f"\none Spark run by phase (scale {args.scale:g}, {args.master}, {spark_parts} parts):")
    for phase, seconds in phases(args.scale, args.format, args.master, spark_parts).items():
        print(f"  {phase:<28} {seconds:>7.1f} s")


if __name__ == "__main__":
    main()
