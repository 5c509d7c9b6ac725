"""The tables as the models' contracts declare them: columns, types, keys and references.

Reads the model YAML (models/**/*.yml) and dbt_project.yml as files, with no database and no
dbt run. A constraint may sit at model level (`columns: [..]`) or on its column; both read the
same. A column's `data_type` is rendered with the `column_types` of one target (TYPES_OF_TARGET).
Category's parent key references its own table, so the project adds it in a post-hook instead of
the contract: the hook's call to `add_self_referencing_foreign_key(name, column, to_column)` is
read as a foreign key too, with the arguments dbt would pass.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import yaml  # type: ignore[import-untyped]  # PyYAML and Jinja2 come with dbt-core

# The spelling shown: PostgreSQL's, which DuckDB shares (dbt_project.yml) and dbdiagram knows.
TYPES_OF_TARGET = "postgres"
SELF_REFERENCE_MACRO = "add_self_referencing_foreign_key"
T = TypeVar("T")
K = TypeVar("K")
_REF = re.compile(r"""^\s*ref\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]([^'"]+)['"]\s*\)\s*$""")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when PyYAML has it
# dbt's older spelling of a reference: `expression: "brand (brand_id)"`
_REFERENCES_EXPRESSION = re.compile(r"""^\s*(?:\S+\.)?["`\[]?(\w+)["`\]]?\s*\(([^)]*)\)\s*$""")


class ContractError(ValueError):
    """A contract the ERD cannot read; the message names the model and what to fix."""


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    not_null: bool


@dataclass(frozen=True)
class Key:
    name: str | None
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ForeignKey:
    name: str | None
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: Key | None
    uniques: tuple[Key, ...]
    foreign_keys: tuple[ForeignKey, ...]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def key_markers(self, column: str) -> list[str]:
        """PK, FK, UQ: the keys `column` belongs to (UQ: a one-column unique key), in that order."""
        found = []
        if self.primary_key and column in self.primary_key.columns:
            found.append("PK")
        if any(column in fk.columns for fk in self.foreign_keys):
            found.append("FK")
        if any(key.columns == (column,) for key in self.uniques):
            found.append("UQ")
        return found

    def is_unique(self, columns: tuple[str, ...]) -> bool:
        keys = [*self.uniques, *([self.primary_key] if self.primary_key else [])]
        return any(set(key.columns) == set(columns) for key in keys)


@dataclass(frozen=True)
class Schema:
    tables: tuple[Table, ...]  # by name

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


def read_schema(root: Path) -> Schema:
    """The schema of every model with columns under root/models, from root's files."""
    project = yaml.load((root / "dbt_project.yml").read_text(encoding="utf-8"), _LOADER)
    models: list[dict[str, Any]] = []
    for path in sorted((root / "models").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        models.extend((yaml.load(text, _LOADER) or {}).get("models") or [])
    return schema_of(models, project.get("vars") or {})


def schema_of(models: list[dict[str, Any]], project_vars: dict[str, Any]) -> Schema:
    """The schema of parsed model YAML entries (the `models:` list), typed by project_vars."""
    render_type = _type_renderer(project_vars)
    tables = [_table(model, render_type) for model in models if model.get("columns")]
    schema = Schema(tuple(sorted(tables, key=lambda t: t.name)))
    _check_references(schema)
    return schema


def _type_renderer(project_vars: dict[str, Any]) -> Callable[[str], str]:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)

    def var(name: str) -> Any:
        if name not in project_vars:
            raise ContractError(f"data types use var('{name}'), which dbt_project.yml lacks")
        return project_vars[name]

    @functools.cache
    def render(data_type: str) -> str:  # a few distinct spellings, many columns
        return env.from_string(data_type).render(var=var, target={"type": TYPES_OF_TARGET})

    return render


def _table(model: dict[str, Any], render_type: Callable[[str], str]) -> Table:
    name = model["name"]
    declared = {c["name"] for c in model["columns"]}
    not_null: set[str] = set()
    primary: list[Key] = []
    uniques: list[Key] = []
    foreign: list[ForeignKey] = []
    for constraint, columns in _constraints(model):
        kind = constraint.get("type")
        unknown = set(columns) - declared
        if unknown:
            raise ContractError(f"model {name}: a {kind} constraint names columns it does not "
                                f"declare: {', '.join(sorted(unknown))}")
        if kind in ("primary_key", "unique", "foreign_key") and not columns:
            raise ContractError(f"model {name}: a {kind} constraint without `columns:`")
        key = Key(constraint.get("name"), columns)
        if kind == "not_null":
            not_null.update(columns)
        elif kind == "primary_key":
            primary.append(key)
        elif kind == "unique":
            uniques.append(key)
        elif kind == "foreign_key":
            foreign.append(_foreign_key(name, constraint, columns))
    foreign.extend(_self_references(model))
    if len({k.columns for k in primary}) > 1:
        raise ContractError(f"model {name}: more than one primary key")
    position = {c["name"]: i for i, c in enumerate(model["columns"])}

    def by_position(cols: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(position[c] for c in cols)

    # Sorted by column position, not by where they were declared: model-level and column-level
    # constraints give the same schema.
    if primary:  # a primary key's columns are not null, declared or not
        not_null.update(primary[0].columns)
    return Table(
        name=name,
        columns=tuple(
            Column(c["name"], _data_type(name, c, render_type), c["name"] in not_null)
            for c in model["columns"]
        ),
        primary_key=primary[0] if primary else None,
        uniques=tuple(sorted(_first_per(uniques, lambda k: k.columns),
                             key=lambda k: by_position(k.columns))),
        foreign_keys=tuple(sorted(
            _first_per(foreign, lambda f: (f.columns, f.ref_table, f.ref_columns)),
            key=lambda f: (by_position(f.columns), f.ref_table))),
    )


def _data_type(table: str, column: dict[str, Any], render_type: Callable[[str], str]) -> str:
    try:
        return render_type(str(column.get("data_type", "")))
    except jinja2.TemplateError as exc:
        raise ContractError(f"model {table}, column {column['name']}: cannot read data_type "
                            f"{column.get('data_type')!r} ({exc})") from exc


def _constraints(model: dict[str, Any]) -> Iterator[tuple[dict[str, Any], tuple[str, ...]]]:
    for constraint in model.get("constraints") or []:
        yield constraint, tuple(constraint.get("columns") or ())
    for column in model["columns"]:
        for constraint in column.get("constraints") or []:
            yield constraint, (column["name"],)


def _foreign_key(table: str, constraint: dict[str, Any],
                 columns: tuple[str, ...]) -> ForeignKey:
    where = f"model {table}: foreign key {constraint.get('name') or columns}"
    if constraint.get("to"):
        match = _REF.match(str(constraint["to"]))
        if not match:
            raise ContractError(f"{where}: `to: {constraint['to']}` is not a ref('model')")
        ref_table = match.group(1)
        ref_columns = tuple(constraint.get("to_columns") or ())
    else:
        found = _REFERENCES_EXPRESSION.match(str(constraint.get("expression") or ""))
        if not found:
            raise ContractError(f"{where}: needs `to: ref('model')` and `to_columns: [..]`")
        ref_table = found.group(1)
        ref_columns = tuple(c.strip().strip('"`[]') for c in found.group(2).split(","))
    if len(ref_columns) != len(columns):
        raise ContractError(f"{where}: {len(columns)} columns reference "
                            f"{len(ref_columns)} `to_columns`")
    return ForeignKey(constraint.get("name"), columns, ref_table, ref_columns)


def _self_references(model: dict[str, Any]) -> list[ForeignKey]:
    """Foreign keys that the model's post-hooks add to its own table."""
    config = model.get("config") or {}
    hooks = config.get("post_hook", config.get("post-hook")) or []
    found: list[ForeignKey] = []

    def record(name: str, column: str, to_column: str) -> str:
        found.append(ForeignKey(name, (column,), model["name"], (to_column,)))
        return ""

    # Any other macro or variable in a hook renders as nothing: only this call matters here.
    macros = _Namespace({SELF_REFERENCE_MACRO: record})
    env = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=False)
    for hook in [hooks] if isinstance(hooks, str | dict) else hooks:
        sql = hook.get("sql", "") if isinstance(hook, dict) else hook
        env.from_string(str(sql)).render(ecom_synth=macros, **{SELF_REFERENCE_MACRO: record})
    return found


class _Namespace:
    """The project's macros as hooks call them (`ecom_synth.name(..)`); any not given is a no-op."""

    def __init__(self, macros: dict[str, Callable[..., str]]) -> None:
        self._macros = macros

    def __getattr__(self, name: str) -> Callable[..., str]:
        return self._macros.get(name, lambda *args, **kwargs: "")


def _first_per(items: list[T], key: Callable[[T], K]) -> list[T]:
    seen: set[K] = set()
    first: list[T] = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            first.append(item)
    return first


def _check_references(schema: Schema) -> None:
    names = {t.name: t for t in schema.tables}
    for table in schema.tables:
        for fk in table.foreign_keys:
            target = names.get(fk.ref_table)
            if target is None:
                raise ContractError(f"model {table.name}: foreign key {fk.name} references "
                                    f"{fk.ref_table}, which is not a model with columns")
            missing = set(fk.ref_columns) - {c.name for c in target.columns}
            if missing:
                raise ContractError(f"model {table.name}: foreign key {fk.name} references "
                                    f"{fk.ref_table}.{', '.join(sorted(missing))}, not declared")
