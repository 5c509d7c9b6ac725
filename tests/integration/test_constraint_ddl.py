"""The constraints a built schema holds are the committed ones: same names, same definitions.

After `dbt build`, the database itself is asked which constraints each typed table has (name,
kind, columns, referenced table, definition as the database prints it), and the answer must
equal tests/integration/expected_constraints/<target>.json. Moving a constraint between the
model and column level of the YAML, or changing how the project renders DDL, must not change a
single name or definition. (SQL Server, compile-only here: tests/sqlserver checks the rendered
DDL against expected_constraints/sqlserver.json.)

Regenerate the expected file of a target, after a deliberate change of a constraint:
    ECOM_SYNTH_UPDATE_EXPECTED=1 .venv/bin/python -m pytest -x -q \
        tests/integration/test_constraint_ddl.py -k <target>
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import BuiltProject, Target

EXPECTED_DIR = Path(__file__).with_name("expected_constraints")
UPDATE = os.environ.get("ECOM_SYNTH_UPDATE_EXPECTED") not in (None, "", "0")
SCHEMA = "<schema>"  # the session's schema name, which differs on every run


def _rows(target: Target, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(sql, params)
        return [tuple(row) for row in cur.fetchall()]


def _postgres(target: Target) -> list[dict[str, Any]]:
    # NOT NULL is a column attribute in PostgreSQL 15, not a pg_constraint row
    rows = _rows(
        target,
        """
        select c.conrelid::regclass::text, c.conname, c.contype::text,
            pg_get_constraintdef(c.oid)
        from pg_constraint as c
        where c.connamespace = %s::regnamespace""",
        target.schema,
    )
    return [
        {"table": table.split(".")[-1], "name": name, "type": kind, "definition": definition}
        for table, name, kind, definition in rows
    ]


def _mysql(target: Target) -> list[dict[str, Any]]:
    schema = target.schema
    columns: dict[tuple[str, str], list[str]] = {}
    parents: dict[tuple[str, str], str] = {}
    parent_columns: dict[tuple[str, str], list[str]] = {}
    for table, name, column, ref_schema, ref_table, ref_column in _rows(
        target,
        """
        select table_name, constraint_name, column_name, referenced_table_schema,
            referenced_table_name, referenced_column_name
        from information_schema.key_column_usage
        where table_schema = %s
        order by table_name, constraint_name, ordinal_position""",
        schema,
    ):
        columns.setdefault((table, name), []).append(column)
        if ref_table is not None:
            parents[(table, name)] = f"{ref_schema}.{ref_table}"
            parent_columns.setdefault((table, name), []).append(ref_column)
    rules = {
        (table, name): f"on update {update} on delete {delete}"
        for table, name, update, delete in _rows(
            target,
            """
            select table_name, constraint_name, update_rule, delete_rule
            from information_schema.referential_constraints
            where constraint_schema = %s""",
            schema,
        )
    }
    # MariaDB's LEVEL tells a column check (inline) from a table check
    checks = {
        (table, name): f"{level} {clause}"
        for table, name, level, clause in _rows(
            target,
            """
            select table_name, constraint_name, level, check_clause
            from information_schema.check_constraints
            where constraint_schema = %s""",
            schema,
        )
    }
    found = []
    for table, name, kind in _rows(
        target,
        """
        select table_name, constraint_name, constraint_type
        from information_schema.table_constraints
        where table_schema = %s""",
        schema,
    ):
        key = (table, name)
        definition = f"({', '.join(columns.get(key, []))})"
        if key in parents:
            definition += (
                f" references {parents[key]} ({', '.join(parent_columns[key])}) {rules[key]}"
            )
        if key in checks:
            definition = checks[key]
        found.append({"table": table, "name": name, "type": kind, "definition": definition})
    return found


def _duckdb(target: Target) -> list[dict[str, Any]]:
    # DuckDB keeps no constraint names of its own (it makes them up from the table): the
    # definitions are what it can tell
    rows = _rows(
        target,
        """
        select table_name, constraint_type, constraint_text,
            array_to_string(constraint_column_names, ', ')
        from duckdb_constraints()
        where schema_name = ?""",
        target.schema,
    )
    return [
        {"table": table, "type": kind, "columns": columns, "definition": text}
        for table, kind, text, columns in rows
    ]


READERS = {"postgres": _postgres, "mysql": _mysql, "duckdb": _duckdb}


def constraints_of(target: Target) -> dict[str, list[dict[str, Any]]]:
    """Per table, its constraints as the database reports them, sorted, schema name replaced."""
    by_table: dict[str, list[dict[str, Any]]] = {}
    for row in READERS[target.name](target):
        row = {
            k: (v.replace(target.schema, SCHEMA) if isinstance(v, str) else v)
            for k, v in row.items()
        }
        by_table.setdefault(row.pop("table"), []).append(row)
    return {
        table: sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
        for table, rows in sorted(by_table.items())
    }


def test_built_constraints_match_the_committed_names_and_definitions(
    built_project: BuiltProject, target: Target
) -> None:
    if target.name not in READERS:
        pytest.skip(f"{target.name}: tests/sqlserver checks its rendered DDL instead")
    assert built_project.first_build.success, built_project.first_build.summary()
    found = constraints_of(target)
    expected_file = EXPECTED_DIR / f"{target.name}.json"
    if UPDATE:
        EXPECTED_DIR.mkdir(exist_ok=True)
        expected_file.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    for table in sorted(set(expected) | set(found)):
        assert found.get(table) == expected.get(table), (
            f"{target.name}: constraints of {table} differ from {expected_file.name}"
        )
