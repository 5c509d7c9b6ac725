"""Run the real generator CLI and real dbt against throw-away copies of the project.

Every integration test works in a copy of the dbt project under a temp dir (its own `data/`,
`target/`, `logs/`, its own DuckDB file or PostgreSQL schema), so tests never touch the
checkout, each other, or a colleague's database. dbt runs in-process through `dbtRunner`
(several seconds faster per invocation than a subprocess on this project), with the
connection settings passed the way a user passes them: the env vars read by profiles.yml.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from seeds_gen.schema import TABLE_NAMES

TABLES = TABLE_NAMES
REPO_ROOT = Path(__file__).resolve().parents[2]

# What a dbt project needs; the generator itself runs from the checkout.
PROJECT_ENTRIES = ("dbt_project.yml", "packages.yml", "models", "macros", "docs", "analyses")
COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.duckdb", "*.duckdb.wal", "*.pyc")

PG_SETTINGS = {
    "host": os.environ.get("DBT_PG_HOST", "127.0.0.1"),
    "port": int(os.environ.get("DBT_PG_PORT", "5432")),
    "user": os.environ.get("DBT_PG_USER", "postgres"),
    "password": os.environ.get("DBT_PG_PASSWORD", ""),
    "dbname": os.environ.get("DBT_PG_DBNAME", "test"),
}


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


@dataclass(frozen=True)
class Target:
    """One isolated place to build into: a DuckDB file, or a PostgreSQL schema."""

    name: str  # dbt target name: duckdb | postgres
    schema: str
    duckdb_path: Path | None = None

    @property
    def env(self) -> dict[str, str]:
        env = {"DBT_TARGET": self.name, "DBT_SCHEMA": self.schema}
        if self.duckdb_path is not None:
            env["DBT_DUCKDB_PATH"] = str(self.duckdb_path)
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
        else:
            import psycopg2

            con = psycopg2.connect(connect_timeout=5, **PG_SETTINGS)
            con.autocommit = True
        try:
            yield con
        finally:
            con.close()

    @property
    def placeholder(self) -> str:
        return "?" if self.name == "duckdb" else "%s"


def new_schema_name(prefix: str = "it") -> str:
    """A schema name no other session uses: prefix, process id and random hex."""
    return f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"


def postgres_unreachable_reason() -> str | None:
    """None when the PostgreSQL server answers, else why not (for a skip message)."""
    try:
        import psycopg2

        con = psycopg2.connect(connect_timeout=3, **PG_SETTINGS)
        con.close()
    except Exception as exc:
        settings = {k: v for k, v in PG_SETTINGS.items() if k != "password"}
        return f"PostgreSQL not reachable with {settings}: {exc}".strip()
    return None


def drop_postgres_schemas(like_prefix: str) -> None:
    """Drop every schema whose name starts with the prefix (this session's only)."""
    import psycopg2

    con = psycopg2.connect(connect_timeout=5, **PG_SETTINGS)
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(
                "select schema_name from information_schema.schemata where schema_name like %s",
                (like_prefix.replace("_", r"\_") + "%",),
            )
            for (schema,) in cur.fetchall():
                cur.execute(f'drop schema if exists "{schema}" cascade')
    finally:
        con.close()


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
        for r in self.results:
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


@dataclass
class Project:
    """A private copy of the dbt project with its own dataset and target."""

    path: Path
    target: Target

    @classmethod
    def create(cls, path: Path, dataset: Path, target: Target) -> Project:
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
        for csv_file in dataset.glob("*.csv"):
            shutil.copy2(csv_file, data / csv_file.name)
        shutil.copy2(REPO_ROOT / "profiles.yml.example", path / "profiles.yml")
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
        run_results.unlink(missing_ok=True)
        with _environ(self.target.env):
            outcome = dbtRunner().invoke(full)
        run = DbtRun(list(args), bool(outcome.success), outcome.exception)
        if run_results.exists():
            for r in json.loads(run_results.read_text())["results"]:
                run.results.append(
                    NodeResult(r["unique_id"], r["status"], r.get("message"), r.get("failures"))
                )
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
        text = self.file.read_text(encoding="utf-8")
        self.newline = "\r\n" if "\r\n" in text else "\n"
        reader = csv.DictReader(io.StringIO(text, newline=""))
        self.header = list(reader.fieldnames or [])
        self.rows: list[dict[str, str]] = list(reader)

    def save(self) -> None:
        out = io.StringIO(newline="")
        writer = csv.DictWriter(out, self.header, lineterminator=self.newline)
        writer.writeheader()
        writer.writerows(self.rows)
        self.file.write_text(out.getvalue(), encoding="utf-8")

    def find(self, **equals: str) -> dict[str, str]:
        for row in self.rows:
            if all(row[k] == v for k, v in equals.items()):
                return row
        raise LookupError(f"no row {equals} in {self.file.name}")


def money(text: str) -> Decimal:
    return Decimal(text)


def fmt_money(value: Decimal) -> str:
    return f"{value:.2f}"


def set_expected_rows(data_dir: Path, table: str, rows: int) -> None:
    counts = SeedTable(data_dir, "row_counts")
    counts.find(table_name=table)["row_count"] = str(rows)
    counts.save()
