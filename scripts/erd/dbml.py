"""The schema as DBML, the language of dbdiagram.io: tables, keys and named references."""

from __future__ import annotations

import re

from .contracts import Schema, Table

_PLAIN = re.compile(r"^[A-Za-z_]\w*$")


def render_dbml(schema: Schema, generated_by: str) -> str:
    lines = [f"// {generated_by}", ""]
    for table in schema.tables:
        lines += _table(table)
        lines.append("")
    for table in schema.tables:
        for fk in table.foreign_keys:
            name = f" {_name(fk.name)}" if fk.name else ""
            lines.append(f"Ref{name}: {_name(table.name)}.{_columns(fk.columns)} > "
                         f"{_name(fk.ref_table)}.{_columns(fk.ref_columns)}")
    return "\n".join(lines) + "\n"


def _table(table: Table) -> list[str]:
    lines = [f"Table {_name(table.name)} {{"]
    single_pk = table.primary_key and len(table.primary_key.columns) == 1
    for column in table.columns:
        settings = []
        if single_pk and table.primary_key and column.name in table.primary_key.columns:
            settings.append("pk")
        if any(key.columns == (column.name,) for key in table.uniques):
            settings.append("unique")
        if column.not_null:
            settings.append("not null")
        spec = f" [{', '.join(settings)}]" if settings else ""
        lines.append(f"  {_name(column.name)} {column.data_type}{spec}")
    # Keys of several columns are indexes in DBML.
    keys = [("pk", table.primary_key)] if table.primary_key and not single_pk else []
    keys += [("unique", key) for key in table.uniques if len(key.columns) > 1]
    if keys:
        lines.append("  indexes {")
        for kind, key in keys:
            name = f", name: '{key.name}'" if key.name else ""
            lines.append(f"    ({', '.join(_name(c) for c in key.columns)}) [{kind}{name}]")
        lines.append("  }")
    lines.append("}")
    return lines


def _columns(columns: tuple[str, ...]) -> str:
    return _name(columns[0]) if len(columns) == 1 else f"({', '.join(map(_name, columns))})"


def _name(name: str) -> str:
    return name if _PLAIN.match(name) else f'"{name}"'
