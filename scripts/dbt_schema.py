"""Write the dbt project's columns and types from seeds_gen/schema.py, where they are stated.

    python -m scripts.dbt_schema           rewrite what differs (`make dbt-schema`)
    python -m scripts.dbt_schema --check   exit 1 naming the files that differ (a test runs it)

What it writes; every other line (descriptions, keys, tests) stays as written:
- macros/schema.sql, whole: each table's columns in order with their logical type and length,
  which the models cast to (macros/typed_columns.sql), and the names of the generated seeds;
- models/oltp/<table>.yml, each column's contract type, spelled per target by dbt_project.yml's
  `column_types` var: data_type: "{{ var('column_types')[target.type].text }}(100)"; and for a
  column with a vocabulary, its check (expression: "status in ('pending', ...)") and its
  accepted_values test (values: ["pending", ...]);
- data/_raw__seeds.yml, each seed's `column_types` block: the columns of the table in order, in
  portable SQL (`varchar(100)`, `decimal(12,2)`), which every target's seed loader reads.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from seeds_gen.schema import ROW_COUNTS_SEED, TABLES, TABLES_BY_NAME, Column, Table

REPO = Path(__file__).resolve().parents[1]
MODELS = Path("models") / "oltp"
SEEDS = Path("data") / "_raw__seeds.yml"
SCHEMA_MACRO = Path("macros") / "schema.sql"
_NAME = re.compile(r"^(\s*)- name: (\w+)\s*$")
_DATA_TYPE = re.compile(r"^(\s*)data_type: .*$")
_COLUMN_TYPES = re.compile(r"^(\s*)column_types:\s*$")
_IN_CHECK = re.compile(r"^(\s*)expression: \"(\w+) in \(.*\)\"\s*$")
_VALUES = re.compile(r"^(\s*)values: \[.*\]\s*$")


class DbtSchemaError(ValueError):
    """The YAML cannot be written from schema.py as it stands; the message names the place."""


def contract_type(column: Column) -> str:
    """The contract's data_type of `column`, as the model YAML spells it."""
    length = f"({column.length})" if column.type == "text" else ""
    return "\"{{ var('column_types')[target.type]." + column.type + " }}" + length + '"'


def portable_type(column: Column) -> str:
    """The seed's column type: DuckDB's spelling (schema.DUCKDB_TYPES), which every target reads."""
    length = f"({column.length})" if column.type == "text" else ""
    return column.duckdb_type.lower() + length


def schema_macro() -> str:
    """macros/schema.sql: schema.py's tables and seed names as Jinja literals."""
    tables = []
    for table in TABLES:
        columns = ",\n".join(
            f"      ['{c.name}', '{c.type}', {c.length if c.type == 'text' else 'none'}]"
            for c in table.columns)
        tables.append(f"    '{table.name}': [\n{columns}\n    ]")
    seeds = ", ".join(f"'{name}'" for name in [t.seed_name for t in TABLES] + [ROW_COUNTS_SEED])
    return ("{#- Written by `make dbt-schema` (scripts/dbt_schema.py) from seeds_gen/schema.py; "
            "do not edit. -#}\n\n"
            "{#- Each table's columns in order: [name, logical type, length of text] -#}\n"
            "{% macro schema_columns() %}\n  {{ return({\n" + ",\n".join(tables) + "\n  }) }}\n"
            "{% endmacro %}\n\n"
            "{#- The seeds of one generated dataset: raw_<table> and the row counts -#}\n"
            "{% macro generated_seed_names() %}\n  {{ return([" + seeds + "]) }}\n"
            "{% endmacro %}\n")


def model_yaml(table: Table, text: str, where: str) -> str:
    """`text` (the model's YAML) with each column's data_type line, and its vocabulary's lines,
    written from `table`."""
    lines, seen, vocabulary, column = text.splitlines(keepends=True), [], [], None
    for i, line in enumerate(lines):
        if named := _NAME.match(line):
            column = named[2]
        elif typed := _DATA_TYPE.match(line):
            if column is None or column not in table.column_names:
                raise DbtSchemaError(f"{where}:{i + 1}: data_type of {column!r}, which is not a "
                                     f"column of {table.name} in seeds_gen/schema.py")
            seen.append(column)
            lines[i] = f"{typed[1]}data_type: {contract_type(_column(table, column))}\n"
        elif (check := _IN_CHECK.match(line)) and check[2] == column:
            lines[i] = f'{check[1]}expression: "{column} in ({_quoted(table, column, where, i)})"\n'
            vocabulary.append((column, "check"))
        elif (values := _VALUES.match(line)) and column in table.column_names:
            quoted = ", ".join(f'"{v}"' for v in _vocabulary(table, column, where, i))
            lines[i] = f"{values[1]}values: [{quoted}]\n"
            vocabulary.append((column, "accepted_values"))
    if seen != list(table.column_names):
        raise DbtSchemaError(f"{where}: the columns with a data_type are {seen}; schema.py has "
                             f"{list(table.column_names)} (same names, same order)")
    wanted = [(c.name, kind) for c in table.columns if c.values
              for kind in ("check", "accepted_values")]
    if sorted(vocabulary) != sorted(wanted):
        raise DbtSchemaError(f"{where}: each column with a vocabulary in schema.py needs one "
                             "check `<column> in (...)` and one accepted_values test; found "
                             f"{vocabulary}, expected {wanted}")
    return "".join(lines)


def _vocabulary(table: Table, column: str, where: str, i: int) -> tuple[str, ...]:
    values = _column(table, column).values
    if not values:
        raise DbtSchemaError(f"{where}:{i + 1}: a list of values for {column}, which has no "
                             "vocabulary in seeds_gen/schema.py")
    return values


def _quoted(table: Table, column: str, where: str, i: int) -> str:
    return ", ".join(f"'{v}'" for v in _vocabulary(table, column, where, i))


def seeds_yaml(text: str, where: str) -> str:
    """`text` (the seeds' YAML) with each table seed's column_types block written from schema.py."""
    lines, out, seed, done = text.splitlines(keepends=True), [], None, set()
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        if named := _NAME.match(line):
            seed = named[2]
        block = _COLUMN_TYPES.match(line)
        if not block or seed is None or not seed.startswith("raw_") or \
                seed.removeprefix("raw_") not in TABLES_BY_NAME:
            continue
        indent = block[1] + "  "
        while i < len(lines) and lines[i].startswith(indent):
            i += 1  # the block as written, replaced below
        table = TABLES_BY_NAME[seed.removeprefix("raw_")]
        out.extend(f"{indent}{c.name}: {portable_type(c)}\n" for c in table.columns)
        done.add(table.name)
    missing = [t.seed_name for t in TABLES if t.name not in done]
    if missing:
        raise DbtSchemaError(f"{where}: no column_types block for {', '.join(missing)}")
    return "".join(out)


def _column(table: Table, name: str) -> Column:
    return next(c for c in table.columns if c.name == name)


def written(root: Path) -> dict[Path, tuple[str, str]]:
    """Each file under `root` written from schema.py: (its text, the text schema.py gives)."""
    files = {}
    for table in TABLES:
        path = root / MODELS / f"{table.name}.yml"
        text = path.read_text(encoding="utf-8")
        files[path] = (text, model_yaml(table, text, str(path.relative_to(root))))
    path = root / SEEDS
    text = path.read_text(encoding="utf-8")
    files[path] = (text, seeds_yaml(text, str(SEEDS)))
    path = root / SCHEMA_MACRO
    files[path] = (path.read_text(encoding="utf-8") if path.exists() else "", schema_macro())
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.dbt_schema", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 naming the files whose types differ")
    args = parser.parse_args(argv)
    try:
        files = written(REPO)
    except (DbtSchemaError, OSError) as exc:
        print(f"dbt_schema: error: {exc}", file=sys.stderr)
        return 2
    stale = [path for path, (now, then) in files.items() if now != then]
    if args.check:
        if stale:
            names = ", ".join(str(p.relative_to(REPO)) for p in stale)
            print(f"dbt_schema: {names} differ from seeds_gen/schema.py; run `make dbt-schema`",
                  file=sys.stderr)
            return 1
        return 0
    for path in stale:
        path.write_text(files[path][1], encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
