"""Fixtures for the generator tests: the real CLI, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from seeds_gen.faults import FAULT_ENV

REPO = Path(__file__).resolve().parents[2]

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seeds_gen", *args],
        cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.fixture(scope="session")
def run_cli() -> RunCli:
    return _run


@pytest.fixture(scope="session")
def default_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m seeds_gen` with no options but --out: the default volumes of DATA_SPEC.md."""
    out = tmp_path_factory.mktemp("default")
    result = _run("--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    return out


SMALL = ("--scale", "0.02")


def start_cli(*args: str, fault: str | None = None) -> subprocess.Popen[str]:
    """The real CLI as a background process; `fault` pauses it at a named point
    (seeds_gen/faults.py), which it announces with one line on stderr."""
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    if fault:
        env[FAULT_ENV] = fault
    return subprocess.Popen([sys.executable, "-m", "seeds_gen", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_fault(proc: subprocess.Popen[str], point: str, timeout: float = 60) -> None:
    """Block until `proc` reports it is paused at `point` (fails if it exits first)."""
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            raise AssertionError(f"exited with {proc.wait()} before fault point {point}")
        if f"test fault point {point} reached" in line:
            return
    raise AssertionError(f"fault point {point} not reached in {timeout} s")


@pytest.fixture(scope="session")
def small_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published small dataset (seed 1); tests copy it (dataset_state.copy_output)."""
    out = tmp_path_factory.mktemp("small") / "out"
    result = _run("--out", str(out), *SMALL, "--seed", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    return out
