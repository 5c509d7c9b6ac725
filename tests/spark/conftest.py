"""Fixtures for the Spark engine tests: one local Spark (local[2,2]: two cores, a failed task
is retried once) shared by every test, and single-process datasets of the same settings.

Skipped, with the reason, where pyspark or Java 17+ is missing, unless ECOM_SYNTH_REQUIRE_SPARK
is set (CI sets it: there they must run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from seeds_gen.config import GeneratorConfig
from seeds_gen.schema import MANIFEST_FILE, TABLES_BY_NAME

REPO = Path(__file__).resolve().parents[2]
REQUIRE_ENV = "ECOM_SYNTH_REQUIRE_SPARK"
# Small but real: three parts of every large table, several blobs per part.
SETTINGS = ("--seed", "7", "--scale", "0.05")
CONFIG = GeneratorConfig(seed=7, scale=0.05)
PARTS = 3
MASTER = "local[2,2]"


def _unavailable() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (make install-spark adds the spark extra)"
    from seeds_gen.spark.engine import find_java
    from seeds_gen.spark.errors import SparkSetupError

    try:
        find_java()
    except SparkSetupError as exc:
        return str(exc)
    return None


@pytest.fixture(scope="session", autouse=True)
def spark_available() -> None:
    reason = _unavailable()
    if reason:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{REQUIRE_ENV} is set but the Spark tests cannot run: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def spark(spark_available: None) -> Iterator[Any]:
    from seeds_gen.spark.engine import spark_session

    with spark_session(MASTER) as session:
        yield session


def run_cli(*args: str, env: dict[str, str] | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "seeds_gen", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def _single(tmp_path_factory: pytest.TempPathFactory, *args: str) -> Path:
    out = tmp_path_factory.mktemp("single") / "out"
    result = run_cli(*SETTINGS, "--parts", str(PARTS), "--out", str(out), "--quiet", *args)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def single_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The single-process run of the same settings, in the same parts."""
    return _single(tmp_path_factory)


@pytest.fixture(scope="session")
def single_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _single(tmp_path_factory, "--format", "parquet")


def manifest(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / MANIFEST_FILE).read_text()))


def data_files(out: Path, table: str) -> list[Path]:
    """A dataset's files of one table, in part order (manifest.json)."""
    return [out / entry["file"] for entry in manifest(out)["tables"][table]["files"]]


def table_rows(table: str, files: list[Path]) -> tuple[list[tuple[Any, ...]], list[str]]:
    """Every row of the table's files, file after file, typed (a CSV read with the schema's
    types), and the column types as DuckDB reads them."""
    con = duckdb.connect()
    rows: list[tuple[Any, ...]] = []
    types: list[str] = []
    for path in files:
        if path.suffix == ".csv":
            columns = ", ".join(f"'{c.name}': '{c.duckdb_type}'"
                                for c in TABLES_BY_NAME[table].columns)
            relation = con.sql(f"select * from read_csv('{path}', header = true, "
                               f"columns = {{{columns}}})")
        else:
            relation = con.sql(f"select * from read_parquet('{path}')")
        rows += relation.fetchall()
        types = [str(t) for t in relation.types]
    return rows, types
