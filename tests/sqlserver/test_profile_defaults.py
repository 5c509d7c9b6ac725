"""profiles.yml.example sends its local defaults to local servers only.

The SQL Server container password is a documented secret: it goes to 127.0.0.1, localhost or
::1 (or an unset DBT_MSSQL_SERVER) only. For any other server DBT_MSSQL_PASSWORD must be set
and the certificate is verified unless DBT_MSSQL_TRUST_CERT=true. The profile is rendered by
dbt's own profile loader (env_var() with dbt's semantics), with a chosen environment and no
connection opened; a `dbt debug` run checks the error users see.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from argparse import Namespace
from pathlib import Path
from typing import Any

import pytest
from dbt.config.profile import Profile, read_profile
from dbt.config.renderer import ProfileRenderer
from dbt.flags import set_from_args
from dbt_common.context import set_invocation_context
from dbt_common.exceptions import DbtRuntimeError

from .conftest import REPO_ROOT

LOCAL_PASSWORD = "Ecom_synth_2022"
REMOTE = "db.example.invalid"  # .invalid never resolves: nothing can be sent anywhere
CLEAN_ENV = {k: v for k, v in os.environ.items()
             if not k.startswith(("DBT_MSSQL_", "DBT_MYSQL_", "DBT_PG_", "DBT_TARGET"))}


@pytest.fixture(scope="module")
def profiles_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    set_from_args(Namespace(), None)  # dbt's global flags, as the CLI sets them
    path = tmp_path_factory.mktemp("profiles")
    shutil.copy2(REPO_ROOT / "profiles.yml.example", path / "profiles.yml")
    return path


def render(profiles_dir: Path, target: str, **env: str) -> Any:
    """The target's credentials, rendered by dbt with exactly CLEAN_ENV + env."""
    set_invocation_context({**CLEAN_ENV, **env})
    try:
        profile = Profile.from_raw_profiles(
            read_profile(str(profiles_dir)), "ecom_synth", ProfileRenderer({}),
            target_override=target,
        )
    finally:
        set_invocation_context(os.environ)
    return profile.credentials


@pytest.mark.parametrize("server", [None, "127.0.0.1", "localhost", "LOCALHOST", "::1"])
def test_a_local_server_gets_the_container_password_and_trusts_its_certificate(
    profiles_dir: Path, server: str | None,
) -> None:
    env = {} if server is None else {"DBT_MSSQL_SERVER": server}
    creds = render(profiles_dir, "sqlserver", **env)
    assert creds.PWD == LOCAL_PASSWORD
    assert creds.trust_cert is True and creds.encrypt is True


@pytest.mark.parametrize("server", [REMOTE, "10.0.0.5", "shop.database.windows.net"])
def test_a_remote_server_without_the_password_variable_is_refused(
    profiles_dir: Path, server: str,
) -> None:
    with pytest.raises(DbtRuntimeError, match="DBT_MSSQL_PASSWORD"):
        render(profiles_dir, "sqlserver", DBT_MSSQL_SERVER=server)


def test_a_remote_server_gets_the_given_password_and_a_verified_certificate(
    profiles_dir: Path,
) -> None:
    creds = render(profiles_dir, "sqlserver", DBT_MSSQL_SERVER=REMOTE,
                   DBT_MSSQL_PASSWORD="s3cret")
    assert creds.PWD == "s3cret"
    assert creds.trust_cert is False and creds.encrypt is True


def test_a_remote_server_may_be_trusted_by_choice_and_take_an_empty_password(
    profiles_dir: Path,
) -> None:
    # Entra ID authentication wants DBT_MSSQL_PASSWORD= (empty): set, so accepted as is
    creds = render(profiles_dir, "sqlserver", DBT_MSSQL_SERVER=REMOTE, DBT_MSSQL_PASSWORD="",
                   DBT_MSSQL_TRUST_CERT="true")
    assert creds.PWD == "" and creds.trust_cert is True


def test_a_local_server_can_still_have_its_certificate_verified(profiles_dir: Path) -> None:
    creds = render(profiles_dir, "sqlserver", DBT_MSSQL_TRUST_CERT="false")
    assert creds.trust_cert is False


def test_dbt_debug_names_the_missing_password_variable_in_one_line(
    profiles_dir: Path, tmp_path: Path,
) -> None:
    (tmp_path / "dbt_project.yml").write_text(
        "name: profile_check\nversion: '1.0'\nconfig-version: 2\nprofile: ecom_synth\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "dbt.cli.main", "debug", "--target", "sqlserver",
         "--profiles-dir", str(profiles_dir), "--project-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=180, check=False, cwd=tmp_path,
        env={**CLEAN_ENV, "DBT_MSSQL_SERVER": REMOTE, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "Env var required but not provided: 'DBT_MSSQL_PASSWORD'" in output, output[-3000:]
    assert "Traceback" not in output and LOCAL_PASSWORD not in output


def test_mysql_tls_from_the_environment_verifies_by_default(
    profiles_dir: Path, tmp_path: Path,
) -> None:
    plain = render(profiles_dir, "mysql")
    assert plain.ssl_ca is None and plain.tls_required is False
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    creds = render(profiles_dir, "mysql", DBT_MYSQL_HOST=REMOTE, DBT_MYSQL_SSL_CA=str(ca))
    kwargs = creds.connect_kwargs()
    assert kwargs["ssl_ca"] == str(ca) and kwargs["require_tls"] is True
    assert kwargs["ssl_verify_cert"] is True and kwargs["ssl_verify_identity"] is True


def test_postgres_tls_mode_comes_from_the_environment(profiles_dir: Path) -> None:
    assert render(profiles_dir, "postgres").sslmode == "prefer"
    creds = render(profiles_dir, "postgres", DBT_PG_HOST=REMOTE, DBT_PG_SSLMODE="verify-full")
    assert creds.sslmode == "verify-full"
