"""Fault injection on real generator processes: concurrent runs, SIGTERM and SIGKILL at every
step of writing and publishing, a full disk, an old-layout folder being migrated.

After every fault the dataset a reader sees at <out> is whole (it matches its own manifest) and
is exactly the previous dataset or exactly the new one; a later run leaves no temporary folder.
The exact steps are reached through the test-only ECOM_SYNTH_FAULT hook (seeds_gen/faults.py).
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from seeds_gen.faults import POINTS
from seeds_gen.runs import RUNS_DIR

from .conftest import SMALL, RunCli, start_cli, wait_for_fault
from .dataset_state import (
    assert_whole_dataset,
    copy_output,
    leftovers,
    run_folders,
    tree,
    visible,
    write_old_layout,
)

# Points every run passes (after_legacy_adopted only on an old-layout folder).
RUN_POINTS = [p for p in POINTS if p != "after_legacy_adopted"]
PUBLISHED_AT = POINTS.index("after_switch")


@pytest.fixture
def out(small_output: Path, tmp_path: Path) -> Path:
    """An output folder holding a published dataset (seed 1) to be replaced by seed 2."""
    target = tmp_path / "out"
    copy_output(small_output, target)
    return target


def _new_run(out: Path, fault: str | None = None) -> subprocess.Popen[str]:
    return start_cli("--out", str(out), *SMALL, "--seed", "2", "--quiet", fault=fault)


def _finish(proc: subprocess.Popen[str], timeout: float = 60) -> tuple[int, str]:
    _, stderr = proc.communicate(timeout=timeout)
    return proc.returncode, stderr


def _terminate(proc: subprocess.Popen[str]) -> tuple[int, str, float]:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    code, stderr = _finish(proc)
    return code, stderr, time.monotonic() - started


def _assert_clean_after_next_run(run_cli: RunCli, out: Path) -> None:
    result = run_cli("--out", str(out), *SMALL, "--seed", "3", "--quiet")
    assert result.returncode == 0, result.stderr
    assert_whole_dataset(out)
    assert leftovers(out) == []
    assert len(run_folders(out)) <= 2  # the current run and the previous one


@pytest.mark.parametrize("point", RUN_POINTS)
def test_sigterm_at_each_step_is_honoured_at_once_and_the_message_is_true(
        run_cli: RunCli, out: Path, point: str) -> None:
    before = visible(out)
    proc = _new_run(out, fault=point)
    wait_for_fault(proc, point)
    code, stderr, seconds = _terminate(proc)
    assert code == 130, stderr
    assert seconds < 1.0, f"SIGTERM took {seconds:.2f} s"
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    now = assert_whole_dataset(out)
    if POINTS.index(point) >= PUBLISHED_AT:
        assert now != before and "new dataset had already been published" in lines[0]
    else:
        assert now == before and "the previous dataset was left unchanged" in lines[0]
    # An interrupted run cleans up after itself, before any later run.
    assert leftovers(out) == []
    assert len(run_folders(out)) <= 2
    _assert_clean_after_next_run(run_cli, out)


@pytest.mark.parametrize("point", RUN_POINTS)
def test_sigkill_at_each_step_leaves_the_previous_or_the_new_dataset_whole(
        run_cli: RunCli, out: Path, point: str) -> None:
    before = visible(out)
    proc = _new_run(out, fault=point)
    wait_for_fault(proc, point)
    proc.kill()
    proc.communicate(timeout=30)
    now = assert_whole_dataset(out)
    assert now == before if POINTS.index(point) < PUBLISHED_AT else now != before
    _assert_clean_after_next_run(run_cli, out)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_signals_at_random_moments_never_leave_a_mixed_dataset(
        run_cli: RunCli, out: Path, sig: signal.Signals) -> None:
    rng = random.Random(8 + sig)
    previous = visible(out)
    for _ in range(5):
        proc = _new_run(out)
        time.sleep(rng.uniform(0.0, 0.9))  # a small run takes about 0.6 s here
        proc.send_signal(sig)
        code, stderr = _finish(proc)
        now = assert_whole_dataset(out)
        assert now == previous or (now["manifest.json"] != previous["manifest.json"]
                                   and b'"seed": 2' in now["manifest.json"])
        if sig == signal.SIGTERM and code == 130:
            published = now != previous
            assert ("already been published" in stderr) == published, stderr
            assert ("previous dataset was left unchanged" in stderr) == (not published), stderr
        if sig == signal.SIGTERM:
            assert leftovers(out) == []
        previous = now
    _assert_clean_after_next_run(run_cli, out)


def test_a_second_concurrent_run_fails_at_once_naming_the_first(
        run_cli: RunCli, out: Path) -> None:
    first = _new_run(out, fault="locked")
    try:
        wait_for_fault(first, "locked")
        before = tree(out)
        started = time.monotonic()
        second = run_cli("--out", str(out), *SMALL, "--seed", "5", timeout=30)
        assert time.monotonic() - started < 10
        assert second.returncode == 2
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1, second.stderr
        assert f"another seeds_gen run (pid {first.pid}) is writing to {out}" in lines[0]
        assert tree(out) == before  # the second run wrote nothing
    finally:
        first.send_signal(signal.SIGUSR1)  # let the first run go on
    code, stderr = _finish(first)
    assert code == 0, stderr
    assert b'"seed": 2' in assert_whole_dataset(out)["manifest.json"]


def test_racing_runs_publish_exactly_one_whole_dataset_each_time(out: Path) -> None:
    for attempt in range(3):
        seeds = [str(10 * attempt + k) for k in range(3)]
        procs = [start_cli("--out", str(out), *SMALL, "--seed", seed, "--quiet")
                 for seed in seeds]
        results = [_finish(proc) for proc in procs]
        winners = [seed for seed, (code, _) in zip(seeds, results, strict=True) if code == 0]
        for code, stderr in results:
            assert code in (0, 2), stderr
            if code == 2:
                assert len(stderr.strip().splitlines()) == 1
                assert "another seeds_gen run" in stderr
        assert winners, results
        manifest = assert_whole_dataset(out)["manifest.json"]
        assert any(f'"seed": {seed},'.encode() in manifest for seed in winners)
        assert leftovers(out) == []


def test_an_old_layout_folder_is_migrated_without_a_moment_of_mixed_or_missing_files(
        run_cli: RunCli, small_output: Path, tmp_path: Path) -> None:
    for point in ("after_legacy_adopted", "before_switch"):
        out = tmp_path / point
        old = write_old_layout(visible(small_output), out)
        proc = _new_run(out, fault=point)
        wait_for_fault(proc, point)
        proc.kill()
        proc.communicate(timeout=30)
        # Killed mid-migration: the same old bytes under every name, some maybe still real files.
        assert visible(out) == old
        assert_whole_dataset(out, linked=point != "after_legacy_adopted")
        # The next run finishes the migration: real files became links, and the old dataset
        # is the kept previous run.
        result = run_cli("--out", str(out), *SMALL, "--seed", "2", "--quiet")
        assert result.returncode == 0, result.stderr
        assert all((out / name).is_symlink() for name in old)
        assert assert_whole_dataset(out) != old
        assert any(visible(out / RUNS_DIR / run) == old for run in run_folders(out))
        assert leftovers(out) == []
        _assert_clean_after_next_run(run_cli, out)


# --- a full disk: a small tmpfs mounted for the test ---------------------------------------------

@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'not permitted'})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(disk: Path, room: int = 0) -> Path:
    """Write a file until the disk is full (big blocks, then the last partial page), then give
    back `room` bytes."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (65536, 512):
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - room))
    return filler


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@needs_root
def test_too_little_free_disk_is_refused_before_writing(run_cli: RunCli, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "disk", "1m") as disk:
        out = disk / "data"
        result = run_cli("--out", str(out), *SMALL)
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "needs about" in lines[0] and "is free" in lines[0]
        assert not out.exists()


# (point, bytes left free): with 800 KB left, the order calendar's scratch file (~600 KB, removed
# once loaded) fits and DuckDB's COPY of a CSV is what fails; with none, a Python write does.
DISK_FULL_CASES = {
    "csv written by duckdb": ("before_write", 800_000),
    "reference handover": ("before_write", 0),
    "row-count file": ("before_row_counts", 0),
    "manifest": ("before_manifest", 0),
    "run-folder rename": ("before_run_rename", 0),
    "current switch": ("before_switch", 0),
}


@needs_root
@pytest.mark.parametrize("point, room", DISK_FULL_CASES.values(), ids=DISK_FULL_CASES.keys())
def test_a_disk_that_fills_up_mid_run_leaves_the_previous_dataset(
        run_cli: RunCli, small_output: Path, tmp_path: Path, point: str, room: int) -> None:
    # Room for three runs once the filler is gone: the next run writes beside the current and
    # the kept previous one (a 4 MB disk made that run fail now and then).
    with _tmpfs(tmp_path / "disk", "8m") as disk:
        out = disk / "data"
        copy_output(small_output, out)
        before = visible(out)
        proc = _new_run(out, fault=point)
        wait_for_fault(proc, point)
        filler = _fill(disk, room)
        proc.send_signal(signal.SIGUSR1)
        code, stderr = _finish(proc)
        lines = stderr.strip().splitlines()
        assert "Traceback" not in stderr and len(lines) <= 1, stderr
        now = assert_whole_dataset(out)
        if code == 0:  # renames and short links may need no new blocks (tmpfs)
            assert point in ("before_run_rename", "before_switch") and now != before
        else:
            assert code == 1, stderr
            assert lines[0].startswith("seeds_gen: error: writing the dataset failed")
            assert "the previous dataset was left unchanged" in lines[0]
            if room:
                assert "IO Error: Could not write file" in lines[0]  # DuckDB's own write
            assert now == before
        assert leftovers(out) == []
        filler.unlink()
        _assert_clean_after_next_run(run_cli, out)


@needs_root
def test_a_disk_that_fills_up_while_a_part_is_made_leaves_the_earlier_part_whole(
        run_cli: RunCli, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "disk", "4m") as disk:
        out = disk / "data"
        args = ("--out", str(out), *SMALL, "--parts", "2", "--part", "1", "--quiet")
        assert run_cli(*args, "--seed", "1").returncode == 0
        part = out / "parts-of-2" / "part-00001"
        before = {p.name: p.read_bytes() for p in part.iterdir()}
        proc = start_cli(*args, "--seed", "2", fault="before_write")
        wait_for_fault(proc, "before_write")
        filler = _fill(disk)
        proc.send_signal(signal.SIGUSR1)
        code, stderr = _finish(proc)
        lines = stderr.strip().splitlines()
        assert code == 1 and len(lines) == 1 and "Traceback" not in stderr, stderr
        assert lines[0].startswith("seeds_gen: error: writing the dataset failed")
        assert "was not published" in lines[0]
        assert {p.name: p.read_bytes() for p in part.iterdir()} == before
        assert sorted(p.name for p in part.parent.iterdir()) == [".lock-part-00001", part.name]
        filler.unlink()
