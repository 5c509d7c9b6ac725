"""The Spark engine on a real local Spark: its files and DataFrames hold exactly the rows of a
single-process run of the same settings, a retried task gives the same part, and an output that
already holds tables is refused before anything is written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from seeds_gen.parts import LARGE_TABLES
from seeds_gen.schema import TABLES

from .conftest import CONFIG, PARTS, data_files, manifest, table_rows


def _single_rows(out: Path, table: str) -> list[dict[str, Any]]:
    """A single-process Parquet dataset's rows of one table, part after part, as Python values."""
    return [row for path in data_files(out, table)
            for row in pq.read_table(path).to_pylist()]


def _spark_folder_files(folder: Path) -> list[Path]:
    """Spark's data files of one table folder, in partition order."""
    return sorted(p for p in folder.iterdir() if p.name.startswith("part-")
                  and p.suffix in (".csv", ".parquet"))


def test_parquet_dataset_holds_the_single_process_rows_and_types(
        spark: Any, single_parquet: Path, tmp_path: Path) -> None:
    from seeds_gen.spark.engine import write_dataset

    out = tmp_path / "out"
    write_dataset(spark, replace(CONFIG, format="parquet"), str(out), PARTS)
    ours, theirs = manifest(out), manifest(single_parquet)
    assert (ours["world"], ours["parts"], ours["format"]) == \
           (theirs["world"], PARTS, "parquet")
    for table in TABLES:
        files = ours["tables"][table.name]["files"]
        assert [(f["file"], f["rows"]) for f in files] == \
               [(f["file"], f["rows"]) for f in theirs["tables"][table.name]["files"]]
        assert table_rows(table.name, data_files(out, table.name)) == \
               table_rows(table.name, data_files(single_parquet, table.name)), table.name
        # Spark's Parquet types as the single process writes them: INT64 decimals, no zone.
        for path in data_files(out, table.name):
            fields = pq.read_schema(path)
            for column in table.columns:
                kind = str(fields.field(column.name).type)
                assert kind == {"timestamp": "timestamp[us]", "decimal": "decimal128(12, 2)",
                                "rating": "decimal128(3, 1)"}.get(column.type, kind)


def test_csv_into_a_uri_is_the_single_process_parts_byte_for_byte(
        spark: Any, single_csv: Path, tmp_path: Path) -> None:
    from seeds_gen.spark.engine import write_dataset

    lake = tmp_path / "lake"
    result = write_dataset(spark, CONFIG, lake.as_uri(), PARTS)
    assert result.manifest["location"] == lake.as_uri()
    assert sorted(p.name for p in lake.iterdir()) == sorted(t.seed_name for t in TABLES)
    for table in TABLES:
        folder = lake / table.seed_name
        assert (folder / "_SUCCESS").exists()
        ours = [p.read_bytes() for p in _spark_folder_files(folder)]
        theirs = [p.read_bytes() for p in data_files(single_csv, table.name)]
        assert ours == theirs, table.name


def test_uri_that_already_holds_a_table_is_refused_before_anything_is_written(
        spark: Any, tmp_path: Path) -> None:
    from seeds_gen.spark.engine import write_dataset
    from seeds_gen.spark.errors import SparkSetupError

    lake = tmp_path / "lake"
    (lake / "raw_orders").mkdir(parents=True)
    with pytest.raises(SparkSetupError, match="already holds raw_orders"):
        write_dataset(spark, CONFIG, lake.as_uri(), PARTS)
    assert [p.name for p in lake.iterdir()] == ["raw_orders"]


def test_empty_promotions_give_the_single_process_files(
        spark: Any, tmp_path: Path) -> None:
    from seeds_gen.spark.engine import write_dataset

    from .conftest import SETTINGS, run_cli

    rows = {"promotion": 0, "promotion_product": 0}
    single = tmp_path / "single"
    result = run_cli(*SETTINGS, "--rows", "promotion=0", "--rows", "promotion_product=0",
                     "--parts", str(PARTS), "--out", str(single), "--quiet")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    write_dataset(spark, replace(CONFIG, rows=rows), str(out), PARTS)
    assert manifest(out)["tables"] == manifest(single)["tables"]


def test_spark_tables_hold_the_single_process_rows_with_the_files_types(
        spark: Any, single_parquet: Path) -> None:
    from pyspark.sql.types import TimestampNTZType

    from seeds_gen.spark import spark_schema, spark_tables

    with spark_tables(spark, CONFIG, PARTS) as tables:
        assert list(tables) == [t.name for t in TABLES]
        for table in TABLES:
            frame = tables[table.name]
            assert frame.schema == spark_schema(table.name)
            if table.name in LARGE_TABLES:
                assert frame.rdd.getNumPartitions() == PARTS
            assert frame.toArrow().to_pylist() == _single_rows(single_parquet, table.name), \
                table.name
        assert isinstance(tables["orders"].schema["ordered_at"].dataType, TimestampNTZType)
        assert tables.rows["order_item"] == \
               [f["rows"] for f in manifest(single_parquet)["tables"]["order_item"]["files"]]


@pytest.mark.parametrize("step", ["generate", "decode"])
def test_a_failed_task_that_spark_retries_gives_the_same_part(
        spark: Any, single_parquet: Path, step: str) -> None:
    """Part 1's task fails on its first attempt after handing Spark some rows (in the
    generating task, or in the one decoding order_item); the retry regenerates the part."""
    from seeds_gen.spark import spark_tables
    from seeds_gen.spark.frames import FAIL_ENV

    context = spark.sparkContext
    context.environment[FAIL_ENV] = f"{step}:1"  # handed to the Python workers of new tasks
    context.setJobGroup(f"retry-{step}", "a task fails once")
    try:
        with spark_tables(spark, CONFIG, PARTS) as tables:
            for table in LARGE_TABLES:
                assert tables[table].toArrow().to_pylist() == \
                    _single_rows(single_parquet, table), table
    finally:
        del context.environment[FAIL_ENV]
        context.setLocalProperty("spark.jobGroup.id", None)
    tracker = context.statusTracker()
    failed = sum(stage.numFailedTasks
                 for job in tracker.getJobIdsForGroup(f"retry-{step}")
                 for stage_id in (tracker.getJobInfo(job).stageIds if tracker.getJobInfo(job)
                                  else [])
                 if (stage := tracker.getStageInfo(stage_id)) is not None)
    assert failed >= 1, "the fault never fired: the test proved nothing"


def test_an_as_of_dataset_is_the_single_process_one_byte_for_byte(
        spark: Any, tmp_path: Path) -> None:
    """--as-of: Spark's tasks cut the world at the same instant (order statuses, stock)."""
    import datetime as dt

    from seeds_gen.generate import generate
    from seeds_gen.spark.engine import write_dataset

    config = replace(CONFIG, as_of=dt.datetime(2025, 6, 30, 18, 30))
    single = tmp_path / "single"
    generate(replace(config, out=single, parts=PARTS))
    assert manifest(single)["as_of"] == "2025-06-30 18:30:00"
    lake = tmp_path / "lake"
    write_dataset(spark, config, lake.as_uri(), PARTS)
    for table in TABLES:
        ours = [p.read_bytes() for p in _spark_folder_files(lake / table.seed_name)]
        theirs = [p.read_bytes() for p in data_files(single, table.name)]
        assert ours == theirs, table.name
