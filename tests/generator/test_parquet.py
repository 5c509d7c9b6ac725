"""--format parquet: the same rows as the CSVs, the schema's exact types, a manifest that vouches
for the files, byte-identical reruns, and a format switch that leaves no links of the old one."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import duckdb
import pytest

from seeds_gen.runs import CURRENT, RUNS_DIR, dataset_files
from seeds_gen.schema import MANIFEST_FILE, TABLES

from .conftest import RunCli, start_cli, wait_for_fault
from .dataset_checks import RULES, open_dataset
from .dataset_state import (
    assert_whole_dataset,
    leftovers,
    run_folders,
    visible,
    write_old_layout,
)

TINY = ("--scale", "0.01", "--seed", "7")


@pytest.fixture(scope="module")
def csv_out(run_cli: RunCli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csv") / "out"
    result = run_cli("--out", str(out), *TINY, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def parquet_out(run_cli: RunCli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "out"
    result = run_cli("--out", str(out), *TINY, "--format", "parquet", "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def _links(out: Path) -> dict[str, str]:
    return {p.name: os.readlink(p) for p in out.iterdir() if p.is_symlink() and p.name != CURRENT}


def test_parquet_and_csv_runs_hold_the_same_rows_in_the_same_order(
        csv_out: Path, parquet_out: Path) -> None:
    # The CSVs read with the schema's types (dataset_checks.open_dataset), row for row.
    from_csv, from_parquet = open_dataset(csv_out), open_dataset(parquet_out, "parquet")
    for table in TABLES:
        expected = from_csv.execute(f"select * from {table.name}").fetchall()
        assert from_parquet.execute(f"select * from {table.name}").fetchall() == expected, \
            table.name


def test_parquet_columns_carry_exactly_the_schema_types(parquet_out: Path) -> None:
    con = duckdb.connect()
    for table in TABLES:
        path = parquet_out / table.file_name_for("parquet")
        described = con.execute(f"describe select * from read_parquet('{path}')").fetchall()
        assert [(name, kind) for name, kind, *_ in described] == \
            [(c.name, c.duckdb_type) for c in table.columns], table.name
        # Money is a Parquet DECIMAL (an integer underneath), never a float; timestamps are
        # local (no time zone) at microsecond precision, holding whole seconds only.
        physical = dict(con.execute(
            f"select name, type from parquet_schema('{path}') where type is not null").fetchall())
        for column in table.columns:
            assert physical[column.name] not in ("FLOAT", "DOUBLE"), (table.name, column.name)
            if column.type == "timestamp":
                (fractions,) = con.execute(
                    f"select count(*) from read_parquet('{path}') "
                    f"where epoch_us({column.name}) % 1000000 <> 0").fetchone() or (None,)
                assert fractions == 0, (table.name, column.name)


def test_parquet_nulls_are_real_nulls_where_the_schema_allows_them(parquet_out: Path) -> None:
    con = open_dataset(parquet_out, "parquet")
    for table in TABLES:
        for column in table.columns:
            (nulls,) = con.execute(
                f"select count(*) from {table.name} where {column.name} is null").fetchone() or (0,)
            assert nulls == 0 or column.nullable, (table.name, column.name)
    # Unpaid orders and lines without a promotion exist at this size, as real NULLs.
    assert con.execute("select count(*) from orders where paid_at is null").fetchone() != (0,)
    assert con.execute(
        "select count(*) from order_item where promotion_id is null").fetchone() != (0,)


@pytest.mark.parametrize("rule", RULES)
def test_parquet_dataset_keeps_every_rule(parquet_out: Path, rule: str) -> None:
    assert RULES[rule](open_dataset(parquet_out, "parquet")) == []


def test_manifest_names_the_format_and_matches_every_parquet_file(parquet_out: Path) -> None:
    assert_whole_dataset(parquet_out)  # rows (Parquet metadata), bytes and sha256 of each file
    manifest = json.loads((parquet_out / MANIFEST_FILE).read_text())
    assert manifest["format"] == "parquet"
    assert manifest["row_counts_file"] == "raw_row_counts.csv"  # a dbt seed, so always CSV
    for table in TABLES:
        entry = manifest["tables"][table.name]
        assert entry["file"] == table.file_name_for("parquet") and entry["format"] == "parquet"


def test_same_seed_and_settings_give_byte_identical_parquet_files(
        run_cli: RunCli, parquet_out: Path, tmp_path: Path) -> None:
    # DuckDB's Parquet writer is deterministic for an ordered query, whatever the thread count.
    out = tmp_path / "again"
    result = run_cli("--out", str(out), *TINY, "--format", "parquet", "--threads", "1",
                     "--quiet")
    assert result.returncode == 0, result.stderr
    for table in TABLES:
        name = table.file_name_for("parquet")
        assert (out / name).read_bytes() == (parquet_out / name).read_bytes(), name


def test_format_from_the_config_file_and_the_option_overrides_it(
        run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "shop.toml"
    config.write_text('format = "parquet"\nscale = 0.01\n')
    out = tmp_path / "out"
    assert run_cli("--config", str(config), "--out", str(out), "--quiet").returncode == 0
    assert json.loads((out / MANIFEST_FILE).read_text())["format"] == "parquet"
    result = run_cli("--config", str(config), "--out", str(out), "--format", "csv", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["format"] == "csv"
    assert [t["files"] for t in summary["tables"]] == [[t.file_name] for t in TABLES]


def test_switching_format_leaves_only_the_new_formats_links(
        run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for output_format in ("csv", "parquet", "csv", "parquet"):
        result = run_cli("--out", str(out), *TINY, "--format", output_format, "--quiet")
        assert result.returncode == 0, result.stderr
        assert_whole_dataset(out)  # also: no name of the other format left in <out>
        assert _links(out) == {name: f"{CURRENT}/{name}" for name in dataset_files(output_format)}
        # The previous run (kept for a reader still in it) is the only other run folder.
        assert len(run_folders(out)) <= 2 and leftovers(out) == []


def test_a_run_killed_right_after_the_switch_leaves_links_that_the_next_run_removes(
        run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("--out", str(out), *TINY, "--format", "parquet", "--quiet").returncode == 0
    proc = start_cli("--out", str(out), *TINY, "--quiet", fault="after_switch")
    wait_for_fault(proc, "after_switch")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Published: the CSVs are whole; the Parquet files' links dangle, reading nothing.
    current = Path(os.path.realpath(out / CURRENT))
    assert current.parent == Path(os.path.realpath(out / RUNS_DIR))
    for name in dataset_files("csv"):
        assert (out / name).is_file(), name
    stale = [n for n in dataset_files("parquet") if n not in dataset_files("csv")]
    assert stale and all(os.path.lexists(out / n) and not (out / n).exists() for n in stale)
    result = run_cli("--out", str(out), *TINY, "--quiet")
    assert result.returncode == 0, result.stderr
    assert_whole_dataset(out)
    assert set(_links(out)) == set(dataset_files("csv"))


def test_a_parquet_run_over_an_old_layout_folder_leaves_no_real_csv_behind(
        run_cli: RunCli, csv_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    old = write_old_layout(visible(csv_out), out)
    result = run_cli("--out", str(out), *TINY, "--format", "parquet", "--quiet")
    assert result.returncode == 0, result.stderr
    assert_whole_dataset(out)
    assert set(_links(out)) == set(dataset_files("parquet"))
    # The old files live on, unchanged, as the adopted previous run.
    assert any(visible(out / RUNS_DIR / run) == old for run in run_folders(out))
