"""The schema as a Mermaid `erDiagram`, for a README or any Markdown that renders Mermaid."""

from __future__ import annotations

from .contracts import ForeignKey, Schema, Table


def render_mermaid(schema: Schema, generated_by: str) -> str:
    lines = [f"%% {generated_by}", "erDiagram"]
    for table in schema.tables:
        lines.append(f"    {table.name} {{")
        for column in table.columns:
            lines.append(f"        {_attribute(table, column.name, column.data_type)}")
        lines.append("    }")
    for table in schema.tables:
        for fk in table.foreign_keys:
            lines.append(f"    {fk.ref_table} {_cardinality(table, fk)} {table.name} : "
                         f'"{", ".join(fk.columns)}"')
    return "\n".join(lines) + "\n"


def _attribute(table: Table, column: str, data_type: str) -> str:
    # Mermaid spells a unique key UK
    keys = ["UK" if marker == "UQ" else marker for marker in table.key_markers(column)]
    # Mermaid before 11 reads no comma in a type: decimal(12,2) becomes decimal and a comment.
    word, comment = (data_type.split("(")[0], f' "{data_type}"') if "," in data_type \
        else (data_type, "")
    return f"{word} {column}" + (f" {', '.join(keys)}" if keys else "") + comment


def _cardinality(table: Table, fk: ForeignKey) -> str:
    """The referenced row: exactly one, or none when the key may be null; the referencing rows:
    any number, or at most one when the key is unique."""
    nullable = any(not table.column(c).not_null for c in fk.columns)
    parent = "|o" if nullable else "||"
    children = "o|" if table.is_unique(fk.columns) else "o{"
    return f"{parent}--{children}"
