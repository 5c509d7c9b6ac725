"""Fixtures of the live-mode integration tests: one small world, built at T0 with the real dbt
project, played with the real CLI (`python -m seeds_gen live`) on DuckDB, PostgreSQL, MariaDB
and SQL Server (skipped, with the reason, when no server answers), each in its own namespace
(`lv_<pid>_<hex>...`, dropped at the end of the session).

The world: 300 customers, 3,000 orders, 12,000 lines (seed 42), about 20 events a day. T0 is
2025-06-01 (a Sunday), T1 two days and six hours later: the interval holds a restock (Monday
00:00), sign-ups, new orders and every kind of order step.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from dbt_harness import (
    REPO_ROOT,
    Project,
    Target,
    drop_schemas,
    generate_dataset,
    new_schema_name,
    table_fingerprints,
    unreachable_reason,
)

WORLD = ("--rows", "customer=300", "--rows", "orders=3000", "--rows", "order_item=12000")
T0 = "2025-06-01 00:00:00"
T1 = "2025-06-03 06:00:00"
SESSION_SCHEMA = new_schema_name("lv")
# CI sets these for the servers it starts: there a missing server fails instead of skipping.
REQUIRE_ENV = {"postgres": "ECOM_SYNTH_REQUIRE_POSTGRES", "mysql": "ECOM_SYNTH_REQUIRE_MYSQL",
               "sqlserver": "ECOM_SYNTH_REQUIRE_SQLSERVER"}


@dataclass(frozen=True)
class Datasets:
    t0: Path
    t1: Path  # as of T1, with the change set of (T0, T1] in changes/


@pytest.fixture(scope="session")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Datasets:
    t0 = generate_dataset(tmp_path_factory.mktemp("t0") / "data", *WORLD, "--as-of", T0)
    t1 = generate_dataset(tmp_path_factory.mktemp("t1") / "data", *WORLD, "--as-of", T1,
                          "--changes-since", T0)
    return Datasets(t0, t1)


@pytest.fixture(scope="session", params=[
    "duckdb",
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("mysql", marks=pytest.mark.mysql),
    pytest.param("sqlserver", marks=pytest.mark.sqlserver),
])
def live_target(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    name: str = request.param
    if name == "duckdb":
        yield Target("duckdb", SESSION_SCHEMA, tmp_path_factory.mktemp("duckdb") / "s.duckdb")
        return
    reason = unreachable_reason(name)
    if reason and os.environ.get(REQUIRE_ENV[name]) not in (None, "", "0"):
        pytest.fail(f"{reason} ({REQUIRE_ENV[name]} is set: CI must not skip)")
    if reason:
        pytest.skip(reason)
    try:
        yield Target(name, SESSION_SCHEMA)
    finally:
        drop_schemas(name, SESSION_SCHEMA)


def built(path: Path, dataset: Path, target: Target) -> Project:
    """A copy of the project, `dbt build` of `dataset` into `target`. DuckDB: dbt in a process
    of its own, since dbt-duckdb keeps the file open in the process that ran it, and a live run
    is another process."""
    project = Project.create(path, dataset, target)
    if target.name != "duckdb":
        run = project.dbt("build")
        assert run.success, run.summary()
        return project
    done = dbt_build_process(project)
    assert done.returncode == 0, done.stdout[-3000:]
    return project


def dbt_build_process(project: Project) -> subprocess.CompletedProcess[str]:
    """`dbt build` of the project in a process of its own (its output to read)."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "build", "--project-dir", str(project.path),
         "--profiles-dir", str(project.path)], cwd=project.path,
        env={**os.environ, **project.target.env}, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def snapshot_t1(live_target: Target, datasets: Datasets,
                tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    """Every typed table of a fresh full build as of T1, row for row (as digests)."""
    workdir = tmp_path_factory.mktemp(f"t1-{live_target.name}")
    target = live_target.derive("t1", workdir)
    built(workdir / "project", datasets.t1, target)
    return table_fingerprints(target)


def live_command(project: Project, *args: str) -> list[str]:
    return [sys.executable, "-m", "seeds_gen", "live", "--target", project.target.name,
            "--project-dir", str(project.path), "--profiles-dir", str(project.path), *args]


def live_env(project: Project, **extra: str) -> dict[str, str]:
    return {**os.environ, **project.target.env, **extra}


def run_live(project: Project, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(live_command(project, *args), cwd=REPO_ROOT, env=live_env(project, **env),
                          capture_output=True, text=True, timeout=600, check=False)


def start_live(project: Project, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(live_command(project, *args), cwd=REPO_ROOT, env=live_env(project),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def terminate(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    return process.returncode, err
