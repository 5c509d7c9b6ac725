"""The seed loaders (macros/seeds/) and the seed YAML (data/_raw__seeds.yml).

- The YAML describes every column of seeds_gen/schema.py, in order (their types are written from
  it: test_dbt_schema.py).
- On each target (duckdb, postgres), the fast loader loads exactly the generated rows with the
  declared types, gives the same table as dbt's stock seed (`--vars '{fast_seeds: false}'`),
  and survives reruns, `--full-refresh` and `--show`.
- Bad input fails with a message naming the file and the problem, and leaves the previous seed
  table as it was: a missing or renamed column, a bad number, a row with too few or too many
  fields, a missing CSV. Each edited file is first recorded in data/manifest.json
  (stamp_manifest), so these reach the checks after the manifest's (test_seed_manifest.py tests
  that one). An empty required value loads; the typed model's NOT NULL refuses it.

Run: .venv/bin/python -m pytest tests/integration/test_seed_loading.py
     (add -m "not postgres" for DuckDB only)
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from dbt_harness import REPO_ROOT, DbtRun, Project, SeedTable
from test_seed_manifest import ensure_manifest, stamp_manifest

from seeds_gen.schema import ROW_COUNTS_SEED, TABLES, TABLES_BY_NAME

SEEDS_YAML = REPO_ROOT / "data" / "_raw__seeds.yml"

def seeds_yaml() -> dict[str, dict[str, Any]]:
    document = yaml.safe_load(SEEDS_YAML.read_text(encoding="utf-8"))
    return {seed["name"]: seed for seed in document["seeds"]}


# --------------------------------------------------------------------------------------------
# The YAML agrees with schema.py (no database)
# --------------------------------------------------------------------------------------------


def test_seed_yaml_declares_exactly_the_generated_seeds() -> None:
    expected = [t.seed_name for t in TABLES] + [ROW_COUNTS_SEED]
    assert list(seeds_yaml()) == expected


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.seed_name)
def test_seed_yaml_describes_every_column_of_schema(table: Any) -> None:
    seed = seeds_yaml()[table.seed_name]
    # column_types are written from schema.py (tests/integration/test_dbt_schema.py)
    described = seed["columns"]
    assert [c["name"] for c in described] == list(table.column_names), (
        "columns: names or order differ"
    )
    assert all(c.get("description") for c in described), "every column needs a description"
    assert seed.get("description")


def test_row_counts_seed_yaml_declares_table_name_and_row_count() -> None:
    seed = seeds_yaml()[ROW_COUNTS_SEED]
    assert list(seed["config"]["column_types"]) == ["table_name", "row_count"]
    assert seed["config"]["column_types"]["row_count"] == "bigint"
    width = re.fullmatch(r"varchar\((\d+)\)", seed["config"]["column_types"]["table_name"])
    assert width is not None
    assert int(width[1]) >= max(len(name) for name in TABLES_BY_NAME)
    assert all(c.get("description") for c in seed["columns"])


# --------------------------------------------------------------------------------------------
# Loading on each target
# --------------------------------------------------------------------------------------------


def fetch(project: Project, sql: str) -> list[tuple[Any, ...]]:
    with project.target.connect() as con:
        if project.target.name == "duckdb":
            return [tuple(r) for r in con.execute(sql).fetchall()]
        with con.cursor() as cur:
            cur.execute(sql)
            return [tuple(r) for r in cur.fetchall()]


def raw_schema(project: Project) -> str:
    return project.target.schemas[1]


def raw_tables(project: Project) -> set[str]:
    """The seed tables (not the loader's record of what they hold, seed_loads.sql)."""
    rows = fetch(
        project,
        "select table_name from information_schema.tables "
        f"where table_schema = '{raw_schema(project)}'",
    )
    return {r[0] for r in rows} - {"ecom_synth_seed_loads"}


def table_rows(project: Project, seed: str) -> list[tuple[Any, ...]]:
    """Every row of a seed table, in a stable order (all columns)."""
    return fetch(project, f"select * from {raw_schema(project)}.{seed} order by 1, 2")


def csv_rows(project: Project, table: str) -> list[dict[str, str]]:
    return SeedTable(project.data, table).rows


def expect_success(run: DbtRun) -> None:
    assert run.success, run.summary()


@dataclass
class SeededProject:
    project: Project
    first: DbtRun


@pytest.fixture(scope="module")
def seeded(
    target: Any, dataset: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SeededProject]:
    """One project copy per target, seeded once with the fast loader; tests that corrupt a file
    restore it afterwards (restore_data), so the copy is shared."""
    workdir = tmp_path_factory.mktemp(f"seeds-{target.name}")
    project = Project.create(workdir / "project", dataset, target.derive("seeds", workdir))
    ensure_manifest(project, dataset)
    yield SeededProject(project, project.dbt("seed"))


@pytest.fixture
def restore_data(seeded: SeededProject) -> Iterator[Path]:
    """Keep a copy of data/ and put it back after the test (and reseed if the test broke it)."""
    data = seeded.project.data
    backup = data.parent / "data.backup"
    shutil.rmtree(backup, ignore_errors=True)
    shutil.copytree(data, backup)
    yield data
    shutil.rmtree(data)
    shutil.copytree(backup, data)


def test_fast_seed_loads_every_generated_row_with_the_declared_types(seeded: SeededProject) -> None:
    project = seeded.project
    expect_success(seeded.first)
    assert raw_tables(project) == {t.seed_name for t in TABLES} | {ROW_COUNTS_SEED}
    counts = {r["table_name"]: int(r["row_count"]) for r in csv_rows(project, "row_counts")}
    for table in TABLES:
        (n,) = fetch(project, f"select count(*) from {raw_schema(project)}.{table.seed_name}")[0]
        assert n == counts[table.name] == len(csv_rows(project, table.name)), table.name
    # types: as the database reports them for the portable declarations
    columns = fetch(
        project,
        "select column_name, data_type from information_schema.columns "
        f"where table_schema = '{raw_schema(project)}' and table_name = 'raw_order_item' "
        "order by ordinal_position",
    )
    assert [c for c, _ in columns] == list(TABLES_BY_NAME["order_item"].column_names)
    types = {c: t.lower() for c, t in columns}
    # information_schema spells them per database: integer (DuckDB, PostgreSQL) or int (MySQL).
    assert types["order_item_id"] == "bigint" and types["product_id"] in ("integer", "int")
    assert types["line_total"] in ("numeric", "decimal", "decimal(12,2)")


def test_fast_seed_keeps_values_exact_nulls_and_booleans(seeded: SeededProject) -> None:
    project = seeded.project
    schema = raw_schema(project)
    lines = csv_rows(project, "order_item")
    from decimal import Decimal

    (total, promos) = fetch(
        project, f"select sum(line_total), count(promotion_id) from {schema}.raw_order_item"
    )[0]
    assert Decimal(total) == sum(Decimal(r["line_total"]) for r in lines)
    assert promos == sum(1 for r in lines if r["promotion_id"] != "")
    orders = csv_rows(project, "orders")
    (paid,) = fetch(project, f"select count(paid_at) from {schema}.raw_orders")[0]
    assert paid == sum(1 for r in orders if r["paid_at"] != "")
    sellers = csv_rows(project, "seller")
    (active,) = fetch(project, f"select count(*) from {schema}.raw_seller where is_active")[0]
    assert active == sum(1 for r in sellers if r["is_active"] == "true")


def test_stock_seed_gives_the_same_tables(seeded: SeededProject, tmp_path: Path) -> None:
    fast = seeded.project
    stock = Project.create(tmp_path / "stock", fast.data, fast.target.derive("stock", tmp_path))
    expect_success(stock.dbt("seed", "--vars", "{fast_seeds: false}"))
    for seed in [t.seed_name for t in TABLES] + [ROW_COUNTS_SEED]:
        assert table_rows(stock, seed) == table_rows(fast, seed), seed


def test_seed_rerun_and_full_refresh_succeed_and_leave_no_staging_table(
    seeded: SeededProject,
) -> None:
    project = seeded.project
    before = table_rows(project, "raw_orders")
    expect_success(project.dbt("seed"))
    expect_success(project.dbt("seed", "--full-refresh"))
    assert table_rows(project, "raw_orders") == before
    assert not {t for t in raw_tables(project) if t.endswith("__ecom_load")}


def test_seed_show_prints_a_sample(seeded: SeededProject) -> None:
    expect_success(seeded.project.dbt("seed", "--select", "raw_brand", "--show"))


# --------------------------------------------------------------------------------------------
# Bad input: a clear message, and the previous table intact
# --------------------------------------------------------------------------------------------


def drop_column(data: Path, table: str, column: str) -> None:
    seed = SeedTable(data, table)
    seed.header.remove(column)
    for row in seed.rows:
        del row[column]
    seed.save()


def rename_column(data: Path, table: str, old: str, new: str) -> None:
    seed = SeedTable(data, table)
    seed.header[seed.header.index(old)] = new
    for row in seed.rows:
        row[new] = row.pop(old)
    seed.save()


def set_value(data: Path, table: str, line: int, column: str, value: str) -> None:
    """Line numbers as in the file: the header is line 1."""
    seed = SeedTable(data, table)
    seed.rows[line - 2][column] = value
    seed.save()


def edit_line(data: Path, table: str, line: int, edit: Callable[[str], str]) -> None:
    file = data / f"raw_{table}.csv"
    lines = file.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = edit(lines[line - 1])
    file.write_text("\n".join(lines), encoding="utf-8")


BAD_INPUTS: dict[str, tuple[str, Callable[[Path], None], list[str]]] = {
    # name: (seed whose file is broken, corruption, words the message must contain)
    "missing_column": (
        "raw_order_item",
        lambda d: drop_column(d, "order_item", "line_total"),
        ["data/raw_order_item.csv", "missing column(s) line_total", "python -m seeds_gen"],
    ),
    "renamed_column": (
        "raw_orders",
        lambda d: rename_column(d, "orders", "shipping_fee", "shipping_amount"),
        [
            "data/raw_orders.csv",
            "missing column(s) shipping_fee",
            "unexpected column(s) shipping_amount",
        ],
    ),
    "bad_number": (
        "raw_order_item",
        lambda d: set_value(d, "order_item", 7, "quantity", "two"),
        ["raw_order_item.csv", "two"],
    ),
    "short_row": (
        "raw_orders",
        lambda d: edit_line(d, "orders", 5, lambda s: s.rsplit(",", 1)[0]),
        ["raw_orders.csv"],
    ),
    "long_row": (
        "raw_customer",
        lambda d: edit_line(d, "customer", 4, lambda s: s + ",extra"),
        ["raw_customer.csv"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_seed_file_fails_naming_file_and_problem_and_keeps_previous_table(
    case: str, seeded: SeededProject, restore_data: Path
) -> None:
    seed, corrupt, words = BAD_INPUTS[case]
    project = seeded.project
    expect_success(seeded.first)
    before = table_rows(project, seed)
    corrupt(restore_data)
    stamp_manifest(restore_data, f"{seed}.csv")
    run = project.dbt("seed", "--select", seed)
    assert not run.success, run.summary()
    assert run.by_status("error", resource_type="seed") == {seed}, run.summary()
    message = run.message_of(seed)
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in: {message}"
    assert table_rows(project, seed) == before, "the previous seed table changed"
    assert not {t for t in raw_tables(project) if t.endswith("__ecom_load")}


def test_an_empty_required_value_is_refused_by_the_typed_model_which_keeps_its_rows(
    target: Any, dataset: Path, tmp_path: Path
) -> None:
    """Seeds load the file as it is (raw columns are nullable); the typed model's contract
    (NOT NULL) refuses the empty value, and the typed tables keep the previous build."""
    project = Project.create(tmp_path / "project", dataset, target.derive("nulls", tmp_path))
    ensure_manifest(project, dataset)
    expect_success(project.dbt("build", "--exclude", "resource_type:test"))
    typed = f"{project.target.schemas[0]}.product"
    before = fetch(project, f"select * from {typed} order by 1")
    set_value(project.data, "product", 3, "unit_price", "")
    stamp_manifest(project.data, "raw_product.csv")
    run = project.dbt("build", "--exclude", "resource_type:test")
    assert not run.success, run.summary()
    assert "raw_product" in run.by_status("success", resource_type="seed"), run.summary()
    assert run.by_status("error", resource_type="model") == {"product"}, run.summary()
    assert "unit_price" in run.message_of("product").lower(), run.summary()
    assert fetch(project, f"select * from {typed} order by 1") == before


def test_short_row_message_says_which_line(seeded: SeededProject, restore_data: Path) -> None:
    edit_line(restore_data, "orders", 5, lambda s: s.rsplit(",", 1)[0])
    stamp_manifest(restore_data, "raw_orders.csv")
    run = seeded.project.dbt("seed", "--select", "raw_orders")
    message = run.message_of("raw_orders")
    assert not run.success
    assert re.search(r"line:? ?5\b", message, re.IGNORECASE), message


def test_missing_csv_fails_and_names_it(seeded: SeededProject, restore_data: Path) -> None:
    """With the models in place, dbt itself stops at parse time: a model refs the missing seed."""
    (restore_data / "raw_orders.csv").unlink()
    run = seeded.project.dbt("seed")
    assert not run.success
    assert "raw_orders" in str(run.exception), run.summary()


def test_missing_csv_in_seed_only_project_says_to_run_the_generator(
    seeded: SeededProject, tmp_path: Path
) -> None:
    """Without models referring to it, the loader itself refuses an incomplete dataset."""
    source = seeded.project
    project = Project.create(tmp_path / "p", source.data, source.target.derive("partial", tmp_path))
    ensure_manifest(project, source.data)
    for folder in ("models", "snapshots", "tests"):
        shutil.rmtree(project.path / folder, ignore_errors=True)
    expect_success(project.dbt("seed"))
    before = table_rows(project, "raw_brand")
    (project.data / "raw_orders.csv").unlink()
    run = project.dbt("seed")
    assert not run.success
    message = run.message_of("raw_brand")
    assert "missing raw_orders.csv" in message and "python -m seeds_gen" in message, message
    assert table_rows(project, "raw_brand") == before
