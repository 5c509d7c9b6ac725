"""Shared pytest setup: dbt's adapter-test fixtures, pointed at the local MariaDB/MySQL.

Connection settings come from the environment (defaults: 127.0.0.1:3306, root, no password).
Each test class gets its own database (dbt's `unique_schema`, prefixed test<timestamp>...),
created and dropped by the dbt.tests fixtures.
"""

import os

import pytest

pytest_plugins = ["dbt.tests.fixtures.project"]


def mysql_target() -> dict:
    return {
        "type": "mysql",
        "host": os.getenv("MYSQL_TEST_HOST", "127.0.0.1"),
        "port": int(os.getenv("MYSQL_TEST_PORT", "3306")),
        "user": os.getenv("MYSQL_TEST_USER", "root"),
        "password": os.getenv("MYSQL_TEST_PASSWORD", ""),
        "threads": 1,
    }


@pytest.fixture(scope="class")
def dbt_profile_target():
    return mysql_target()


def mysql_server():
    """A plain PyMySQL connection to the test server (for checks beside dbt)."""
    import pymysql

    t = mysql_target()
    return pymysql.connect(host=t["host"], port=t["port"], user=t["user"], password=t["password"])


def drop_database(name: str) -> None:
    conn = mysql_server()
    try:
        with conn.cursor() as cur:
            cur.execute(f"drop database if exists `{name}`")
    finally:
        conn.close()


def dbt_runner(project_dir, profile: str, schema: str, connect_timeout: int = 5):
    """run(args, **profile_overrides): dbt in a subprocess on `project_dir`, with a profile
    `profile` that points at the test server and builds into database `schema`."""
    import subprocess
    import sys

    def run(args, **overrides):
        target = mysql_target()
        target.update({"schema": schema, "retries": 0, "connect_timeout": connect_timeout})
        target.update(overrides)
        lines = "\n".join(f"      {k}: {v!r}" for k, v in target.items())
        (project_dir / "profiles.yml").write_text(
            f"{profile}:\n  target: dev\n  outputs:\n    dev:\n{lines}\n"
        )
        return subprocess.run(
            [sys.executable, "-m", "dbt.cli.main", *args, "--profiles-dir", str(project_dir),
             "--project-dir", str(project_dir)],
            capture_output=True, text=True, timeout=300,
            env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        )

    return run
