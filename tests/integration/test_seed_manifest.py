"""`dbt seed` checks each generated file against data/manifest.json (macros/seeds/).

On DuckDB and PostgreSQL, on a real database:
- a CSV cut exactly at a line end (half its rows) is refused with one line naming the file, the
  manifest's row count and the file's, and the fix; the previous seed table stays as it was;
- on DuckDB a file of the same size and rows with other content is refused (sha256);
- the cut row-count file is refused too (the manifest names it: one row per table);
- a missing manifest refuses the generated seeds with one line, unless
  `--vars '{check_seed_manifest: false}'`;
- files and manifest behind symlinks (data/current -> data/.runs/<id>/, as the generator
  publishes them) load, and a cut file behind a symlink is refused.

Also the helper the other seed tests use to make an edited file look generated (stamp_manifest).
MySQL/MariaDB: the adapter checks the manifest itself (adapters/dbt-mysql tests); the last test
proves the project hands it the same switch.
Run: .venv/bin/python -m pytest tests/integration/test_seed_manifest.py -m "not mysql"
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import REPO_ROOT, DbtRun, Project, Target

MANIFEST = "manifest.json"
HINT = (
    "the file is not the one the generator wrote: run python -m seeds_gen again. "
    "The existing seed table is unchanged."
)


# --------------------------------------------------------------------------------------------
# Helpers (also used by test_seed_loading.py and test_seed_null_text.py)
# --------------------------------------------------------------------------------------------


def ensure_manifest(project: Project, dataset: Path) -> None:
    """Put the dataset's manifest beside the copied CSVs (copy_project copies only *.csv)."""
    target = project.data / MANIFEST
    if not target.exists():
        shutil.copy2(dataset / MANIFEST, target)


def stamp_manifest(data: Path, file_name: str) -> None:
    """Record an edited CSV in data/manifest.json as if the generator had written it (rows,
    bytes, sha256), so that a test reaches the check after the manifest's."""
    manifest_path = data / MANIFEST
    if not manifest_path.exists():
        return
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    path = data / file_name
    with path.open(encoding="utf-8", newline="") as f:
        import csv

        rows = sum(1 for _ in csv.reader(f)) - 1
    for entry in manifest["tables"].values():
        if entry["file"] == file_name:
            entry.update(
                rows=rows,
                bytes=path.stat().st_size,
                sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            )
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


@contextlib.contextmanager
def restored_afterwards(data: Path) -> Iterator[Path]:
    """`data` as it is now, put back (links included) when the block ends."""
    backup = data.parent / "data.backup"
    shutil.rmtree(backup, ignore_errors=True)
    shutil.copytree(data, backup, symlinks=True)
    try:
        yield data
    finally:
        shutil.rmtree(data)
        shutil.copytree(backup, data, symlinks=True)


def make_project(target: Target, dataset: Path, workdir: Path, suffix: str) -> Project:
    project = Project.create(workdir / suffix / "project", dataset, target.derive(suffix, workdir))
    ensure_manifest(project, dataset)
    return project


def fetch(project: Project, sql: str) -> list[tuple[Any, ...]]:
    with project.target.connect() as con:
        if project.target.name == "duckdb":
            return [tuple(r) for r in con.execute(sql).fetchall()]
        with con.cursor() as cur:
            cur.execute(sql)
            return [tuple(r) for r in cur.fetchall()]


def raw_table(project: Project, seed: str) -> list[tuple[Any, ...]]:
    schema = project.target.schemas[1]
    return fetch(project, f"select * from {schema}.{seed} order by 1, 2")


def leftover_load_tables(project: Project) -> set[str]:
    rows = fetch(
        project,
        "select table_name from information_schema.tables "
        f"where table_schema = '{project.target.schemas[1]}'",
    )
    return {r[0] for r in rows if r[0].endswith("__ecom_load")}


def refusal(run: DbtRun, seed: str) -> str:
    assert not run.success, run.summary()
    assert run.by_status("error", resource_type="seed") == {seed}, run.summary()
    return run.message_of(seed)


def skip_unless_duckdb_or_postgres(target: Target) -> None:
    if target.name not in ("duckdb", "postgres"):
        pytest.skip(f"{target.name}: the manifest check there is the adapter's (own tests)")


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


@dataclass
class Seeded:
    project: Project
    dataset: Path


@pytest.fixture(scope="module")
def seeded(
    target: Target, dataset: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """One project copy per target, seeded once; each test restores the files it breaks."""
    skip_unless_duckdb_or_postgres(target)
    project = make_project(target, dataset, tmp_path_factory.mktemp(f"manifest-{target.name}"), "m")
    run = project.dbt("seed")
    assert run.success, run.summary()
    yield Seeded(project, dataset)


@pytest.fixture
def data(seeded: Seeded) -> Iterator[Path]:
    """data/ of the shared copy, put back as it was after the test."""
    with restored_afterwards(seeded.project.data) as data:
        yield data


# A seed whose table already holds the manifest's data is kept without reading the file
# (seed_loads.sql): the refusals below reload on purpose.
RELOAD = ("--full-refresh",)


def cut_at_line_end(path: Path) -> tuple[int, int]:
    """Keep the header and the first half of the records; returns (records before, after)."""
    lines = path.read_bytes().splitlines(keepends=True)
    records = len(lines) - 1
    kept = records // 2
    path.write_bytes(b"".join(lines[: 1 + kept]))
    return records, kept


def test_file_cut_at_a_line_end_is_refused_naming_it_and_the_seed_table_stays(
    seeded: Seeded, data: Path
) -> None:
    project = seeded.project
    before = raw_table(project, "raw_order_item")
    records, kept = cut_at_line_end(data / "raw_order_item.csv")
    message = refusal(project.dbt("seed", "--select", "raw_order_item", *RELOAD), "raw_order_item")
    assert (
        f"data/raw_order_item.csv: row count differs (manifest says {records} rows, "
        f"file has {kept}); {HINT}"
    ) in message, message
    assert raw_table(project, "raw_order_item") == before
    assert not leftover_load_tables(project)


def test_a_whole_dbt_seed_refuses_only_the_cut_file(seeded: Seeded, data: Path) -> None:
    cut_at_line_end(data / "raw_customer.csv")
    run = seeded.project.dbt("seed", *RELOAD)
    assert run.by_status("error", resource_type="seed") == {"raw_customer"}, run.summary()
    assert "data/raw_customer.csv: row count differs" in run.message_of("raw_customer")


def test_same_size_and_rows_other_content_is_refused_on_duckdb(seeded: Seeded, data: Path) -> None:
    if seeded.project.target.name != "duckdb":
        pytest.skip("only DuckDB hashes the file (PostgreSQL checks the row count)")
    path = data / "raw_brand.csv"
    text = path.read_text(encoding="utf-8")
    first_record = text.splitlines()[1]
    swapped = first_record.replace("1,", "9,", 1)
    assert len(swapped) == len(first_record) and swapped != first_record
    path.write_text(text.replace(first_record, swapped, 1), encoding="utf-8")
    before = raw_table(seeded.project, "raw_brand")
    message = refusal(seeded.project.dbt("seed", "--select", "raw_brand", *RELOAD), "raw_brand")
    assert "data/raw_brand.csv: content differs (manifest says sha256 " in message, message
    assert HINT in message
    assert raw_table(seeded.project, "raw_brand") == before


def test_cut_row_count_file_is_refused(seeded: Seeded, data: Path) -> None:
    cut_at_line_end(data / "raw_row_counts.csv")
    message = refusal(seeded.project.dbt("seed", "--select", "raw_row_counts"), "raw_row_counts")
    assert "data/raw_row_counts.csv: row count differs (manifest says 9 rows, file has 4)" in (
        message
    ), message


def test_missing_manifest_refuses_in_one_line_unless_the_check_is_switched_off(
    seeded: Seeded, data: Path
) -> None:
    (data / MANIFEST).unlink()
    message = refusal(seeded.project.dbt("seed", "--select", "raw_brand"), "raw_brand")
    lines = [s.strip() for s in message.splitlines() if s.strip().startswith("data/manifest.json")]
    assert len(lines) == 1, message
    assert lines[0].startswith("data/manifest.json: missing or unreadable"), message
    assert "python -m seeds_gen" in lines[0] and "check_seed_manifest: false" in lines[0]
    run = seeded.project.dbt(
        "seed", "--select", "raw_brand", "--vars", "{check_seed_manifest: false}"
    )
    assert run.success, run.summary()


def test_check_switched_off_loads_a_cut_file(seeded: Seeded, data: Path) -> None:
    _, kept = cut_at_line_end(data / "raw_brand.csv")
    run = seeded.project.dbt(
        "seed", "--select", "raw_brand", "--vars", "{check_seed_manifest: false}"
    )
    assert run.success, run.summary()
    assert len(raw_table(seeded.project, "raw_brand")) == kept


def publish_as_symlinks(data: Path) -> Path:
    """Move the CSVs and the manifest into data/.runs/r1/ and link them through data/current,
    as the generator publishes a dataset; returns the run folder."""
    run = data / ".runs" / "r1"
    run.mkdir(parents=True)
    for path in [*data.glob("raw_*.csv"), data / MANIFEST]:
        path.rename(run / path.name)
        path.symlink_to(Path("current") / path.name)
    (data / "current").symlink_to(Path(".runs") / "r1")
    return run


def test_symlinked_dataset_loads_and_a_cut_file_behind_a_link_is_refused(
    seeded: Seeded, data: Path
) -> None:
    ignore = seeded.project.path / ".dbtignore"
    if not ignore.exists():  # dbt must not find the run folder's CSVs as seeds a second time
        shutil.copy2(REPO_ROOT / ".dbtignore", ignore)
    run_dir = publish_as_symlinks(data)
    assert os.path.islink(data / "raw_orders.csv") and os.path.islink(data / MANIFEST)
    run = seeded.project.dbt("seed", "--select", "raw_orders", "raw_brand")
    assert run.success, run.summary()
    records, kept = cut_at_line_end(run_dir / "raw_orders.csv")
    message = refusal(seeded.project.dbt("seed", "--select", "raw_orders", *RELOAD), "raw_orders")
    assert f"row count differs (manifest says {records} rows, file has {kept})" in message


def test_mysql_adapter_check_follows_the_projects_switch(
    target: Target, dataset: Path, tmp_path: Path
) -> None:
    """MySQL's manifest check is the adapter's: dbt_project.yml hands it the same var."""
    if target.name != "mysql":
        pytest.skip("the other targets' check is the project's (tests above)")
    project = make_project(target, dataset, tmp_path, "switch")
    _, kept = cut_at_line_end(project.data / "raw_brand.csv")
    refused = project.dbt("seed", "--select", "raw_brand")
    assert not refused.success and "row count differs" in refused.message_of("raw_brand")
    run = project.dbt("seed", "--select", "raw_brand", "--vars", "{check_seed_manifest: false}")
    assert run.success, run.summary()
    assert len(raw_table(project, "raw_brand")) == kept
