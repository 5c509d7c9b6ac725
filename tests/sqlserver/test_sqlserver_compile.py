"""SQL Server target, verified without a server: parse, compile, T-SQL shape, macro renders.

What runs here on every CI run: `dbt parse` and `dbt compile --no-populate-cache --target
sqlserver` of the whole project, with the profile pointing where nothing listens (so the run
also proves that no connection is needed), then checks of the compiled T-SQL of every model
and data test, and of the SQL that the project's SQL Server macros render. What only a real
server proves (a workstation with `docker compose up -d --wait sqlserver`): `dbt build
--target sqlserver`, i.e. that SQL Server accepts these statements and the data.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from seeds_gen.schema import TABLES

from .conftest import REPO_ROOT, SqlServerProject, make_project

RENDER_CHECK = (Path(__file__).with_name("render_check.sql")).read_text()

# T-SQL types the typed tables and casts may use (vars.column_types).
TSQL_TYPE = re.compile(
    r"^(int|bigint|bit|date|datetime2\(0\)|nvarchar\(\d+\)|decimal\(\d+,\s*\d+\))$"
)

# Reserved keywords of T-SQL (SQL Server 2022 docs), which would need [..] or "..".
TSQL_RESERVED = frozenset(re.findall(r"[a-z_]+", """
add all alter and any as asc authorization backup begin between break browse bulk by cascade
case check checkpoint close clustered coalesce collate column commit compute constraint contains
containstable continue convert create cross current current_date current_time current_timestamp
current_user cursor database dbcc deallocate declare default delete deny desc disk distinct
distributed double drop dump else end errlvl escape except exec execute exists exit external
fetch file fillfactor for foreign freetext freetexttable from full function goto grant group
having holdlock identity identity_insert identitycol if in index inner insert intersect into is
join key kill left like lineno load merge national nocheck nonclustered not null nullif of off
offsets on open opendatasource openquery openrowset openxml option or order outer over percent
pivot plan precision primary print proc procedure public raiserror read readtext reconfigure
references replication restore restrict return revert revoke right rollback rowcount rowguidcol
rule save schema securityaudit select semantickeyphrasetable semanticsimilaritydetailstable
semanticsimilaritytable session_user set setuser shutdown some statistics system_user table
tablesample textsize then to top tran transaction trigger truncate try_convert tsequal union
unique unpivot update updatetext use user values varying view waitfor when where while with
writetext
"""))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> SqlServerProject:
    project = make_project(tmp_path_factory.mktemp("sqlserver"), {"render_check.sql": RENDER_CHECK})
    project.dbt("parse").assert_ok()
    project.dbt("compile", "--no-populate-cache").assert_ok()
    return project


@pytest.fixture(scope="module")
def rendered(project: SqlServerProject) -> dict:
    text = (project.compiled / "analyses" / "render_check.sql").read_text()
    return json.loads(text)


def compiled_sql(project: SqlServerProject, folder: str) -> dict[str, str]:
    files = sorted((project.compiled / folder).rglob("*.sql"))
    assert files, f"nothing compiled under {folder}"
    return {str(f.relative_to(project.compiled)): f.read_text() for f in files}


def without_comments_and_strings(sql: str) -> str:
    """The SQL with comments removed and every string literal emptied ('' stays '')."""
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)
    sql = re.sub(r"--[^\n]*", " ", sql)
    return re.sub(r"N?'(?:[^']|'')*'", "''", sql)


# What T-SQL does not have, found in code (not in comments or string literals).
NOT_TSQL = {
    "LIMIT (T-SQL has TOP)": re.compile(r"\blimit\b", re.I),
    ":: cast": re.compile(r"::"),
    "|| concatenation": re.compile(r"\|\|"),
    "boolean type": re.compile(r"\bboolean\b", re.I),
    "true/false literal": re.compile(r"\b(true|false)\b", re.I),
    "`recursive` keyword": re.compile(r"\brecursive\b", re.I),
    "timestamp type (rowversion in T-SQL)": re.compile(r"\btimestamp\b", re.I),
    "backquoted identifier": re.compile(r"`"),
    "ilike": re.compile(r"\bilike\b", re.I),
    "unsized or 8-bit varchar": re.compile(r"(?<!n)\bvarchar\b", re.I),
}


def tsql_problems(sql: str) -> list[str]:
    code = without_comments_and_strings(sql)
    return [label for label, pattern in NOT_TSQL.items() if pattern.search(code)]


def test_parse_and_compile_need_no_server(project: SqlServerProject) -> None:
    # the fixture ran both against 127.0.0.1:1, where nothing listens
    manifest = json.loads((project.target_path / "manifest.json").read_text())
    assert manifest["metadata"]["adapter_type"] == "sqlserver"
    kinds = [node["resource_type"] for node in manifest["nodes"].values()]
    assert kinds.count("model") == len(TABLES)
    assert kinds.count("seed") == len(TABLES) + 1  # raw_row_counts
    assert kinds.count("test") > 0


def test_sqlserver_builds_with_the_projects_materializations(project: SqlServerProject) -> None:
    manifest = json.loads((project.target_path / "manifest.json").read_text())
    macros = manifest["macros"]
    # the foreign-key-keeping table materialization and the seed loader of this project
    assert "macro.ecom_synth.materialization_table_sqlserver" in macros
    assert "macro.ecom_synth.materialization_seed_default" in macros


def test_every_model_compiles_to_tsql(project: SqlServerProject) -> None:
    problems = {
        name: found for name, sql in compiled_sql(project, "models").items()
        if (found := tsql_problems(sql))
    }
    assert not problems


def test_every_data_test_compiles_to_tsql(project: SqlServerProject) -> None:
    """Singular rule tests; the generic ones compile under models/ (the YAML that declares them)
    and are covered by test_every_model_compiles_to_tsql."""
    problems = {
        name: found for name, sql in compiled_sql(project, "tests").items()
        if (found := tsql_problems(sql))
    }
    assert not problems
    generic = [n for n in compiled_sql(project, "models") if ".yml/" in n]
    assert any("row_count_equals_expected" in n for n in generic)
    assert any("relationships" in n for n in generic)


def test_models_cast_only_to_tsql_types(project: SqlServerProject) -> None:
    wrong = {}
    for name, sql in compiled_sql(project, "models").items():
        if ".yml/" in name:  # generic tests compiled under the YAML file
            continue
        code = without_comments_and_strings(sql)
        types = re.findall(r"\bcast\(\s*\w+\s+as\s+([a-z0-9_]+(?:\([\d,\s]+\))?)\s*\)", code, re.I)
        assert types, f"{name}: no casts found"
        bad = [t for t in types if not TSQL_TYPE.match(t.lower())]
        if bad:
            wrong[name] = bad
    assert not wrong


def test_every_relation_is_quoted_in_three_parts(project: SqlServerProject) -> None:
    """`orders` (ORDER is reserved nearly everywhere) and every other table are always
    written "database"."schema"."table", never bare."""
    unquoted = {}
    for name, sql in {**compiled_sql(project, "models"), **compiled_sql(project, "tests")}.items():
        code = without_comments_and_strings(sql)
        for match in re.finditer(r"\b(?:from|join)\s+([^\s(),]+)", code, re.I):
            reference = match.group(1)
            if "." in reference and not re.fullmatch(r'"[^"]+"\."[^"]+"\."[^"]+"', reference):
                unquoted.setdefault(name, []).append(reference)
    assert not unquoted
    orders = (project.compiled / "models" / "oltp" / "orders.sql").read_text()
    assert '"raw_orders"' in orders


def test_no_column_or_table_name_is_a_tsql_reserved_word() -> None:
    """Names that need no quoting on SQL Server, so the models may write them bare
    (`level`, `status` and `orders` are not reserved in T-SQL; `order` would be)."""
    names = {t.name for t in TABLES} | {c.name for t in TABLES for c in t.columns}
    assert not sorted(n for n in names if n.lower() in TSQL_RESERVED)


# ---------------------------------------------------------------- rendered macros

def test_column_types_spell_tsql_types(rendered: dict) -> None:
    """vars.column_types.sqlserver, as the models' contracts and the build state table read it."""
    assert rendered["target"]["type"] == "sqlserver"
    d = rendered["dispatch"]
    assert d["column_type_int"] == "int"
    assert d["column_type_bigint"] == "bigint"
    assert d["column_type_text_100"] == "nvarchar(100)"
    assert d["column_type_decimal"] == "decimal(12,2)"
    assert d["column_type_rating"] == "decimal(3,1)"
    assert d["column_type_date"] == "date"
    assert d["column_type_timestamp"] == "datetime2(0)"
    assert d["column_type_boolean"] == "bit"


def test_recursive_cte_keyword_is_plain_with(rendered: dict) -> None:
    assert rendered["dispatch"]["with_recursive"] == "with"


def test_seed_column_types_map_to_tsql(rendered: dict) -> None:
    seed_types = rendered["seed_types"]
    assert set(seed_types) == {t.seed_name for t in TABLES} | {"raw_row_counts"}
    wrong = {
        f"{seed}.{column}": pair
        for seed, columns in seed_types.items()
        for column, pair in columns.items()
        if not TSQL_TYPE.match(pair[1])
    }
    assert not wrong
    orders = seed_types["raw_orders"]
    assert orders["ordered_at"] == ["timestamp", "datetime2(0)"]
    assert seed_types["raw_seller"]["is_active"] == ["boolean", "bit"]
    assert seed_types["raw_orders"]["status"][1] == "nvarchar(20)"


def test_seed_batches_are_the_largest_under_2100_parameters(rendered: dict) -> None:
    for columns, rows in ((int(k), v) for k, v in rendered["batch_rows"].items()):
        assert 1 <= rows <= 1000  # VALUES takes at most 1,000 rows
        assert rows * columns <= 2098  # 2,100 parameters, 2 used by sp_executesql
        assert rows == 1000 or (rows + 1) * columns > 2098  # and not one row less than fits


def test_seed_insert_binds_values_and_writes_null(rendered: dict) -> None:
    insert = rendered["seed_insert"]
    assert insert["sql"].endswith('("a", "b", "c") values (?, null, ?), (null, ?, ?)')
    assert insert["sql"].startswith('insert into "')
    assert insert["bindings"] == ["1", "x", "2", "y"]
    assert rendered["dispatch"]["fast_seeds_supported"] is True


def test_seed_show_sample_uses_top(rendered: dict) -> None:
    sql = rendered["dispatch"]["seed_sample_sql"]
    assert sql.startswith("select top (10) * from ") and sql.endswith(" order by newid()")
    assert not tsql_problems(sql)


def test_rebuild_reads_foreign_keys_from_the_catalog(rendered: dict) -> None:
    sql = rendered["rebuild"]["referencing_foreign_keys"]
    assert "sys.foreign_keys" in sql
    assert not tsql_problems(sql)
    assert "object_id(N'\"" in sql  # the table, quoted, in the current database
    assert sql.lstrip().lower().startswith("use [")


def test_rebuild_adds_foreign_keys_back_checked(rendered: dict) -> None:
    sql = " ".join(rendered["rebuild"]["add_foreign_key"].split())
    schema = rendered["target"]["schema"]
    assert sql == (
        f'alter table "{schema}"."order_item" with check add constraint "order_item_order_id_fkey" '
        f'foreign key ("order_id") references "{schema}"."orders" ("order_id") '
        "on delete NO ACTION on update CASCADE"
    )


def test_publish_moves_staged_tables_whole_in_dependency_order(rendered: dict) -> None:
    """Referencing keys off, live tables dropped children first, staged tables transferred
    parents first, referencing keys back WITH CHECK: one batch in the publish transaction."""
    schema = rendered["target"]["schema"]
    order = rendered["rebuild"]["publish_order"]
    assert order.index("brand") < order.index("product") < order.index("order_item")
    assert order.index("orders") < order.index("order_item")
    lines = [line.strip() for line in rendered["rebuild"]["publish"].splitlines() if line.strip()]
    assert lines[0].lower().startswith("use [")
    assert (
        lines[1]
        == f'alter table "{schema}"."order_item" drop constraint "order_item_order_id_fkey";'
    )
    drops = [line for line in lines if " drop table " in line]
    assert [d.rsplit(".", 1)[1] for d in drops] == [f'"{name}";' for name in reversed(order)]
    assert all(d.startswith("if object_id(N'") and ", N'U') is not null" in d for d in drops)
    transfers = [line for line in lines if line.startswith("alter schema ")]
    assert transfers == [
        f'alter schema "{schema}" transfer "{schema}__ecom_next"."{name}";' for name in order
    ]
    after = lines[lines.index(transfers[-1]) + 1 :]
    assert after[0] == f'alter table "{schema}"."order_item" with check'
    assert not tsql_problems(rendered["rebuild"]["publish"])


def test_staging_keys_are_released_before_the_schema_is_dropped(rendered: dict) -> None:
    """dbt-sqlserver drops a schema's tables one by one: the staged keys must go first."""
    sql = rendered["rebuild"]["release_staged_foreign_keys"]
    schema = rendered["target"]["schema"]
    assert sql.lstrip().lower().startswith("use [")
    assert "sys.foreign_keys" in sql and "exec sp_executesql @ecom_sql" in sql
    assert f"schema_id(N'{schema}__ecom_next')" in sql
    assert not tsql_problems(sql)


def test_named_constraints_use_two_part_names(rendered: dict) -> None:
    models = rendered["rebuild"]["models"]
    assert set(models) == {t.name for t in TABLES}
    database = rendered["target"]["database"]
    for name, sql in models.items():
        use, body = sql["named_constraints"].strip().split("\n", 1)
        assert use.lower().startswith("use ["), name
        statements = [s.strip() + ";" for s in body.strip().rstrip(";").split(";\n")]
        assert statements, name
        table = f'"{rendered["target"]["schema"]}"."{name}"'
        primary_key = f'alter table {table} add constraint "{name}_pkey" primary key'
        assert statements[0].startswith(primary_key), name
        assert all(s.startswith("alter table ") and s.endswith(";") for s in statements), name
        assert f'"{database}".' not in body, name
        assert not tsql_problems(sql["named_constraints"]), name
    order_item = models["order_item"]["named_constraints"]
    assert 'foreign key ("order_id") references "' in order_item


def test_foreign_key_indexes_cover_uncovered_keys_only(rendered: dict) -> None:
    models = rendered["rebuild"]["models"]
    order_item = models["order_item"]["foreign_key_indexes"]
    # order_id leads the (order_id, product_id) unique key: no index of its own
    assert "order_item_order_id_idx" not in order_item
    assert 'create nonclustered index "order_item_product_id_idx"' in order_item
    assert 'create nonclustered index "order_item_promotion_id_idx"' in order_item
    assert "if not exists" in order_item
    assert models["brand"]["foreign_key_indexes"].strip() == ""  # no foreign key
    orders = models["orders"]["foreign_key_indexes"]
    assert 'create nonclustered index "orders_customer_id_idx"' in orders


def test_self_referencing_foreign_key_uses_two_part_names(rendered: dict) -> None:
    sql = " ".join(rendered["dispatch"]["add_self_referencing_foreign_key"].split())
    assert sql.lower().startswith("use [")
    assert (
        'add constraint "category_parent_category_id_fkey" '
        'foreign key ("parent_category_id") references "'
    ) in sql
    assert '("category_id")' in sql


def test_orphan_count_is_tsql(rendered: dict) -> None:
    assert not tsql_problems(rendered["rebuild"]["orphan_count"])


def test_in_place_merge_updates_moved_orders_and_inserts_new_ones_in_tsql(rendered: dict) -> None:
    """An order's delta: UPDATE ... FROM a join on the key, setting only the mutable columns,
    then INSERT of the keys the live table lacks."""
    schema = rendered["target"]["schema"]
    sql = rendered["in_place"]["merge_orders"]
    assert not tsql_problems(sql), tsql_problems(sql)
    update, insert = (part.strip() for part in sql.split(";", 1))
    assert update.startswith("update live_rows\nset ")
    assert f'"{schema}__ecom_next"."orders__ecom_delta" as delta_rows' in update
    assert 'on live_rows."order_id" = delta_rows."order_id"' in update
    set_clause = update.split("set ", 1)[1].split("\nfrom ", 1)[0]
    assert '"status" = delta_rows."status"' in set_clause
    assert '"updated_at" = delta_rows."updated_at"' in set_clause
    assert '"customer_id"' not in set_clause and '"total_amount"' not in set_clause
    assert insert.startswith("insert into ") and f'"{schema}"."orders" (' in insert
    assert "where not exists" in insert


def test_in_place_merge_of_an_append_only_table_only_inserts(rendered: dict) -> None:
    sql = rendered["in_place"]["merge_customer"]
    assert not tsql_problems(sql)
    assert sql.lstrip().startswith("insert into ") and "update" not in sql.lower()


def test_in_place_view_and_state_record_are_tsql(rendered: dict) -> None:
    view = rendered["in_place"]["published_view_orders"]
    assert not tsql_problems(view)
    assert "union all" in view and "not exists" in view
    statements = rendered["in_place"]["record_state"]
    assert [s.split()[0] for s in statements] == ["delete", "delete", "insert"]
    assert all(not tsql_problems(s) for s in statements)
    assert "cast('2025-12-31 23:59:59' as datetime2(0))" in statements[-1]
    assert statements[-1].endswith("'incremental', 3, 4)")


# ---------------------------------------------------------------- dispatch coverage

# Dispatched macros whose default__ version is already valid T-SQL (or runs no SQL).
DEFAULT_IS_TSQL = {
    "analyze_delta": "no statement (SQL Server creates statistics as queries need them)",
    "point_foreign_keys_at_this_run": "rewrites the model's constraints in Jinja, no SQL",
    "run_in_one_transaction": "one batch of statements, then dbt's COMMIT (real on SQL Server "
    "with dbt_sqlserver_use_dbt_transactions)",
}


def test_every_dispatched_macro_has_a_sqlserver_decision() -> None:
    """A new dispatched macro needs a sqlserver__ version, or a line in DEFAULT_IS_TSQL."""
    sources = "\n".join(p.read_text() for p in (REPO_ROOT / "macros").rglob("*.sql"))
    sources += "\n".join(p.read_text() for p in (REPO_ROOT / "tests" / "dbt").rglob("*.sql"))
    dispatched = set(re.findall(r"adapter\.dispatch\(\s*'(\w+)'\s*,\s*'ecom_synth'\s*\)", sources))
    implemented = set(re.findall(r"macro\s+sqlserver__(\w+)\s*\(", sources))
    assert dispatched, "no dispatched macro found"
    undecided = sorted(dispatched - implemented - set(DEFAULT_IS_TSQL))
    assert not undecided
    both = implemented & set(DEFAULT_IS_TSQL)
    assert not both, "listed in DEFAULT_IS_TSQL but has a sqlserver__ version"


def test_contract_ddl_is_tsql(rendered: dict) -> None:
    """The CREATE TABLE that dbt-sqlserver writes from each model's contract: T-SQL types,
    row-local checks in T-SQL, and only anonymous constraints (named ones come by ALTER)."""
    for name, sql in rendered["rebuild"]["models"].items():
        ddl = sql["create_table"]
        assert not tsql_problems(ddl), (name, tsql_problems(ddl))
        assert " constraint " not in ddl.lower(), name
        body = ddl.split("(", 1)[1].rsplit(")", 1)[0]
        columns = [
            line.strip().rstrip(",") for line in body.strip().splitlines()
            if not line.strip().lower().startswith(("check", "primary", "unique", "foreign"))
        ]
        for column in columns:
            column_type = column.split()[1]
            assert TSQL_TYPE.match(column_type), (name, column)
        table = next(t for t in TABLES if t.name == name)
        declared = [c.split()[0] for c in columns]
        assert declared == list(table.column_names), name
        not_null = {c.split()[0] for c in columns if c.lower().endswith("not null")}
        assert not_null == {c.name for c in table.columns if not c.nullable}, name


# The contracts' SQL Server DDL as committed: what the other targets' databases report is
# checked by tests/integration/test_constraint_ddl.py. Regenerate after a deliberate change:
#   ECOM_SYNTH_UPDATE_EXPECTED=1 .venv/bin/python -m pytest -x -q tests/sqlserver -k expected
EXPECTED_DDL = REPO_ROOT / "tests" / "integration" / "expected_constraints" / "sqlserver.json"


def _statements(sql: str, rendered: dict) -> list[str]:
    """The statements of a rendered script, schema and database named generically, sorted."""
    sql = sql.replace(rendered["target"]["schema"], "<schema>")
    sql = sql.replace(rendered["target"]["database"], "<database>")
    return sorted(" ".join(s.split()).rstrip(";") for s in sql.split(";\n") if s.strip())


def test_contract_ddl_matches_the_expected_file(rendered: dict) -> None:
    """Same CREATE TABLE, same named constraints (ALTER), same foreign key indexes."""
    found = {
        name: {part: _statements(sql[part], rendered) for part in sorted(sql)}
        for name, sql in sorted(rendered["rebuild"]["models"].items())
    }
    if os.environ.get("ECOM_SYNTH_UPDATE_EXPECTED") not in (None, "", "0"):
        EXPECTED_DDL.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(EXPECTED_DDL.read_text(encoding="utf-8"))
    for name in sorted(set(expected) | set(found)):
        assert found.get(name) == expected.get(name), name
