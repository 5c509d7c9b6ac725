"""Fixtures of the SQL Server compile-only suite.

No SQL Server runs in CI, so this suite proves what can be proven without one: the whole
project parses and compiles for `--target sqlserver` (dbt-sqlserver with its mssql-python
backend) without ever opening a connection, every model and data test compiles to T-SQL, and
the project's SQL Server macros render the statements they should.

`compiled_project` is built once per session: a temp copy of the project with a small
generated dataset (`python -m seeds_gen --scale 0.01`, dbt needs the CSVs to know the seeds),
profiles.yml from profiles.yml.example, and one extra analysis (render_check.sql, written by
the test module) that calls the macros and prints what they return as JSON. The profile
points at 127.0.0.1 port 1, where nothing listens: any attempt to connect fails the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from dbt_harness import copy_project, generate_dataset

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
# Where nothing listens: a connection attempt fails at once instead of passing unnoticed.
CLOSED_PORT = "1"


@dataclass
class DbtRun:
    args: list[str]
    returncode: int
    output: str

    def assert_ok(self) -> DbtRun:
        assert self.returncode == 0, f"dbt {' '.join(self.args)} failed:\n{self.output[-6000:]}"
        return self


@dataclass
class SqlServerProject:
    path: Path
    target_path: Path
    log_path: Path
    env: dict[str, str]

    def dbt(self, *args: str) -> DbtRun:
        command = [
            DBT, *args,
            "--profiles-dir", str(self.path),
            "--target-path", str(self.target_path),
            "--log-path", str(self.log_path),
        ]
        done = subprocess.run(
            command, cwd=self.path, env=self.env, capture_output=True, text=True, check=False,
            timeout=900,
        )
        return DbtRun(list(args), done.returncode, done.stdout + done.stderr)

    @property
    def compiled(self) -> Path:
        return self.target_path / "compiled" / "ecom_synth"


def make_project(
    root: Path,
    analyses: dict[str, str],
    macros: dict[str, str] | None = None,
    server_env: dict[str, str] | None = None,
    dataset_args: tuple[str, ...] = (),
) -> SqlServerProject:
    """A temp copy of the project for the sqlserver target. Without `server_env` the profile
    points where nothing listens; with it, at that server (DBT_MSSQL_* variables).
    `dataset_args` go to the generator (e.g. ("--parts", "2"))."""
    path = root / "project"
    copy_project(path)
    (path / "analyses").mkdir(exist_ok=True)
    for name, text in analyses.items():
        (path / "analyses" / name).write_text(text)
    for name, text in (macros or {}).items():
        (path / "macros" / name).write_text(text)
    generate_dataset(path / "data", *dataset_args, scale=0.01, seed=42)

    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("DBT_", "MSSQL"))
    }
    env.update({
        "DBT_TARGET": "sqlserver",
        "DBT_SCHEMA": f"sqlsrv_{os.getpid()}_{uuid.uuid4().hex[:6]}",
        "DBT_MSSQL_SERVER": "127.0.0.1",
        "DBT_MSSQL_PORT": CLOSED_PORT,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PARTIAL_PARSE": "false",
    })
    env.update(server_env or {})
    return SqlServerProject(path, root / "target", root / "logs", env)
