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
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from scripts.db_targets import (  # noqa: F401  # the tests import them from here
    MYSQL_SETTINGS,
    PG_SETTINGS,
    TARGET_NAMES,
    Target,
    drop_schemas,
    mssql_native_provider,
    mysql_connect,
    new_schema_name,
    postgres_unreachable_reason,
    sqlserver_connect,
    sqlserver_connection_string,
    sqlserver_unreachable_reason,
    unreachable_reason,
)
from seeds_gen.schema import TABLE_NAMES

TABLES = TABLE_NAMES
REPO_ROOT = Path(__file__).resolve().parents[2]

# What a dbt project needs; the generator itself runs from the checkout.
PROJECT_ENTRIES = (
    "dbt_project.yml", "packages.yml", ".dbtignore", "models", "macros", "snapshots", "docs",
    "analyses",
)
COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.duckdb", "*.duckdb.wal", "*.pyc")

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
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(target.foreign_keys_sql())
        keys = set()
        for table, columns, parent, parent_columns in cur.fetchall():
            keys.add((table.split(".")[-1], columns, parent.split(".")[-1], parent_columns))
            if target.name == "mysql":  # a key must name the live schema, not a leftover
                assert parent.split(".")[0] == target.schema, (table, parent)
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
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(target.schemas_like_sql(target.schema + "\\_\\_%"))
        return [r[0] for r in cur.fetchall()]
