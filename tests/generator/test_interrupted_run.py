"""An interrupted run stops within a second in every phase, leaves the previous dataset whole
and no staging or spill folder behind."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from seeds_gen.runs import RUNS_DIR

from .conftest import RunCli, start_cli
from .dataset_state import assert_whole_dataset, copy_output, leftovers, run_folders, visible

# (phase, options, seconds after start): DuckDB building the catalogue (a million products take
# a few seconds), DuckDB building the order tables, and DuckDB writing the CSVs.
PHASES = {
    "duckdb catalogue": (["--rows", "product=1000000", "--scale", "0.02"], 1.5),
    "duckdb order stage": (["--scale", "5"], 1.2),
    "duckdb writing csvs": (["--scale", "5"], 3.0),
}


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("options, delay", PHASES.values(), ids=PHASES.keys())
def test_first_signal_is_honoured_within_a_second_in_every_phase(
        small_output: Path, tmp_path: Path, options: list[str], delay: float,
        sig: signal.Signals) -> None:
    out = tmp_path / "out"
    copy_output(small_output, out)
    before = visible(out)
    proc = start_cli("--out", str(out), "--seed", "9", "--quiet", *options)
    time.sleep(delay)
    assert proc.poll() is None, "the run ended before the signal; lengthen it"
    sent = time.monotonic()
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    seconds = time.monotonic() - sent
    assert proc.returncode == 130, stderr
    assert seconds < 1.0, f"took {seconds:.2f} s to stop"
    assert stderr.strip() == "seeds_gen: interrupted; the previous dataset was left unchanged"
    assert assert_whole_dataset(out) == before
    assert leftovers(out) == []  # no staging folder, so no spill folder either
    assert run_folders(out) == run_folders(small_output)


def test_killed_run_leftovers_are_cleaned_by_the_next_run(
        run_cli: RunCli, tmp_path: Path) -> None:
    stale_run = tmp_path / RUNS_DIR / ".tmp-999999999-abc"
    (stale_run / "spill").mkdir(parents=True)
    (stale_run / "raw_orders.csv").write_text("half,written")
    old_staging = tmp_path / ".tmp-seeds-999999999-abc"  # the earlier layout's staging folder
    old_staging.mkdir()
    (tmp_path / ".current.tmp-999999999").symlink_to(".runs/gone")
    assert run_cli("--out", str(tmp_path), "--scale", "0.01", "--quiet").returncode == 0
    assert leftovers(tmp_path) == []
    assert_whole_dataset(tmp_path)
