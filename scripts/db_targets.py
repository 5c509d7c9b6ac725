"""The databases the tests and benchmarks talk to, one class per target.

Each server target's connection settings are dbt's: profiles.yml.example's output for the
target, rendered by dbt with this process's environment (DBT_PG_HOST, DBT_MYSQL_PORT, ...), so
the tests and benchmarks connect to the same servers as the dbt runs they start, and the
defaults live in one place, the profile users copy. `Target(name, schema)` is one isolated
namespace on a target (a DuckDB file, a schema, a MySQL database); what differs between
databases lives in its class.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import os
import secrets
import socket
from argparse import Namespace
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

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


# The servers of profiles.yml.example's targets, as dbt renders them with this environment.
PG_SETTINGS = postgres()
MYSQL_SETTINGS = mysql()


def mssql_native_provider() -> dict[str, str]:
    """mssql-python's default driver (bundled ODBC 18) needs libltdl.so.7; without it, its
    bundled Rust driver (`mssql-odbc`), which needs nothing. A value already set is kept."""
    if "MSSQL_PYTHON_NATIVE_PROVIDER" in os.environ:
        return {"MSSQL_PYTHON_NATIVE_PROVIDER": os.environ["MSSQL_PYTHON_NATIVE_PROVIDER"]}
    if ctypes.util.find_library("ltdl") is None:
        return {"MSSQL_PYTHON_NATIVE_PROVIDER": "mssql-odbc"}
    return {}


# --------------------------------------------------------------------------------------------
# Targets: connection settings for one database namespace
# --------------------------------------------------------------------------------------------


TARGET_NAMES = ("duckdb", "postgres", "mysql", "sqlserver")


@dataclass(frozen=True)
class Target:
    """One isolated place to build into: a DuckDB file, a PostgreSQL or SQL Server schema, or a
    MySQL database (in MySQL a schema is a database; dbt's `schema` names it).

    `Target(name, schema)` gives the class of that target (DuckDBTarget, ...); what differs
    between databases lives in those classes, not in branches on the name."""

    name: str  # dbt target name: duckdb | postgres | mysql | sqlserver
    schema: str
    duckdb_path: Path | None = None
    # The driver's parameter marker.
    placeholder: ClassVar[str] = "%s"

    def __new__(cls, name: str, *args: Any, **kwargs: Any) -> Target:
        if cls is Target:
            cls = _TARGET_CLASSES.get(name, Target)
        return object.__new__(cls)

    @property
    def env(self) -> dict[str, str]:
        return {"DBT_TARGET": self.name, "DBT_SCHEMA": self.schema}

    @property
    def schemas(self) -> tuple[str, str]:
        """The typed tables' schema and the raw seeds' schema (`+schema: raw`)."""
        return self.schema, f"{self.schema}_raw"

    def derive(self, suffix: str, workdir: Path) -> Target:
        """A fresh, empty namespace next to this one (own file, or own schema)."""
        return Target(self.name, f"{self.schema}_{suffix}")

    @contextlib.contextmanager
    def connect(self) -> Iterator[Any]:
        """A DB-API connection in autocommit mode (each refused insert stands alone)."""
        con = self._connection()
        try:
            yield con
        finally:
            con.close()

    def _connection(self) -> Any:
        raise ValueError(f"unknown target {self.name!r}; expected one of {TARGET_NAMES}")

    def quote(self, identifier: str) -> str:
        """An identifier quoted the target's way."""
        return '"' + identifier.replace('"', '""') + '"'

    def relation(self, table: str, schema: str | None = None) -> str:
        """`schema.table`, both quoted; the typed tables' schema unless another is given."""
        return f"{self.quote(schema or self.schema)}.{self.quote(table)}"

    def limit(self, select: str, rows: int) -> str:
        """A `select ...` (with its `order by`) cut to its first rows."""
        return f"{select} limit {rows}"

    def foreign_keys_sql(self) -> str:
        """(table, column, referenced table, referenced column) of the typed schema's keys."""
        return f"""
            select table_name, column_name,
                concat(referenced_table_schema, '.', referenced_table_name),
                referenced_column_name
            from information_schema.key_column_usage
            where table_schema = '{self.schema}' and referenced_table_name is not null"""

    def schemas_like_sql(self, like: str) -> str:
        """The names of the schemas LIKE `like` (escaped with a backslash)."""
        return ("select schema_name from information_schema.schemata "
                f"where schema_name like '{like}'")


class DuckDBTarget(Target):
    placeholder = "?"

    @property
    def env(self) -> dict[str, str]:
        if self.duckdb_path is None:  # the profile's default file
            return super().env
        return {**super().env, "DBT_DUCKDB_PATH": str(self.duckdb_path)}

    def derive(self, suffix: str, workdir: Path) -> Target:
        return Target(self.name, self.schema, workdir / f"{suffix}.duckdb")

    def _connection(self) -> Any:
        import duckdb

        assert self.duckdb_path is not None
        return duckdb.connect(str(self.duckdb_path))

    def foreign_keys_sql(self) -> str:
        return (
            "select table_name, array_to_string(constraint_column_names, ','), referenced_table, "
            "array_to_string(referenced_column_names, ',') from duckdb_constraints() "
            f"where constraint_type = 'FOREIGN KEY' and schema_name = '{self.schema}'"
        )

    def schemas_like_sql(self, like: str) -> str:
        return (f"select schema_name from duckdb_schemas() where schema_name like '{like}' "
                "escape '\\'")


class PostgresTarget(Target):
    def _connection(self) -> Any:
        import psycopg2  # type: ignore[import-untyped, unused-ignore]

        con = psycopg2.connect(connect_timeout=5, **PG_SETTINGS)
        con.autocommit = True
        return con

    def foreign_keys_sql(self) -> str:
        return f"""
            select c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, r.attname
            from pg_constraint as c
            join pg_attribute as a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
            join pg_attribute as r on r.attrelid = c.confrelid and r.attnum = c.confkey[1]
            where c.contype = 'f' and c.connamespace = '{self.schema}'::regnamespace"""

    def schemas_like_sql(self, like: str) -> str:
        return f"select nspname from pg_namespace where nspname like '{like}' escape '\\'"


class MySQLTarget(Target):
    def _connection(self) -> Any:
        return mysql_connect()

    def quote(self, identifier: str) -> str:
        return "`" + identifier.replace("`", "``") + "`"


class SqlServerTarget(Target):
    placeholder = "?"

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, **mssql_native_provider()}

    def _connection(self) -> Any:
        return sqlserver_connect()

    def quote(self, identifier: str) -> str:
        return "[" + identifier.replace("]", "]]") + "]"

    def limit(self, select: str, rows: int) -> str:
        head, rest = select.lstrip().split(None, 1)
        assert head.lower() == "select", select
        return f"select top {rows} {rest}"


_TARGET_CLASSES: dict[str, type[Target]] = {
    "duckdb": DuckDBTarget, "postgres": PostgresTarget, "mysql": MySQLTarget,
    "sqlserver": SqlServerTarget,
}


def new_schema_name(prefix: str = "it") -> str:
    """A schema name no other session uses: prefix, process id and random hex."""
    return f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"


def postgres_unreachable_reason() -> str | None:
    """None when the PostgreSQL server answers, else why not (for a skip message)."""
    try:
        import psycopg2  # type: ignore[import-untyped, unused-ignore]

        con = psycopg2.connect(connect_timeout=3, **PG_SETTINGS)
        con.close()
    except Exception as exc:
        settings = {k: v for k, v in PG_SETTINGS.items() if k != "password"}
        return f"PostgreSQL not reachable with {settings}: {exc}".strip()
    return None


def drop_postgres_schemas(like_prefix: str) -> None:
    """Drop every schema whose name starts with the prefix (this session's only)."""
    import psycopg2  # type: ignore[import-untyped, unused-ignore]

    con = psycopg2.connect(connect_timeout=5, **PG_SETTINGS)
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(
                "select schema_name from information_schema.schemata where schema_name like %s",
                (_like_prefix(like_prefix),),
            )
            for (schema,) in cur.fetchall():
                cur.execute(f'drop schema if exists "{schema}" cascade')
    finally:
        con.close()


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern for names starting with the prefix (`_` is a wildcard in LIKE)."""
    return prefix.replace("\\", "\\\\").replace("_", r"\_").replace("%", r"\%") + "%"


def mysql_connect(connect_timeout: int = 5) -> Any:
    """A PyMySQL connection to the server (no default database), autocommit, utf8mb4."""
    import pymysql  # type: ignore[import-untyped, unused-ignore]

    return pymysql.connect(
        **MYSQL_SETTINGS,
        charset="utf8mb4",
        autocommit=True,
        connect_timeout=connect_timeout,
    )


def mysql_unreachable_reason() -> str | None:
    """None when the MySQL/MariaDB server answers, else why not (for a skip message)."""
    try:
        con = mysql_connect(connect_timeout=3)
        con.close()
    except Exception as exc:
        settings = {k: v for k, v in MYSQL_SETTINGS.items() if k != "password"}
        return f"MySQL/MariaDB not reachable with {settings}: {exc}".strip()
    return None


def drop_mysql_schemas(like_prefix: str) -> None:
    """Drop every MySQL database whose name starts with the prefix (this session's only)."""
    con = mysql_connect()
    try:
        with con.cursor() as cur:
            # tables of one session reference each other: drop in any order
            cur.execute("set session foreign_key_checks = 0")
            cur.execute(
                "select schema_name from information_schema.schemata where schema_name like %s",
                (_like_prefix(like_prefix),),
            )
            for (schema,) in cur.fetchall():
                cur.execute(f"drop database if exists `{schema}`")
    finally:
        con.close()


def _odbc_value(value: str) -> str:
    """A connection-string value, in braces (`}` doubled) when it holds `;`, a brace or edge
    spaces: the rule dbt-sqlserver applies for mssql-python."""
    if value.startswith(" ") or value.endswith(" ") or any(ch in value for ch in ";{}"):
        return "{" + value.replace("}", "}}") + "}"
    return value


def sqlserver_connection_string() -> str:
    """What dbt-sqlserver's mssql-python backend builds from the example profile: SQL logins,
    or an Entra ID `Authentication=` mode (then user and password only when given)."""
    s = sqlserver()
    parts = [f"SERVER={s['server']},{s['port']}", f"Database={s['database']}"]
    if str(s["authentication"]).lower() not in ("", "sql"):
        parts.append(f"Authentication={s['authentication']}")
    for key, setting in (("UID", "user"), ("PWD", "password")):
        if s[setting] or str(s["authentication"]).lower() in ("", "sql"):
            parts.append(f"{key}={_odbc_value(str(s[setting]))}")
    parts.append(f"Encrypt={'Yes' if s['encrypt'] else 'No'}")
    parts.append(f"TrustServerCertificate={'Yes' if s['trust_cert'] else 'No'}")
    return ";".join(parts)


def sqlserver_connect() -> Any:
    """An mssql-python connection in autocommit mode, with the driver dbt would pick."""
    os.environ.update(mssql_native_provider())
    import mssql_python

    return mssql_python.connect(sqlserver_connection_string(), autocommit=True, timeout=10)


def sqlserver_unreachable_reason() -> str | None:
    """None when something answers on DBT_MSSQL_SERVER:DBT_MSSQL_PORT, else why not."""
    settings = sqlserver()
    host, port = str(settings["server"]), int(settings["port"])
    try:
        with socket.create_connection((host, port), timeout=2):
            return None
    except OSError as error:
        return (
            f"no SQL Server at {host}:{port} ({error}); start one with "
            "`docker compose up -d --wait sqlserver` (or set DBT_MSSQL_SERVER/DBT_MSSQL_PORT)"
        )


# The T-SQL of tests/sqlserver's `sqlserver_test_drop_schemas`, for one schema given as a
# parameter: foreign keys first (they block dropping the tables they point at), then views
# and tables, then the schema itself.
SQLSERVER_DROP_SCHEMA = """
declare @schema sysname = ?;
declare @sql nvarchar(max) = N'';
select @sql = @sql + N'alter table ' + quotename(schema_name(t.schema_id)) + N'.'
    + quotename(t.name) + N' drop constraint ' + quotename(fk.name) + N'; '
from sys.foreign_keys as fk
inner join sys.tables as t on t.object_id = fk.parent_object_id
where schema_name(t.schema_id) = @schema;
select @sql = @sql + N'drop view ' + quotename(schema_name(schema_id)) + N'.'
    + quotename(name) + N'; '
from sys.views where schema_name(schema_id) = @schema;
select @sql = @sql + N'drop table ' + quotename(schema_name(schema_id)) + N'.'
    + quotename(name) + N'; '
from sys.tables where schema_name(schema_id) = @schema;
exec sp_executesql @sql;
-- exec (...) takes variables and literals only, no function call: build the statement first
set @sql = N'drop schema ' + quotename(@schema);
if schema_id(@schema) is not null exec sp_executesql @sql;
"""


def drop_sqlserver_schemas(like_prefix: str) -> None:
    """Drop every SQL Server schema whose name starts with the prefix, with its objects."""
    con = sqlserver_connect()
    try:
        cur = con.cursor()
        cur.execute(
            "select name from sys.schemas where name like ? escape '\\'",
            (_like_prefix(like_prefix),),
        )
        for (schema,) in cur.fetchall():
            # foreign keys between schemas of this session (none today) would need a second pass
            cur.execute(SQLSERVER_DROP_SCHEMA, (schema,))
    finally:
        con.close()


def unreachable_reason(target_name: str) -> str | None:
    """Why the server of a target does not answer, or None (DuckDB always answers)."""
    probes = {
        "postgres": postgres_unreachable_reason,
        "mysql": mysql_unreachable_reason,
        "sqlserver": sqlserver_unreachable_reason,
    }
    probe = probes.get(target_name)
    return probe() if probe else None


def drop_schemas(target_name: str, like_prefix: str) -> None:
    """Drop this session's namespaces on a server target (DuckDB files go with the temp dir)."""
    drops = {
        "postgres": drop_postgres_schemas,
        "mysql": drop_mysql_schemas,
        "sqlserver": drop_sqlserver_schemas,
    }
    if target_name in drops:
        drops[target_name](like_prefix)
