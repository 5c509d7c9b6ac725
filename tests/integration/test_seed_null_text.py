"""Only an empty field is NULL (DATA_SPEC): words that CSV readers like to turn into NULL stay text.

- DuckDB and PostgreSQL, real databases: customers whose surname is `Null`, `NULL`, `null`,
  `None`, `NA`, `N/A`, `nan`, `\\N`, ... come back from the raw seed and from the typed
  `customer` table with that text; an empty field in a nullable column comes back NULL.
- SQL Server, without a server: the project's reader (the same agate reader as PostgreSQL's)
  and the SQL Server insert renderer, run by `dbt compile --target sqlserver`, bind those words
  as text and write only an empty value as `null`.

Run: .venv/bin/python -m pytest tests/integration/test_seed_null_text.py -m "not mysql"
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from dbt_harness import Project, SeedTable, Target, copy_project
from test_seed_manifest import fetch, make_project, skip_unless_duckdb_or_postgres, stamp_manifest

# What agate, pandas, PostgreSQL COPY and MySQL LOAD DATA variously read as NULL, plus blanks.
NULL_WORDS = ["Null", "NULL", "null", "None", "none", "NA", "N/A", "nan", "NaN", "\\N", ".", " "]


def set_surnames(data: Path) -> dict[str, str]:
    """Give the first customers the NULL-like words as surnames; returns customer_id -> word."""
    customers = SeedTable(data, "customer")
    chosen = {}
    for row, word in zip(customers.rows, NULL_WORDS, strict=False):
        row["last_name"] = word
        chosen[row["customer_id"]] = word
    customers.save()
    stamp_manifest(data, "raw_customer.csv")
    return chosen


def test_null_like_surnames_stay_text_and_an_empty_field_is_null(
    target: Target, dataset: Path, tmp_path: Path
) -> None:
    skip_unless_duckdb_or_postgres(target)
    project = make_project(target, dataset, tmp_path, "nulltext")
    chosen = set_surnames(project.data)
    items = SeedTable(project.data, "order_item")
    no_promotion = next(r["order_item_id"] for r in items.rows if r["promotion_id"] == "")
    with_promotion = next(r["order_item_id"] for r in items.rows if r["promotion_id"] != "")

    run = project.dbt("seed", "--select", "raw_customer", "raw_order_item")
    assert run.success, run.summary()
    run = project.dbt("run", "--select", "customer")
    assert run.success, run.summary()

    typed, raw = project.target.schemas
    ids = ", ".join(chosen)
    for schema, table in ((raw, "raw_customer"), (typed, "customer")):
        sql = f"select customer_id, last_name from {schema}.{table} where customer_id in ({ids})"
        got = dict(fetch(project, sql))
        assert {str(k): v for k, v in got.items()} == chosen, f"{schema}.{table}"
    promotions = dict(
        fetch(
            project,
            f"select order_item_id, promotion_id from {raw}.raw_order_item "
            f"where order_item_id in ({no_promotion}, {with_promotion})",
        )
    )
    assert promotions[int(no_promotion)] is None
    assert promotions[int(with_promotion)] is not None


# The project's SQL Server path, rendered at compile time: read_seed_file (agate, as on
# PostgreSQL) on a small file, then sqlserver_seed_insert on its rows.
RENDER_NULL_TEXT = """
{%- if execute -%}
{%- set path = project_root_path ~ '/probe/names.csv' -%}
{%- set types = {'id': 'integer', 'last_name': 'varchar(20)', 'note': 'varchar(20)'} -%}
{%- set read = ecom_synth.read_seed_file(model, path, types) -%}
{%- set relation = api.Relation.create(
        database=target.database, schema=target.schema, identifier='probe', type='table') -%}
{%- set rows = read['data'].rows -%}
{%- set insert = ecom_synth.sqlserver_seed_insert(relation, 'id, last_name, note', rows) -%}
{{ tojson({
    'header': read['header'],
    'last_name': read['data'].columns['last_name'].values() | list,
    'sql': insert.sql,
    'bindings': insert.bindings,
}) }}
{%- endif -%}
"""


def test_sqlserver_reader_and_insert_keep_null_words_as_text(dataset: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    copy_project(project, dataset)
    (project / "probe").mkdir()
    lines = ["id,last_name,note"] + [f"{i},{w},x" for i, w in enumerate(NULL_WORDS, 1)]
    lines.append(f"{len(NULL_WORDS) + 1},Smith,")  # an empty field: NULL
    (project / "probe" / "names.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (project / "analyses").mkdir(exist_ok=True)
    text = RENDER_NULL_TEXT.replace("project_root_path", repr(str(project)))
    (project / "analyses" / "render_null_text.sql").write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "MSSQL"))}
    env.update(
        DBT_TARGET="sqlserver",
        DBT_SCHEMA="null_text",
        DBT_MSSQL_SERVER="127.0.0.1",
        DBT_MSSQL_PORT="1",  # nothing listens: the compile must not connect
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    dbt = str(Path(sys.executable).with_name("dbt"))
    done = subprocess.run(
        [dbt, "compile", "--no-populate-cache", "--select", "render_null_text",
         "--profiles-dir", str(project), "--target-path", str(tmp_path / "target")],
        cwd=project, env=env, capture_output=True, text=True, check=False, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    compiled = tmp_path / "target" / "compiled" / "ecom_synth" / "analyses" / "render_null_text.sql"
    out = json.loads(compiled.read_text(encoding="utf-8"))
    assert out["header"] == ["id", "last_name", "note"]
    assert out["last_name"] == [*NULL_WORDS, "Smith"]
    rows = out["sql"].split(" values ", 1)[1]
    assert rows.count("null") == 1 and rows.endswith("(?, ?, null)"), out["sql"]
    expected = [v for i, w in enumerate(NULL_WORDS, 1) for v in (str(i), w, "x")]
    assert out["bindings"] == [*expected, str(len(NULL_WORDS) + 1), "Smith"]


def test_a_short_row_still_counts_as_empty(target: Target, dataset: Path, tmp_path: Path) -> None:
    """The reader pads a row with too few fields with NULLs, which the required-column check
    refuses (the verbatim reader must not make a missing field look like text)."""
    skip_unless_duckdb_or_postgres(target)
    project: Project = make_project(target, dataset, tmp_path, "short")
    path = project.data / "raw_brand.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].rsplit(",", 1)[0]
    path.write_text("\n".join(lines), encoding="utf-8")
    stamp_manifest(project.data, "raw_brand.csv")
    run = project.dbt("seed", "--select", "raw_brand")
    assert not run.success
    message = run.message_of("raw_brand")
    assert "raw_brand.csv" in message and re.search(r"line:? ?4\b", message, re.I), message
