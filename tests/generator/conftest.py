"""Fixtures for the generator tests: the real CLI, run as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

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
