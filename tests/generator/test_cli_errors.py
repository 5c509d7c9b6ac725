"""Bad input: one line naming the problem and the fix, exit status 2, nothing written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import RunCli
from .dataset_state import copy_output, tree

BAD_INPUTS = {
    "unknown option": (["--colour", "red"], "unrecognized arguments"),
    "unknown table": (["--rows", "invoices=5"], "unknown table 'invoices'"),
    "malformed override": (["--rows", "orders"], "expects table=N"),
    "non-numeric count": (["--rows", "orders=many"], "needs a whole number"),
    "zero rows": (["--rows", "product=0"], "product would have 0 rows"),
    "negative rows": (["--rows", "customer=-5"], "customer would have -5 rows"),
    "scale too small": (["--scale", "0.00001"], "customer would have 0 rows"),
    "negative scale": (["--scale", "-1"], "--scale must be a finite number greater than 0"),
    "too many promotion pairs": (["--rows", "promotion_product=2001"],
                                 "exceeds the 2000 possible pairs"),
    "more lines than products": (["--rows", "product=20", "--rows", "orders=100",
                                  "--rows", "order_item=2100"], "more lines per order"),
    "fewer lines than orders": (["--rows", "orders=100", "--rows", "order_item=50"],
                                "every order needs at least one line"),
    "inverted window": (["--start", "2025-01-01", "--end", "2024-01-01"],
                        "empty or inverted"),
    "empty window": (["--start", "2025-01-01", "--end", "2025-01-01"], "empty or inverted"),
    "bad date": (["--start", "2025-13-01"], "--start needs a date"),
    "unknown locale": (["--locale", "xx_YY"], "unknown locale 'xx_YY'"),
    "too many categories": (["--rows", "category=500"], "built-in taxonomy"),
    "missing config": (["--config", "/nonexistent/shop.toml"], "does not exist"),
    "zero threads": (["--threads", "0"], "--threads must be between 1 and 1024"),
    "absurd threads": (["--threads", "100000"], "--threads must be between 1 and 1024"),
    "infinite scale": (["--scale", "inf"], "--scale must be a finite number"),
    "nan scale": (["--scale", "nan"], "--scale must be a finite number"),
    "huge scale": (["--scale", "1e300"], "more than its key customer_id (bigint) can number"),
    "seed of 2**63": (["--seed", str(2**63)], "--seed must be between 0 and 9223372036854775807"),
    "negative seed": (["--seed", "-1"], "--seed must be between 0 and"),
    "rows beyond the key type": (["--rows", "customer=100000000000000000000"],
                                 "more than its key customer_id (bigint) can number"),
    "rows beyond an int key": (["--rows", "product=3000000000"],
                               "more than its key product_id (int) can number"),
    "year 1": (["--start", "0001-01-01"], "must lie within 1900-01-01 .. 9999-01-01"),
    "year 9999": (["--end", "9999-12-31"], "must lie within 1900-01-01 .. 9999-01-01"),
    "window over a century": (["--start", "1900-01-01"], "longer than 100 years"),
    "empty output folder name": (["--out="], "--out needs a folder name"),
    "unknown format": (["--format", "xml"], "--format must be one of csv, parquet, got 'xml'"),
    "format in capitals": (["--format", "PARQUET"], "--format must be one of csv, parquet"),
    "config is a folder": (["--config", "/tmp"], "is a folder; name a TOML file"),
    "unreadable config": (["--config", "/proc/self/mem"], "cannot read config file"),
    "endless config": (["--config", "/dev/zero"], "is larger than 1 MB"),
    "as-of after the window": (["--as-of", "2026-01-01 00:00:01"],
                               "is after the end of the order window"),
    "as-of before the window": (["--as-of", "2023-12-31"], "is before the start of the order"),
    "as-of not an instant": (["--as-of", "yesterday"], "--as-of needs an instant as YYYY-MM-DD"),
    "as-of with minutes only": (["--as-of", "2025-06-30 12:00"], "--as-of needs an instant"),
    "changes since after as-of": (["--as-of", "2025-06-30", "--changes-since", "2025-07-01"],
                                  "is not before --as-of"),
    "changes since the as-of": (["--as-of", "2025-06-30", "--changes-since", "2025-06-30"],
                                "is not before --as-of"),
    "changes since before the window": (["--changes-since", "2023-06-30"],
                                        "is before the start of the order window"),
    "changes with a part made apart": (["--parts", "2", "--part", "0", "--changes-since",
                                        "2025-06-30"], "not with --part or --assemble"),
    "changes with spark": (["--engine", "spark", "--changes-since", "2025-06-30"],
                           "drop --engine spark"),
}


@pytest.mark.parametrize("args, message", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_one_clear_line_exit_2_and_writes_nothing(
        run_cli: RunCli, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out"
    result = run_cli("--out", str(out), *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("args, message", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_leaves_the_previous_dataset_byte_identical(
        run_cli: RunCli, small_output: Path, tmp_path: Path, args: list[str],
        message: str) -> None:
    out = tmp_path / "out"
    copy_output(small_output, out)
    before = tree(out)
    result = run_cli("--out", str(out), *args)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree(out) == before


def test_bad_config_file_contents_are_reported(run_cli: RunCli, tmp_path: Path) -> None:
    for text, message in (("seed = [1", "not valid TOML"), ("colour = 1", "unknown setting"),
                          ("scale = 'big'", "must be a number"),
                          ("scale = inf", "--scale must be a finite number"),
                          ("scale = nan", "--scale must be a finite number"),
                          ("seed = 9223372036854775808", "--seed must be between"),
                          ("start = 0001-01-01", "must lie within"),
                          ('out = ""', "out in"),
                          ('format = "xml"', "must be one of csv, parquet"),
                          ("format = 1", "format in"),
                          ("[rows]\nwidgets = 3", "unknown table 'widgets'")):
        config = tmp_path / "bad.toml"
        config.write_text(text)
        result = run_cli("--config", str(config), "--out", str(tmp_path / "out"))
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0,
                    reason="root ignores directory permissions; the /proc case below covers "
                           "an unwritable output folder for root")
def test_unwritable_output_folder_is_reported(run_cli: RunCli, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = run_cli("--out", str(locked / "data"))
    assert result.returncode == 2 and "cannot write to output folder" in result.stderr


def test_output_path_that_is_a_file_is_reported(run_cli: RunCli, tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    result = run_cli("--out", str(blocker), "--scale", "0.01")
    assert result.returncode == 2
    assert "cannot write to output folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert blocker.read_text() == "not a folder"


def test_too_little_disk_for_the_estimate_is_refused_before_writing(
        run_cli: RunCli, small_output: Path, tmp_path: Path) -> None:
    # About 5 TB of CSVs (seeds_gen/limits.py): more than this disk has free.
    args = ["--rows", "product=100000", "--rows", "orders=1000000",
            "--rows", "order_item=100000000000"]
    if shutil.disk_usage(tmp_path).free > 20 * 2**40:
        pytest.skip("this disk has more than 20 TB free")
    out = tmp_path / "out"
    copy_output(small_output, out)
    before = tree(out)
    result = run_cli("--out", str(out), *args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "this run needs about" in lines[0] and "TB of disk space" in lines[0]
    assert "is free" in lines[0]
    assert tree(out) == before


def test_unwritable_output_under_proc_is_reported(run_cli: RunCli) -> None:
    # /proc refuses new folders even to root: a real unwritable location on any Linux.
    result = run_cli("--out", "/proc/ecom-synth-data", "--scale", "0.01")
    assert result.returncode == 2 and "cannot write to output folder" in result.stderr
