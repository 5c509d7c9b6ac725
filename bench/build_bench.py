"""Benchmark `dbt build`: the first build into an empty namespace against a repeated one.

    .venv/bin/python bench/build_bench.py                         # duckdb, default size, 3 runs
    .venv/bin/python bench/build_bench.py --targets duckdb postgres mysql --runs 3
    .venv/bin/python bench/build_bench.py --scale 0.1
    .venv/bin/python bench/build_bench.py --day-step --targets duckdb postgres --runs 3

Each run takes a new namespace (DuckDB file, PostgreSQL schema, MySQL database), runs the whole
`dbt build` (seeds, models, tests, staging and publish) once into it, then once more on top of
it: the second is what a user pays for every later build. Both builds of a run use the same
generated dataset and the same throw-away copy of the project. Measured per build: the whole
command (wall clock, dbt start-up included), the publish step alone (the on-run-end hook's
time in target/run_results.json) and the peak resident memory of the dbt process
(/usr/bin/time; on DuckDB the database runs inside it). Reported: medians over the runs, and
the median of each run's repeated/first ratio.

`--day-step` measures the shop's daily step instead (issue 10): each run builds the shop as of
the end of the window's second-to-last day into an empty namespace (the full build), then
generates the next day's as-of (`python -m seeds_gen --as-of`, timed) and runs `dbt build`
again, which updates the tables in place; the step is the generator run plus that build, and
its ratio to the full build is taken within each run. The floor is what dbt costs before it
does any work: the same `dbt build` over the same changed files selecting nothing (start-up and
parsing), measured in the same run right after the step; no step can cost less than it.
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

from seed_bench import db_targets, dbt_env

REPO = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).with_name("dbt")
TIME = Path("/usr/bin/time")


DAY = "2025-12-30 23:59:59"  # the full build's as-of; the step goes to the next day
NEXT_DAY = "2025-12-31 23:59:59"


@dataclass
class Build:
    command_s: float
    publish_s: float
    peak_rss_mb: float
    output: str = ""
    # seconds of the nodes by kind (seed, model, test, snapshot, ...) and the publish hook:
    # their sum over threads, so it can exceed the wall clock
    phases: dict[str, float] | None = None


def timed_generate(out: Path, scale: float, *extra: str) -> tuple[float, float]:
    """The real generator, as a whole process: (seconds, peak RSS MB)."""
    stats = out.parent / f"{out.name}-time.txt"
    command = [sys.executable, "-m", "seeds_gen", "--scale", str(scale), "--out", str(out)]
    subprocess.run(
        [str(TIME), "-o", str(stats), "-f", "%e %M", *command, "--quiet", *extra],
        cwd=REPO,
        check=True,
    )
    seconds, rss_kb = stats.read_text().split()[-2:]
    return float(seconds), float(rss_kb) / 1024


def generate(out: Path, scale: float, *extra: str) -> int:
    """The real generator; returns the order lines written."""
    timed_generate(out, scale, *extra)
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
    for entry in ("macros", "models", "snapshots"):
        shutil.copytree(REPO / entry, path / entry)
    shutil.copytree(REPO / "tests" / "dbt", path / "tests" / "dbt")
    shutil.copy2(REPO / "profiles.yml.example", path / "profiles.yml")
    (path / "data").mkdir()
    for yml in (REPO / "data").glob("*.yml"):
        shutil.copy2(yml, path / "data" / yml.name)
    use_data(path, data)


def use_data(path: Path, data: Path) -> None:
    """Put the dataset's files into the project's data/ (hard links where possible)."""
    for file in [*data.glob("raw_*.csv"), data / "manifest.json"]:
        (path / "data" / file.name).unlink(missing_ok=True)
        real = file.resolve()
        if os.stat(real).st_dev == os.stat(path).st_dev:
            os.link(real, path / "data" / file.name)
        else:
            shutil.copy2(real, path / "data" / file.name)


def dbt_build(project: Path, target: str, schema: str, work: Path, *extra: str) -> Build:
    env = dbt_env(target, schema, work)
    target_path = work / "target"
    stats = work / "time.txt"
    args = [str(DBT), "build", "--project-dir", str(project), "--profiles-dir", str(project)]
    args += ["--target-path", str(target_path), "--log-path", str(work / "logs"), *extra]
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
    if extra:  # a build that selects nothing writes no run results
        return Build(float(seconds), 0.0, float(rss_kb) / 1024, done.stdout, {})
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    publish = sum(r["execution_time"] for r in results if r["unique_id"].endswith("on-run-end-0"))
    phases: dict[str, float] = {}
    for r in results:
        kind = r["unique_id"].split(".")[0]
        phases[kind] = phases.get(kind, 0.0) + r["execution_time"]
    return Build(float(seconds), publish, float(rss_kb) / 1024, done.stdout, phases)


def drop_namespace(target: str, schema: str, work: Path) -> None:
    db_targets.drop_schemas(target, schema)  # a server's schemas
    (work / f"{schema}.duckdb").unlink(missing_ok=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def merged_rows(output: str) -> str:
    """What the in-place build merged, from its `ecom_synth: merged ...` line."""
    for line in output.splitlines():
        if "ecom_synth: merged" in line:
            changes = line.split("): ", 1)[1]
            return ", ".join(c for c in changes.split(", ") if c.split()[-1] not in ("+0",))
    return "(not in place)"


def day_step(targets: list[str], scale: float, runs: int) -> None:
    """The full build as of DAY against the step to NEXT_DAY, side by side in each run."""
    with tempfile.TemporaryDirectory(prefix="build-bench-", dir=REPO / "bench") as tmp:
        work = Path(tmp)
        # readable by the PostgreSQL server's OS user: its seeds COPY the files server-side
        work.chmod(0o755)
        day = work / "day"
        lines = generate(day, scale, "--as-of", DAY)
        project = work / "project"
        make_project(project, day)
        print(f"dataset: --scale {scale}, {lines:,} order lines as of {DAY}, then {NEXT_DAY}; "
              f"{runs} runs per target")
        print()
        print(
            "| target | full build s | generate next day s | in-place build s | step s "
            "| step / full | dbt floor s | floor / full | peak RSS MB (full, generate, step) |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        merged = ""
        notes: list[str] = []
        for target in targets:
            fulls: list[Build] = []
            gens: list[tuple[float, float]] = []
            steps: list[Build] = []
            floors: list[Build] = []
            for run in range(runs):
                schema = f"bench_{os.getpid()}_{secrets.token_hex(2)}"
                try:
                    use_data(project, day)
                    fulls.append(dbt_build(project, target, schema, work))
                    next_day = work / f"next-{target}-{run}"
                    gens.append(timed_generate(next_day, scale, "--as-of", NEXT_DAY))
                    use_data(project, next_day)
                    steps.append(dbt_build(project, target, schema, work))
                    merged = merged_rows(steps[-1].output)
                    # back to the earlier files, so the floor parses as many changed files
                    use_data(project, day)
                    floors.append(dbt_build(project, target, schema, work,
                                            "--select", "path:no_such_path"))
                finally:
                    drop_namespace(target, schema, work)
            step_s = [g[0] + s.command_s for g, s in zip(gens, steps, strict=True)]
            ratio = median([t / f.command_s for t, f in zip(step_s, fulls, strict=True)])
            floor_ratio = median([t.command_s / f.command_s
                                  for t, f in zip(floors, fulls, strict=True)])
            print(
                f"| {target} | {median([b.command_s for b in fulls]):.1f} "
                f"| {median([g[0] for g in gens]):.1f} "
                f"| {median([b.command_s for b in steps]):.1f} "
                f"| {median(step_s):.1f} | {ratio:.2f}x "
                f"| {median([b.command_s for b in floors]):.1f} | {floor_ratio:.2f}x "
                f"| {median([b.peak_rss_mb for b in fulls]):.0f}, "
                f"{median([g[1] for g in gens]):.0f}, "
                f"{median([b.peak_rss_mb for b in steps]):.0f} |",
                flush=True,
            )
            kinds = sorted({k for b in fulls + steps for k in (b.phases or {})})
            where = "; ".join(
                f"{k} {median([(b.phases or {}).get(k, 0.0) for b in fulls]):.1f} -> "
                f"{median([(b.phases or {}).get(k, 0.0) for b in steps]):.1f}"
                for k in kinds
            )
            notes.append(f"{target}, node seconds summed over threads (full -> step): {where}")
        print()
        print("\n".join(notes))
        print(f"merged by the step (rows +inserted ~updated): {merged}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--targets", nargs="+", default=["duckdb"], choices=["duckdb", "postgres", "mysql"]
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--day-step", action="store_true",
        help="a full build against the next day's generate + in-place build (issue 10)",
    )
    args = parser.parse_args(argv)
    if args.day_step:
        day_step(args.targets, args.scale, args.runs)
        return 0

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
