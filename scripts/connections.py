"""Each server target's connection settings as dbt uses them: profiles.yml.example's output for
the target, rendered by dbt with this process's environment (DBT_PG_HOST, DBT_MYSQL_PORT, ...).

The tests and benchmarks connect to the same servers as the dbt runs they start, so the
defaults live in one place, the profile users copy.
"""

from __future__ import annotations

import functools
import os
from argparse import Namespace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PROFILE_EXAMPLE = REPO / "profiles.yml.example"


@functools.cache
def credentials(target: str) -> Any:
    """dbt's credentials of `target` (duckdb, postgres, mysql, sqlserver)."""
    import yaml  # type: ignore[import-untyped]  # PyYAML, a dbt dependency
    from dbt.config.profile import Profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.flags import get_flags, set_from_args
    from dbt_common.context import set_invocation_context

    if not hasattr(get_flags(), "LOG_CACHE_EVENTS"):  # type: ignore[no-untyped-call]
        set_from_args(Namespace(), None)  # dbt's global flags, as its CLI sets them
    set_invocation_context(os.environ)  # what env_var() reads
    raw = yaml.safe_load(PROFILE_EXAMPLE.read_text(encoding="utf-8"))
    return Profile.from_raw_profiles(raw, "ecom_synth", ProfileRenderer({}),
                                     target_override=target).credentials


def postgres() -> dict[str, Any]:
    """psycopg2.connect() keywords."""
    c = credentials("postgres")
    return {"host": c.host, "port": c.port, "user": c.user, "password": c.password,
            "dbname": c.database}


def mysql() -> dict[str, Any]:
    """pymysql.connect() keywords (host, port, user, password)."""
    c = credentials("mysql")
    return {"host": c.host, "port": c.port, "user": c.user, "password": c.password}


def sqlserver() -> dict[str, Any]:
    """The sqlserver target's server, port, database, login and TLS settings."""
    c = credentials("sqlserver")
    return {"server": c.host, "port": c.port, "database": c.database, "user": c.UID,
            "password": c.PWD, "authentication": c.authentication, "encrypt": c.encrypt,
            "trust_cert": c.trust_cert}
