"""MySQL/MariaDB with a dataset in parts (docs/dataset_layout.md): `dbt seed` loads every part the
manifest lists and keeps a table that already holds the manifest's data; `python -m seeds_gen
load --target mysql` streams CSV parts and Parquet files, and `dbt build` then keeps those seeds.

Real generator, real dbt, the real MariaDB server; each test builds in its own databases and drops
them afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import (
    REPO_ROOT,
    DbtRun,
    Project,
    Target,
    drop_schemas,
    generate_dataset,
    new_schema_name,
    unreachable_reason,
)

pytestmark = pytest.mark.mysql

PARTS_TABLES = ("customer", "orders", "order_item")


@pytest.fixture(scope="module", autouse=True)
def _mysql_server() -> None:
    reason = unreachable_reason("mysql")
    if reason and os.environ.get("ECOM_SYNTH_REQUIRE_MYSQL") not in (None, "", "0"):
        pytest.fail(f"{reason} (ECOM_SYNTH_REQUIRE_MYSQL is set: CI must not skip)")
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def csv_parts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dataset(tmp_path_factory.mktemp("csv-parts") / "data", "--parts", "3")


@pytest.fixture(scope="module")
def parquet_parts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dataset(tmp_path_factory.mktemp("parquet-parts") / "data", "--parts", "3",
                            "--format", "parquet")


MakeProject = Callable[[Path], Project]


@pytest.fixture
def make_project(tmp_path: Path) -> Iterator[MakeProject]:
    """Project copies holding a whole dataset (stubs, parts, Parquet files, manifest), each in
    its own MySQL databases, dropped at the end of the test."""
    schemas: list[str] = []

    def make(dataset: Path) -> Project:
        schema = new_schema_name("mysql_parts")
        schemas.append(schema)
        project = Project.create(tmp_path / schema, dataset, Target("mysql", schema))
        for entry in dataset.iterdir():
            if entry.name.startswith("raw_") and entry.is_dir():
                shutil.copytree(entry, project.data / entry.name)
            elif entry.name.startswith("raw_") and entry.suffix == ".parquet":
                shutil.copy2(entry, project.data / entry.name)
        return project

    yield make
    for schema in schemas:
        drop_schemas("mysql", schema)


def manifest_rows(project: Project) -> dict[str, int]:
    manifest = json.loads((project.data / "manifest.json").read_text(encoding="utf-8"))
    return {table: int(entry["rows"]) for table, entry in manifest["tables"].items()}


def count(project: Project, table: str, schema: str) -> int:
    with project.target.connect() as con, con.cursor() as cur:
        cur.execute(f"select count(*) from {project.target.relation(table, schema)}")
        return int(cur.fetchone()[0])


def tables_in(project: Project, schema: str) -> set[str]:
    with project.target.connect() as con, con.cursor() as cur:
        cur.execute("select table_name from information_schema.tables where table_schema = %s",
                    (schema,))
        return {str(row[0]) for row in cur.fetchall()}


def seed_counts(project: Project) -> dict[str, int]:
    raw = project.target.schemas[1]
    return {table: count(project, f"raw_{table}", raw) for table in manifest_rows(project)}


def seed_messages(run: DbtRun) -> dict[str, str]:
    return {r.name: r.message or "" for r in run.results if r.resource_type == "seed"}


def load(project: Project, *extra: str) -> subprocess.CompletedProcess[str]:
    """The real `python -m seeds_gen load` on the project copy, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "seeds_gen", "load", "--target", "mysql", "--project-dir",
         str(project.path), "--profiles-dir", str(project.path), *extra],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, **project.target.env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
    )


def assert_keeps_seeds_and_builds(project: Project) -> None:
    build = project.dbt("build")
    assert build.success, build.summary()
    messages = seed_messages(build)
    for table in manifest_rows(project):
        if table != "row_counts":  # the row-count seed has no sha256 to record: always loaded
            assert messages[f"raw_{table}"].startswith("KEPT "), messages
    for table, rows in manifest_rows(project).items():
        if table != "row_counts":
            assert count(project, table, project.target.schema) == rows, table


def test_dbt_seed_loads_every_part_then_keeps_the_tables_and_full_refresh_reloads(
    make_project: MakeProject, csv_parts: Path
) -> None:
    project = make_project(csv_parts)
    first = project.dbt("seed")
    assert first.success, first.summary()
    assert seed_counts(project) == manifest_rows(project)

    again = project.dbt("seed")
    assert again.success, again.summary()
    for table in PARTS_TABLES:
        rows = manifest_rows(project)[table]
        assert seed_messages(again)[f"raw_{table}"].startswith(f"KEPT {rows} "), again.summary()

    reload = project.dbt("seed", "--full-refresh")
    assert reload.success, reload.summary()
    for table in PARTS_TABLES:
        rows = manifest_rows(project)[table]
        assert seed_messages(reload)[f"raw_{table}"] == f"CREATE {rows}", reload.summary()
    assert seed_counts(project) == manifest_rows(project)


def test_a_part_altered_after_generation_is_refused_and_the_previous_table_stays(
    make_project: MakeProject, csv_parts: Path
) -> None:
    project = make_project(csv_parts)
    assert project.dbt("seed").success
    part = project.data / "raw_order_item" / "part-00001.csv"
    data = bytearray(part.read_bytes())
    at = data.index(b"\n", data.index(b"\n") + 1) - 1  # last character of the first data row
    data[at] = ord("7") if data[at] != ord("7") else ord("8")  # same size, other content
    part.write_bytes(bytes(data))

    refused = project.dbt("seed", "--full-refresh", "--select", "raw_order_item")
    assert not refused.success
    message = refused.message_of("raw_order_item")
    assert "data/raw_order_item/part-00001.csv: content differs (manifest says sha256" in message
    assert "The existing seed table is unchanged." in message
    assert "Traceback" not in message
    raw = project.target.schemas[1]
    assert count(project, "raw_order_item", raw) == manifest_rows(project)["order_item"]
    assert not {t for t in tables_in(project, raw) if "__" in t}  # no side table left behind


def test_dbt_seed_of_a_parquet_dataset_names_the_loader_to_run(
    make_project: MakeProject, parquet_parts: Path
) -> None:
    project = make_project(parquet_parts)
    refused = project.dbt("seed", "--select", "raw_orders")
    assert not refused.success
    message = refused.message_of("raw_orders")
    assert "data/raw_orders/part-00000.parquet and 2 more part(s) (parquet)" in message
    assert "`python -m seeds_gen load --target mysql`" in message


@pytest.mark.parametrize("dataset", ["csv_parts", "parquet_parts"])
def test_loader_streams_the_dataset_and_dbt_build_keeps_the_seeds(
    make_project: MakeProject, dataset: str, request: pytest.FixtureRequest
) -> None:
    project = make_project(request.getfixturevalue(dataset))
    done = load(project)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    fmt = "parquet" if dataset == "parquet_parts" else "csv"
    assert f"(3 files, {fmt})" in done.stderr
    assert seed_counts(project) == manifest_rows(project)
    assert_keeps_seeds_and_builds(project)

    again = load(project)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Nothing to load" not in again.stderr  # the row-count seed has no fingerprint
    assert "raw_order_item" in again.stderr and "kept (holds the manifest's data)" in again.stderr


def test_loader_refuses_an_altered_part_in_one_line_and_replaces_nothing(
    make_project: MakeProject, csv_parts: Path
) -> None:
    project = make_project(csv_parts)
    assert load(project).returncode == 0
    part = project.data / "raw_orders" / "part-00002.csv"
    part.write_bytes(part.read_bytes().replace(b",delivered,", b",DELIVERED,", 1))  # a data row

    done = load(project, "--full-refresh")
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("seeds_gen load: data/raw_orders/part-00002.csv: not the file the "
                           "manifest lists"), done.stderr[-3000:]
    assert last.endswith("Nothing was replaced.")
    assert "Traceback" not in done.stderr
    raw = project.target.schemas[1]
    assert count(project, "raw_orders", raw) == manifest_rows(project)["orders"]
    assert not {t for t in tables_in(project, raw) if "__" in t}


def test_loader_against_an_unreachable_server_fails_in_one_line(
    make_project: MakeProject, csv_parts: Path, monkeypatch: Any
) -> None:
    project = make_project(csv_parts)
    monkeypatch.setenv("DBT_MYSQL_PORT", "1")  # nothing listens on port 1
    done = load(project)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("seeds_gen load: "), done.stderr[-3000:]


def _credentials(**overrides: Any) -> Any:
    from dbt.adapters.mysql.connections import MySQLCredentials
    from dbt_harness import MYSQL_SETTINGS

    settings = {**MYSQL_SETTINGS, "schema": "unused", **overrides}
    return MySQLCredentials(**settings)


def _job() -> Any:
    from seeds_gen.load.job import TableJob

    return TableJob("raw_brand", "`unused`.`raw_brand__ecom_load`", ("brand_id",),
                    {"brand_id": "integer"}, "csv", ())


def test_mysql_streamer_names_the_server_it_cannot_reach() -> None:
    from seeds_gen.load.job import LoadError
    from seeds_gen.load.mysql import load_table

    with pytest.raises(LoadError, match=r"^cannot connect to MySQL at 127\.0\.0\.1:1: "):
        load_table(_credentials(host="127.0.0.1", port=1, retries=0, connect_timeout=2), _job())


def test_mysql_streamer_refuses_a_target_without_local_infile() -> None:
    from seeds_gen.load.job import LoadError
    from seeds_gen.load.mysql import load_table

    with pytest.raises(LoadError, match="sets local_infile: false"):
        load_table(_credentials(local_infile=False), _job())
