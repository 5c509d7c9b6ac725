"""Benchmark `python -m seeds_gen` as a user runs it: whole process, interpreter start included.

For each scale it runs the generator several times into a temp folder and prints wall seconds
(median, min, max), peak RSS of the process, the bytes of the table files, order lines per
second, and seconds per million order lines, so linear growth shows as a flat last column. Usage:

    python bench/generator_bench.py                 # scales 1, 10, 30; 5, 3, 1 runs
    python bench/generator_bench.py --scales 1 --runs 7
    python bench/generator_bench.py --format parquet --scales 1 10
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RUNS = {1.0: 5, 10.0: 3, 30.0: 1}


def run_once(scale: float, threads: int | None, output_format: str) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, bytes of the run's files) of one generator process."""
    with tempfile.TemporaryDirectory(prefix="gen-bench-") as out:
        command = [sys.executable, "-m", "seeds_gen", "--scale", str(scale), "--out", out,
                   "--format", output_format, "--quiet"]
        if threads:
            command += ["--threads", str(threads)]
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"generator failed at scale {scale}")
        size = sum(p.stat().st_size for p in (Path(out) / "current").iterdir())
        return wall, usage.ru_maxrss / 1024, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=list(DEFAULT_RUNS))
    parser.add_argument("--runs", type=int, help="runs per scale (default 5 / 3 / 1)")
    parser.add_argument("--threads", type=int, help="pass --threads to the generator")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv",
                        help="pass --format to the generator (default csv)")
    args = parser.parse_args()

    print(f"format {args.format}")
    print(f"{'scale':>6} {'order lines':>12} {'runs':>5} {'median s':>9} {'min s':>7} "
          f"{'max s':>7} {'peak RSS MB':>12} {'output MB':>10} {'lines/s':>10} "
          f"{'s per 1M lines':>15}")
    for scale in args.scales:
        runs = args.runs or DEFAULT_RUNS.get(scale, 3)
        samples = [run_once(scale, args.threads, args.format) for _ in range(runs)]
        walls = [w for w, _, _ in samples]
        lines = round(1_000_000 * scale)
        median = statistics.median(walls)
        print(f"{scale:>6g} {lines:>12,} {runs:>5} {median:>9.2f} {min(walls):>7.2f} "
              f"{max(walls):>7.2f} {max(r for _, r, _ in samples):>12.0f} "
              f"{samples[0][2] / 2**20:>10.1f} {lines / median:>10,.0f} "
              f"{median / (lines / 1e6):>15.2f}", flush=True)


if __name__ == "__main__":
    main()
