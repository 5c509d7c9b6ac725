"""Run the real generator CLI and real dbt against throw-away copies of the project.

Every integration test works in a copy of the dbt project under a temp dir (its own `data/`,
`target/`, `logs/`, its own DuckDB file, PostgreSQL or SQL Server schema, or MySQL database),
so tests never touch the checkout, each other, or a colleague's database. dbt runs in-process
through `dbtRunner` (several seconds faster per invocation than a subprocess on this project),
with the connection settings passed the way a user passes them: the env vars read by
profiles.yml.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes.util
import hashlib
import io
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from scripts import connections
from seeds_gen.schema import TABLE_NAMES

TABLES = TABLE_NAMES
REPO_ROOT = Path(__file__).resolve().parents[2]

# What a dbt project needs; the generator itself runs from the checkout.
PROJECT_ENTRIES = (
    "dbt_project.yml", "packages.yml", ".dbtignore", "models", "macros", "snapshots", "docs",
    "analyses",
)
COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.duckdb", "*.duckdb.wal", "*.pyc")

# The servers of profiles.yml.example's targets, as dbt renders them with this environment.
PG_SETTINGS = connections.postgres()
MYSQL_SETTINGS = connections.mysql()


def mssql_native_provider() -> dict[str, str]:
    """mssql-python's default driver (bundled ODBC 18) needs libltdl.so.7; without it, its
    bundled Rust driver (`mssql-odbc`), which needs nothing. A value already set is kept."""
    if "MSSQL_PYTHON_NATIVE_PROVIDER" in os.environ:
        return {"MSSQL_PYTHON_NATIVE_PROVIDER": os.environ["MSSQL_PYTHON_NATIVE_PROVIDER"]}
    if ctypes.util.find_library("ltdl") is None:
        return {"MSSQL_PYTHON_NATIVE_PROVIDER": "mssql-odbc"}
    return {}


# --------------------------------------------------------------------------------------------
# The dataset: the real CLI, once per session
# --------------------------------------------------------------------------------------------


def generate_dataset(out: Path, *extra: str, scale: float = 0.01, seed: int = 42) -> Path:
    """Run `python -m seeds_gen` (the real CLI) and return the folder it wrote."""
    command = [
        sys.executable,
        "-m",
        "seeds_gen",
        "--scale",
        str(scale),
        "--seed",
        str(seed),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return out


# --------------------------------------------------------------------------------------------
# Targets: connection settings for one database namespace
# --------------------------------------------------------------------------------------------


TARGET_NAMES = ("duckdb", "postgres", "mysql", "sqlserver")


@dataclass(frozen=True)
class Target:
    """One isolated place to build into: a DuckDB file, a PostgreSQL or SQL Server schema, or a
    MySQL database (in MySQL a schema is a database; dbt's `schema` names it)."""

    name: str  # dbt target name: duckdb | postgres | mysql | sqlserver
    schema: str
    duckdb_path: Path | None = None

    @property
    def env(self) -> dict[str, str]:
        env = {"DBT_TARGET": self.name, "DBT_SCHEMA": self.schema}
        if self.duckdb_path is not None:
            env["DBT_DUCKDB_PATH"] = str(self.duckdb_path)
        if self.name == "sqlserver":
            env.update(mssql_native_provider())
        return env

    @property
    def schemas(self) -> tuple[str, str]:
        """The typed tables' schema and the raw seeds' schema (`+schema: raw`)."""
        return self.schema, f"{self.schema}_raw"

    def derive(self, suffix: str, workdir: Path) -> Target:
        """A fresh, empty namespace next to this one (own file, or own schema)."""
        if self.name == "duckdb":
            return Target(self.name, self.schema, workdir / f"{suffix}.duckdb")
        return Target(self.name, f"{self.schema}_{suffix}")

    @contextlib.contextmanager
    def connect(self) -> Iterator[Any]:
        """A DB-API connection in autocommit mode (each refused insert stands alone)."""
        if self.name == "duckdb":
            import duckdb

            assert self.duckdb_path is not None
            con = duckdb.connect(str(self.duckdb_path))
        elif self.name == "postgres":
            import psycopg2  # type: ignore[import-untyped, unused-ignore]

            con = psycopg2.connect(connect_timeout=5, **PG_SETTINGS)
            con.autocommit = True
        elif self.name == "mysql":
            con = mysql_connect()
        elif self.name == "sqlserver":
            con = sqlserver_connect()
        else:
            raise ValueError(f"unknown target {self.name!r}; expected one of {TARGET_NAMES}")
        try:
            yield con
        finally:
            con.close()

    @property
    def placeholder(self) -> str:
        """The driver's parameter marker: duckdb and mssql-python `?`, the others `%s`."""
        return "?" if self.name in ("duckdb", "sqlserver") else "%s"

    def quote(self, identifier: str) -> str:
        """An identifier quoted the target's way (MySQL: backticks; SQL Server: brackets)."""
        if self.name == "mysql":
            return "`" + identifier.replace("`", "``") + "`"
        if self.name == "sqlserver":
            return "[" + identifier.replace("]", "]]") + "]"
        return '"' + identifier.replace('"', '""') + '"'

    def relation(self, table: str, schema: str | None = None) -> str:
        """`schema.table`, both quoted; the typed tables' schema unless another is given."""
        return f"{self.quote(schema or self.schema)}.{self.quote(table)}"

    def limit(self, select: str, rows: int) -> str:
        """A `select ...` (with its `order by`) cut to its first rows (SQL Server: `top`)."""
        if self.name == "sqlserver":
            head, rest = select.lstrip().split(None, 1)
            assert head.lower() == "select", select
            return f"select top {rows} {rest}"
        return f"{select} limit {rows}"


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
    s = connections.sqlserver()
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
    settings = connections.sqlserver()
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


# --------------------------------------------------------------------------------------------
# A project copy and dbt runs
# --------------------------------------------------------------------------------------------


@dataclass
class NodeResult:
    unique_id: str
    status: str
    message: str | None
    failures: int | None

    @property
    def resource_type(self) -> str:
        return self.unique_id.split(".")[0]

    @property
    def name(self) -> str:
        # unit_test.<project>.<model>.<name>; test.<project>.<name>[.<hash>]; model.<project>.<name>
        parts = self.unique_id.split(".")
        return parts[3] if self.resource_type == "unit_test" else parts[2]


@dataclass
class DbtRun:
    args: list[str]
    success: bool
    exception: BaseException | None
    results: list[NodeResult] = field(default_factory=list)
    # the project's on-run-start/on-run-end hooks (staging, publish), apart from the nodes
    hooks: list[NodeResult] = field(default_factory=list)

    def by_status(self, *statuses: str, resource_type: str | None = None) -> set[str]:
        return {
            r.name
            for r in self.results
            if r.status in statuses and (resource_type is None or r.resource_type == resource_type)
        }

    def failed_tests(self) -> set[str]:
        return self.by_status("fail", "error", "runtime error", resource_type="test")

    def errored_models(self) -> set[str]:
        return self.by_status("error", resource_type="model")

    def message_of(self, name: str) -> str:
        return " ".join(r.message or "" for r in self.results if r.name == name)

    def summary(self) -> str:
        """What went wrong, for assertion messages."""
        lines = [f"dbt {' '.join(self.args)} -> success={self.success}"]
        if self.exception is not None:
            lines.append(f"exception: {self.exception!r}")
        for r in self.results + self.hooks:
            if r.status not in ("success", "pass"):
                lines.append(f"  {r.status:<8} {r.unique_id}: {(r.message or '')[:400]}")
        return "\n".join(lines)


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def copy_project(path: Path, dataset: Path | None = None) -> None:
    """A throw-away copy of the dbt project at `path`: project files, dbt tests, seeds YAML,
    profiles.yml from the example, and the CSVs of `dataset` when given."""
    path.mkdir(parents=True, exist_ok=True)
    for entry in PROJECT_ENTRIES:
        source = REPO_ROOT / entry
        if source.is_dir():
            shutil.copytree(source, path / entry, ignore=COPY_IGNORE)
        elif source.is_file():
            shutil.copy2(source, path / entry)
    shutil.copytree(REPO_ROOT / "tests" / "dbt", path / "tests" / "dbt", ignore=COPY_IGNORE)
    data = path / "data"
    data.mkdir()
    for yml in (REPO_ROOT / "data").glob("*.yml"):
        shutil.copy2(yml, data / yml.name)
    for csv_file in (dataset.glob("*.csv") if dataset else ()):
        shutil.copy2(csv_file, data / csv_file.name)
    if dataset and (dataset / "manifest.json").exists():
        shutil.copy2(dataset / "manifest.json", data / "manifest.json")
    shutil.copy2(REPO_ROOT / "profiles.yml.example", path / "profiles.yml")


@dataclass
class Project:
    """A private copy of the dbt project with its own dataset and target."""

    path: Path
    target: Target

    @classmethod
    def create(cls, path: Path, dataset: Path, target: Target) -> Project:
        copy_project(path, dataset)
        return cls(path, target)

    @property
    def data(self) -> Path:
        return self.path / "data"

    @property
    def target_path(self) -> Path:
        return self.path / "target"

    def dbt(self, *args: str) -> DbtRun:
        """Invoke dbt in-process on this copy; results come from target/run_results.json."""
        from dbt.cli.main import dbtRunner

        full = [
            *args,
            "--project-dir",
            str(self.path),
            "--profiles-dir",
            str(self.path),
            "--target-path",
            str(self.target_path),
            "--log-path",
            str(self.path / "logs"),
        ]
        run_results = self.target_path / "run_results.json"
        if args[:1] != ("retry",):  # `dbt retry` reads the previous run's results
            run_results.unlink(missing_ok=True)
        with _environ(self.target.env):
            outcome = dbtRunner().invoke(full)
        run = DbtRun(list(args), bool(outcome.success), outcome.exception)
        if run_results.exists():
            for r in json.loads(run_results.read_text())["results"]:
                result = NodeResult(
                    r["unique_id"], r["status"], r.get("message"), r.get("failures")
                )
                (run.hooks if result.resource_type == "operation" else run.results).append(result)
        return run


@dataclass
class BuiltProject:
    """A project copy after its first `dbt build` (the `built_project` fixture)."""

    project: Project
    first_build: DbtRun


# --------------------------------------------------------------------------------------------
# Editing the CSV seeds of a copy (corruptions)
# --------------------------------------------------------------------------------------------


class SeedTable:
    """One `raw_<table>.csv` as text rows, edited in place and written back as RFC 4180."""

    def __init__(self, data_dir: Path, table: str) -> None:
        self.file = data_dir / f"raw_{table}.csv"
        # newline="": no newline translation, so a CRLF file (or a CR inside a quoted value)
        # is seen and written back as it is
        with self.file.open(encoding="utf-8", newline="") as f:
            text = f.read()
        self.newline = "\r\n" if "\r\n" in text else "\n"
        reader = csv.DictReader(io.StringIO(text, newline=""))
        self.header = list(reader.fieldnames or [])
        self.rows: list[dict[str, str]] = list(reader)

    def save(self) -> None:
        out = io.StringIO(newline="")
        writer = csv.DictWriter(out, self.header, lineterminator=self.newline)
        writer.writeheader()
        writer.writerows(self.rows)
        self.file.write_text(out.getvalue(), encoding="utf-8", newline="")
        restamp_manifest(self.file, len(self.rows))

    def find(self, **equals: str) -> dict[str, str]:
        for row in self.rows:
            if all(row[k] == v for k, v in equals.items()):
                return row
        raise LookupError(f"no row {equals} in {self.file.name}")


def restamp_manifest(file: Path, rows: int) -> None:
    """Record an edited CSV in the manifest beside it (rows, bytes, sha256), as if the generator
    had written it: a corruption test then reaches the models' checks, not `dbt seed`'s refusal of
    a file that is not the generator's."""
    manifest_path = file.parent / "manifest.json"
    if not manifest_path.exists():
        return
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["tables"].values():
        if entry["file"] == file.name:
            data = file.read_bytes()
            entry.update(rows=rows, bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def money(text: str) -> Decimal:
    return Decimal(text)


def fmt_money(value: Decimal) -> str:
    return f"{value:.2f}"


def set_expected_rows(data_dir: Path, table: str, rows: int) -> None:
    counts = SeedTable(data_dir, "row_counts")
    counts.find(table_name=table)["row_count"] = str(rows)
    counts.save()


# --------------------------------------------------------------------------------------------
# Reading the typed tables back (fault and in-place build suites)
# --------------------------------------------------------------------------------------------

# A primary key per table, to read rows in a stable order
ORDER_BY = {
    "promotion_product": ("promotion_id", "product_id"),
}


def _order_columns(table: str) -> tuple[str, ...]:
    return ORDER_BY.get(table, (f"{'order' if table == 'orders' else table}_id",))


def table_fingerprints(target: Target) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row, per typed table."""
    prints = {}
    with target.connect() as con:
        cur = con.cursor()
        for table in TABLES:
            order = ", ".join(target.quote(c) for c in _order_columns(table))
            cur.execute(f"select * from {target.relation(table)} order by {order}")
            rows = cur.fetchall()
            digest = hashlib.sha256(repr([tuple(map(str, r)) for r in rows]).encode()).hexdigest()
            prints[table] = (len(rows), digest)
    return prints


def foreign_keys(target: Target) -> set[tuple[str, str, str, str]]:
    """(table, columns, referenced table, referenced columns) of the typed schema's keys."""
    schema = target.schema
    if target.name == "duckdb":
        sql = (
            "select table_name, array_to_string(constraint_column_names, ','), referenced_table, "
            "array_to_string(referenced_column_names, ',') from duckdb_constraints() "
            f"where constraint_type = 'FOREIGN KEY' and schema_name = '{schema}'"
        )
    elif target.name == "postgres":
        sql = f"""
            select c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, r.attname
            from pg_constraint as c
            join pg_attribute as a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
            join pg_attribute as r on r.attrelid = c.confrelid and r.attnum = c.confkey[1]
            where c.contype = 'f' and c.connamespace = '{schema}'::regnamespace"""
    else:
        sql = f"""
            select table_name, column_name,
                concat(referenced_table_schema, '.', referenced_table_name),
                referenced_column_name
            from information_schema.key_column_usage
            where table_schema = '{schema}' and referenced_table_name is not null"""
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(sql)
        keys = set()
        for table, columns, parent, parent_columns in cur.fetchall():
            keys.add((table.split(".")[-1], columns, parent.split(".")[-1], parent_columns))
            if target.name == "mysql":  # a key must name the live schema, not a leftover
                assert parent.split(".")[0] == schema, (table, parent)
    return keys


def orphans(target: Target, keys: set[tuple[str, str, str, str]]) -> dict[str, int]:
    """Rows whose foreign key value has no parent row, per key (single-column keys)."""
    found = {}
    with target.connect() as con:
        cur = con.cursor()
        for table, column, parent, parent_column in sorted(keys):
            c, p = target.quote(column), target.quote(parent_column)
            cur.execute(
                f"select count(*) from {target.relation(table)} as t where t.{c} is not null and "
                f"not exists (select 1 from {target.relation(parent)} as p where p.{p} = t.{c})"
            )
            count = cur.fetchone()[0]
            if count:
                found[f"{table}.{column}"] = count
    return found


def leftover_schemas(target: Target) -> list[str]:
    like = target.schema + "\\_\\_%"
    if target.name == "duckdb":
        sql = (
            f"select schema_name from duckdb_schemas() where schema_name like '{like}' escape '\\'"
        )
    elif target.name == "postgres":
        sql = f"select nspname from pg_namespace where nspname like '{like}' escape '\\'"
    else:
        sql = f"select schema_name from information_schema.schemata where schema_name like '{like}'"
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(sql)
        return [r[0] for r in cur.fetchall()]
