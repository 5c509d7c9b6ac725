"""Fixtures of the integration suites: one generated dataset, one built project per target.

- `dataset`: the real `python -m seeds_gen --scale 0.01` (100 customers, 1,000 orders,
  10,000 lines), generated once per session into a temp dir.
- `target`: duckdb, then postgres (marked `postgres`; skipped with the reason when the server
  does not answer, or failed instead when ECOM_SYNTH_REQUIRE_POSTGRES is set, as in CI).
  Every session builds in its own namespace: DuckDB files in temp dirs, PostgreSQL schemas
  named `it_<pid>_<hex>...`, all dropped at the end of the session.
- `built_project`: a copy of the project, `dbt build` once per target; tests that only read
  (or whose writes the database refuses) share it.
- `fresh_project`: a factory of new copies with their own empty namespace, for tests that
  corrupt seeds or break things.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dbt_harness import (
    BuiltProject,
    Project,
    Target,
    drop_postgres_schemas,
    generate_dataset,
    new_schema_name,
    postgres_unreachable_reason,
)

SESSION_SCHEMA = new_schema_name("it")


@pytest.fixture(scope="session")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dataset(tmp_path_factory.mktemp("dataset"), scale=0.01, seed=42)


@pytest.fixture(
    scope="session",
    params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    if request.param == "duckdb":
        workdir = tmp_path_factory.mktemp("duckdb")
        yield Target("duckdb", SESSION_SCHEMA, workdir / "session.duckdb")
        return
    reason = postgres_unreachable_reason()
    if reason and os.environ.get("ECOM_SYNTH_REQUIRE_POSTGRES"):
        pytest.fail(f"{reason} (ECOM_SYNTH_REQUIRE_POSTGRES is set: CI must not skip)")
    if reason:
        pytest.skip(reason)
    try:
        yield Target("postgres", SESSION_SCHEMA)
    finally:
        drop_postgres_schemas(SESSION_SCHEMA)


@pytest.fixture(scope="session")
def built_project(
    target: Target, dataset: Path, tmp_path_factory: pytest.TempPathFactory
) -> BuiltProject:
    project = Project.create(tmp_path_factory.mktemp(f"built-{target.name}"), dataset, target)
    return BuiltProject(project, project.dbt("build"))


FreshProject = Callable[[str], Project]


@pytest.fixture
def fresh_project(target: Target, dataset: Path, tmp_path: Path) -> FreshProject:
    """New project copies, each with its own empty DuckDB file or PostgreSQL schema."""

    def make(suffix: str) -> Project:
        workdir = tmp_path / suffix
        return Project.create(workdir / "project", dataset, target.derive(suffix, workdir))

    return make
