"""--parts N and --part K: every split of the large tables gives exactly the rows of one run.

Parts made in one run, or apart (in reverse order) and assembled, put together equal the single
run row for row and byte for byte (CSV); a Parquet dataset in parts holds the same rows; every
DATA_SPEC rule holds on the assembled dataset; a part is published whole or not at all.
"""

from __future__ import annotations

import itertools
import json
import signal
from pathlib import Path

import duckdb
import pytest

from seeds_gen.config import GeneratorConfig
from seeds_gen.parts import LARGE_TABLES, KeyRange, Part, chunks
from seeds_gen.rng import SqlRng
from seeds_gen.schema import MANIFEST_FILE, TABLES
from seeds_gen.transactions import Shape, signed_up_before_sql, signup_sql

from .conftest import RunCli, start_cli, wait_for_fault
from .dataset_checks import RULES, open_dataset, row_counts
from .dataset_state import assert_whole_dataset

HALF = ("--scale", "0.5")


@pytest.fixture(scope="module")
def single(run_cli: RunCli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("single")
    result = run_cli("--out", str(out), *HALF, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def _joined(out: Path, table: str) -> bytes:
    """The table's CSV as one file: the first part's header, then every part's rows in order."""
    manifest = json.loads((out / MANIFEST_FILE).read_text())
    joined = b""
    for k, entry in enumerate(manifest["tables"][table]["files"]):
        data = (out / entry["file"]).read_bytes()
        joined += data if k == 0 else data.split(b"\n", 1)[1]
    return joined


def _table_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """Rows and an order-sensitive hash over every value, per table."""
    return {t.name: con.execute(
        f"select count(*), sum(hash(columns(*))) from "
        f"(select row_number() over () as n, * from {t.name})"
    ).fetchone() for t in TABLES}  # type: ignore[misc]


@pytest.mark.parametrize("parts", [1, 3, 8])
def test_parts_put_together_are_the_single_run_byte_for_byte(
        run_cli: RunCli, single: Path, tmp_path: Path, parts: int) -> None:
    out = tmp_path / "out"
    result = run_cli("--out", str(out), *HALF, "--parts", str(parts), "--quiet")
    assert result.returncode == 0, result.stderr
    assert_whole_dataset(out)
    manifest = json.loads((out / MANIFEST_FILE).read_text())
    assert manifest["parts"] == parts
    for table in TABLES:
        files = manifest["tables"][table.name]["files"]
        expected = parts if table.name in LARGE_TABLES else 1
        assert len(files) == expected, table.name
        assert _joined(out, table.name) == (single / table.file_name).read_bytes(), table.name


def test_parts_made_apart_in_any_order_and_assembled_are_the_single_run(
        run_cli: RunCli, single: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for k in (2, 0, 1):
        result = run_cli("--out", str(out), *HALF, "--parts", "3", "--part", str(k), "--quiet")
        assert result.returncode == 0, result.stderr
        assert not (out / MANIFEST_FILE).exists()  # a part alone publishes no dataset
    result = run_cli("--out", str(out), *HALF, "--parts", "3", "--assemble", "--quiet")
    assert result.returncode == 0, result.stderr
    assert_whole_dataset(out)
    for table in TABLES:
        assert _joined(out, table.name) == (single / table.file_name).read_bytes(), table.name
    con = open_dataset(out)
    assert row_counts(con) == GeneratorConfig(scale=0.5).row_counts()
    for name, check in RULES.items():
        assert check(con) == [], name


def test_parquet_in_parts_holds_the_rows_of_the_single_csv_run(
        run_cli: RunCli, single: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("--out", str(out), *HALF, "--parts", "8", "--format", "parquet", "--quiet")
    assert result.returncode == 0, result.stderr
    assert_whole_dataset(out)
    assert _table_hashes(open_dataset(out, "parquet")) == _table_hashes(open_dataset(single))


def test_a_part_is_published_whole_or_not_at_all(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("--out", str(out), *HALF, "--parts", "2", "--part", "1", "--quiet")
    assert run_cli(*args).returncode == 0
    part = out / "parts-of-2" / Part(1, 2).name
    before = {p.name: p.read_bytes() for p in part.iterdir()}
    proc = start_cli(*args, fault="before_write")
    wait_for_fault(proc, "before_write")
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "was not published" in stderr and len(stderr.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in part.iterdir()} == before
    assert sorted(p.name for p in part.parent.iterdir() if not p.name.startswith(".lock")) \
        == [part.name]


@pytest.mark.parametrize(("args", "message"), [
    (("--part", "0"), "--part needs --parts N"),
    (("--assemble",), "--assemble needs --parts N"),
    (("--parts", "3", "--part", "3"), "--part must be between 0 and 2 for --parts 3"),
    (("--parts", "3", "--part", "-1"), "--part must be between 0 and 2"),
    (("--parts", "0"), "--parts must be at least 1"),
    (("--rows", "customer=5", "--parts", "8"), "more parts than customer has rows"),
    (("--parts", "2", "--assemble"), "part 0 of 2 is missing"),
])
def test_bad_part_options_are_one_line_and_write_nothing(
        run_cli: RunCli, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    out = tmp_path / "out"
    result = run_cli("--out", str(out), "--scale", "0.01", *args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not (out / MANIFEST_FILE).exists() and not list(out.glob("parts-of-*/part-*"))


def test_assemble_refuses_parts_of_another_world_or_changed_files(
        run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    tiny = ("--out", str(out), "--scale", "0.01", "--parts", "2", "--quiet")
    assert run_cli(*tiny, "--part", "0").returncode == 0
    assert run_cli(*tiny, "--part", "1", "--seed", "7").returncode == 0
    result = run_cli(*tiny, "--assemble")
    assert result.returncode == 2 and "was made with other settings" in result.stderr
    assert run_cli(*tiny, "--part", "1").returncode == 0
    orders = out / "parts-of-2" / Part(1, 2).name / "raw_orders.csv"
    orders.write_bytes(orders.read_bytes()[:-10])
    result = run_cli(*tiny, "--assemble")
    assert result.returncode == 2 and "does not match" in result.stderr, result.stderr
    assert not (out / MANIFEST_FILE).exists()


def test_chunks_cover_the_keys_once_on_a_fixed_grid() -> None:
    keys = KeyRange(5, 1000)
    cut = list(chunks(keys, 64))
    assert cut[0] == KeyRange(5, 64) and cut[-1] == KeyRange(961, 1000)
    assert sum(c.size for c in cut) == keys.size
    assert all(b.first == a.last + 1 for a, b in itertools.pairwise(cut))


@pytest.mark.parametrize("customers", [1, 2, 5, 997, 60_000])
def test_signed_up_before_counts_exactly_the_customers_signed_up_before(customers: int) -> None:
    """The formula that picks an order's customers (rule 6) against a count of the signups,
    at every signup second and the seconds around it."""
    import datetime as dt

    shape = Shape(customers, 10, 10, 5, dt.date(2024, 1, 1), dt.date(2026, 1, 1))
    rng = SqlRng(42)
    con = duckdb.connect()
    con.execute(f"""create table signup as select customer_id, {signup_sql(rng, shape)} as t
                    from (select range + 1 as customer_id from range({customers}))""")
    con.execute(f"""create table probe as select distinct greatest(t + to_seconds(d),
                        {shape.start_ts}) as instant
                    from signup, (values (-1), (0), (1)) v(d)""")
    wrong = con.execute(f"""
        select p.instant, {signed_up_before_sql(rng, shape, 'p.instant')} as counted,
               (select count(*) from signup s where s.t < p.instant) as actual
        from probe p where counted <> actual limit 5""").fetchall()
    assert wrong == []


def test_arrow_batches_of_the_parts_hold_the_rows_of_the_files(single: Path) -> None:
    """What an engine that writes its own files (Spark) gets: part_batches per part, then
    reference_batches with the parts' units sold, row for row the single run's files."""
    import pyarrow as pa

    from seeds_gen.generate import part_batches, reference_batches

    config = GeneratorConfig(scale=0.5)
    batches: dict[str, list[pa.RecordBatch]] = {}
    for k in (1, 0):
        for table, batch in part_batches(config, Part(k, 2)):
            batches.setdefault(f"{table}-{k}", []).append(batch)
    sold = pa.Table.from_batches(batches["sold-0"] + batches["sold-1"])
    for table, batch in reference_batches(config, sold):
        batches.setdefault(table, []).append(batch)
    con = duckdb.connect()
    files = open_dataset(single)
    for table in TABLES:
        parts = [f"{table.name}-0", f"{table.name}-1"] if table.name in LARGE_TABLES \
            else [table.name]
        arrow = pa.Table.from_batches([b for key in parts for b in batches[key]])
        con.register("arrow", arrow)
        assert con.execute("describe arrow").fetchall() == \
            files.execute(f"describe {table.name}").fetchall(), table.name
        assert con.execute("select * from arrow").fetchall() == \
            files.execute(f"select * from {table.name}").fetchall(), table.name
