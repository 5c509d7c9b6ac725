"""Bad input: one line naming the problem and the fix, exit status 2, nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import RunCli

BAD_INPUTS = {
    "unknown option": (["--colour", "red"], "unrecognized arguments"),
    "unknown table": (["--rows", "invoices=5"], "unknown table 'invoices'"),
    "malformed override": (["--rows", "orders"], "expects table=N"),
    "non-numeric count": (["--rows", "orders=many"], "needs a whole number"),
    "zero rows": (["--rows", "product=0"], "product would have 0 rows"),
    "negative rows": (["--rows", "customer=-5"], "customer would have -5 rows"),
    "scale too small": (["--scale", "0.00001"], "customer would have 0 rows"),
    "negative scale": (["--scale", "-1"], "--scale must be greater than 0"),
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
    "zero threads": (["--threads", "0"], "--threads must be at least 1"),
}


@pytest.mark.parametrize("args, message", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_one_clear_line_exit_2_and_writes_nothing(
        run_cli: RunCli, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out"
    result = run_cli(*args, "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_bad_config_file_contents_are_reported(run_cli: RunCli, tmp_path: Path) -> None:
    for text, message in (("seed = [1", "not valid TOML"), ("colour = 1", "unknown setting"),
                          ("scale = 'big'", "must be a number"),
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


def test_unwritable_output_under_proc_is_reported(run_cli: RunCli) -> None:
    # /proc refuses new folders even to root: a real unwritable location on any Linux.
    result = run_cli("--out", "/proc/ecom-synth-data", "--scale", "0.01")
    assert result.returncode == 2 and "cannot write to output folder" in result.stderr
