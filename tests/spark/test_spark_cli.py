"""`python -m seeds_gen --engine spark` as a user runs it: the dataset of a single-process run,
byte for byte; bad input in one line, exit 2, nothing written; a failed job in one line, exit 1,
nothing published."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from .conftest import PARTS, SETTINGS, manifest, run_cli


def test_spark_run_publishes_the_single_process_dataset_byte_for_byte(
        single_csv: Path, tmp_path: Path) -> None:
    out, temp = tmp_path / "out", tmp_path / "temp"
    temp.mkdir()
    result = run_cli("--engine", "spark", "--spark-master", "local[2]", *SETTINGS,
                     "--parts", str(PARTS), "--out", str(out), "--json",
                     env=_env(TMPDIR=str(temp)))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # none of Spark's or the JVM's own logging
    assert not list(temp.glob("seeds_gen-spark-*.log"))  # the JVM's log goes with a good run
    summary = json.loads(result.stdout)
    assert summary["parts"] == PARTS
    ours, theirs = manifest(out), manifest(single_csv)
    for key in ("layout", "format", "parts", "settings", "world", "row_counts_file", "tables"):
        assert ours[key] == theirs[key], key  # every file's rows, bytes and sha256
    assert (out / "raw_row_counts.csv").read_bytes() == \
           (single_csv / "raw_row_counts.csv").read_bytes()
    assert (out / "raw_orders.csv").read_text().count("\n") == 1  # dbt's header stub
    assert not list((out / "current").glob(".spark*"))


def _shadow(tmp_path: Path, module: str) -> str:
    """A folder whose `module` fails to import, as if it were not installed."""
    package = tmp_path / "shadow" / module
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        f"raise ImportError('No module named {module} (simulated)')\n")
    return str(package.parent)


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


BAD_INPUT = {
    "pyspark missing": ([], "pyspark", "--engine spark needs pyspark"),
    "java missing": ([], "java", "no java was found"),
    "JAVA_HOME without java": ([], "java_home", "has no bin/java"),
    "unreachable master": (["--spark-master", "spark://127.0.0.1:1"], None,
                           "the Spark master spark://127.0.0.1:1 does not answer"),
    "malformed master": (["--spark-master", "local[0]"], None, "--spark-master must be"),
    "Spark Connect": (["--spark-master", "sc://localhost"], None, "Spark Connect"),
    "part with spark": (["--parts", "2", "--part", "0"], None, "--part and --assemble"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path: Path, case: str) -> None:
    args, broken, expected = BAD_INPUT[case]
    env = _env()
    if broken == "pyspark":
        env["PYTHONPATH"] = _shadow(tmp_path, "pyspark")
    elif broken == "java":
        env = _env(JAVA_HOME=None, PATH=str(tmp_path / "empty"))
    elif broken == "java_home":
        env = _env(JAVA_HOME=str(tmp_path))
    out = tmp_path / "out"
    result = run_cli("--engine", "spark", *SETTINGS, "--out", str(out), *args, env=env,
                     timeout=120)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("seeds_gen: error: "), result.stderr
    assert expected in lines[0]
    assert not out.exists()


def test_spark_master_without_the_spark_engine_is_refused(tmp_path: Path) -> None:
    result = run_cli("--spark-master", "local[2]", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip() == "seeds_gen: error: --spark-master needs --engine spark"


def test_a_failed_spark_job_is_one_line_exit_1_and_nothing_published(tmp_path: Path) -> None:
    """Executors whose Python lacks pyarrow: the job fails, the run says why in one line, and
    names the file that holds what the JVM and its Python workers printed (their tracebacks
    would make the line many)."""
    worker = tmp_path / "python"
    worker.write_text(f'#!/bin/sh\nPYTHONPATH="{_shadow(tmp_path, "pyarrow")}:$PYTHONPATH" '
                      f'exec "{sys.executable}" "$@"\n')
    worker.chmod(0o755)
    out, temp = tmp_path / "out", tmp_path / "temp"
    temp.mkdir()
    result = run_cli("--engine", "spark", "--spark-master", "local[2]", *SETTINGS,
                     "--out", str(out), "--quiet",
                     env=_env(PYSPARK_PYTHON=str(worker), TMPDIR=str(temp)))
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "generating the parts failed" in lines[0] and "pyarrow" in lines[0]
    assert lines[0].endswith("no dataset was published")
    [log] = temp.glob("seeds_gen-spark-*.log")
    assert f"Spark's own output: {log}" in lines[0]
    assert "pyarrow (simulated)" in log.read_text()  # the workers' traceback, kept for a reader
    assert not (out / "current").exists()
    assert list((out / ".runs").iterdir()) == []


def test_spark_submit_runs_the_generator_on_the_master_it_was_given(
        single_csv: Path, tmp_path: Path) -> None:
    """The cluster path (README): spark-submit seeds_gen/spark/submit.py, here on local[2]."""
    import subprocess

    from seeds_gen.spark import submit

    spark_submit = Path(sys.executable).parent / "spark-submit"  # installed with pyspark
    out = tmp_path / "out"
    env = _env(PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    result = subprocess.run(
        [str(spark_submit), "--master", "local[2]", "--conf", "spark.ui.enabled=false",
         submit.__file__, *SETTINGS, "--parts", str(PARTS), "--out", str(out), "--quiet"],
        env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert manifest(out)["tables"] == manifest(single_csv)["tables"]
