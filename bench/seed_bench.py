r"""Benchmark `dbt seed`: the project's fast loader against stock seeds (DuckDB, PostgreSQL, MySQL).

    .venv/bin/python bench/seed_bench.py                      # duckdb and postgres, 3 runs each
    .venv/bin/python bench/seed_bench.py --targets duckdb --runs 5
    .venv/bin/python bench/seed_bench.py --stock-pg-scale 1   # stock PostgreSQL at full size
                                                              # (~8 min per run)
    .venv/bin/python bench/seed_bench.py --targets mysql      # MySQL/MariaDB (DBT_MYSQL_*)
    .venv/bin/python bench/seed_bench.py --targets postgres --loaders fast,psql --scale 20 --runs 1
    .venv/bin/python bench/seed_bench.py --targets mysql --loaders fast,loaddata --scale 20 --runs 1

PostgreSQL gets two more lines: `fast client` is the fast loader forced onto its client path
(`--vars '{server_side_seeds: false}'`: dbt reads each CSV through agate and sends JSON batches),
and `psql \copy` is the floor: one psql session that creates the ten tables with the declared
types and `\copy`s the same files (the client streams them; /usr/bin/time measures psql). `fast`
on PostgreSQL is the server's own COPY when the server can read the files (a local server, a
role with pg_read_server_files): the work dir is made readable for it (mode 755), and the loader
column says which path each line took, from the seeds' result messages.

Both loaders run in the same throw-away copy of the project (dbt_project.yml, macros/, the seed
YAML, generated CSVs; no models, so parsing costs the same for both): stock is the very same
project with `--vars '{fast_seeds: false}'`, which makes the seed materialization hand over to
dbt's own. Every run starts from an empty namespace (a new DuckDB file, a new PostgreSQL
schema), so each one creates and loads all ten seeds.

Measured per run: the whole `dbt seed` command (wall clock, including dbt's start-up and
parsing), the seed phase alone (`elapsed_time` of target/run_results.json) and the peak resident
memory of the dbt process (/usr/bin/time; on DuckDB the database engine runs inside it, on
PostgreSQL the server's memory is not counted). Reported: medians. Stock PostgreSQL needs ~8
minutes for the default 1.1M rows, so by default it runs on a smaller dataset (--stock-pg-scale);
the table says which rows each line loaded, and the speed-up compares seconds per million rows of
the seed phase.

MySQL/MariaDB (target `mysql`, server from DBT_MYSQL_HOST/PORT/USER/PASSWORD, default root on
127.0.0.1:3306): `fast` is the project with our adapter (ecom-dbt-mysql, LOAD DATA LOCAL INFILE).
There is no stock line on MySQL: the PyPI adapter dbt-mysql 1.7 pins
dbt-core 1.7 and cannot share this environment. Its figure was measured once, in a separate
environment, and the README gives it with how it was measured. Every run uses new databases
(`bench_<pid>_<hex>%`), dropped afterwards.

MySQL/MariaDB also gets a floor line, `loaddata`: the server's own client (`mariadb`, or `mysql`
where that is the binary) with --local-infile=1, one session reading a script from stdin that
creates a new database (utf8mb4), creates the ten tables and runs, per file,
`LOAD DATA LOCAL INFILE '<file>' INTO TABLE <t> FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY
'"' ESCAPED BY '' LINES TERMINATED BY '\n' IGNORE 1 LINES` on the same files the `fast` line
loads. The tables are created from the seed YAML's column_types, mapped by our adapter's own
function (dbt.adapters.mysql.seed.mysql_type: `timestamp` -> `datetime`; `boolean` stays, i.e.
tinyint(1)), in the declared order with `character set utf8mb4`: the columns and types our
adapter creates for these seeds, since every column is declared. /usr/bin/time measures the
whole client process for all ten files (start-up, connect, DDL and loads); that is both its
command and its seed phase, and "seed phase vs floor" divides the fast line's seed phase by it.
The floor does less per value than our loader: no user variables, so an empty field loads as
0 / the zero date instead of NULL and `true`/`false` as 0 (the server counts a warning each;
the loader column shows the total). After each load the script selects row_count(); the run
fails unless the ten files gave the rows the generator wrote (counted outside the timing).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # scripts.db_targets, when run as a file
from scripts import db_targets  # noqa: E402

DBT = Path(sys.executable).with_name("dbt")
TIME = Path("/usr/bin/time")
# The servers of profiles.yml.example's targets, as dbt renders them with this environment.
PG = db_targets.postgres()
MYSQL = db_targets.mysql()


@dataclass
class Run:
    command_s: float
    seed_s: float
    peak_rss_mb: float
    method: str = ""  # PostgreSQL: the load path the seeds' result messages name


# What each loader line passes to dbt (psql is not dbt: psql_copy).
LOADER_VARS = {
    "fast": None,
    "client": "{server_side_seeds: false}",
    "stock": "{fast_seeds: false}",
}
LOADER_LABELS = {"client": "fast client", "psql": "psql \\copy",
                 "load": "python -m seeds_gen load"}
# Lines that are a server's own bulk tool, not dbt: the floor the fast line is compared with.
FLOOR_LOADERS = ("psql", "loaddata")


@dataclass
class Line:
    target: str
    loader: str
    scale: float
    rows: int
    runs: list[Run]
    label: str = ""  # shown in the loader column (default: loader)

    @property
    def command_s(self) -> float:
        return statistics.median(r.command_s for r in self.runs)

    @property
    def seed_s(self) -> float:
        return statistics.median(r.seed_s for r in self.runs)

    @property
    def peak_rss_mb(self) -> float:
        return statistics.median(r.peak_rss_mb for r in self.runs)

    @property
    def seed_s_per_million(self) -> float:
        return self.seed_s / (self.rows / 1e6)


def generate(out: Path, scale: float, parts: int = 1) -> int:
    """The real generator; returns the rows of the ten seeds (the nine tables + raw_row_counts)."""
    subprocess.run(
        [sys.executable, "-m", "seeds_gen", "--scale", str(scale), "--out", str(out), "--quiet",
         "--parts", str(parts)],
        cwd=REPO,
        check=True,
    )
    counts = (out / "raw_row_counts.csv").read_text(encoding="utf-8").splitlines()[1:]
    return sum(int(line.rsplit(",", 1)[1]) for line in counts) + len(counts)


def make_project(path: Path, data: Path) -> Path:
    path.mkdir(parents=True)
    shutil.copy2(REPO / "dbt_project.yml", path / "dbt_project.yml")
    shutil.copy2(REPO / ".dbtignore", path / ".dbtignore")  # parts are not seeds of their own
    shutil.copytree(REPO / "macros", path / "macros")
    shutil.copy2(REPO / "profiles.yml.example", path / "profiles.yml")
    (path / "data").mkdir()
    for yml in (REPO / "data").glob("*.yml"):
        shutil.copy2(yml, path / "data" / yml.name)
    link_csvs(path, data)
    return path


def data_files(data: Path, seed: str) -> list[Path]:
    """The files holding a seed's rows, from the manifest: its CSV, or its parts in order."""
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("row_counts_file") == f"{seed}.csv":
        return [data / f"{seed}.csv"]
    entry = next(e for e in manifest["tables"].values() if e["seed"] == seed)
    return [data / f["file"] for f in entry["files"]]


def link_csvs(path: Path, data: Path) -> None:
    # the generator publishes data/raw_*.csv (and data/raw_<t>/ of parts) as links into .runs/<id>/
    files = [*data.glob("raw_*.csv"), *data.glob("raw_*/part-*")]
    for link in files:
        csv = link.resolve()
        dest = path / "data" / link.relative_to(data)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if os.stat(csv).st_dev == os.stat(path).st_dev:
            os.link(csv, dest)  # no copy of the big files
        else:
            shutil.copy2(csv, dest)
    # dbt seed checks each file against the manifest (rows) and refuses a dataset without one
    shutil.copy2((data / "manifest.json").resolve(), path / "data" / "manifest.json")


def dbt_env(target: str, schema: str, work: Path) -> dict[str, str]:
    """The environment of a benchmarked dbt process: target and namespace (the servers come
    from the environment, as for the benchmark itself)."""
    env = dict(os.environ)
    env.update(
        DBT_TARGET=target,
        DBT_SCHEMA=schema,
        DBT_DUCKDB_PATH=str(work / f"{schema}.duckdb"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def dbt_seed(
    project: Path, target: str, schema: str, loader: str, work: Path
) -> Run:
    env = dbt_env(target, schema, work)
    target_path = work / "target"
    args = [
        str(DBT),
        "seed",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(target_path),
        "--log-path",
        str(work / "logs"),
    ]
    if LOADER_VARS[loader]:
        args += ["--vars", str(LOADER_VARS[loader])]
    if TIME.exists():
        stats = work / "time.txt"
        cmd = [str(TIME), "-o", str(stats), "-f", "%e %M", *args]
    else:
        cmd = args
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(
            f"dbt seed failed ({target}, {loader}):\n{done.stdout}\n{done.stderr}"
        )
    if TIME.exists():
        seconds, rss_kb = stats.read_text().split()[-2:]
        command_s, peak = float(seconds), float(rss_kb) / 1024
    else:  # the maximum over all children so far: exact for the first run only
        command_s = float("nan")
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    results = json.loads((target_path / "run_results.json").read_text())
    return Run(command_s, float(results["elapsed_time"]), peak, load_method(results))


def seeds_gen_load(project: Path, target: str, schema: str, work: Path) -> Run:
    """`python -m seeds_gen load --target <t>`: the command for a server that cannot read the
    files (streams them: COPY FROM STDIN, LOAD DATA LOCAL), measured as a whole process."""
    env = dbt_env(target, schema, work)
    stats = work / "time.txt"
    cmd = [str(TIME), "-o", str(stats), "-f", "%e %M", sys.executable, "-m", "seeds_gen", "load",
           "--target", target, "--project-dir", str(project), "--profiles-dir", str(project)]
    done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"seeds_gen load failed ({target}):\n{done.stdout}\n{done.stderr}")
    seconds, rss_kb = stats.read_text().split()[-2:]
    streamed = [float(m.group(1)) for m in re.finditer(r" rows +([0-9.]+) s ", done.stderr)]
    return Run(float(seconds), sum(streamed), float(rss_kb) / 1024, "streamed")


def load_method(results: dict[str, Any]) -> str:
    """The PostgreSQL load path(s) the seeds' messages name ("CREATE 20 (server-side COPY)")."""
    found = {
        m.group(1)
        for r in results["results"]
        if r["unique_id"].startswith("seed.")
        and (m := re.search(r"\((server-side COPY|client-side batches)\)$", r.get("message") or ""))
    }
    return " + ".join(sorted(found))


def seed_column_types() -> dict[str, dict[str, str]]:
    """seed -> column -> declared type, from the seed YAML (what the fast loader creates)."""
    import yaml  # type: ignore[import-untyped]  # PyYAML, a dbt dependency

    types = {}
    for yml in sorted((REPO / "data").glob("*.yml")):
        for seed in yaml.safe_load(yml.read_text(encoding="utf-8")).get("seeds", []):
            types[seed["name"]] = (seed.get("config") or {}).get("column_types") or {}
    return types


def psql_copy(schema: str, data: Path, work: Path) -> Run:
    """The floor: one psql session creating the ten tables and `\\copy`ing the same files."""
    lines = ["\\set ON_ERROR_STOP on", f'create schema "{schema}";']
    for seed, types in seed_column_types().items():
        columns = ", ".join(types)
        declared = ", ".join(f"{name} {kind}" for name, kind in types.items())
        lines.append(f'create table "{schema}"."{seed}" ({declared});')
        for file in data_files(data, seed):
            lines.append(
                f"\\copy \"{schema}\".\"{seed}\" ({columns}) from '{file}' "
                f"with (format csv, header true, null '', force_null ({columns}), encoding 'UTF8')"
            )
    script = work / "copy.sql"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats = work / "time.txt"
    psql = ["psql", "-X", "-q", "-h", PG["host"], "-p", str(PG["port"]), "-U", PG["user"],
            "-d", PG["dbname"], "-f", str(script)]
    env = {**os.environ, "PGPASSWORD": PG["password"]}
    done = subprocess.run([str(TIME), "-o", str(stats), "-f", "%e %M", *psql],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"psql \\copy failed:\n{done.stdout}\n{done.stderr}")
    seconds, rss_kb = stats.read_text().split()[-2:]
    return Run(float(seconds), float(seconds), float(rss_kb) / 1024, "client \\copy")


def mysql_client() -> str:
    """The MySQL/MariaDB command-line client: `mariadb` (MariaDB 10.4+) or `mysql`."""
    for name in ("mariadb", "mysql"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("neither `mariadb` nor `mysql` is on PATH: no client for the floor line")


def mysql_load_data(schema: str, data: Path, rows: int, work: Path) -> Run:
    """The floor: one client session creating the ten tables and loading the same files."""
    from dbt.adapters.mysql.seed import mysql_type  # our adapter's column_types mapping

    lines = [f"create database `{schema}` character set utf8mb4;", f"use `{schema}`;"]
    for seed, types in seed_column_types().items():
        declared = ", ".join(f"`{name}` {mysql_type(kind)}" for name, kind in types.items())
        lines.append(f"create table `{seed}` ({declared}) character set utf8mb4;")
        for file in data_files(data, seed):
            path = str(file).replace("\\", "\\\\").replace("'", "\\'")
            lines.append(
                f"load data local infile '{path}' into table `{seed}` "
                "fields terminated by ',' optionally enclosed by '\"' escaped by '' "
                "lines terminated by '\\n' ignore 1 lines;"
            )
            lines.append(f"select '{seed}', row_count(), @@warning_count;")
    script = work / "load.sql"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats = work / "time.txt"
    client = [mysql_client(), "--local-infile=1", "--batch", "--skip-column-names",
              "--default-character-set=utf8mb4", "-h", MYSQL["host"], "-P", str(MYSQL["port"]),
              "-u", MYSQL["user"]]
    env = {**os.environ, "MYSQL_PWD": MYSQL["password"]}  # both clients read it
    with script.open("rb") as stdin:
        done = subprocess.run([str(TIME), "-o", str(stats), "-f", "%e %M", *client],
                              stdin=stdin, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{client[0]} LOAD DATA failed:\n{done.stdout}\n{done.stderr}")
    loaded = warnings = 0
    for row in done.stdout.splitlines():
        _, count, warned = row.split("\t")
        loaded, warnings = loaded + int(count), warnings + int(warned)
    if loaded != rows:
        raise SystemExit(f"{client[0]} LOAD DATA loaded {loaded:,} rows, expected {rows:,}")
    seconds, rss_kb = stats.read_text().split()[-2:]
    return Run(float(seconds), float(seconds), float(rss_kb) / 1024, f"{warnings:,} warnings")


def measure(
    target: str, loader: str, scale: float, data: Path, rows: int, runs: int, work: Path
) -> Line:
    project = work / f"project-{scale}"
    if not project.exists():
        make_project(project, data)
    label = LOADER_LABELS.get(loader, "")
    if loader == "loaddata":
        label = f"{Path(mysql_client()).name} LOAD DATA LOCAL"
    line = Line(target, loader, scale, rows, [], label)
    for i in range(runs):
        schema = f"bench_{os.getpid()}_{secrets.token_hex(2)}"
        run_dir = work / f"{target}-{loader}-{scale}-{i}"
        run_dir.mkdir()
        try:
            if loader == "psql":
                line.runs.append(psql_copy(schema, project / "data", run_dir))
            elif loader == "loaddata":
                line.runs.append(mysql_load_data(schema, project / "data", rows, run_dir))
            elif loader == "load":
                line.runs.append(seeds_gen_load(project, target, schema, run_dir))
            else:
                line.runs.append(dbt_seed(project, target, schema, loader, run_dir))
        finally:
            db_targets.drop_schemas(target, schema)  # <schema> and <schema>_raw; not DuckDB's
        r = line.runs[-1]
        print(
            f"  {target:<8} {loader:<6} {rows:>9,} rows  run {i + 1}/{runs}: "
            f"command {r.command_s:6.1f} s, seeds {r.seed_s:6.2f} s, "
            f"peak RSS {r.peak_rss_mb:6.0f} MB {r.method}",
            file=sys.stderr,
            flush=True,
        )
    methods = {r.method for r in line.runs if r.method and loader != "psql"}
    if (target == "postgres" or loader == "loaddata") and methods:
        line.label = f"{line.label or loader} ({' / '.join(sorted(methods))})"
    return line


def table(lines: list[Line]) -> str:
    head = (
        "| target | loader | rows loaded | runs | `dbt seed` command s | seed phase s "
        "| s per 1M rows | speed-up vs stock | seed phase vs floor | peak RSS MB |"
    )
    out = [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for line in lines:
        stock = next((x for x in lines if x.target == line.target and x.loader == "stock"), None)
        floor = next(
            (x for x in lines if x.target == line.target and x.loader in FLOOR_LOADERS
             and x.scale == line.scale),
            None,
        )
        versus = f"{line.seed_s / floor.seed_s:.1f}x" if floor is not None else "n/a"
        ratio = (
            f"{stock.seed_s_per_million / line.seed_s_per_million:.1f}x"
            if stock is not None and line.loader != "stock"
            else "1.0x"
            if line.loader == "stock"
            else "n/a"
        )
        if line.loader in (*FLOOR_LOADERS, "client"):
            ratio = "n/a"
        out.append(
            f"| {line.target} | {line.label or line.loader} | {line.rows:,} (scale {line.scale:g}) "
            f"| {len(line.runs)} | {line.command_s:.1f} | {line.seed_s:.2f} "
            f"| {line.seed_s_per_million:.2f} | {ratio} | {versus} | {line.peak_rss_mb:.0f} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", default="duckdb,postgres", help="comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per line; the median is shown")
    parser.add_argument("--scale", type=float, default=1.0, help="dataset scale of the fast loader")
    parser.add_argument(
        "--stock-scale",
        type=float,
        default=None,
        help="dataset scale of stock dbt seed on DuckDB (default: --scale)",
    )
    parser.add_argument(
        "--stock-pg-scale",
        type=float,
        default=0.1,
        help="dataset scale of stock dbt seed on PostgreSQL (default 0.1: ~8 min per run at 1)",
    )
    parser.add_argument(
        "--loaders",
        default="fast,load,client,stock,psql,loaddata",
        help="comma-separated lines to run: fast, stock, load (python -m seeds_gen load, "
        "PostgreSQL and MySQL), on PostgreSQL client, psql (the floor), on MySQL loaddata "
        "(the floor)",
    )
    parser.add_argument("--parts", type=int, default=1,
                        help="generate the datasets in N parts (--parts of the generator)")
    parser.add_argument("--keep", action="store_true", help="keep the work dir")
    args = parser.parse_args(argv)

    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    loaders = [x.strip() for x in args.loaders.split(",") if x.strip()]
    work = Path(tempfile.mkdtemp(prefix="seed-bench-"))
    work.chmod(0o755)  # a local PostgreSQL server reads the files itself (server-side COPY)
    datasets: dict[float, tuple[Path, int]] = {}

    def dataset(scale: float) -> tuple[Path, int]:
        if scale not in datasets:
            out = work / f"data-{scale}"
            print(f"generating dataset --scale {scale} ...", file=sys.stderr, flush=True)
            datasets[scale] = (out, generate(out, scale, args.parts))
        return datasets[scale]

    lines: list[Line] = []
    try:
        for target in targets:
            stock_scale = args.stock_pg_scale if target == "postgres" else args.stock_scale
            plan = [("fast", args.scale)]
            if target != "mysql":  # no stock line on MySQL (see above)
                plan.append(("stock", stock_scale or args.scale))
            if target == "postgres":
                plan[1:1] = [("client", args.scale)]
                plan.append(("psql", args.scale))
            if target in ("postgres", "mysql"):
                plan.insert(1, ("load", args.scale))
            if target == "mysql":
                plan.append(("loaddata", args.scale))
            for loader, scale in plan:
                if loader not in loaders:
                    continue
                data, rows = dataset(scale)
                lines.append(measure(target, loader, scale, data, rows, args.runs, work))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
