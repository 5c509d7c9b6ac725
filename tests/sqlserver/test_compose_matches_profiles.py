"""docker-compose.yml starts the servers that profiles.yml.example points at, by default.

Both files read the same environment variables with the same defaults; these tests keep them
in step (ports, users, passwords, database names), check what each service needs for
`dbt build --target <it>` (healthchecks, the SQL Server database created, MySQL's
local_infile), and validate the file with a compose implementation when one is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import REPO_ROOT

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
PROFILES_FILE = REPO_ROOT / "profiles.yml.example"
ENV_DEFAULT = re.compile(r"env_var\('(\w+)',\s*'([^']*)'\)")


def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def profile_output(name: str) -> dict[str, str]:
    """A profile target's fields, each as written or as its env_var() default."""
    outputs = yaml.safe_load(PROFILES_FILE.read_text())["ecom_synth"]["outputs"]
    fields = {}
    for key, value in outputs[name].items():
        found = ENV_DEFAULT.search(str(value))
        fields[key] = found.group(2) if found else str(value)
    return fields


def profile_env_vars(name: str) -> dict[str, str]:
    """Each variable's first env_var() default: the local one (a value may name a variable
    twice, with the local default first and a remote one after it)."""
    outputs = yaml.safe_load(PROFILES_FILE.read_text())["ecom_synth"]["outputs"]
    pairs: dict[str, str] = {}
    for value in outputs[name].values():
        for variable, default in ENV_DEFAULT.findall(str(value)):
            pairs.setdefault(variable, default)
    return pairs


def substituted(value: str) -> str:
    """A compose value with ${VAR:-default} replaced by its default."""
    return re.sub(r"\$\{(\w+):-([^}]*)\}", r"\2", value)


def compose_env_defaults() -> dict[str, str]:
    return dict(re.findall(r"\$\{(\w+):-([^}]*)\}", COMPOSE_FILE.read_text()))


def published_port(service: dict, container_port: int) -> int:
    for mapping in service["ports"]:
        parts = substituted(mapping).split(":")
        if int(parts[-1]) == container_port:
            return int(parts[-2])
    raise AssertionError(f"container port {container_port} is not published")


def test_every_server_target_has_a_service() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "mysql", "sqlserver"}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        assert all(substituted(p).startswith("127.0.0.1:") for p in service["ports"]), name


def test_compose_and_profiles_read_the_same_variables_with_the_same_defaults() -> None:
    in_compose = compose_env_defaults()
    in_profiles = {}
    for target in ("postgres", "mysql", "sqlserver"):
        in_profiles.update(profile_env_vars(target))
    shared = set(in_compose) & set(in_profiles)
    assert {"DBT_PG_PORT", "DBT_MYSQL_PORT", "DBT_MSSQL_PORT", "DBT_MSSQL_PASSWORD",
            "DBT_MSSQL_DATABASE"} <= shared
    assert {k: in_compose[k] for k in shared} == {k: in_profiles[k] for k in shared}


def test_postgres_service_matches_the_profile() -> None:
    service = compose()["services"]["postgres"]
    profile = profile_output("postgres")
    assert service["image"].startswith("postgres:15")
    assert published_port(service, 5432) == int(profile["port"])
    env = {k: substituted(str(v)) for k, v in service["environment"].items()}
    assert env["POSTGRES_USER"] == profile["user"]
    assert env["POSTGRES_DB"] == profile["dbname"]
    assert profile["password"] == "" and env["POSTGRES_HOST_AUTH_METHOD"] == "trust"


def test_mysql_service_matches_the_profile() -> None:
    service = compose()["services"]["mysql"]
    profile = profile_output("mysql")
    assert profile["type"] == "mysql"
    assert service["image"].startswith("mysql:8")
    assert published_port(service, 3306) == int(profile["port"]) == 3306
    assert profile["host"] == "127.0.0.1" and profile["user"] == "root"
    assert profile["password"] == ""
    assert service["environment"]["MYSQL_ALLOW_EMPTY_PASSWORD"] == "yes"
    assert "--local-infile=1" in service["command"]  # fast seeds: LOAD DATA LOCAL INFILE


def test_sqlserver_service_matches_the_profile() -> None:
    service = compose()["services"]["sqlserver"]
    profile = profile_output("sqlserver")
    assert profile["type"] == "sqlserver" and profile["backend"] == "mssql-python"
    assert service["image"].startswith("mcr.microsoft.com/mssql/server:2022")
    assert published_port(service, 1433) == int(profile["port"]) == 1433
    env = {k: substituted(str(v)) for k, v in service["environment"].items()}
    assert env["ACCEPT_EULA"] == "Y"
    assert profile["user"] == "sa"
    assert env["MSSQL_SA_PASSWORD"] == profile["password"]
    # SQL Server refuses a weak SA password: 8+ characters from three of four classes
    password = env["MSSQL_SA_PASSWORD"]
    classes = [r"[A-Z]", r"[a-z]", r"\d", r"[^A-Za-z\d]"]
    assert len(password) >= 8 and sum(bool(re.search(c, password)) for c in classes) >= 3
    # dbt does not create databases: the healthcheck creates the profile's one
    assert env["ECOM_SYNTH_DATABASE"] == profile["database"]
    check = " ".join(service["healthcheck"]["test"])
    assert "create database" in check and "ECOM_SYNTH_DATABASE" in check
    assert "-C" in check.split()  # the container's self-signed certificate, as trust_cert


def test_sqlserver_profile_encrypts_and_trusts_only_by_choice() -> None:
    text = PROFILES_FILE.read_text()
    assert "DBT_MSSQL_ENCRYPT', 'true'" in text
    assert "DBT_MSSQL_TRUST_CERT', 'true'" in text


def compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_compose_file_is_valid(tmp_path: Path) -> None:
    command = compose_command()
    if command is None:
        pytest.skip("no compose implementation installed (docker compose or docker-compose)")
    done = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "config", "-q"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("service", ["postgres", "sqlserver"])
def test_servers_see_the_dataset_read_only_at_data(service: str) -> None:
    """docker-compose mounts ./data at /data, the path that sqlserver_data_path (and
    postgres_data_path) name for server-side loads."""
    assert "./data:/data:ro" in compose()["services"][service]["volumes"]
