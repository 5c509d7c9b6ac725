"""scripts/db_targets.py: the tests' and benchmarks' connection settings are the profile's, as dbt
renders them, and each target's differences live in its class."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.db_targets import DuckDBTarget, MySQLTarget, SqlServerTarget, Target

REPO = Path(__file__).resolve().parents[2]


def _settings(target: str, **env: str) -> subprocess.CompletedProcess[str]:
    """db_targets.<target>() in a fresh process with only `env` among the DBT_ variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "MSSQL"))}
    code = f"import json; from scripts import db_targets; print(json.dumps(db_targets.{target}()))"
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**clean, **env},
                          capture_output=True, text=True, check=False, timeout=120)


def test_the_settings_are_the_example_profile_defaults_and_follow_its_variables() -> None:
    done = _settings("postgres")
    assert json.loads(done.stdout) == {"host": "127.0.0.1", "port": 5432, "user": "postgres",
                                       "password": "", "dbname": "test"}
    done = _settings("mysql", DBT_MYSQL_HOST="db.internal", DBT_MYSQL_PORT="3307")
    assert json.loads(done.stdout) == {"host": "db.internal", "port": 3307, "user": "root",
                                       "password": ""}


def test_the_container_password_goes_to_a_local_sql_server_only() -> None:
    local = json.loads(_settings("sqlserver").stdout)
    assert local["server"] == "127.0.0.1" and local["password"]
    remote = _settings("sqlserver", DBT_MSSQL_SERVER="db.example.com")
    assert remote.returncode != 0 and "DBT_MSSQL_PASSWORD" in remote.stderr
    given = json.loads(_settings("sqlserver", DBT_MSSQL_SERVER="db.example.com",
                                 DBT_MSSQL_PASSWORD="theirs").stdout)
    assert given["password"] == "theirs" and given["trust_cert"] is False


@pytest.mark.parametrize(("name", "cls", "quoted", "limited"), [
    ("duckdb", DuckDBTarget, '"a b"', "select x from t limit 5"),
    ("mysql", MySQLTarget, "`a b`", "select x from t limit 5"),
    ("sqlserver", SqlServerTarget, "[a b]", "select top 5 x from t"),
])
def test_a_target_is_its_database_class(name: str, cls: type, quoted: str, limited: str) -> None:
    target = Target(name, "s", Path("s.duckdb") if name == "duckdb" else None)
    assert type(target) is cls
    assert target.quote("a b") == quoted and target.limit("select x from t", 5) == limited
