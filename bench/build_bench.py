"""Benchmark `dbt build`: the first build into an empty namespace against a repeated one.

    .venv/bin/python bench/build_bench.py                         # duckdb, default size, 3 runs
    .venv/bin/python bench/build_bench.py --targets duckdb postgres mysql --runs 3
    .venv/bin/python bench/build_bench.py --scale 0.1

Each run takes a new namespace (DuckDB file, PostgreSQL schema, MySQL database), runs the whole
`dbt build` (seeds, models, tests, staging and publish) once into it, then once more on top of
it: the second is what a user pays for every later build. Both builds of a run use the same
generated dataset and the same throw-away copy of the project. Measured per build: the whole
command (wall clock, dbt start-up included), the publish step alone (the on-run-end hook's
time in target/run_results.json) and the peak resident memory of the dbt process
(/usr/bin/time; on DuckDB the database runs inside it). Reported: medians over the runs, and
the median of each run's repeated/first ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from seed_bench import dbt_env, drop_mysql_databases, drop_pg_schemas

REPO = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).with_name("dbt")
TIME = Path("/usr/bin/time")


@dataclass
class Build:
    command_s: float
    publish_s: float
    peak_rss_mb: float


def generate(out: Path, scale: float) -> int:
    """The real generator; returns the order lines written."""
    subprocess.run(
        [sys.executable, "-m", "seeds_gen", "--scale", str(scale), "--out", str(out), "--quiet"],
        cwd=REPO,
        check=True,
    )
    for line in (out / "raw_row_counts.csv").read_text(encoding="utf-8").splitlines()[1:]:
        table, rows = line.rsplit(",", 1)
        if table == "order_item":
            return int(rows)
    raise SystemExit("raw_row_counts.csv has no order_item line")


def make_project(path: Path, data: Path) -> None:
    """The dbt project with its models and tests, and the dataset's files (hard links)."""
    path.mkdir(parents=True)
    for entry in ("dbt_project.yml", ".dbtignore"):
        shutil.copy2(REPO / entry, path / entry)
    for entry in ("macros", "models"):
        shutil.copytree(REPO / entry, path / entry)
    shutil.copytree(REPO / "tests" / "dbt", path / "tests" / "dbt")
    shutil.copy2(REPO / "profiles.yml.example", path / "profiles.yml")
    (path / "data").mkdir()
    for yml in (REPO / "data").glob("*.yml"):
        shutil.copy2(yml, path / "data" / yml.name)
    for file in [*data.glob("raw_*.csv"), data / "manifest.json"]:
        real = file.resolve()
        if os.stat(real).st_dev == os.stat(path).st_dev:
            os.link(real, path / "data" / file.name)
        else:
            shutil.copy2(real, path / "data" / file.name)


def dbt_build(project: Path, target: str, schema: str, work: Path) -> Build:
    env = dbt_env(target, schema, work)
    target_path = work / "target"
    stats = work / "time.txt"
    args = [str(DBT), "build", "--project-dir", str(project), "--profiles-dir", str(project)]
    args += ["--target-path", str(target_path), "--log-path", str(work / "logs")]
    done = subprocess.run(
        [str(TIME), "-o", str(stats), "-f", "%e %M", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"dbt build failed ({target}):\n{done.stdout[-4000:]}\n{done.stderr}")
    seconds, rss_kb = stats.read_text().split()[-2:]
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    publish = sum(r["execution_time"] for r in results if r["unique_id"].endswith("on-run-end-0"))
    return Build(float(seconds), publish, float(rss_kb) / 1024)


def drop_namespace(target: str, schema: str, work: Path) -> None:
    if target == "postgres":
        drop_pg_schemas(schema)
    elif target == "mysql":
        drop_mysql_databases(schema)
    else:
        (work / f"{schema}.duckdb").unlink(missing_ok=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--targets", nargs="+", default=["duckdb"], choices=["duckdb", "postgres", "mysql"]
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="build-bench-", dir=REPO / "bench") as tmp:
        work = Path(tmp)
        data = work / "data"
        lines = generate(data, args.scale)
        project = work / "project"
        make_project(project, data)
        print(f"dataset: --scale {args.scale}, {lines:,} order lines; {args.runs} runs per target")
        print()
        print(
            "| target | first build s | repeated build s | repeated / first | "
            "publish s (first, repeated) | peak RSS MB (first, repeated) |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for target in args.targets:
            firsts: list[Build] = []
            repeats: list[Build] = []
            for _ in range(args.runs):
                schema = f"bench_{os.getpid()}_{secrets.token_hex(2)}"
                try:
                    firsts.append(dbt_build(project, target, schema, work))
                    repeats.append(dbt_build(project, target, schema, work))
                finally:
                    drop_namespace(target, schema, work)
            pairs = zip(firsts, repeats, strict=True)
            ratio = median([r.command_s / f.command_s for f, r in pairs])
            print(
                f"| {target} | {median([b.command_s for b in firsts]):.1f} "
                f"| {median([b.command_s for b in repeats]):.1f} | {ratio:.2f}x "
                f"| {median([b.publish_s for b in firsts]):.1f}, "
                f"{median([b.publish_s for b in repeats]):.1f} "
                f"| {median([b.peak_rss_mb for b in firsts]):.0f}, "
                f"{median([b.peak_rss_mb for b in repeats]):.0f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
