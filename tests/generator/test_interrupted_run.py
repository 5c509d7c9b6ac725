"""An interrupted run leaves the previous dataset whole and no staging files behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from seeds_gen.schema import MANIFEST_FILE

from .conftest import REPO, RunCli


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_interrupt_keeps_the_previous_dataset(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("--out", str(tmp_path), "--scale", "0.02", "--quiet").returncode == 0
    before = _snapshot(tmp_path)
    assert MANIFEST_FILE in before
    for sig in (signal.SIGINT, signal.SIGTERM):
        proc = subprocess.Popen(
            [sys.executable, "-m", "seeds_gen", "--out", str(tmp_path), "--scale", "20",
             "--seed", "9"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Wait until the run is under way (its staging folder exists), then stop it.
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".tmp-seeds-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 130, stderr
        assert "previous dataset was left unchanged" in stderr
        assert _snapshot(tmp_path) == before
        assert not list(tmp_path.glob(".tmp-seeds-*"))


def test_killed_run_leftovers_are_cleaned_by_the_next_run(
        run_cli: RunCli, tmp_path: Path) -> None:
    stale = tmp_path / ".tmp-seeds-999999999-abc"
    stale.mkdir(parents=True)
    (stale / "raw_orders.csv").write_text("half,written")
    assert run_cli("--out", str(tmp_path), "--scale", "0.01", "--quiet").returncode == 0
    assert not stale.exists()
