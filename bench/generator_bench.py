"""Benchmark `python -m seeds_gen` as a user runs it: whole processes, interpreter start included.

Two tables:

- scales: for each scale and format, several runs into a temp folder: wall seconds (median,
  min, max), CPU seconds, peak RSS, bytes of the files, order lines per second and seconds per
  million lines (a flat last column means linear time).
- parts: for each N, the dataset made as N separate `--parts N --part K` processes (as N
  machines would) plus `--assemble`, against one whole run in the same round: the sum of the
  part times over the single run shows what splitting costs. Runs of the two alternate.

    python bench/generator_bench.py                          # scales 1, 10, 100; csv
    python bench/generator_bench.py --scales 1 10 --format parquet --runs 3
    python bench/generator_bench.py --parts 1 2 4 8 --scales 10 --runs 3
    python bench/generator_bench.py --changes 1 7 30 731 --scales 1 --runs 5

- changes: a plain `--as-of` run against the same run with `--changes-since` D days before
  it, alternating, for each D: the ratio of the two (the change set's extra cost) and its rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RUNS = {1.0: 5, 10.0: 3, 100.0: 1, 300.0: 1}


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    peak_mb: float


def run(args: list[str]) -> Sample:
    """One generator process: wall and CPU seconds, peak RSS."""
    command = [sys.executable, "-m", "seeds_gen", "--quiet", *args]
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"generator failed: {' '.join(command)}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def folder_bytes(out: Path) -> int:
    run_folder = (out / "current").resolve()
    return sum(p.stat().st_size for p in run_folder.rglob("*") if p.is_file())


def scales_table(scales: list[float], runs: int | None, output_format: str,
                 threads: int | None) -> None:
    print(f"format {output_format}")
    print(f"{'scale':>6} {'order lines':>13} {'runs':>5} {'median s':>9} {'min s':>7} "
          f"{'max s':>7} {'cpu s':>7} {'peak RSS MB':>12} {'output MB':>10} {'lines/s':>11} "
          f"{'s per 1M lines':>15}")
    extra = ["--threads", str(threads)] if threads else []
    for scale in scales:
        samples, size = [], 0
        for _ in range(runs or DEFAULT_RUNS.get(scale, 3)):
            with tempfile.TemporaryDirectory(prefix="gen-bench-", dir=REPO / "bench") as out:
                samples.append(run(["--scale", str(scale), "--out", out,
                                    "--format", output_format, *extra]))
                size = folder_bytes(Path(out))
        lines = round(1_000_000 * scale)
        median = statistics.median(s.wall for s in samples)
        print(f"{scale:>6g} {lines:>13,} {len(samples):>5} {median:>9.2f} "
              f"{min(s.wall for s in samples):>7.2f} {max(s.wall for s in samples):>7.2f} "
              f"{statistics.median(s.cpu for s in samples):>7.1f} "
              f"{max(s.peak_mb for s in samples):>12.0f} {size / 2**20:>10.1f} "
              f"{lines / median:>11,.0f} {median / (lines / 1e6):>15.2f}", flush=True)


def parts_table(parts: list[int], scale: float, runs: int, output_format: str) -> None:
    print(f"parts made apart, scale {scale:g}, format {output_format}; each round runs the "
          "single run, then the N parts and --assemble, one process after another")
    print(f"{'N':>4} {'runs':>5} {'single s':>9} {'sum of parts s':>15} {'assemble s':>11} "
          f"{'(parts+assemble)/single':>24} {'slowest part s':>15} {'part peak RSS MB':>17}")
    common = ["--scale", str(scale), "--format", output_format]
    for n in parts:
        singles, sums, assembles, ratios, slowest, peaks = [], [], [], [], [], []
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="gen-bench-", dir=REPO / "bench") as out:
                singles.append(run([*common, "--out", out]).wall)
            with tempfile.TemporaryDirectory(prefix="gen-bench-", dir=REPO / "bench") as out:
                part_samples = [run([*common, "--out", out, "--parts", str(n), "--part", str(k)])
                                for k in range(n)]
                assembled = run([*common, "--out", out, "--parts", str(n), "--assemble"])
            sums.append(sum(s.wall for s in part_samples))
            assembles.append(assembled.wall)
            ratios.append((sums[-1] + assembled.wall) / singles[-1])
            slowest.append(max(s.wall for s in part_samples))
            peaks.append(max(s.peak_mb for s in part_samples))
        print(f"{n:>4} {runs:>5} {statistics.median(singles):>9.2f} "
              f"{statistics.median(sums):>15.2f} {statistics.median(assembles):>11.2f} "
              f"{statistics.median(ratios):>23.2f}x {statistics.median(slowest):>15.2f} "
              f"{max(peaks):>17.0f}", flush=True)


def changes_table(days: list[int], scale: float, runs: int, as_of: str) -> None:
    print(f"change sets, scale {scale:g}, --as-of '{as_of}'; each round runs the plain as-of, "
          "then the same with --changes-since D days before it")
    print(f"{'D days':>7} {'runs':>5} {'plain s':>8} {'with changes s':>15} "
          f"{'changes/plain':>14} {'change rows':>12} {'peak RSS MB (plain, changes)':>29}")
    instant = dt.datetime.fromisoformat(as_of)
    common = ["--scale", str(scale), "--as-of", as_of]
    for d in days:
        since = max(instant - dt.timedelta(days=d), dt.datetime(2024, 1, 1))
        plains, withs, ratios, plain_peak, with_peak, change_rows = [], [], [], [], [], 0
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="gen-bench-", dir=REPO / "bench") as out:
                plain = run([*common, "--out", out])
            with tempfile.TemporaryDirectory(prefix="gen-bench-", dir=REPO / "bench") as out:
                changed = run([*common, "--out", out, "--changes-since", str(since)])
                manifest = json.loads((Path(out) / "manifest.json").read_text())
                change_rows = sum(t["rows"] for t in manifest["changes"]["tables"].values())
            plains.append(plain.wall)
            withs.append(changed.wall)
            ratios.append(changed.wall / plain.wall)
            plain_peak.append(plain.peak_mb)
            with_peak.append(changed.peak_mb)
        print(f"{d:>7} {runs:>5} {statistics.median(plains):>8.2f} "
              f"{statistics.median(withs):>15.2f} {statistics.median(ratios):>13.2f}x "
              f"{change_rows:>12,} {max(plain_peak):>14.0f}, {max(with_peak):.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 100.0])
    parser.add_argument("--runs", type=int, help="runs per scale (default 5 / 3 / 1 / 1)")
    parser.add_argument("--threads", type=int, help="pass --threads to the generator")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--parts", type=int, nargs="+",
                        help="the parts table instead, for these N at the first --scales")
    parser.add_argument("--changes", type=int, nargs="+", metavar="DAYS",
                        help="the change-set table instead, for changes since these many days "
                        "before --as-of, at the first --scales")
    parser.add_argument("--as-of", default="2025-12-31 00:00:00",
                        help="the as-of of the change-set table")
    args = parser.parse_args()
    if args.changes:
        changes_table(args.changes, args.scales[0], args.runs or 5, args.as_of)
    elif args.parts:
        parts_table(args.parts, args.scales[0], args.runs or 3, args.format)
    else:
        scales_table(args.scales, args.runs, args.format, args.threads)


if __name__ == "__main__":
    main()
