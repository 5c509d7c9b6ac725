"""Names with accents, CJK, emoji, quotes, commas, backslashes and newlines survive exactly.

On each target, a copy of the session's dataset gets hand-written names on one customer, one
seller, one product and one brand (no generator run: the CSV rows are edited and written back
as RFC 4180, quoted where they must be), then `dbt seed` and `dbt run` load and type them.
Each name is read back from the raw seed table and from the typed table and compared with what
the CSV holds, as text and as UTF-8 bytes: nothing trimmed, re-encoded, unescaped, truncated or
turned into another newline.

Known gap (strict xfail where it applies): a CR LF inside a quoted value reaches PostgreSQL and
SQL Server as LF. Their seed loaders (macros/seeds/load_seed_file.sql) take the rows from dbt's
agate table, and dbt_common's agate_helper.from_csv opens the file without `newline=""`, so
Python's universal newlines rewrite it before the csv module sees it. DuckDB's and the MySQL
adapter's loaders read the file themselves and keep it. (A literal `null` field is NULL on
every target, as with stock dbt seeds: not a name this suite can use.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import Project, SeedTable, Target

from seeds_gen.schema import TABLES_BY_NAME


@dataclass(frozen=True)
class Name:
    table: str
    key: str
    column: str
    value: str
    # targets that knowingly change this value, and why (a strict xfail there)
    changed_on: tuple[str, ...] = ()
    why: str = ""

    @property
    def id(self) -> str:
        return f"{self.table}.{self.column}"


# Each value fits its column (schema.py lengths; SQL Server counts an emoji as 2 UTF-16 units)
# and stays unique where the column is unique (seller_name).
NAMES = [
    Name("customer", "customer_id", "first_name", 'Zoë "Zee" Ångström-Brontë'),
    Name("customer", "customer_id", "last_name", "O'Brien, de la Peña\nŁódź 🎉 \\ çava"),
    Name("seller", "seller_id", "seller_name", '東京ストア "本店", 渋谷 🛍️\nSeoul 서울 상점'),
    Name("product", "product_id", "product_name", 'Crème brûlée set 🍮👩‍🍳, 12" "pro" C:\\tmp\\n'),
    Name("product", "product_id", "sku", "\"Q,1\" 'x'"),
    Name("customer", "customer_id", "city", "  padded both ends\t "),
    Name(
        "brand",
        "brand_id",
        "brand_name",
        "CR LF\r\ninside",
        changed_on=("postgres", "sqlserver"),
        why="the seed loader takes dbt's agate rows, read with universal newlines: CR LF -> LF "
        "(dbt_common agate_helper.from_csv opens the CSV without newline='')",
    ),
]


@dataclass
class TextProject:
    project: Project
    keys: dict[str, str]  # table -> the key of the edited row


def _fetch_one(target: Target, sql: str, key: str) -> Any:
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(sql, [int(key)])
        rows = cur.fetchall()
    assert len(rows) == 1, rows
    return rows[0][0]


@pytest.fixture(scope="module")
def text_project(
    target: Target, dataset: Path, tmp_path_factory: pytest.TempPathFactory
) -> TextProject:
    workdir = tmp_path_factory.mktemp(f"text-{target.name}")
    project = Project.create(workdir / "project", dataset, target.derive("text", workdir))
    keys: dict[str, str] = {}
    for table in sorted({n.table for n in NAMES}):
        seed = SeedTable(project.data, table)
        row = seed.rows[1]  # not the first row: a loader must not treat it specially
        for name in (n for n in NAMES if n.table == table):
            column = next(c for c in TABLES_BY_NAME[table].columns if c.name == name.column)
            assert column.length is not None and len(name.value) <= column.length, name
            row[name.column] = name.value
        keys[table] = row[next(n.key for n in NAMES if n.table == table)]
        seed.save()
    seeded = project.dbt("seed")
    assert seeded.success, seeded.summary()
    built = project.dbt("run")
    assert built.success, built.summary()
    return TextProject(project, keys)


@pytest.mark.parametrize("layer", ["raw", "typed"])
@pytest.mark.parametrize("name", NAMES, ids=[n.id for n in NAMES])
def test_name_survives_seed_and_run_byte_for_byte(
    text_project: TextProject, name: Name, layer: str, request: pytest.FixtureRequest
) -> None:
    project = text_project.project
    target = project.target
    if target.name in name.changed_on:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"{target.name}: {name.why}"))
    in_csv = SeedTable(project.data, name.table).find(**{name.key: text_project.keys[name.table]})
    assert in_csv[name.column] == name.value  # the CSV itself round-trips (csv module)
    relation = (
        target.relation(f"raw_{name.table}", target.schemas[1])
        if layer == "raw"
        else target.relation(name.table)
    )
    sql = (
        f"select {target.quote(name.column)} from {relation} "
        f"where {target.quote(name.key)} = {target.placeholder}"
    )
    stored = _fetch_one(target, sql, text_project.keys[name.table])
    assert isinstance(stored, str), type(stored)
    assert stored == name.value
    assert stored.encode("utf-8") == name.value.encode("utf-8")
