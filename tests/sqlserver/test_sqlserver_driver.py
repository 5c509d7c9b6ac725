"""The SQL Server driver stack loads here and reaches the network, with no system package.

dbt-sqlserver's mssql-python backend bundles its native drivers. Its default one (ODBC Driver
18) needs libltdl.so.7 from the system; the bundled Rust driver (`mssql-odbc`, selected with
MSSQL_PYTHON_NATIVE_PROVIDER) needs nothing. `dbt debug --connection` with the project's
profile, pointed at a port where nothing listens, must then fail at the TCP connect ("connection
refused"), not while loading the driver or reading the profile: everything up to the server
works on this machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

from .conftest import CLOSED_PORT, DBT, REPO_ROOT


def test_profile_and_driver_get_as_far_as_the_tcp_connect(tmp_path: Path) -> None:
    shutil.copy2(REPO_ROOT / "dbt_project.yml", tmp_path / "dbt_project.yml")
    # the example profile as is, but one connection attempt instead of the default four
    profiles = yaml.safe_load((REPO_ROOT / "profiles.yml.example").read_text())
    profiles["ecom_synth"]["outputs"]["sqlserver"].update({"retries": 0, "login_timeout": 5})
    (tmp_path / "profiles.yml").write_text(yaml.safe_dump(profiles))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "MSSQL"))}
    env.update({
        "DBT_TARGET": "sqlserver",
        "DBT_MSSQL_SERVER": "127.0.0.1",
        "DBT_MSSQL_PORT": CLOSED_PORT,
        "MSSQL_PYTHON_NATIVE_PROVIDER": "mssql-odbc",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    })
    done = subprocess.run(
        [DBT, "debug", "--connection", "--profiles-dir", str(tmp_path),
         "--project-dir", str(tmp_path), "--log-path", str(tmp_path / "logs")],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0, output  # nothing listens there
    assert "Failed to load the driver" not in output, output
    assert "Connection refused" in output or "os error 111" in output, output[-3000:]
