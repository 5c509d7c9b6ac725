"""Fixtures of the security suite: a throwaway dbt project whose mysql profile points at a port.

The suite needs no database server: the MySQL tests talk to the fake server in fake_mysql.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

DbtRunner = Callable[..., subprocess.CompletedProcess[str]]

SEED_CSV = "id,name\n1,Zoë\n2,Null\n"


@pytest.fixture
def mysql_project(tmp_path: Path) -> tuple[Path, DbtRunner]:
    """(project dir, run(port, *dbt args)): a one-seed project, profile target `mysql`."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "dbt_project.yml").write_text(
        "name: security_check\nversion: '1.0'\nconfig-version: 2\nprofile: security_check\n"
    )
    (tmp_path / "seeds" / "raw_people.csv").write_text(SEED_CSV, encoding="utf-8")

    def run(port: int, *args: str) -> subprocess.CompletedProcess[str]:
        (tmp_path / "profiles.yml").write_text(
            "security_check:\n  target: mysql\n  outputs:\n    mysql:\n"
            "      type: mysql\n      host: 127.0.0.1\n"
            f"      port: {port}\n      user: root\n      password: ''\n"
            "      schema: security_check\n      retries: 0\n      connect_timeout: 5\n"
            "      read_timeout: 30\n      threads: 1\n"
        )
        return subprocess.run(
            [sys.executable, "-m", "dbt.cli.main", *args, "--target", "mysql",
             "--profiles-dir", str(tmp_path), "--project-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=180, check=False, cwd=tmp_path,
            env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        )

    return tmp_path, run
